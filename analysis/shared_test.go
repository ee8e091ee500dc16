package analysis

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/trustgap/trustgap/datasets"
	"github.com/trustgap/trustgap/internal/leanload"
	"github.com/trustgap/trustgap/survey"
)

// Sums taken out of a pass over more groupings (allSums.subset) give what
// a pass over fewer gives: estimates, variances, contrasts and Rao-Scott
// tables; and none where the pass lacks a grouping or its full products.
func TestSharedSubset(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	cs := newCodedCase(t, 6000, true)
	d := cs.d
	yc := randomFlag(r, d.n)
	e := testEngine(d, nil)
	big := e.sumAllFor([]vec{yc}, cs.codes, cs.nLevels, nil, true, nil, nestedFull)[0]
	mo := big.moments
	// g1 (p % 4) is constant within PSUs; g2 and g3 are not.
	if mo == nil || len(mo.full) != 3 || mo.full[0] == nil || mo.full[1] != nil || mo.full[2] != nil {
		t.Fatalf("nestedFull kept full products %v, want the first grouping's only", mo != nil)
	}
	g1, g2, g3 := cs.codes[0], cs.codes[1], cs.codes[2]
	sameEstimates := func(what string, got, want *allSums) {
		t.Helper()
		df := make([]int, want.groupings[0].stride)
		ge, we := got.estimates(d, df, 0.95), want.estimates(d, df, 0.95)
		if len(ge) != len(we) {
			t.Fatalf("%s: %d estimates, want %d", what, len(ge), len(we))
		}
		for k := range we {
			if !closeTo(ge[k].Estimate, we[k].Estimate, 1e-12) || !closeTo(ge[k].SE, we[k].SE, 1e-10) || ge[k].N != we[k].N || ge[k].NDomain != we[k].NDomain {
				t.Errorf("%s: estimate %d = %v ± %v (n %d of %d), want %v ± %v (n %d of %d)", what, k,
					ge[k].Estimate, ge[k].SE, ge[k].N, ge[k].NDomain, we[k].Estimate, we[k].SE, we[k].N, we[k].NDomain)
			}
		}
	}
	for _, tc := range []struct {
		name    string
		codes   [][]int32
		nLevels []int
	}{
		{"total", nil, nil},
		{"g2", [][]int32{g2}, []int{4}},
		{"g3 and g1 (other order)", [][]int32{g3, g1}, []int{3, 4}},
	} {
		sub := big.subset(tc.codes, tc.nLevels, noFull)
		if sub == nil {
			t.Fatalf("%s: subset = nil", tc.name)
		}
		sameEstimates(tc.name, sub, e.sumVariances([]vec{yc}, tc.codes, tc.nLevels, nil, nil)[0])
	}
	// A grouping with its full products: comparisons and the Rao-Scott
	// table (g1 from big; g3, the last, from a pass keeping them all).
	all := e.sumAllFor([]vec{yc}, cs.codes, cs.nLevels, nil, true, nil, allFull)[0]
	for _, tc := range []struct {
		name  string
		from  *allSums
		codes []int32
		L     int
	}{{"g1", big, g1, 4}, {"g3", all, g3, 3}} {
		sub := tc.from.subset([][]int32{tc.codes}, []int{tc.L}, allFull)
		if sub == nil {
			t.Fatalf("subset(%s, allFull) = nil", tc.name)
		}
		own := e.sumLevels([]vec{yc}, [][]int32{tc.codes}, []int{tc.L}, nil)[0]
		sameEstimates(tc.name+" (full)", sub, own)
		mc, oc := sub.cellSums(d, 1), own.cellSums(d, 1)
		for c := range tc.L {
			in := func(x int) bool { return x == c }
			rest := func(x int) bool { return x != c }
			got, want := mc.contrast(in, rest, false), oc.contrast(in, rest, false)
			if !closeTo(got.Estimate, want.Estimate, 1e-12) || !closeTo(got.SE, want.SE, 1e-10) {
				t.Errorf("%s level %d: contrast %v ± %v, want %v ± %v", tc.name, c, got.Estimate, got.SE, want.Estimate, want.SE)
			}
		}
		gt, gerr := sub.binaryTable(d, 1).chisq(d, nil)
		wt, werr := own.binaryTable(d, 1).chisq(d, nil)
		if gerr != nil || werr != nil || !closeTo(gt.F, wt.F, 1e-9) || !closeTo(gt.P, wt.P, 1e-9) {
			t.Errorf("%s chisq = %+v (%v), want %+v (%v)", tc.name, gt, gerr, wt, werr)
		}
	}
	// What the pass does not hold.
	other := append([]int32(nil), g2...)
	for _, tc := range []struct {
		name    string
		codes   [][]int32
		nLevels []int
		full    fullProducts
	}{
		{"g2 with full products", [][]int32{g2}, []int{4}, allFull},
		{"a grouping not read", [][]int32{other}, []int{4}, noFull},
		{"g2 with other levels", [][]int32{g2}, []int{5}, noFull},
	} {
		if big.subset(tc.codes, tc.nLevels, tc.full) != nil {
			t.Errorf("subset(%s) = sums, want nil", tc.name)
		}
	}
	rows := e.sumAllMulti([]vec{yc}, [][]int32{g1}, []int{4}, nil)[0]
	if rows.subset(nil, nil, noFull) != nil {
		t.Error("subset of sums by PSU (no moments) = sums, want nil")
	}
	rows.release(e)
}

