package survey

import "testing"

func TestLookAlike(t *testing.T) {
	tests := []struct{ name, near, want string }{
		{"pс1", "pc1", `; "pс1" has a Cyrillic "с" at position 2`},
		{"pс1", "", `; "pс1" has a Cyrillic "с" at position 2`},
		{"regiοn", "region", `; "regiοn" has a Greek "ο" at position 5`},
		{"ｑ1", "q1", `; "ｑ1" has a fullwidth "ｑ" at position 1`},
		{"pc1", "pc2", ""},
		{"страна", "", ""}, // a Russian name, not a slip
		{"café", "cafe", `; "café" has a Latin "é" at position 4`},
	}
	for _, tt := range tests {
		if got := lookAlike(tt.name, tt.near); got != tt.want {
			t.Errorf("lookAlike(%q, %q) = %q, want %q", tt.name, tt.near, got, tt.want)
		}
	}
}
