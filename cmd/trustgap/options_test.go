package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// decodeOptions decodes analysis/testdata/calib/options.json (options.R).
func decodeOptions(t *testing.T, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(panelDir, "options.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("options.json: %v", err)
	}
}

// TestCrosstabLincom: crosstab --statistic lincom reports R's Pearson X²,
// the number of eigenvalues of Δ, d₀·ν and the exact tail p of the
// weighted sum of χ²s (options.json; R's own p approximates it, see
// README), each to 1e-6.
func TestCrosstabLincom(t *testing.T) {
	var golden struct {
		Lincom []struct {
			Rows      string  `json:"rows"`
			Cols      string  `json:"cols"`
			Statistic float64 `json:"statistic"`
			NDF       float64 `json:"ndf"`
			DDF       float64 `json:"ddf"`
			P         float64 `json:"p"`
		} `json:"lincom"`
	}
	decodeOptions(t, &golden)
	near := func(g, w float64) bool { return math.Abs(g-w) <= 1e-6*math.Abs(w) }
	for _, w := range golden.Lincom {
		code, out, errOut := runCLI(t, "crosstab", "--data", panelData, "--codebook", panelCodebook, "--lonely-psu", "adjust",
			"--rows", w.Rows, "--cols", w.Cols, "--statistic", "lincom", "--format", "json")
		if code != 0 {
			t.Fatalf("crosstab %s × %s --statistic lincom: exit %d: %s", w.Rows, w.Cols, code, errOut)
		}
		var res struct {
			Test *struct {
				Method    string   `json:"method"`
				Statistic float64  `json:"statistic"`
				F         *float64 `json:"f"`
				NDF       float64  `json:"ndf"`
				DDF       *float64 `json:"ddf"`
				P         float64  `json:"p"`
			} `json:"test"`
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatal(err)
		}
		g := res.Test
		if g == nil || g.Method != "lincom" || g.F != nil || g.DDF == nil {
			t.Fatalf("crosstab %s × %s --statistic lincom: test %+v, want method lincom with ddf and no f", w.Rows, w.Cols, g)
		}
		if !near(g.Statistic, w.Statistic) || g.NDF != w.NDF || !near(*g.DDF, w.DDF) || !near(g.P, w.P) {
			t.Errorf("crosstab %s × %s --statistic lincom = X² %v, ndf %v, ddf %v, p %v; want %v, %v, %v, %v",
				w.Rows, w.Cols, g.Statistic, g.NDF, *g.DDF, g.P, w.Statistic, w.NDF, w.DDF, w.P)
		}
	}
}