// With a shared Cache, Compare and Describe after the banner read the flags'
// sums the banner kept (and give the same figures), and analyses of a
// private release share nothing. In the embedded study, region stratifies
// the sample: the banner keeps its full products, which Compare reads.
func TestSharedSumsAnalyses(t *testing.T) {
	ds, err := datasets.LoadDefault(leanload.With(context.Background(), leanload.All), survey.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d, err := StudyDesign(ds, LonelyFail)
	if err != nil {
		t.Fatal(err)
	}
	shared := NewCache()
	opts := Options{Design: d, Cache: shared}
	if _, err := Banner(ds, DefaultBannerVariables(ds), opts); err != nil {
		t.Fatal(err)
	}
	s, err := newStudy(ds, Options{Design: d, By: []string{"region"}})
	if err != nil {
		t.Fatal(err)
	}
	codes, nLevels, _ := s.groupings()
	flags := 0
	for _, c := range ds.Constructs {
		if c.Def.Flag == "" {
			continue
		}
		flags++
		if shared.get(d, flagVec(c), codes, nLevels, allFull) == nil {
			t.Errorf("%s: no shared sums by region with full products after the banner", c.Name)
		}
		if shared.get(d, flagVec(c), nil, nil, noFull) == nil {
			t.Errorf("%s: no shared sums of the total after the banner", c.Name)
		}
	}
	if flags == 0 {
		t.Fatal("the study has no flags")
	}
	sameResults(t, ds, d, shared)
	// They are read: with trust's sums kept as concern's, concern's
	// comparisons and shares are trust's.
	key := func(name string) sharedKey { return sharedKey{d, flagVec(ds.Construct(name)).key} }
	shared.sums.m[key("concern")] = shared.sums.m[key("trust")]
	cmp, err := Compare(ds, Options{Design: d, By: []string{"region"}, Cache: shared}, nil)
	if err != nil {
		t.Fatal(err)
	}
	byStat := map[string][]Comparison{}
	for _, c := range cmp.Comparisons {
		byStat[c.Statistic] = append(byStat[c.Statistic], c)
	}
	if len(byStat["trust"]) == 0 || len(byStat["concern"]) != len(byStat["trust"]) {
		t.Fatalf("compare: %d comparisons of concern, %d of trust", len(byStat["concern"]), len(byStat["trust"]))
	}
	for k, c := range byStat["concern"] {
		if tr := byStat["trust"][k]; c.Estimate != tr.Estimate || c.SE != tr.SE {
			t.Errorf("compare with trust's sums as concern's: %v ± %v, want trust's %v ± %v", c.Estimate, c.SE, tr.Estimate, tr.SE)
		}
	}
	desc, err := Describe(ds, Options{Design: d, Cache: shared})
	if err != nil {
		t.Fatal(err)
	}
	rc, _ := findRow(desc.Estimates, "concern", Domain{})
	rt, _ := findRow(desc.Estimates, "trust", Domain{})
	if rc.Estimate != rt.Estimate {
		t.Errorf("describe with trust's sums as concern's: concern = %v, want trust's %v", rc.Estimate, rt.Estimate)
	}
	// A study whose PSUs span regions: Compare finds no full products by
	// region and reads the flags itself.
	other := loadStudyWith(t, survey.LoadOptions{}, leanload.All)
	od, err := StudyDesign(other, LonelyFail)
	if err != nil {
		t.Fatal(err)
	}
	oshared := NewCache()
	if _, err := Banner(other, DefaultBannerVariables(other), Options{Design: od, Cache: oshared}); err != nil {
		t.Fatal(err)
	}
	sameResults(t, other, od, oshared)

	priv := &study{opts: Options{Cache: shared, Privacy: &Privacy{}}, e: newEngine(nil, d, shared)}
	if priv.shared() {
		t.Error("a private release reads shared sums")
	}
}

// sameResults checks that Compare and Describe give the same figures with
// shared sums as without.
func sameResults(t *testing.T, ds *survey.Dataset, d *Design, shared *Cache) {
	t.Helper()
	for _, by := range [][]string{{"region"}, nil} {
		got, err := Compare(ds, Options{Design: d, By: by, Cache: shared}, nil)
		if err != nil {
			t.Fatal(err)
		}
		want, err := Compare(ds, Options{Design: d, By: by}, nil)
		if err != nil {
			t.Fatal(err)
		}
		jsonNumbersClose(t, "compare", got, want, 1e-12)
	}
	got, err := Describe(ds, Options{Design: d, Cache: shared})
	if err != nil {
		t.Fatal(err)
	}
	want, err := Describe(ds, Options{Design: d})
	if err != nil {
		t.Fatal(err)
	}
	jsonNumbersClose(t, "describe", got, want, 1e-12)
}
