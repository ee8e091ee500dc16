package analysis

import (
	"fmt"
	"math"
	"strings"

	"github.com/trustgap/trustgap/survey"
)

// tinyStudy is a 16-respondent study small enough to read: weights, two
// regions, an age segment (one answer missing), a two-item concern scale,
// one protective behaviour, trust, comfort and the three Westin items. No
// strata or PSUs: each respondent is their own PSU.
func tinyStudy() *survey.Dataset {
	nan := math.NaN()
	weight := []float64{1, 2, 1, 0.5, 1.5, 1, 1, 2, 1, 1, 0.5, 1, 2, 1.5, 1, 1}
	region := &survey.Column{Name: "region", Levels: []string{"North", "South"},
		Codes: []int32{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1}}
	age := &survey.Column{Name: "age", Levels: []string{"Under 40", "40 and over"},
		Codes: []int32{0, 1, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1, -1, 1, 0, 1}}
	return &survey.Dataset{
		N: len(weight), Title: "tiny", Weights: weight, Region: region, Segments: []*survey.Column{age},
		Columns: map[string]*survey.Column{"region": region, "age": age},
		Constructs: []*survey.Construct{
			construct("concern", 4, "mean",
				item("pc1", []float64{5, 4, 4, 2, 5, 3, 4, 1, 5, 5, 2, 4, 3, 5, 4, 2}),
				item("pc2", []float64{4, 5, 3, 1, 5, 3, 5, 2, 4, 5, 1, 4, 2, 4, 5, nan})),
			construct("protection", 1, "count",
				item("pr_adblock", []float64{1, 0, 0, 0, 1, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 1})),
			construct("trust", 4, "mean",
				item("tr1", []float64{4, 2, 5, 3, 1, 4, 2, 5, 4, 1, 5, 2, 4, 3, 2, 5})),
			construct("comfort", 4, "mean",
				item("cf1", []float64{5, 2, 4, 4, 1, 2, 3, 5, 4, 2, 3, 4, 5, 4, 1, 4})),
			construct("westin", 0, "mean",
				item("w1", []float64{1, 2, 1, 4, 1, 3, 2, 4, 1, 1, 3, 2, 3, 2, 1, 4}),
				item("w2", []float64{3, 4, 2, 1, 4, 2, 3, 1, 4, 3, 2, 3, 2, 3, 4, 2}),
				item("w3", []float64{4, 3, 2, 2, 4, 2, 3, 1, 3, 4, 1, 3, 2, 3, 3, 2})),
		},
	}
}

// construct builds a scored construct the way survey.Load would: the score
// is the mean of the items (all must be answered) and the flag score >= cut.
func construct(name string, cut float64, score string, items ...*survey.Column) *survey.Construct {
	n := len(items[0].Values().All(nil))
	def := survey.ConstructDef{Score: score}
	for _, it := range items {
		def.Items = append(def.Items, it.Name)
	}
	if cut > 0 {
		def.Flag = fmt.Sprintf(">= %g", cut)
	}
	scores, flags := make([]float64, n), make([]float64, n)
	for i := 0; i < n; i++ {
		sum := 0.0
		for _, it := range items {
			sum += it.Values().All(nil)[i]
		}
		scores[i] = sum
		if score != "count" {
			scores[i] = sum / float64(len(items))
		}
		switch {
		case math.IsNaN(scores[i]) || cut == 0:
			flags[i] = math.NaN()
		case scores[i] >= cut:
			flags[i] = 1
		}
	}
	return survey.NewConstruct(name, def, items, scores, flags)
}

func item(name string, x []float64) *survey.Column { return survey.NewNumericColumn(name, x) }

