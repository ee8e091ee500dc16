package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/trustgap/trustgap/analysis"
)

// The calibration panel (analysis/testdata/calib, R goldens in calib.json
// from calib.R) has a stratum with a single PSU, "IS-1".
var (
	panelDir      = filepath.Join("..", "..", "analysis", "testdata", "calib")
	panelData     = filepath.Join(panelDir, "panel.csv")
	panelCodebook = filepath.Join(panelDir, "codebook.yaml")
	panelTargets  = filepath.Join(panelDir, "targets.yaml")
)

// TestValidateNamesSinglePSUStrata: validate must not call clean a design
// every analysis refuses by default.
func TestValidateNamesSinglePSUStrata(t *testing.T) {
	code, out, errOut := runCLI(t, "validate", "--data", panelData, "--codebook", panelCodebook)
	if code != 1 || !strings.Contains(out, `stratum "IS-1" has only one PSU`) || !strings.Contains(out, "--lonely-psu") {
		t.Errorf("validate(panel) = exit %d, stdout %q, stderr %q; want 1 naming stratum IS-1 and --lonely-psu", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "validate", "--data", panelData, "--codebook", panelCodebook, "--lonely-psu", "adjust")
	if code != 0 || !strings.Contains(out, "ok: no problems found") {
		t.Errorf("validate(panel, --lonely-psu adjust) = exit %d, stdout %q, stderr %q; want 0", code, out, errOut)
	}
}

// TestWeightSinglePSUStratum: raking reads only the weights, so weight
// needs no --lonely-psu, and its weights are R's rake() weights.
func TestWeightSinglePSUStratum(t *testing.T) {
	out := filepath.Join(t.TempDir(), "raked.csv")
	code, _, errOut := runCLI(t, "weight", "--data", panelData, "--codebook", panelCodebook, "--targets", panelTargets, "-o", out)
	if code != 0 {
		t.Fatalf("weight(panel) = exit %d: %s", code, errOut)
	}
	var golden struct {
		Raked []float64 `json:"raked_weights"`
	}
	decodeCalib(t, &golden)
	got := readColumn(t, out, "weight_raked")
	if len(got) != len(golden.Raked) {
		t.Fatalf("weight(panel) wrote %d weights, want %d", len(got), len(golden.Raked))
	}
	for i, w := range golden.Raked {
		if math.Abs(got[i]-w) > 1e-6*w {
			t.Errorf("weight(panel) respondent %d = %v, want R's %v", i+1, got[i], w)
		}
	}
}

// readColumn reads a numeric column of a CSV file.
func readColumn(t *testing.T, path, name string) []float64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for j, h := range recs[0] {
		if h == name {
			col = j
		}
	}
	if col < 0 {
		t.Fatalf("%s has no column %q", path, name)
	}
	out := make([]float64, 0, len(recs)-1)
	for _, r := range recs[1:] {
		v, err := strconv.ParseFloat(r[col], 64)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out = append(out, v)
	}
	return out
}

