package analysis_test

import (
	"fmt"

	"github.com/trustgap/trustgap/analysis"
)

// LincomP is the exact tail of svychisq's lincom distribution: here
// Pearson's X² = 12.61 of a 3 × 4 table whose design-effect matrix has
// eigenvalues δ, with d₀·ν = 87.74 (the calibration panel's generation ×
// gender). SaddlepointP is R's saddlepoint approximation of it
// (svychisq(statistic = "saddlepoint")), about 0.002 lower here.
func ExampleLincomP() {
	delta := []float64{0.343918314041258, 0.615404610454726, 0.727213043151492,
		1.04500096481012, 1.26986012386313, 1.74421101467157}
	x2, ddf := 12.614463591458, 87.7371669553018
	fmt.Printf("lincom p = %.5f\n", analysis.LincomP(x2, delta, ddf))
	fmt.Printf("saddlepoint p = %.5f\n", analysis.SaddlepointP(x2, delta, ddf))
	// Output:
	// lincom p = 0.06267
	// saddlepoint p = 0.06262
}

// A likelihood interval for a proportion (svyciprop(method =
// "likelihood")) comes with Design.Prop, which knows the domain's
// weights, answered or not. R's svyciprop interpolates the limits in a
// spline, [0.01647, 0.99170] on these data; the exact roots of R's
// profile (uniroot on its svyglm's deviance) are those below.
func ExampleCIMethod_likelihood() {
	w := []float64{1, 2, 1, 3, 2, 1, 2, 1}
	d, _ := analysis.NewDesign(8, analysis.DesignSpec{Weights: w,
		Strata: []int32{0, 0, 0, 0, 1, 1, 1, 1}, PSU: []int32{0, 0, 1, 1, 2, 2, 3, 3}})
	y := []float64{1, 0, 1, 1, 0, 1, 0, 1}
	e := d.Prop(y, nil, analysis.CILikelihood, 0.95)
	fmt.Printf("%.5f [%.5f, %.5f]\n", e.Estimate, e.CILow, e.CIHigh)
	// Output:
	// 0.53846 [0.01654, 0.99171]
}
