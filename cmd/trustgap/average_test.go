package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// averageRow is one of average.json's estimates (R's svymean, svyciprop
// and svytotal under options(survey.lonely.psu = "average")).
type averageRow struct {
	By        string            `json:"by"`
	Variable  string            `json:"variable"`
	Statistic string            `json:"statistic"`
	Domain    map[string]string `json:"domain"`
	Estimate  *float64          `json:"estimate"`
	SE        *float64          `json:"se"`
	Deff      *float64          `json:"deff"`
	DF        int               `json:"df"`
	CILow     *float64          `json:"ci_low"`
	CIHigh    *float64          `json:"ci_high"`
}

// decodeAverage decodes analysis/testdata/calib/average.json (average.R).
func decodeAverage(t *testing.T, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(panelDir, "average.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("average.json: %v", err)
	}
}

// nearR compares a figure with R's to 1e-6 relative (1e-9 absolute near
// 0); both null is a match.
func nearR(g, w *float64) bool {
	if g == nil || w == nil {
		return g == nil && w == nil
	}
	return math.Abs(*g-*w) <= 1e-6*math.Abs(*w)+1e-9
}

// TestEstimateLonelyAverage: estimate --lonely-psu average gives R's
// svymean/svyciprop/svytotal under options(survey.lonely.psu =
// "average") on the whole panel, by region and by region*gender: each
// domain's variance carries its own nstrat/nokstrat (5/4 where the
// domain has respondents in the single-PSU stratum IS-1, 1 where not, and
// in between where it misses other strata too).
func TestEstimateLonelyAverage(t *testing.T) {
	var golden struct {
		Estimates []averageRow `json:"estimates"`
	}
	decodeAverage(t, &golden)
	got := map[string]averageRow{}
	key := func(by string, r averageRow) string {
		v := r.Variable
		if v == "tr1==Agree" || v == "tr1 == Agree" {
			v = "agree"
		}
		return fmt.Sprintf("%s %s %s %s/%s", by, v, r.Statistic, r.Domain["region"], r.Domain["gender"])
	}
	for _, by := range []string{"region", "region*gender"} {
		code, out, errOut := runCLI(t, "estimate", "--data", panelData, "--codebook", panelCodebook, "--lonely-psu", "average",
			"--mean", "pc1", "--prop", "tr1==Agree", "--total", "pc1", "--total", "tr1==Agree", "--by", by, "--format", "json")
		if code != 0 {
			t.Fatalf("estimate --by %s --lonely-psu average: exit %d: %s", by, code, errOut)
		}
		var res struct{ Estimates []averageRow }
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatal(err)
		}
		for _, r := range res.Estimates {
			b := by
			if len(r.Domain) == 0 {
				b = ""
			}
			got[key(b, r)] = r
		}
	}
	n := 0
	for _, w := range golden.Estimates {
		k := key(w.By, w)
		g, ok := got[k]
		if !ok {
			t.Errorf("estimate has no row %s", k)
			continue
		}
		n++
		fields := []struct {
			name string
			g, w *float64
		}{{"estimate", g.Estimate, w.Estimate}, {"se", g.SE, w.SE}, {"deff", g.Deff, w.Deff}}
		// A proportion's interval with one degree of freedom follows
		// trustgap's convention (README), not R 4.1's [0, NaN].
		if !(w.Statistic == "proportion" && w.DF <= 1) && w.DF > 0 {
			fields = append(fields, struct {
				name string
				g, w *float64
			}{"ci_low", g.CILow, w.CILow}, struct {
				name string
				g, w *float64
			}{"ci_high", g.CIHigh, w.CIHigh})
		}
		for _, f := range fields {
			if f.name == "deff" && f.w == nil {
				continue
			}
			if !nearR(f.g, f.w) {
				t.Errorf("estimate %s %s = %v, want R's %v", k, f.name, deref(f.g), deref(f.w))
			}
		}
		if g.DF != w.DF {
			t.Errorf("estimate %s df = %d, want %d", k, g.DF, w.DF)
		}
	}
	if n < 50 {
		t.Errorf("matched %d of average.json's rows, want them all (%d)", n, len(golden.Estimates))
	}
}

