package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Bounds too tight for the margins fail at once (one level out of reach)
// or after a few stalled steps (only the joint condition fails), in one
// line naming the margin furthest from its target, with exit 1.
func TestWeightBoundsTooTight(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("rid,weight,region,gen\n")
	// Cells AX, AY, BX, BY hold 40%, 10%, 10%, 40% of the respondents.
	for i := range 2000 {
		region, gen := "A", "X"
		switch u := i % 10; {
		case u == 4:
			gen = "Y"
		case u == 5:
			region = "B"
		case u > 5:
			region, gen = "B", "Y"
		}
		fmt.Fprintf(&b, "%d,%.2f,%s,%s\n", i+1, 0.8+0.4*float64(i%7)/6, region, gen)
	}
	data := filepath.Join(dir, "d.csv")
	if err := os.WriteFile(data, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, region, want string
	}{
		// B's 50% of the respondents weigh at least 25% within [0.5, 2].
		{"one level", "{A: 0.9, B: 0.1}", `margin "region" level "B" is furthest from its target, 10% of the total (its 1000 respondents weigh at least`},
		// A ≥ 70% needs AX ≥ 50% while X ≤ 30%.
		{"joint", "{A: 0.7, B: 0.3}", `margin "region" level "B" is furthest from its target, 30% of the total (raking stopped after`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cb := filepath.Join(dir, "cb.yaml")
			yaml := "title: bounds\ndesign: {id: rid, weight: weight}\nweighting:\n  rake:\n    region: " + tc.region +
				"\n    gen: {X: 0.3, Y: 0.7}\n  bounds: [0.5, 2]\n"
			if err := os.WriteFile(cb, []byte(yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, "w.csv")
			code, _, errOut := runCLI(t, "weight", "--data", data, "--codebook", cb, "-o", out)
			if code != 1 {
				t.Errorf("weight exit = %d, want 1 (%s)", code, errOut)
			}
			if strings.Count(errOut, "\n") != 1 {
				t.Errorf("weight stderr = %q, want one line", errOut)
			}
			for _, w := range []string{"bounds [0.5, 2] × the mean weight are too tight for the margins", tc.want, "widen the bounds"} {
				if !strings.Contains(errOut, w) {
					t.Errorf("weight stderr = %q, want it to contain %q", errOut, w)
				}
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("weight wrote %s although it failed (stat: %v)", out, err)
			}
		})
	}
}
