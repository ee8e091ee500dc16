package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestAnalysesStateCalibration: every design-based analysis's JSON states
// its design as estimate's does, with the calibration block (margins in
// order, convergence, weighting efficiency before and after, R's call)
// when --targets or a weighting: block calibrates it, and none otherwise;
// the efficiency is Kish's of R's rake() weights (calib.json) and of the
// panel's input weights. Text output adds the calibration table.
func TestAnalysesStateCalibration(t *testing.T) {
	var golden struct {
		Raked []float64 `json:"raked_weights"`
	}
	decodeCalib(t, &golden)
	kish := func(w []float64) float64 {
		var s, s2 float64
		for _, v := range w {
			s, s2 = s+v, s2+v*v
		}
		return s * s / (float64(len(w)) * s2)
	}
	input := readColumn(t, panelData, "weight")
	wantEff, wantInput := kish(golden.Raked), kish(input)
	var total float64
	for _, w := range input {
		total += w
	}
	commands := [][]string{
		{"describe"}, {"paradox"}, {"segments"}, {"compare"}, {"trust"},
		{"effect", "--factor", "trust", "--outcome", "comfort"},
		{"crosstab", "--rows", "generation", "--cols", "gender"},
		{"estimate", "--mean", "pc1"},
	}
	withBlock := filepath.Join(panelDir, "codebook_weighting.yaml")
	for _, cmd := range commands {
		for _, how := range [][]string{{"--codebook", panelCodebook, "--targets", panelTargets}, {"--codebook", withBlock}, {"--codebook", panelCodebook}} {
			calibrated := len(how) > 2 || how[1] == withBlock
			args := append(append(slices.Clone(cmd), "--data", panelData, "--lonely-psu", "adjust", "--format", "json"), how...)
			code, out, errOut := runCLI(t, args...)
			if code != 0 {
				t.Fatalf("%v: exit %d: %s", args, code, errOut)
			}
			var res struct {
				Design *struct {
					N           int `json:"n"`
					DegF        int `json:"degf"`
					Calibration *struct {
						Method          string                        `json:"method"`
						Order           []string                      `json:"margin_order"`
						Margins         map[string]map[string]float64 `json:"margins"`
						Total           float64                       `json:"total"`
						Iterations      int                           `json:"iterations"`
						MaxMarginError  float64                       `json:"max_margin_error"`
						Efficiency      float64                       `json:"weighting_efficiency"`
						InputEfficiency float64                       `json:"input_weighting_efficiency"`
					} `json:"calibration"`
				} `json:"design"`
			}
			if err := json.Unmarshal([]byte(out), &res); err != nil {
				t.Fatalf("%v: %v", args, err)
			}
			if res.Design == nil || res.Design.N != 424 || res.Design.DegF != 18 {
				t.Errorf("%v: design = %+v, want n 424, degf 18", args, res.Design)
				continue
			}
			c := res.Design.Calibration
			if !calibrated {
				if c != nil {
					t.Errorf("%v: design.calibration = %+v on a design that is not calibrated", args, c)
				}
				continue
			}
			if c == nil {
				t.Errorf("%v: design has no calibration", args)
				continue
			}
			if strings.Join(c.Order, ",") != "region,generation" || c.Margins["region"]["Island"] != 0.05 || c.Margins["generation"]["Gen Z"] != 0.22 {
				t.Errorf("%v: calibration margins %v in order %v, want targets.yaml's", args, c.Margins, c.Order)
			}
			if !strings.HasPrefix(c.Method, "rake(") || c.Iterations < 2 || c.MaxMarginError > 1e-10 {
				t.Errorf("%v: calibration method %q, %d iterations, margin error %g; want rake(), converged", args, c.Method, c.Iterations, c.MaxMarginError)
			}
			if math.Abs(c.Efficiency-wantEff) > 1e-9 || math.Abs(c.InputEfficiency-wantInput) > 1e-9 || math.Abs(c.Total-total) > 1e-9*total {
				t.Errorf("%v: efficiency %v (input %v), total %v; want %v (%v), %v", args, c.Efficiency, c.InputEfficiency, c.Total, wantEff, wantInput, total)
			}
		}
		args := append(slices.Clone(cmd), "--data", panelData, "--lonely-psu", "adjust", "--codebook", panelCodebook, "--targets", panelTargets)
		if code, out, errOut := runCLI(t, args...); code != 0 || !strings.Contains(out, "Calibration (raked as R's rake(); SEs account for it)") || !strings.Contains(out, "weighting efficiency") {
			t.Errorf("%v: exit %d, text output lacks the calibration table: %s%s", args, code, out, errOut)
		}
	}
}

