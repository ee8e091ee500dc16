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
// README), each to 1e-6; --statistic saddlepoint the same with R's
// svychisq(statistic = "saddlepoint") p.
func TestCrosstabLincom(t *testing.T) {
	var golden struct {
		Lincom []struct {
			Rows      string  `json:"rows"`
			Cols      string  `json:"cols"`
			Statistic float64 `json:"statistic"`
			NDF       float64 `json:"ndf"`
			DDF       float64 `json:"ddf"`
			P         float64 `json:"p"`
			PSaddle   float64 `json:"p_saddlepoint"`
		} `json:"lincom"`
	}
	decodeOptions(t, &golden)
	near := func(g, w float64) bool { return math.Abs(g-w) <= 1e-6*math.Abs(w) }
	for _, w := range golden.Lincom {
		for _, st := range []string{"lincom", "saddlepoint"} {
			code, out, errOut := runCLI(t, "crosstab", "--data", panelData, "--codebook", panelCodebook, "--lonely-psu", "adjust",
				"--rows", w.Rows, "--cols", w.Cols, "--statistic", st, "--format", "json")
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
			if g == nil || g.Method != st || g.F != nil || g.DDF == nil {
				t.Fatalf("crosstab %s × %s --statistic %s: test %+v, want method %s with ddf and no f", w.Rows, w.Cols, st, g, st)
			}
			p := map[string]float64{"lincom": w.P, "saddlepoint": w.PSaddle}[st]
			if !near(g.Statistic, w.Statistic) || g.NDF != w.NDF || !near(*g.DDF, w.DDF) || !near(g.P, p) {
				t.Errorf("crosstab %s × %s --statistic %s = X² %v, ndf %v, ddf %v, p %v; want %v, %v, %v, %v",
					w.Rows, w.Cols, st, g.Statistic, g.NDF, *g.DDF, g.P, w.Statistic, w.NDF, w.DDF, p)
			}
		}
	}
}

// TestLikelihoodCI: estimate --prop --ci likelihood (whole sample and by
// gender, 95% and 99%) and crosstab --ci likelihood give the exact roots
// of R's svyglm profile (options.json; R's own spline is about 1e-5
// off) to 1e-6 (the other commands and a calibrated design:
// TestLikelihoodCIEveryCommand).
func TestLikelihoodCI(t *testing.T) {
	var golden struct {
		Lik []struct {
			Variable string            `json:"variable"`
			Domain   map[string]string `json:"domain"`
			Level    float64           `json:"level"`
			CILow    float64           `json:"ci_low"`
			CIHigh   float64           `json:"ci_high"`
		} `json:"likelihood"`
		Xt []struct {
			Row    string  `json:"row"`
			Col    string  `json:"col"`
			CILow  float64 `json:"ci_low"`
			CIHigh float64 `json:"ci_high"`
		} `json:"likelihood_crosstab"`
	}
	decodeOptions(t, &golden)
	near := func(g *float64, w float64) bool { return g != nil && math.Abs(*g-w) <= 1e-6*w }
	type row struct {
		Variable string            `json:"variable"`
		Domain   map[string]string `json:"domain"`
		CILow    *float64          `json:"ci_low"`
		CIHigh   *float64          `json:"ci_high"`
	}
	for _, level := range []string{"0.95", "0.99"} {
		code, out, errOut := runCLI(t, "estimate", "--data", panelData, "--codebook", panelCodebook, "--lonely-psu", "adjust",
			"--prop", "tr1==Agree", "--prop", "sh_loc==yes", "--by", "gender", "--ci", "likelihood", "--level", level, "--format", "json")
		if code != 0 {
			t.Fatalf("estimate --ci likelihood --level %s: exit %d: %s", level, code, errOut)
		}
		var res struct{ Estimates []row }
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatal(err)
		}
		got := map[string]row{}
		for _, r := range res.Estimates {
			v := map[string]string{"tr1==Agree": "agree", "tr1 == Agree": "agree", "sh_loc==yes": "sh", "sh_loc == yes": "sh"}[r.Variable]
			got[v+" "+r.Domain["gender"]] = r
		}
		n := 0
		for _, w := range golden.Lik {
			if level != map[float64]string{0.95: "0.95", 0.99: "0.99"}[w.Level] {
				continue
			}
			k := w.Variable + " " + w.Domain["gender"]
			g, ok := got[k]
			if !ok {
				t.Errorf("estimate --ci likelihood has no row %s", k)
				continue
			}
			n++
			if !near(g.CILow, w.CILow) || !near(g.CIHigh, w.CIHigh) {
				t.Errorf("estimate %s --ci likelihood --level %s = [%v, %v], want [%v, %v]", k, level, deref(g.CILow), deref(g.CIHigh), w.CILow, w.CIHigh)
			}
		}
		if n != 6 {
			t.Errorf("matched %d likelihood rows at level %s, want 6", n, level)
		}
	}
	code, out, errOut := runCLI(t, "crosstab", "--data", panelData, "--codebook", panelCodebook, "--lonely-psu", "adjust",
		"--rows", "tr1", "--cols", "gender", "--ci", "likelihood", "--format", "json")
	if code != 0 {
		t.Fatalf("crosstab --ci likelihood: exit %d: %s", code, errOut)
	}
	var xt struct {
		Cells []struct {
			Row    string   `json:"row"`
			Col    string   `json:"col"`
			CILow  *float64 `json:"ci_low"`
			CIHigh *float64 `json:"ci_high"`
		} `json:"cells"`
	}
	if err := json.Unmarshal([]byte(out), &xt); err != nil {
		t.Fatal(err)
	}
	for _, w := range golden.Xt {
		found := false
		for _, c := range xt.Cells {
			if c.Row == w.Row && c.Col == w.Col {
				found = true
				if !near(c.CILow, w.CILow) || !near(c.CIHigh, w.CIHigh) {
					t.Errorf("crosstab tr1 × gender --ci likelihood %s/%s = [%v, %v], want [%v, %v]", w.Row, w.Col, deref(c.CILow), deref(c.CIHigh), w.CILow, w.CIHigh)
				}
			}
		}
		if !found {
			t.Errorf("crosstab tr1 × gender has no cell %s/%s", w.Row, w.Col)
		}
	}
}