// TestCrosstabLonelyAverage: crosstab --lonely-psu average gives
// svychisq's statistics, the cells' svytotal SEs and the column shares'
// svymean SEs (each column's domain with its own factor) of R under
// options(survey.lonely.psu = "average").
func TestCrosstabLonelyAverage(t *testing.T) {
	type test struct {
		Method    string   `json:"method"`
		Statistic float64  `json:"statistic"`
		NDF       float64  `json:"ndf"`
		DDF       *float64 `json:"ddf"`
		P         float64  `json:"p"`
	}
	type cell struct {
		Row     string  `json:"row"`
		Col     string  `json:"col"`
		Count   float64 `json:"weighted_count"`
		CountSE float64 `json:"weighted_count_se"`
		Share   float64 `json:"column_share"`
		ShareSE float64 `json:"column_share_se"`
	}
	var golden struct {
		Crosstab []struct {
			Rows, Cols string
			Tests      map[string]test `json:"tests"`
			Cells      []cell          `json:"cells"`
		} `json:"crosstab"`
	}
	decodeAverage(t, &golden)
	if len(golden.Crosstab) != 2 {
		t.Fatalf("average.json has %d crosstabs, want 2", len(golden.Crosstab))
	}
	near := func(g, w float64) bool { return math.Abs(g-w) <= 1e-6*math.Abs(w)+1e-10 }
	for _, x := range golden.Crosstab {
		for st, w := range x.Tests {
			code, out, errOut := runCLI(t, "crosstab", "--data", panelData, "--codebook", panelCodebook, "--lonely-psu", "average",
				"--rows", x.Rows, "--cols", x.Cols, "--statistic", st, "--format", "json")
			what := fmt.Sprintf("crosstab %s × %s --statistic %s --lonely-psu average", x.Rows, x.Cols, st)
			if code != 0 {
				t.Fatalf("%s: exit %d: %s", what, code, errOut)
			}
			var res struct {
				Cells []struct {
					Row     string   `json:"row"`
					Col     string   `json:"col"`
					Count   float64  `json:"weighted_count"`
					CountSE float64  `json:"weighted_count_se"`
					Share   *float64 `json:"column_share"`
					ShareSE *float64 `json:"se"`
				} `json:"cells"`
				Test *test `json:"test"`
			}
			if err := json.Unmarshal([]byte(out), &res); err != nil {
				t.Fatal(err)
			}
			g := res.Test
			if g == nil {
				t.Fatalf("%s: no test", what)
			}
			if g.Method != st || !near(g.Statistic, w.Statistic) || !near(g.NDF, w.NDF) || !near(g.P, w.P) {
				t.Errorf("%s = %+v, want R's %+v", what, *g, w)
			}
			if st != "Chisq" && (g.DDF == nil || w.DDF == nil || !near(*g.DDF, *w.DDF)) {
				t.Errorf("%s ddf = %v, want R's %v", what, deref(g.DDF), deref(w.DDF))
			}
			if st != "F" {
				continue
			}
			type gotCell = struct {
				count, countSE float64
				share, shareSE *float64
			}
			cells := map[string]gotCell{}
			for _, c := range res.Cells {
				cells[c.Row+"|"+c.Col] = gotCell{c.Count, c.CountSE, c.Share, c.ShareSE}
			}
			for _, wc := range x.Cells {
				gc, ok := cells[wc.Row+"|"+wc.Col]
				if !ok {
					t.Errorf("%s: no cell %s × %s", what, wc.Row, wc.Col)
					continue
				}
				if !near(gc.count, wc.Count) || !near(gc.countSE, wc.CountSE) {
					t.Errorf("%s: cell %s × %s weighted count %v ± %v, want R's %v ± %v", what, wc.Row, wc.Col, gc.count, gc.countSE, wc.Count, wc.CountSE)
				}
				if gc.share == nil || gc.shareSE == nil || !near(*gc.share, wc.Share) || !near(*gc.shareSE, wc.ShareSE) {
					t.Errorf("%s: cell %s × %s column share %v ± %v, want R's %v ± %v", what, wc.Row, wc.Col, deref(gc.share), deref(gc.shareSE), wc.Share, wc.ShareSE)
				}
			}
		}
	}
}

// TestEstimateLonelyAverageRaked: on a design raked to targets.yaml every
// domain counts every stratum (R's subsets of a calibrated design keep
// all rows at weight 0): estimate --targets --lonely-psu average gives
// svymean on R's rake() design under options(survey.lonely.psu =
// "average") (average.json's raked).
func TestEstimateLonelyAverageRaked(t *testing.T) {
	var golden struct {
		Raked []struct {
			Domain   map[string]string `json:"domain"`
			Estimate float64           `json:"estimate"`
			SE       float64           `json:"se"`
		} `json:"raked"`
	}
	decodeAverage(t, &golden)
	code, out, errOut := runCLI(t, "estimate", "--data", panelData, "--codebook", panelCodebook, "--targets", panelTargets,
		"--lonely-psu", "average", "--mean", "pc1", "--by", "region", "--format", "json")
	if code != 0 {
		t.Fatalf("estimate --targets --lonely-psu average: exit %d: %s", code, errOut)
	}
	var res struct{ Estimates []averageRow }
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	got := map[string]averageRow{}
	for _, r := range res.Estimates {
		got[r.Domain["region"]] = r
	}
	if len(golden.Raked) != 4 {
		t.Fatalf("average.json has %d raked rows, want 4", len(golden.Raked))
	}
	for _, w := range golden.Raked {
		g, ok := got[w.Domain["region"]]
		est, se := w.Estimate, w.SE
		if !ok || !nearR(g.Estimate, &est) || !nearR(g.SE, &se) {
			t.Errorf("estimate --targets --lonely-psu average, region %q = %v ± %v, want R's %v ± %v", w.Domain["region"], deref(g.Estimate), deref(g.SE), est, se)
		}
	}
}
