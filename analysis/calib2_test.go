package analysis

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/trustgap/trustgap/internal/leanload"
	"github.com/trustgap/trustgap/survey"
)

// calib2.json holds R survey's answers (calib2.R, run again by -update)
// for compare's benchmarks on the calibrated panel and for standard
// errors at and near rounding level.
type calib2Golden struct {
	Tolerance  float64 `json:"tolerance"`
	Benchmarks []struct {
		Design     string            `json:"design"`
		Statistic  string            `json:"statistic"`
		Domain     map[string]string `json:"domain"`
		Published  float64           `json:"published"`
		Estimate   Num               `json:"estimate"`
		SE         Num               `json:"se"`
		CILow      Num               `json:"ci_low"`
		CIHigh     Num               `json:"ci_high"`
		Difference Num               `json:"difference"`
		T          Num               `json:"t"`
		DF         int               `json:"df"`
		P          Num               `json:"p"`
	} `json:"benchmarks"`
	Tiny struct {
		Stratum []int     `json:"stratum"`
		PSU     []int     `json:"psu"`
		W       []float64 `json:"w"`
		Y       []float64 `json:"y"`
		Dom     []string  `json:"dom"`
	} `json:"tiny"`
	Rounding []struct {
		Domain    string `json:"domain"`
		Mean      Num    `json:"mean"`
		MeanSE    Num    `json:"mean_se"`
		MeanDeff  Num    `json:"mean_deff"`
		Total     Num    `json:"total"`
		TotalSE   Num    `json:"total_se"`
		TotalDeff Num    `json:"total_deff"`
		DF        int    `json:"df"`
	} `json:"rounding"`
}

func readCalib2Golden(t *testing.T) *calib2Golden {
	t.Helper()
	runRScripts(t, "calib", "make.R", "calib2.R")
	b, err := os.ReadFile(filepath.Join("testdata", "calib", "calib2.json"))
	if err != nil {
		t.Fatal(err)
	}
	var g calib2Golden
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatalf("testdata/calib/calib2.json: %v", err)
	}
	if g.Tolerance != studyTol {
		t.Fatalf("calib2.json states tolerance %g, the test uses %g", g.Tolerance, studyTol)
	}
	return &g
}

// TestCompareBenchmarksCalibrated: published toplines set against the
// panel raked (rake()) and bounded-raked (calibrate()) to region and
// generation, and against the uncalibrated panel: estimate, SE and logit
// interval as svymean/svyciprop on the calibrated subset(design, domain),
// the difference's t and p as svycontrast against the published value on
// t(degf of the domain).
func TestCompareBenchmarksCalibrated(t *testing.T) {
	g := readCalib2Golden(t)
	toplines := []Topline{
		{Figure: "concerned", Statistic: "concern", Value: 0.6, Source: "test"},
		{Figure: "concerned, North", Statistic: "concern", Domain: Domain{Var: "region", Level: "North"}, Value: 0.5, Source: "test"},
		{Figure: "trusting women", Statistic: "trust", Domain: Domain{Var: "gender", Level: "Female"}, Value: 0.3, Source: "test"},
		{Figure: "paradox rate", Statistic: "paradox_rate", Value: 0.4, Source: "test"},
		{Figure: "comfort of the trusting, Gen Z", Statistic: "comfort_trusting", Domain: Domain{Var: "generation", Level: "Gen Z"}, Value: 0.5, Source: "test"},
		{Figure: "pragmatists", Statistic: "westin_pragmatist", Value: 0.55, Source: "test"},
	}
	for _, compact := range []bool{false, true} {
		ds := loadPanelLean(t, survey.LoadOptions{Extra: []string{"generation"}, Categorical: []string{"generation"}}, leanload.Options{Compact: compact, GroupByPSU: compact})
		base, err := StudyDesign(ds, LonelyAdjust)
		if err != nil {
			t.Fatal(err)
		}
		designs := map[string]*Design{"none": base}
		if designs["raked"], err = base.Calibrate(panelMargins(t, ds, "region", "generation"), CalibrationOptions{}); err != nil {
			t.Fatal(err)
		}
		if designs["bounded"], err = base.CalibrateBounded(panelMargins(t, ds, "region", "generation"), [2]float64{0.2, 4}, CalibrationOptions{}); err != nil {
			t.Fatalf("compact %v: %v", compact, err)
		}
		n := 0
		for name, d := range designs {
			res, err := Compare(ds, Options{Design: d, By: []string{"gender"}}, toplines)
			if err != nil {
				t.Fatalf("Compare(%s panel, toplines): %v", name, err)
			}
			got := map[string]BenchmarkComparison{}
			for _, b := range res.Benchmarks {
				if !b.Matched {
					t.Errorf("Compare(%s panel) benchmark %s %s not matched", name, b.Statistic, b.Domain)
				}
				got[b.Statistic+" "+b.Domain.String()] = b
			}
			c := checker{t, "Compare(" + name + " panel).Benchmarks"}
			for _, w := range g.Benchmarks {
				if w.Design != name {
					continue
				}
				var dom Domain
				for v, l := range w.Domain {
					dom = Domain{Var: v, Level: l}
				}
				k := w.Statistic + " " + dom.String()
				b, ok := got[k]
				if !ok {
					t.Errorf("Compare(%s panel) has no benchmark %s", name, k)
					continue
				}
				n++
				c.num(k, "published", b.Published, Num(w.Published))
				c.num(k, "estimate", b.Estimate, w.Estimate)
				c.num(k, "se", b.SE, w.SE)
				c.num(k, "ci_low", b.CILow, w.CILow)
				c.num(k, "ci_high", b.CIHigh, w.CIHigh)
				c.num(k, "difference", b.Difference, w.Difference)
				c.num(k, "t", b.T, w.T)
				c.num(k, "p", b.P, w.P)
				c.int(k, "df", b.DF, w.DF)
				if within := w.Published >= float64(w.CILow) && w.Published <= float64(w.CIHigh); b.WithinCI != within {
					t.Errorf("Compare(%s panel) %s within_ci = %v, want %v", name, k, b.WithinCI, within)
				}
			}
		}
		if n != 3*len(toplines) {
			t.Errorf("compared %d benchmarks with R, want %d", n, 3*len(toplines))
		}
	}
	// The calibration moves the SEs: raked and fixed-design figures differ.
	se := map[string]float64{}
	for _, w := range g.Benchmarks {
		if w.Statistic == "concern" && w.Domain == nil {
			se[w.Design] = float64(w.SE)
		}
	}
	if math.Abs(se["raked"]-se["none"]) < 1e-4 {
		t.Errorf("calib2.json: raked and unraked SEs of concern %v and %v barely differ: the test would not tell them apart", se["raked"], se["none"])
	}
}
