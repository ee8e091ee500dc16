package analysis

import (
	"math"
	"testing"

	"github.com/trustgap/trustgap/survey"
)

func TestReliability(t *testing.T) {
	nan := math.NaN()
	ds := &survey.Dataset{N: 5, Constructs: []*survey.Construct{
		{Name: "single", Items: []*survey.Column{item("a", []float64{1, 2, 3, 4, 5})}},
		{Name: "scale", Items: []*survey.Column{
			item("x1", []float64{1, 2, 3, 4, nan}),
			item("x2", []float64{2, 2, 4, 5, 1}),
			item("x3", []float64{1, 3, 3, 5, 2}),
		}},
		{Name: "constant", Items: []*survey.Column{
			item("c1", []float64{3, 3, 3, 3, 3}),
			item("c2", []float64{1, 2, 3, 4, 5}),
		}},
		{Name: "sparse", Items: []*survey.Column{
			item("s1", []float64{1, nan, nan, nan, 2}),
			item("s2", []float64{nan, 2, 3, 4, 5}),
		}},
	}}
	res, err := Reliability(ds)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Constructs) != 3 {
		t.Fatalf("Reliability gave %d constructs, want 3 (single-item constructs have no alpha)", len(res.Constructs))
	}
	scale := res.Constructs[0]
	// Respondent 5 skipped x1: alpha is over the first four only.
	want, n, err := CronbachAlpha([][]float64{{1, 2, 3, 4}, {2, 2, 4, 5}, {1, 3, 3, 5}})
	if err != nil {
		t.Fatal(err)
	}
	if scale.Construct != "scale" || scale.Items != 3 || scale.N != n || !near(float64(scale.Alpha), want) || scale.Note != "" {
		t.Errorf("Reliability(scale) = %s, %d items, alpha %v over %d (%q); want scale, 3, %v over %d", scale.Construct, scale.Items, scale.Alpha, scale.N, scale.Note, want, n)
	}
	drop, err := AlphaIfDeleted([][]float64{{1, 2, 3, 4}, {2, 2, 4, 5}, {1, 3, 3, 5}})
	if err != nil {
		t.Fatal(err)
	}
	for j, d := range scale.AlphaIfDeleted {
		if want := []string{"x1", "x2", "x3"}[j]; d.Item != want || !near(float64(d.Alpha), drop[j]) {
			t.Errorf("Reliability(scale) alpha without %s = %v, want without %s %v", d.Item, d.Alpha, want, drop[j])
		}
	}
	for _, c := range res.Constructs[1:] {
		if !math.IsNaN(float64(c.Alpha)) || c.Note == "" || len(c.AlphaIfDeleted) != 0 {
			t.Errorf("Reliability(%s) = alpha %v, note %q, %d alpha_if_deleted; want null with a note", c.Construct, c.Alpha, c.Note, len(c.AlphaIfDeleted))
		}
	}
}
