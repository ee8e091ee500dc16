package analysis

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
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

// TestRoundingLevelSE: an SE is taken for rounding (0, deff 0, effective
// base null) by the scale of the PSU totals' terms, not by the size of
// the design effect. calib2.R's small design has a domain "one" in one
// PSU (R's SE 5.6e-17: rounding; true value 0) and a domain "near" whose
// two PSUs' means differ by about 1e-5, so that its deff is 1.9e-11 (its
// total's 7.5e-11) yet its SE, 1.25e-6, is genuine: both Mean (direct and
// through MeanBy's engine) and Total keep it, as R.
func TestRoundingLevelSE(t *testing.T) {
	g := readCalib2Golden(t)
	tiny := g.Tiny
	n := len(tiny.W)
	strata, psu := make([]int32, n), make([]int32, n)
	for i := range n {
		strata[i], psu[i] = int32(tiny.Stratum[i]), int32(tiny.PSU[i])
	}
	d, err := NewDesign(n, DesignSpec{Weights: tiny.W, Strata: strata, PSU: psu})
	if err != nil {
		t.Fatal(err)
	}
	levels := []string{"near", "one", "rest"}
	groups := make([]int32, n)
	for i, dm := range tiny.Dom {
		groups[i] = int32(slices.Index(levels, dm))
	}
	by := d.MeanBy(tiny.Y, groups, len(levels), 0.95)
	if len(g.Rounding) != 2 {
		t.Fatalf("calib2.json has %d rounding cases, want 2", len(g.Rounding))
	}
	for _, w := range g.Rounding {
		in := make([]bool, n)
		for i, dm := range tiny.Dom {
			in[i] = dm == w.Domain
		}
		means := map[string]Estimate{"Mean": d.Mean(tiny.Y, in, 0.95), "MeanBy": by[slices.Index(levels, w.Domain)]}
		tot := d.Total(tiny.Y, in, 0.95)
		c := checker{t, "tiny " + w.Domain}
		switch w.Domain {
		case "near":
			if float64(w.MeanDeff) > 1e-9 || float64(w.MeanSE) < 1e-6 {
				t.Fatalf("calib2.json: near's deff %v and SE %v, want below 1e-9 and above 1e-6", w.MeanDeff, w.MeanSE)
			}
			for how, e := range means {
				c.num(how, "estimate", Num(e.Estimate), w.Mean)
				c.num(how, "se", Num(e.SE), w.MeanSE)
				c.num(how, "deff", Num(e.Deff), w.MeanDeff)
			}
			c.num("Total", "estimate", Num(tot.Estimate), w.Total)
			c.num("Total", "se", Num(tot.SE), w.TotalSE)
			c.num("Total", "deff", Num(tot.Deff), w.TotalDeff)
		case "one":
			if float64(w.MeanSE) > 1e-15 {
				t.Fatalf("calib2.json: one's SE %v, want rounding (below 1e-15)", w.MeanSE)
			}
			for how, e := range means {
				c.num(how, "estimate", Num(e.Estimate), w.Mean)
				if e.SE != 0 || e.Deff != 0 || !math.IsInf(e.EffectiveN(), 1) {
					t.Errorf("tiny one %s se = %v, deff %v, effective base %v; want 0, 0 and +Inf (null in JSON)", how, e.SE, e.Deff, e.EffectiveN())
				}
				if b, _ := json.Marshal(Num(e.EffectiveN())); string(b) != "null" {
					t.Errorf("tiny one %s effective base in JSON = %s, want null", how, b)
				}
			}
			// The domain's total is not fixed: the other PSUs of its
			// stratum hold 0.
			c.num("Total", "estimate", Num(tot.Estimate), w.Total)
			c.num("Total", "se", Num(tot.SE), w.TotalSE)
			c.num("Total", "deff", Num(tot.Deff), w.TotalDeff)
		}
		c.int("Mean", "df", means["Mean"].DF, w.DF)
	}
}