func ExampleParadox() {
	res, err := Paradox(tinyStudy(), Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range res.Estimates {
		if r.Domain.IsTotal() {
			fmt.Printf("%-13s %5.1f%%  [%5.1f, %5.1f]  n=%d\n", r.Statistic, 100*r.Estimate, 100*r.CILow, 100*r.CIHigh, r.N)
		}
	}
	t := res.Tests[0]
	fmt.Printf("%s %v: F = %.3f, p = %.3f\n", t.Name, t.Variables, t.F, t.P)
	// Output:
	// concerned      61.1%  [ 30.6,  84.9]  n=15
	// protects       39.5%  [ 16.9,  67.7]  n=16
	// gap            25.0%  [ -7.8,  57.8]  n=15
	// paradox_rate   50.0%  [ 17.9,  82.1]  n=9
	// paradox_share  30.6%  [ 10.2,  63.1]  n=15
	// rao_scott [region concerned]: F = 0.223, p = 0.644
}

func ExampleTrust() {
	res, err := Trust(tinyStudy(), Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range res.Estimates {
		if r.Domain.IsTotal() {
			fmt.Printf("%-19s %6.1f%%  [%6.1f, %6.1f]\n", r.Statistic, 100*r.Estimate, 100*r.CILow, 100*r.CIHigh)
		}
	}
	or := res.OddsRatios[0]
	fmt.Printf("odds ratio %.2f [%.2f, %.2f], df %d\n", or.Estimate, or.CILow, or.CIHigh, or.DF)
	a := res.Adjusted
	fmt.Printf("adjusted for %v: %.2f [%.2f, %.2f]\n", a.Covariates, a.OddsRatio, a.CILow, a.CIHigh)
	// Output:
	// comfort_trusting      84.2%  [  44.4,   97.3]
	// comfort_nontrusting   31.6%  [   7.7,   72.0]
	// effect                52.6%  [   7.8,   97.5]
	// odds ratio 11.56 [0.89, 149.27], df 15
	// adjusted for [region age]: 35.43 [0.73, 1726.84]
}

func ExampleDescribe() {
	res, err := Describe(tinyStudy(), Options{By: []string{"region"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range res.Estimates {
		if r.Statistic == "concern" || r.Statistic == "concern_score" {
			fmt.Printf("%-14s %-14s %.3f [%.3f, %.3f] deff %.2f\n", r.Statistic, r.Domain, r.Estimate, r.CILow, r.CIHigh, *r.Deff)
		}
	}
	// Output:
	// concern        Total          0.611 [0.306, 0.849] deff 1.19
	// concern        region=North   0.550 [0.160, 0.887] deff 1.07
	// concern        region=South   0.688 [0.181, 0.956] deff 1.22
	// concern_score  Total          3.681 [2.906, 4.455] deff 1.23
	// concern_score  region=North   3.575 [2.275, 4.875] deff 1.20
	// concern_score  region=South   3.812 [2.769, 4.856] deff 1.01
}

func ExampleSegments() {
	res, err := Segments(tinyStudy(), Options{By: []string{"age"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range res.Estimates {
		fmt.Printf("%-22s %-16s %5.1f%%\n", r.Statistic, r.Domain, 100*r.Estimate)
	}
	// Output:
	// westin_fundamentalist  Total             57.9%
	// westin_fundamentalist  age=Under 40      66.7%
	// westin_fundamentalist  age=40 and over   63.6%
	// westin_pragmatist      Total              5.3%
	// westin_pragmatist      age=Under 40       0.0%
	// westin_pragmatist      age=40 and over    9.1%
	// westin_unconcerned     Total             36.8%
	// westin_unconcerned     age=Under 40      33.3%
	// westin_unconcerned     age=40 and over   27.3%
}

func ExampleCompare() {
	toplines, err := ParseBenchmarks(strings.NewReader(`
toplines:
  - figure: Concerned about the privacy of their data
    statistic: concern
    value: 0.53
    source: Example survey 2024
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := Compare(tinyStudy(), Options{By: []string{"region"}}, toplines)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range res.Comparisons {
		if c.Statistic == "concern" {
			fmt.Printf("%s: %.2f vs %.2f, difference %+.2f, p = %.2f\n", c.Domain, c.Estimate, c.Rest, c.Difference, c.P)
		}
	}
	b := res.Benchmarks[0]
	fmt.Printf("%s: published %.2f, ours %.2f [%.2f, %.2f], within CI: %v\n", b.Figure, b.Published, b.Estimate, b.CILow, b.CIHigh, b.WithinCI)
	// Output:
	// region=North: 0.55 vs 0.69, difference -0.14, p = 0.64
	// region=South: 0.69 vs 0.55, difference +0.14, p = 0.64
	// Concerned about the privacy of their data: published 0.53, ours 0.61 [0.31, 0.85], within CI: true
}

func ExampleReliability() {
	res, err := Reliability(tinyStudy())
	if err != nil {
		fmt.Println(err)
		return
	}
	c := res.Constructs[0]
	fmt.Printf("%s: alpha %.3f over %d complete cases of %d items\n", c.Construct, c.Alpha, c.N, c.Items)
	// Output:
	// concern: alpha 0.890 over 15 complete cases of 2 items
}