// TestEstimateCalibrated: estimate on the panel raked by --targets, or by
// the codebook's weighting: block, gives svymean/svyciprop on R's rake()
// design (calib.json's cli_estimates); weight with the block writes the
// design's weights, R's; describe takes --targets (its figures are tested
// against R in package analysis); trust and effect take it, their
// adjusted model R's svyglm on the raked design.
func TestEstimateCalibrated(t *testing.T) {
	var golden struct {
		Raked []float64 `json:"raked_weights"`
		CLI   []struct {
			Variable string            `json:"variable"`
			Domain   map[string]string `json:"domain"`
			Estimate *float64          `json:"estimate"`
			SE       *float64          `json:"se"`
			DF       int               `json:"df"`
			CILow    *float64          `json:"ci_low"`
			CIHigh   *float64          `json:"ci_high"`
		} `json:"cli_estimates"`
	}
	decodeCalib(t, &golden)
	withBlock := filepath.Join(panelDir, "codebook_weighting.yaml")
	for _, how := range [][]string{
		{"--codebook", panelCodebook, "--targets", panelTargets},
		{"--codebook", withBlock},
	} {
		args := append([]string{"estimate", "--data", panelData, "--lonely-psu", "adjust", "--mean", "pc1", "--prop", "tr1==Agree", "--by", "gender", "--format", "json"}, how...)
		code, out, errOut := runCLI(t, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", how, code, errOut)
		}
		var res struct {
			Estimates []struct {
				Variable string            `json:"variable"`
				Domain   map[string]string `json:"domain"`
				Estimate *float64          `json:"estimate"`
				SE       *float64          `json:"se"`
				DF       int               `json:"df"`
				CILow    *float64          `json:"ci_low"`
				CIHigh   *float64          `json:"ci_high"`
			} `json:"estimates"`
			Design struct {
				Calibration *struct {
					Order []string `json:"margin_order"`
				} `json:"calibration"`
			} `json:"design"`
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("%v: %v\n%s", how, err, out)
		}
		if c := res.Design.Calibration; c == nil || strings.Join(c.Order, ",") != "region,generation" {
			t.Errorf("%v: design.calibration = %+v, want margins region, generation", how, c)
		}
		if len(res.Estimates) != len(golden.CLI) {
			t.Fatalf("%v: %d estimates, want %d", how, len(res.Estimates), len(golden.CLI))
		}
		near := func(got, want *float64) bool {
			if got == nil || want == nil {
				return got == nil && want == nil
			}
			return math.Abs(*got-*want) <= 1e-6*math.Abs(*want)+1e-12
		}
		for i, w := range golden.CLI {
			g := res.Estimates[i]
			if g.Domain["gender"] != w.Domain["gender"] {
				t.Fatalf("%v: estimate %d is for %v, want %v", how, i, g.Domain, w.Domain)
			}
			for _, f := range []struct {
				name      string
				got, want *float64
			}{{"estimate", g.Estimate, w.Estimate}, {"se", g.SE, w.SE}, {"ci_low", g.CILow, w.CILow}, {"ci_high", g.CIHigh, w.CIHigh}} {
				if !near(f.got, f.want) {
					t.Errorf("%v: %s %v %s = %v, want R's %v", how, w.Variable, w.Domain, f.name, deref(f.got), deref(f.want))
				}
			}
			if g.DF != w.DF {
				t.Errorf("%v: %s %v df = %d, want %d", how, w.Variable, w.Domain, g.DF, w.DF)
			}
		}
	}

	out := filepath.Join(t.TempDir(), "w.csv")
	if code, _, errOut := runCLI(t, "weight", "--data", panelData, "--codebook", withBlock, "-o", out); code != 0 {
		t.Fatalf("weight with a weighting: block: exit %d: %s", code, errOut)
	}
	got := readColumn(t, out, "weight_raked")
	for i, w := range golden.Raked {
		if math.Abs(got[i]-w) > 1e-9*w {
			t.Errorf("weight (weighting: block) respondent %d = %v, want R's %v", i+1, got[i], w)
		}
	}

	// With bounds: [0.2, 4], calibrate(calfun = "raking", bounds = c(0.2, 4) * mean(w), bounds.const = TRUE).
	var bounded struct {
		W []float64 `json:"bounded_weights"`
	}
	decodeCalib(t, &bounded)
	outB := filepath.Join(t.TempDir(), "wb.csv")
	if code, _, errOut := runCLI(t, "weight", "--data", panelData, "--codebook", filepath.Join(panelDir, "codebook_bounded.yaml"), "-o", outB); code != 0 {
		t.Fatalf("weight with bounds: exit %d: %s", code, errOut)
	}
	gotB := readColumn(t, outB, "weight_raked")
	if len(gotB) != len(bounded.W) {
		t.Fatalf("weight with bounds wrote %d weights, want %d", len(gotB), len(bounded.W))
	}
	for i, w := range bounded.W {
		if math.Abs(gotB[i]-w) > 1e-8*w {
			t.Errorf("weight (bounds) respondent %d = %v, want R's %v", i+1, gotB[i], w)
		}
	}

	// trust and effect on the raked design: the adjusted model is
	// svyglm(comfort ~ trust + region + generation + gender,
	// quasibinomial) on R's rake() design (calib.json's
	// trust_raked_adjusted; the rest is tested in package analysis).
	var adj struct {
		A struct {
			DF    int `json:"df"`
			Terms []struct {
				Term     string  `json:"term"`
				Estimate float64 `json:"estimate"`
				SE       float64 `json:"se"`
			} `json:"terms"`
		} `json:"trust_raked_adjusted"`
	}
	decodeCalib(t, &adj)
	if len(adj.A.Terms) < 2 {
		t.Fatalf("calib.json trust_raked_adjusted: %d terms", len(adj.A.Terms))
	}
	for _, args := range [][]string{
		{"trust", "--codebook", withBlock},
		{"trust", "--codebook", panelCodebook, "--targets", panelTargets},
		{"effect", "--factor", "trust", "--outcome", "comfort", "--codebook", panelCodebook, "--targets", panelTargets},
	} {
		code, out, errOut := runCLI(t, append(args, "--data", panelData, "--lonely-psu", "adjust", "--format", "json")...)
		if code != 0 {
			t.Errorf("%v on a calibrated design: exit %d, stderr %q; want 0", args, code, errOut)
			continue
		}
		var res struct {
			Adjusted struct {
				LogOR   float64 `json:"log_or"`
				LogORSE float64 `json:"log_or_se"`
				DF      int     `json:"df"`
			} `json:"adjusted"`
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
		w := adj.A.Terms[1]
		if math.Abs(res.Adjusted.LogOR-w.Estimate) > 1e-6*math.Abs(w.Estimate) || math.Abs(res.Adjusted.LogORSE-w.SE) > 1e-6*w.SE || res.Adjusted.DF != adj.A.DF {
			t.Errorf("%v: adjusted log_or, se, df = %v, %v, %d; want R's %v, %v, %d", args, res.Adjusted.LogOR, res.Adjusted.LogORSE, res.Adjusted.DF, w.Estimate, w.SE, adj.A.DF)
		}
	}
	if code, _, errOut := runCLI(t, "describe", "--data", panelData, "--codebook", panelCodebook, "--targets", panelTargets, "--lonely-psu", "adjust"); code != 0 {
		t.Errorf("describe --targets: exit %d, stderr %q; want 0", code, errOut)
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// TestEstimateTotalsCrossed: estimate --total and --by 'region*gender'
// give svytotal/svymean (deff = "replace") in every combination of region
// and gender that holds respondents, as svyby(~y, ~region + gender)
// (calib.json's crossed, from calib.R), each domain as a JSON object.
func TestEstimateTotalsCrossed(t *testing.T) {
	type row struct {
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
	var golden struct {
		Crossed []row `json:"crossed"`
	}
	decodeCalib(t, &golden)
	code, out, errOut := runCLI(t, "estimate", "--data", panelData, "--codebook", panelCodebook, "--lonely-psu", "adjust",
		"--mean", "pc1", "--total", "pc1", "--total", "tr1==Agree", "--by", "region*gender", "--format", "json")
	if code != 0 {
		t.Fatalf("estimate: exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, `"domain": {"region": "West", "gender": "Male"}`) && !strings.Contains(out, `"domain": {
        "region": "West",
        "gender": "Male"
      }`) {
		t.Errorf("estimate JSON does not write a crossed domain as {\"region\": ..., \"gender\": ...} in that order:\n%.600s", out)
	}
	var res struct{ Estimates []row }
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	got := map[string]row{}
	key := func(r row) string {
		v := r.Variable
		if v == "tr1==Agree" || v == "tr1 == Agree" {
			v = "agree"
		}
		return v + " " + r.Statistic + " " + r.Domain["region"] + "/" + r.Domain["gender"]
	}
	for _, r := range res.Estimates {
		if r.Statistic == "proportion" {
			continue
		}
		got[key(r)] = r
	}
	near := func(g, w *float64) bool {
		if g == nil || w == nil {
			return g == nil && w == nil
		}
		return math.Abs(*g-*w) <= 1e-6*math.Abs(*w)+1e-9
	}
	for _, w := range golden.Crossed {
		k := key(w)
		g, ok := got[k]
		if !ok {
			t.Errorf("estimate has no row %s", k)
			continue
		}
		for _, f := range []struct {
			name string
			g, w *float64
		}{{"estimate", g.Estimate, w.Estimate}, {"se", g.SE, w.SE}, {"ci_low", g.CILow, w.CILow}, {"ci_high", g.CIHigh, w.CIHigh}} {
			if !near(f.g, f.w) {
				t.Errorf("estimate %s %s = %v, want R's %v", k, f.name, deref(f.g), deref(f.w))
			}
		}
		if w.Deff != nil && !near(g.Deff, w.Deff) {
			t.Errorf("estimate %s deff = %v, want R's %v", k, deref(g.Deff), deref(w.Deff))
		}
		if g.DF != w.DF {
			t.Errorf("estimate %s df = %d, want %d", k, g.DF, w.DF)
		}
	}
	if len(golden.Crossed) < 25 {
		t.Errorf("calib.json has %d crossed rows, want them all", len(golden.Crossed))
	}
}

// The raked weights are written beside their own rows whatever order the
// load stores respondents in: on the panel with its rows reversed (PSUs
// out of order, which the lean load regroups), each row's weight is R's
// rake() weight of that respondent.
func TestWeightFollowsFileOrder(t *testing.T) {
	f, err := os.Open(panelData)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	pos := map[string]int{} // rid → its position in panel.csv
	for i, r := range recs[1:] {
		pos[r[0]] = i
	}
	slices.Reverse(recs[1:])
	dir := t.TempDir()
	data := filepath.Join(dir, "reversed.csv")
	var b strings.Builder
	w := csv.NewWriter(&b)
	if err := w.WriteAll(recs); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(data, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "raked.csv")
	if code, _, errOut := runCLI(t, "weight", "--data", data, "--codebook", panelCodebook, "--targets", panelTargets, "-o", out); code != 0 {
		t.Fatalf("weight(reversed panel) = exit %d: %s", code, errOut)
	}
	jb, err := os.ReadFile(filepath.Join(panelDir, "calib.json"))
	if err != nil {
		t.Fatal(err)
	}
	var golden struct {
		Raked []float64 `json:"raked_weights"`
	}
	if err := json.Unmarshal(jb, &golden); err != nil {
		t.Fatal(err)
	}
	got := readColumn(t, out, "weight_raked")
	if len(got) != len(recs)-1 {
		t.Fatalf("weight wrote %d rows, want %d", len(got), len(recs)-1)
	}
	bad := 0
	for i, r := range recs[1:] {
		want := golden.Raked[pos[r[0]]]
		if math.Abs(got[i]-want) > 1e-6*want {
			bad++
			if bad <= 3 {
				t.Errorf("weight(reversed panel) row %d (%s) = %v, want R's %v", i+1, r[0], got[i], want)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d rows have another respondent's weight", bad, len(got))
	}
}

// TestCrosstabStatistics: crosstab --statistic F, Chisq, Wald and adjWald
// give svychisq's statistic, degrees of freedom and p; every cell's
// weighted_count_se is svytotal's SE of the cell in its column's domain,
// and the JSON holds the Total column (calib.json's crosstab).
func TestCrosstabStatistics(t *testing.T) {
	type test struct {
		Method    string   `json:"method"`
		Statistic float64  `json:"statistic"`
		F         *float64 `json:"f"`
		NDF       float64  `json:"ndf"`
		DDF       *float64 `json:"ddf"`
		P         float64  `json:"p"`
	}
	type cell struct {
		Row   string  `json:"row"`
		Col   string  `json:"col"`
		Count float64 `json:"weighted_count"`
		SE    float64 `json:"weighted_count_se"`
	}
	var golden struct {
		Crosstab []struct {
			Rows, Cols string
			Tests      map[string]test `json:"tests"`
			Cells      []cell          `json:"cells"`
		} `json:"crosstab"`
	}
	decodeCalib(t, &golden)
	if len(golden.Crosstab) != 2 {
		t.Fatalf("calib.json has %d crosstabs, want 2", len(golden.Crosstab))
	}
	near := func(g, w float64) bool { return math.Abs(g-w) <= 1e-6*math.Abs(w)+1e-10 }
	for _, x := range golden.Crosstab {
		for _, st := range []string{"F", "Chisq", "Wald", "adjWald"} {
			code, out, errOut := runCLI(t, "crosstab", "--data", panelData, "--codebook", panelCodebook, "--lonely-psu", "adjust",
				"--rows", x.Rows, "--cols", x.Cols, "--statistic", st, "--format", "json")
			if code != 0 {
				t.Fatalf("crosstab %s × %s --statistic %s: exit %d: %s", x.Rows, x.Cols, st, code, errOut)
			}
			var res struct {
				Cells []cell `json:"cells"`
				Bases []struct {
					Col string `json:"col"`
				} `json:"bases"`
				Test *test `json:"test"`
			}
			if err := json.Unmarshal([]byte(out), &res); err != nil {
				t.Fatal(err)
			}
			w, g := x.Tests[st], res.Test
			what := fmt.Sprintf("crosstab %s × %s --statistic %s", x.Rows, x.Cols, st)
			if g == nil {
				t.Fatalf("%s: no test", what)
			}
			if g.Method != st || !near(g.Statistic, w.Statistic) || !near(g.NDF, w.NDF) || !near(g.P, w.P) {
				t.Errorf("%s = %+v, want R's %+v", what, *g, w)
			}
			switch {
			case st == "Chisq" && g.DDF != nil:
				t.Errorf("%s has ddf %v, want none", what, *g.DDF)
			case st != "Chisq" && (g.DDF == nil || w.DDF == nil || !near(*g.DDF, *w.DDF)):
				t.Errorf("%s ddf = %v, want R's %v", what, deref(g.DDF), deref(w.DDF))
			}
			if (st == "F") != (g.F != nil) {
				t.Errorf("%s: f = %v; want it for F only", what, deref(g.F))
			}
			if st != "F" {
				continue
			}
			got := map[string]cell{}
			for _, c := range res.Cells {
				got[c.Row+"|"+c.Col] = c
			}
			for _, wc := range x.Cells {
				gc, ok := got[wc.Row+"|"+wc.Col]
				if !ok {
					t.Errorf("%s: no cell %s × %s", what, wc.Row, wc.Col)
					continue
				}
				if !near(gc.Count, wc.Count) || !near(gc.SE, wc.SE) {
					t.Errorf("%s: cell %s × %s weighted count %v ± %v, want R's %v ± %v", what, wc.Row, wc.Col, gc.Count, gc.SE, wc.Count, wc.SE)
				}
			}
			if last := res.Bases[len(res.Bases)-1]; last.Col != "Total" {
				t.Errorf("%s: last base is %q, want Total", what, last.Col)
			}
		}
	}
}

// TestCrosstabCalibrated: crosstab --targets gives svychisq (every
// statistic), svymean's column shares with their SEs and svytotal's SEs
// on R's rake() design (calib.json's crosstab_raked).
func TestCrosstabCalibrated(t *testing.T) {
	type cell struct {
		Row     string   `json:"row"`
		Col     string   `json:"col"`
		Share   float64  `json:"column_share"`
		SE      float64  `json:"se"`
		Count   float64  `json:"weighted_count"`
		CountSE float64  `json:"weighted_count_se"`
		DDF     *float64 `json:"ddf"`
	}
	type test struct {
		Method    string   `json:"method"`
		Statistic float64  `json:"statistic"`
		NDF       float64  `json:"ndf"`
		DDF       *float64 `json:"ddf"`
		P         float64  `json:"p"`
	}
	var golden struct {
		X struct {
			Tests map[string]test `json:"tests"`
			Cells []cell          `json:"cells"`
		} `json:"crosstab_raked"`
	}
	decodeCalib(t, &golden)
	near := func(g, w float64) bool { return math.Abs(g-w) <= 1e-6*math.Abs(w)+1e-10 }
	for _, st := range []string{"F", "Chisq", "Wald", "adjWald"} {
		code, out, errOut := runCLI(t, "crosstab", "--data", panelData, "--codebook", panelCodebook, "--targets", panelTargets,
			"--lonely-psu", "adjust", "--rows", "generation", "--cols", "gender", "--statistic", st, "--format", "json")
		if code != 0 {
			t.Fatalf("crosstab --targets --statistic %s: exit %d: %s", st, code, errOut)
		}
		var res struct {
			Cells []cell `json:"cells"`
			Test  *test  `json:"test"`
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatal(err)
		}
		w := golden.X.Tests[st]
		if g := res.Test; g == nil || !near(g.Statistic, w.Statistic) || !near(g.NDF, w.NDF) || !near(g.P, w.P) ||
			(w.DDF != nil && (g.DDF == nil || !near(*g.DDF, *w.DDF))) {
			t.Errorf("crosstab --targets --statistic %s = %+v, want R's %+v", st, res.Test, w)
		}
		if st != "F" {
			continue
		}
		got := map[string]cell{}
		for _, c := range res.Cells {
			got[c.Row+"|"+c.Col] = c
		}
		if len(golden.X.Cells) < 12 {
			t.Fatalf("calib.json has %d raked crosstab cells", len(golden.X.Cells))
		}
		for _, wc := range golden.X.Cells {
			gc, ok := got[wc.Row+"|"+wc.Col]
			if !ok {
				t.Errorf("crosstab --targets has no cell %s × %s", wc.Row, wc.Col)
				continue
			}
			if !near(gc.Share, wc.Share) || !near(gc.SE, wc.SE) || !near(gc.Count, wc.Count) || !near(gc.CountSE, wc.CountSE) {
				t.Errorf("crosstab --targets cell %s × %s = %v (%v), %v ± %v; want R's %v (%v), %v ± %v",
					wc.Row, wc.Col, gc.Share, gc.SE, gc.Count, gc.CountSE, wc.Share, wc.SE, wc.Count, wc.CountSE)
			}
		}
	}
}

// TestReportCalibrated: report --targets builds every section on the
// raked design: the Methodology states the margins, the convergence and
// the weighting efficiency, and the trust section's adjusted odds ratio
// is R's svyglm(comfort ~ trust + region + generation + gender,
// quasibinomial) on the rake() design (calib.json's
// trust_raked_adjusted), its interval at the residual df.
func TestReportCalibrated(t *testing.T) {
	var g struct {
		A struct {
			DF    int `json:"df"`
			Terms []struct {
				Estimate float64 `json:"estimate"`
				SE       float64 `json:"se"`
			} `json:"terms"`
		} `json:"trust_raked_adjusted"`
	}
	decodeCalib(t, &g)
	if len(g.A.Terms) < 2 {
		t.Fatalf("calib.json trust_raked_adjusted: %d terms", len(g.A.Terms))
	}
	dir := t.TempDir()
	code, _, errOut := runCLI(t, "report", "--data", panelData, "--codebook", panelCodebook, "--targets", panelTargets, "--lonely-psu", "adjust", "-o", dir)
	if code != 0 {
		t.Fatalf("report --targets: exit %d: %s", code, errOut)
	}
	md, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	w := g.A.Terms[1]
	q := analysis.TQuantile(0.975, g.A.DF)
	adjusted := fmt.Sprintf("odds ratio %.2f [%.2f–%.2f]", math.Exp(w.Estimate), math.Exp(w.Estimate-q*w.SE), math.Exp(w.Estimate+q*w.SE))
	for _, want := range []string{
		"**Weighting targets:** Raked (as R's survey::rake) to the population margins region: North 35.0%",
		"**Calibration:** Converged in ",
		"% after calibration, ",
		"not with the raked weights taken as fixed",
		adjusted,
	} {
		if !strings.Contains(string(md), want) {
			t.Errorf("report.md on a calibrated design lacks %q", want)
		}
	}
	for _, bad := range []string{"calibrated design:", "does not yet take the calibration"} {
		if strings.Contains(string(md), bad) {
			t.Errorf("report.md on a calibrated design says %q", bad)
		}
	}
}

// TestPrivateReportRefusesCalibration: a differentially private report
// cannot rake its weights (raking reads the respondents' margins outside
// the budget): report --dp-epsilon with --targets is a usage error that
// writes nothing, and the same report without --targets runs.
func TestPrivateReportRefusesCalibration(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	code, _, errOut := runCLI(t, "report", "--data", panelData, "--codebook", panelCodebook, "--targets", panelTargets, "--lonely-psu", "adjust", "--dp-epsilon", "1", "-o", dir)
	if code != exitUsage || !strings.Contains(errOut, "private report cannot calibrate") {
		t.Errorf("report --dp-epsilon --targets: exit %d, %q; want %d and the reason", code, errOut, exitUsage)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("report --dp-epsilon --targets left %s (stat: %v)", dir, err)
	}
	if code, _, errOut := runCLI(t, "report", "--data", panelData, "--codebook", panelCodebook, "--lonely-psu", "adjust", "--dp-epsilon", "1", "-o", dir); code != 0 {
		t.Errorf("report --dp-epsilon without calibration: exit %d: %s", code, errOut)
	}
}

// decodeCalib decodes the calibration panel's R golden values
// (analysis/testdata/calib/calib.json) into v, the part a test compares.
func decodeCalib(t *testing.T, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(panelDir, "calib.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("calib.json: %v", err)
	}
}
