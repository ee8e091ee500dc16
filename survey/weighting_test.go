package survey

import (
	"errors"
	"strings"
	"testing"
)

func TestParseTargets(t *testing.T) {
	tests := []struct {
		name, in string
		cols     []string
		total    float64
		bounds   []float64
		wantErr  string
	}{
		{"order kept", "margins:\n  region: {North: 0.4, South: 0.6}\n  age: {young: 0.5, old: 0.5}\n", []string{"region", "age"}, 0, nil, ""},
		{"total and bounds", "margins:\n  g: {a: 1}\ntotal: 500\nbounds: [0.5, 4]\n", []string{"g"}, 500, []float64{0.5, 4}, ""},
		{"shares off", "margins:\n  g: {a: 0.5, b: 0.4}\n", nil, 0, nil, "sum to 0.9"},
		{"negative share", "margins:\n  g: {a: -0.5, b: 1.5}\n", nil, 0, nil, "between 0 and 1"},
		{"not a number", "margins:\n  g: {a: lots}\n", nil, 0, nil, "not a number"},
		{"unknown key", "margin:\n  g: {a: 1}\n", nil, 0, nil, `unknown key "margin"`},
		{"no margins", "total: 10\n", nil, 0, nil, "no margins"},
		{"bad bounds", "margins:\n  g: {a: 1}\nbounds: [2, 1]\n", nil, 0, nil, "0 < low < 1 < high"},
		{"empty", "", nil, 0, nil, "empty"},
		{"scalar", "hello\n", nil, 0, nil, "mapping"},
	}
	for _, tt := range tests {
		w, err := ParseTargets(strings.NewReader(tt.in), "t.yaml")
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseTargets(%s) = %v, want an error containing %q", tt.name, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseTargets(%s) = %v, want no error", tt.name, err)
			continue
		}
		if got := strings.Join(w.Columns(), ","); got != strings.Join(tt.cols, ",") {
			t.Errorf("ParseTargets(%s).Columns() = %s, want %s", tt.name, got, strings.Join(tt.cols, ","))
		}
		if w.Total != tt.total || len(w.Bounds) != len(tt.bounds) {
			t.Errorf("ParseTargets(%s) total, bounds = %v, %v, want %v, %v", tt.name, w.Total, w.Bounds, tt.total, tt.bounds)
		}
	}
}

func TestCodebookWeighting(t *testing.T) {
	cb, err := ParseCodebook(strings.NewReader("title: t\nweighting:\n  rake:\n    region: {North: 0.35, South: 0.65}\n  bounds: [0.35, 12]\n"), "cb.yaml")
	if err != nil {
		t.Fatal(err)
	}
	w := cb.Weighting
	if w == nil || len(w.Rake) != 1 || w.Rake[0].Column != "region" || len(w.Bounds) != 2 || w.Bounds[1] != 12 {
		t.Fatalf("weighting = %+v, want region's margin and bounds [0.35, 12]", w)
	}
	if s, ok := w.Rake[0].Share("South"); !ok || s != 0.65 {
		t.Errorf("Share(South) = %v, %v, want 0.65", s, ok)
	}
	_, err = ParseCodebook(strings.NewReader("title: t\nweighting:\n  rak:\n    region: {North: 1}\n"), "cb.yaml")
	var pe *ProblemsError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), `unknown key "rak"`) {
		t.Errorf("weighting with rak: = %v, want a problem naming it", err)
	}
}

func FuzzParseTargets(f *testing.F) {
	for _, s := range []string{"margins:\n  g: {a: 0.5, b: 0.5}\n", "total: 3\n", "bounds: [0.1, 9]\n", "[1, 2]", "margins: {g: [1]}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		w, err := ParseTargets(strings.NewReader(s), "f.yaml")
		if err == nil {
			for _, m := range w.Rake {
				if len(m.Levels) != len(m.Shares) {
					t.Fatalf("margin %s: %d levels, %d shares", m.Column, len(m.Levels), len(m.Shares))
				}
			}
		}
	})
}