// TestCompareBenchmarksCalibratedCLI: compare --benchmark on the panel
// raked by --targets, and raked within bounds by codebook_bounded.yaml's
// weighting: block, sets each published value against R's svymean and
// svyciprop on the rake() (calibrate()) design, its difference tested on
// t(degf) (calib2.json from calib2.R).
func TestCompareBenchmarksCalibratedCLI(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(panelDir, "calib2.json"))
	if err != nil {
		t.Fatal(err)
	}
	var g struct {
		Benchmarks []benchGolden `json:"benchmarks"`
	}
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		design string
		args   []string
	}{
		{"raked", []string{"--codebook", panelCodebook, "--targets", panelTargets}},
		{"bounded", []string{"--codebook", filepath.Join(panelDir, "codebook_bounded.yaml")}},
	} {
		compareBenchmarksCLI(t, tc.design, tc.args, g.Benchmarks)
	}
}

type benchGolden struct {
	Design    string            `json:"design"`
	Statistic string            `json:"statistic"`
	Domain    map[string]string `json:"domain"`
	Published float64           `json:"published"`
	Estimate  float64           `json:"estimate"`
	SE        float64           `json:"se"`
	CILow     float64           `json:"ci_low"`
	CIHigh    float64           `json:"ci_high"`
	T         float64           `json:"t"`
	P         float64           `json:"p"`
	DF        int               `json:"df"`
}

