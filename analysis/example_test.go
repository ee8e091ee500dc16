package analysis_test

import (
	"fmt"
	"math"

	"github.com/trustgap/trustgap/analysis"
)

// exSurvey is a small survey: two strata (regions), PSUs nested in
// them, unequal weights, a 1–5 trust answer with one missing value and a
// yes/no concern flag. The outputs below are R's (svymean, svyciprop,
// svyby, svychisq on the same data).
type exSurvey struct {
	d       *analysis.Design
	region  []int32
	trust   []float64
	concern []float64
	regions []string
}

func newExSurvey() exSurvey {
	s := exSurvey{
		region:  []int32{0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1},
		trust:   []float64{4, 2, 5, math.NaN(), 3, 4, 1, 2, 2, 4, 3, 5, 2, 3},
		concern: []float64{1, 1, 0, 1, 0, 1, 1, 1, 0, 0, 1, 0, 1, 1},
		regions: []string{"North", "South"},
	}
	d, err := analysis.NewDesign(len(s.region), analysis.DesignSpec{
		Weights:     []float64{1.2, 0.8, 1.0, 1.5, 0.7, 1.1, 2.0, 1.6, 0.9, 1.3, 1.0, 0.6, 1.4, 1.8},
		Strata:      s.region,
		PSU:         []int32{1, 1, 2, 2, 3, 3, 1, 1, 1, 2, 2, 3, 3, 3},
		StrataNames: s.regions,
	})
	if err != nil {
		panic(err)
	}
	s.d = d
	return s
}

func ExampleDesign_Mean() {
	s := newExSurvey()
	e := s.d.Mean(s.trust, nil, 0.95)
	fmt.Printf("mean trust %.4f (SE %.4f), 95%% CI %.4f–%.4f, df %d, deff %.3f, n %d\n",
		e.Estimate, e.SE, e.CILow, e.CIHigh, e.DF, e.Deff, e.N)
	// Output:
	// mean trust 2.8766 (SE 0.4598), 95% CI 1.5999–4.1533, df 4, deff 1.739, n 13
}

func ExampleDesign_Prop() {
	s := newExSurvey()
	for _, m := range []analysis.CIMethod{analysis.CILogit, analysis.CIBeta, analysis.CIWald} {
		e := s.d.Prop(s.concern, nil, m, 0.95)
		fmt.Printf("%-5s concerned %.1f%%, CI %.1f%%–%.1f%%\n", m, 100*e.Estimate, 100*e.CILow, 100*e.CIHigh)
	}
	// Output:
	// logit concerned 73.4%, CI 47.4%–89.4%
	// beta  concerned 73.4%, CI 48.6%–90.6%
	// wald  concerned 73.4%, CI 51.6%–95.2%
}

func ExampleDesign_MeanBy() {
	s := newExSurvey()
	// Concerned (1) versus not (0): one pass over the data for both.
	groups := make([]int32, len(s.concern))
	for i, c := range s.concern {
		groups[i] = int32(c)
	}
	for g, e := range s.d.MeanBy(s.trust, groups, 2, 0.95) {
		fmt.Printf("concern=%d: mean trust %.3f (SE %.3f), n %d, df %d\n", g, e.Estimate, e.SE, e.N, e.DF)
	}
	// Output:
	// concern=0: mean trust 3.800 (SE 0.589), n 5, df 3
	// concern=1: mean trust 2.495 (SE 0.406), n 8, df 4
}

func ExampleDesign_Crosstab() {
	s := newExSurvey()
	concern := make([]int32, len(s.concern))
	for i, c := range s.concern {
		concern[i] = int32(c)
	}
	ct, err := s.d.Crosstab(concern, s.region, []string{"not concerned", "concerned"}, s.regions, 0.95)
	if err != nil {
		panic(err)
	}
	for i, row := range ct.Pct {
		fmt.Printf("%-13s", ct.ALevels[i])
		for _, e := range row {
			fmt.Printf("  %5.1f%% ±%4.1f", 100*e.Estimate, 100*e.SE)
		}
		fmt.Println()
	}
	for j, b := range ct.Bases {
		fmt.Printf("%s: n %d, weighted %.1f\n", ct.BLevels[j], b.N, b.WeightedN)
	}
	fmt.Printf("Rao-Scott F %.3f on %.2f and %.2f df, p %.3f\n", ct.Test.F, ct.Test.NDF, ct.Test.DDF, ct.Test.P)
	// Output:
	// not concerned   27.0% ±12.9   26.4% ± 9.8
	// concerned       73.0% ±12.9   73.6% ± 9.8
	// North: n 6, weighted 6.3
	// South: n 8, weighted 10.6
	// Rao-Scott F 0.001 on 1.00 and 4.00 df, p 0.974
}

func ExampleNewDesign_lonelyPSU() {
	spec := analysis.DesignSpec{
		Strata:      []int32{0, 0, 1, 1},
		PSU:         []int32{1, 2, 1, 1},
		StrataNames: []string{"North", "South"},
	}
	_, err := analysis.NewDesign(4, spec)
	fmt.Println(err)
	spec.Lonely = analysis.LonelyAdjust
	d, err := analysis.NewDesign(4, spec)
	fmt.Println(d.NumPSU(), d.DegF(nil), err)
	// Output:
	// design: stratum "South" has only one PSU (its variance needs a lonely-PSU rule such as adjust, remove or certainty)
	// 3 1 <nil>
}

func ExampleDesign_ChiSq() {
	s := newExSurvey()
	concern := make([]int32, len(s.concern))
	for i, c := range s.concern {
		concern[i] = int32(c)
	}
	r, err := s.d.ChiSq(concern, s.region, 2, 2)
	if err != nil {
		panic(err)
	}
	fmt.Printf("Pearson X² %.5f; Rao-Scott F %.7f, ndf %.0f, ddf %.0f, p %.4f\n", r.Pearson, r.F, r.NDF, r.DDF, r.P)
	// Output:
	// Pearson X² 0.00054; Rao-Scott F 0.0012292, ndf 1, ddf 4, p 0.9737
}
