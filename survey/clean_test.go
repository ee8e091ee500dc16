package survey

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCleanLabel(t *testing.T) {
	tests := []struct{ in, want string }{
		{"North", "North"},
		{"\uFEFFNorth", "North"},
		{"Nor\uFEFFth", "North"},
		{"Ma\x1b[31mle", "Ma[31mle"},
		{"a\x00b\x07c\u0085d\u009be", "abc de"}, // NEL is a line break
		{"user\u202Eexe.txt", "userexe.txt"},
		{"\u2066isolated\u2069", "isolated"},
		{"two\tlines\r\nhere  ", "two lines here"},
		{"  spaced   out ", "spaced out"},
		{"bad \xff byte", "bad byte"},
		{"Россия", "Россия"},
		{"zero\u200Bwidth", "zerowidth"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := CleanLabel(tt.in); got != tt.want {
			t.Errorf("CleanLabel(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzCleanLabel: the result is valid UTF-8 without control or format
// characters that terminals or XML react to, and cleaning is idempotent.
func FuzzCleanLabel(f *testing.F) {
	for _, s := range []string{"North", "\uFEFFa\x1b[0m", "a\u202Eb", " x \t y "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := CleanLabel(s)
		if !utf8.ValidString(got) {
			t.Fatalf("CleanLabel(%q) = %q, not UTF-8", s, got)
		}
		for _, r := range got {
			if r < 0x20 || (r >= 0x7F && r <= 0x9F) || dropped(r) {
				t.Fatalf("CleanLabel(%q) = %q keeps %U", s, got, r)
			}
		}
		if again := CleanLabel(got); again != got {
			t.Fatalf("CleanLabel(CleanLabel(%q)) = %q, want %q", s, again, got)
		}
		if got != strings.TrimSpace(got) {
			t.Fatalf("CleanLabel(%q) = %q, not trimmed", s, got)
		}
	})
}

// TestLevelsCleanedAndMerged: a byte order mark inside one answer does
// not make a second, identical-looking level, and escapes never reach a
// level.
func TestLevelsCleanedAndMerged(t *testing.T) {
	var b strings.Builder
	b.WriteString("rid,region,q1\n")
	regions := []string{"North", "\uFEFFNorth", "South", "So\x1b[31muth", "East\u202E"}
	for i := range 40 {
		b.WriteString(strings.Join([]string{string(rune('a'+i%26)) + strings.Repeat("x", i/26), regions[i%len(regions)], "3"}, ",") + "\n")
	}
	ds, err := loadTexts(t, "design: {id: rid}\nregion: region\nconstructs:\n  c: {items: [q1], scale: [1, 5], flag: \">= 4\"}\n", [2]string{"a.csv", b.String()})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(ds.Region.Levels, "|")
	if got != "North|South|So[31muth|East" {
		t.Errorf("region levels = %q, want North|South|So[31muth|East", got)
	}
	counts := map[string]int{}
	for _, c := range ds.Region.Codes {
		counts[ds.Region.Levels[c]]++
	}
	if counts["North"] != 16 || counts["South"] != 8 {
		t.Errorf("region counts = %v, want North 16 (both spellings), South 8", counts)
	}
}