// compareBenchmarksCLI runs compare --benchmark with calib2.json's
// toplines on the design (raked or bounded) args give and sets the
// figures against R's.
func compareBenchmarksCLI(t *testing.T, design string, designArgs []string, golden []benchGolden) {
	t.Helper()
	var yaml strings.Builder
	yaml.WriteString("toplines:\n")
	var want []int
	for k, w := range golden {
		if w.Design != design {
			continue
		}
		want = append(want, k)
		dom := "{}"
		for v, l := range w.Domain {
			dom = "{" + v + ": " + l + "}"
		}
		yaml.WriteString("  - {figure: f" + w.Statistic + ", statistic: " + w.Statistic + ", domain: " + dom + ", value: " + jsonNum(w.Published) + ", source: R}\n")
	}
	path := filepath.Join(t.TempDir(), "toplines.yaml")
	if err := os.WriteFile(path, []byte(yaml.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, append([]string{"compare", "--data", panelData, "--lonely-psu", "adjust", "--benchmark", path, "--format", "json"}, designArgs...)...)
	if code != 0 {
		t.Fatalf("compare (%s) --benchmark: exit %d: %s", design, code, errOut)
	}
	var res struct {
		Benchmarks []struct {
			Matched  bool    `json:"matched"`
			Estimate float64 `json:"estimate"`
			SE       float64 `json:"se"`
			CILow    float64 `json:"ci_low"`
			CIHigh   float64 `json:"ci_high"`
			T        float64 `json:"t"`
			P        float64 `json:"p"`
			DF       int     `json:"df"`
		} `json:"benchmarks"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Benchmarks) != len(want) || len(want) < 6 {
		t.Fatalf("compare --benchmark: %d benchmarks, want %d (≥ 6)", len(res.Benchmarks), len(want))
	}
	near := func(got, want float64) bool { return math.Abs(got-want) <= 1e-6*math.Abs(want)+1e-12 }
	for i, k := range want {
		w, r := golden[k], res.Benchmarks[i]
		if !r.Matched || !near(r.Estimate, w.Estimate) || !near(r.SE, w.SE) || !near(r.CILow, w.CILow) || !near(r.CIHigh, w.CIHigh) ||
			!near(r.T, w.T) || !near(r.P, w.P) || r.DF != w.DF {
			t.Errorf("compare (%s) benchmark %s %v = %+v, want R's %+v", design, w.Statistic, w.Domain, r, w)
		}
	}
}

func jsonNum(x float64) string {
	b, _ := json.Marshal(x)
	return string(b)
}

// TestReportMethodologyCalibration: a report on a design calibrated by the
// codebook's weighting: block (plain and bounded) states in its
// Methodology, in the markdown and in the workbook's Methodology sheet,
// the margins with their shares, the R call, the convergence (the sweeps
// and margin error design.calibration reports) and the weighting
// efficiency before and after (Kish's of the input weights and of R's
// rake() weights), and its Conventions name the R calls trustgap's own
// conventions match.
func TestReportMethodologyCalibration(t *testing.T) {
	var golden struct {
		Raked []float64 `json:"raked_weights"`
	}
	decodeCalib(t, &golden)
	kish := func(w []float64) float64 {
		var s, s2 float64
		for _, v := range w {
			s, s2 = s+v, s2+v*v
		}
		return s * s / (float64(len(w)) * s2)
	}
	for _, tc := range []struct{ codebook, call string }{
		{"codebook_weighting.yaml", "R: rake(design, margins, population totals, control = list(maxit = 1000, epsilon = 1e-13))."},
		{"codebook_bounded.yaml", `R: calibrate(design, margins, population totals, calfun = "raking", bounds = c(0.2, 4) * mean(w), bounds.const = TRUE).`},
	} {
		cb := filepath.Join(panelDir, tc.codebook)
		code, out, errOut := runCLI(t, "estimate", "--data", panelData, "--codebook", cb, "--lonely-psu", "adjust", "--mean", "pc1", "--format", "json")
		if code != 0 {
			t.Fatalf("estimate %s: exit %d: %s", tc.codebook, code, errOut)
		}
		var est struct {
			Design struct {
				Calibration struct {
					Iterations int     `json:"iterations"`
					Efficiency float64 `json:"weighting_efficiency"`
				} `json:"calibration"`
			} `json:"design"`
		}
		if err := json.Unmarshal([]byte(out), &est); err != nil {
			t.Fatal(err)
		}
		cal := est.Design.Calibration
		dir := filepath.Join(t.TempDir(), "rep")
		if code, _, errOut := runCLI(t, "report", "--data", panelData, "--codebook", cb, "--lonely-psu", "adjust", "-q", "-o", dir); code != 0 {
			t.Fatalf("report %s: exit %d: %s", tc.codebook, code, errOut)
		}
		md, err := os.ReadFile(filepath.Join(dir, "report.md"))
		if err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenFile(filepath.Join(dir, "report.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows("Methodology")
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		sheet := map[string]string{}
		for _, r := range rows {
			if len(r) >= 2 {
				sheet[r[0]] = r[1]
			}
		}
		eff := fmt.Sprintf("Weighting efficiency %.1f%% after calibration, %.1f%% before", 100*cal.Efficiency, 100*kish(readColumn(t, panelData, "weight")))
		if tc.codebook == "codebook_weighting.yaml" && math.Abs(cal.Efficiency-kish(golden.Raked)) > 1e-9 {
			t.Errorf("design.calibration efficiency %v, want Kish of R's rake() weights %v", cal.Efficiency, kish(golden.Raked))
		}
		checks := map[string][]string{
			"Weighting targets": {"region: North 35.0%, South 30.0%, West 30.0%, Island 5.0%", "generation: Gen Z 22.0%, Millennials 28.0%, Gen X 27.0%, Boomers 23.0%"},
			"Calibration":       {tc.call, fmt.Sprintf("Converged in %d iterations (largest relative margin error ", cal.Iterations), eff, "not with the raked weights taken as fixed"},
			"Conventions": {`svymean(~y, subset(design, group), deff = "replace")`, `svychisq(~group + y, subset(design, !is.na(y)), statistic = "F")`,
				`options(survey.lonely.psu = "adjust")`, `svyciprop(~y, subset(design, group), method = "logit"`},
		}
		for key, wants := range checks {
			v, ok := sheet[key]
			if !ok {
				t.Errorf("report %s: Methodology sheet has no %q row", tc.codebook, key)
			}
			for _, w := range wants {
				if !strings.Contains(v, w) {
					t.Errorf("report %s: Methodology %q = %q, want it to contain %q", tc.codebook, key, v, w)
				}
				if !strings.Contains(string(md), strings.NewReplacer("~", `\~`, "*", `\*`).Replace(w)) {
					t.Errorf("report %s: report.md's Methodology lacks %q", tc.codebook, w)
				}
			}
		}
	}
}
