package analysis

import (
	"math"
	"strings"
	"testing"

	"github.com/trustgap/trustgap/survey"
)

// TestEffectIsTrust checks that Trust is Effect("trust", "comfort") with
// the shares renamed.
func TestEffectIsTrust(t *testing.T) {
	ds := loadStudy(t)
	tr, err := Trust(ds, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ef, err := Effect(ds, "trust", "comfort", Options{})
	if err != nil {
		t.Fatal(err)
	}
	rename := map[string]string{"with_factor": "comfort_trusting", "without_factor": "comfort_nontrusting", "effect": "effect"}
	if len(ef.Estimates) != len(tr.Estimates) {
		t.Fatalf("Effect(study, trust, comfort) gave %d rows, Trust %d", len(ef.Estimates), len(tr.Estimates))
	}
	for i, r := range ef.Estimates {
		r.Statistic = rename[r.Statistic]
		if w := tr.Estimates[i]; r.Statistic != w.Statistic || r.Domain != w.Domain || r.Estimate != w.Estimate || r.SE != w.SE || r.CILow != w.CILow {
			t.Errorf("Effect(study, trust, comfort) row %d = %s %s %v, want Trust's %s %s %v", i, r.Statistic, r.Domain, r.Estimate, w.Statistic, w.Domain, w.Estimate)
		}
	}
	if ef.Adjusted.LogOR != tr.Adjusted.LogOR {
		t.Errorf("Effect(study, trust, comfort).Adjusted.LogOR = %v, want Trust's %v", ef.Adjusted.LogOR, tr.Adjusted.LogOR)
	}
}

// TestEffectOtherConstructs checks Effect on another pair of flags: the
// effect is the difference of the two shares in every domain.
func TestEffectOtherConstructs(t *testing.T) {
	ds := loadStudy(t)
	res, err := Effect(ds, "concern", "protection", Options{By: []string{"gender"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Factor != "concern" || res.Outcome != "protection" {
		t.Errorf("Effect(study, concern, protection) = factor %q, outcome %q", res.Factor, res.Outcome)
	}
	for _, dom := range []Domain{{}, {"gender", "Female"}, {"gender", "Male"}} {
		with, ok1 := findRow(res.Estimates, "with_factor", dom)
		without, ok2 := findRow(res.Estimates, "without_factor", dom)
		eff, ok3 := findRow(res.Estimates, "effect", dom)
		if !ok1 || !ok2 || !ok3 {
			t.Fatalf("Effect(study, concern, protection) lacks rows in %s", dom)
		}
		if d := with.Estimate - without.Estimate; math.Abs(float64(eff.Estimate-d)) > 1e-12 {
			t.Errorf("Effect(study, concern, protection) effect in %s = %v, want %v − %v", dom, eff.Estimate, with.Estimate, without.Estimate)
		}
		if eff.N != with.N+without.N || eff.DF != with.DF {
			t.Errorf("Effect(study, concern, protection) effect in %s: n %d, df %d; want %d, %d", dom, eff.N, eff.DF, with.N+without.N, with.DF)
		}
	}
}

// TestOddsRatioIsLogistic checks the closed-form odds ratio of each domain
// against the general weighted logistic regression (Design.Logistic): the
// two-group model is saturated, so they agree to rounding.
func TestOddsRatioIsLogistic(t *testing.T) {
	ds := loadStudy(t)
	res, err := Trust(ds, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := newStudy(ds, Options{})
	if err != nil {
		t.Fatal(err)
	}
	f, y := ds.Construct("trust").Flags().All(nil), ds.Construct("comfort").Flags().All(nil)
	buf := make([]bool, ds.N)
	for k, o := range res.OddsRatios {
		fit, err := s.d.Logistic(y, [][]float64{f}, []string{"trust"}, s.member(k, buf))
		if err != nil {
			t.Fatalf("Logistic in %s: %v", o.Domain, err)
		}
		if !near(float64(o.LogOR), fit.Coef[1]) || !near(float64(o.LogORSE), fit.SE[1]) || o.N != fit.N || o.DF != fit.DF {
			t.Errorf("Trust(study) odds ratio in %s: log OR %v (SE %v, n %d, df %d), want Logistic's %v (%v, %d, %d)",
				o.Domain, o.LogOR, o.LogORSE, o.N, o.DF, fit.Coef[1], fit.SE[1], fit.N, fit.DF)
		}
	}
}

// TestOddsRatioUndefined checks the note of a domain without an odds ratio.
func TestOddsRatioUndefined(t *testing.T) {
	ds := tinyStudy()
	comfort := ds.Construct("comfort")
	trust := ds.Construct("trust")
	tests := []struct {
		name    string
		comfort func(i int, trusting bool) float64 // the comfort flag to set
		note    string
	}{
		{"everyone trusting comfortable", func(i int, trusting bool) float64 {
			if trusting {
				return 1
			}
			return comfort.Flags().All(nil)[i]
		}, "every respondent with the factor gave the same outcome (complete separation)"},
		{"no one untrusting answered", func(i int, trusting bool) float64 {
			if !trusting {
				return math.NaN()
			}
			return comfort.Flags().All(nil)[i]
		}, "no respondent without the factor answered"},
	}
	for _, tt := range tests {
		mod := *ds
		flag, trusting := make([]float64, ds.N), trust.Flags().All(nil)
		for i := range flag {
			flag[i] = tt.comfort(i, trusting[i] == 1)
		}
		cf := survey.NewConstruct(comfort.Name, comfort.Def, comfort.Items, comfort.Scores().All(nil), flag)
		mod.Constructs = nil
		for _, c := range ds.Constructs {
			if c.Name == "comfort" {
				c = cf
			}
			mod.Constructs = append(mod.Constructs, c)
		}
		res, err := Trust(&mod, Options{})
		if err != nil {
			t.Fatalf("Trust(tiny, %s): %v", tt.name, err)
		}
		o := res.OddsRatios[0]
		if !math.IsNaN(float64(o.Estimate)) || !strings.HasSuffix(o.Note, tt.note) {
			t.Errorf("Trust(tiny, %s) odds ratio = %v, note %q; want null with a note ending %q", tt.name, o.Estimate, o.Note, tt.note)
		}
	}
}

// TestAdjustedOddsRatioIsLogistic checks Trust's adjusted odds ratio,
// fitted over patterns of predictors, against Design.Logistic given the
// whole design matrix: the trust flag, then region's and each segment's
// indicator columns (the factor's coefficient does not depend on which
// level of a covariate is the reference).
func TestAdjustedOddsRatioIsLogistic(t *testing.T) {
	ds := loadStudy(t)
	res, err := Trust(ds, Options{})
	if err != nil {
		t.Fatal(err)
	}
	d, err := StudyDesign(ds, LonelyFail)
	if err != nil {
		t.Fatal(err)
	}
	X := [][]float64{ds.Construct("trust").Flags().All(nil)}
	names := []string{"trust"}
	for _, c := range append([]*survey.Column{ds.Region}, ds.Segments...) {
		cols, nm := Dummies(c.Codes, len(c.Levels), c.Levels, c.Name)
		X, names = append(X, cols...), append(names, nm...)
	}
	fit, err := d.Logistic(ds.Construct("comfort").Flags().All(nil), X, names, nil)
	if err != nil {
		t.Fatal(err)
	}
	a := res.Adjusted
	if math.IsNaN(float64(a.LogOR)) || math.IsNaN(float64(a.LogORSE)) || math.Abs(float64(a.LogOR)-fit.Coef[1]) > 1e-9*math.Abs(fit.Coef[1]) || math.Abs(float64(a.LogORSE)-fit.SE[1]) > 1e-9*fit.SE[1] || a.N != fit.N {
		t.Errorf("Trust(study).Adjusted log OR = %v (SE %v, n %d), want Logistic's %v (%v, %d)", a.LogOR, a.LogORSE, a.N, fit.Coef[1], fit.SE[1], fit.N)
	}
}
