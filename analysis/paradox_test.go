package analysis

import (
	"math"
	"testing"

	"github.com/trustgap/trustgap/internal/leanload"
	"github.com/trustgap/trustgap/survey"
)

// TestParadoxItems checks which behaviour items Paradox compares: those of
// constructs scored as counts (0/1 items), each between concerned and
// unconcerned respondents in every domain.
func TestParadoxItems(t *testing.T) {
	ds := tinyStudy()
	res, err := Paradox(ds, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Items) != 5 { // pr_adblock in the total, 2 regions, 2 ages
		t.Fatalf("Paradox(tiny) gave %d item rows, want 5", len(res.Items))
	}
	it := res.Items[0]
	if it.Construct != "protection" || it.Item != "pr_adblock" || !it.Domain.IsTotal() {
		t.Errorf("Paradox(tiny).Items[0] = %s %s %s, want protection pr_adblock Total", it.Construct, it.Item, it.Domain)
	}
	// By hand: concerned respondents (concern score >= 4) and their
	// weighted share using an ad blocker.
	concern := ds.Construct("concern").Flags().All(nil)
	prot := ds.Construct("protection").Items[0].Values().All(nil)
	for _, g := range []struct {
		flag float64
		row  Row
	}{{1, it.Concerned}, {0, it.Unconcerned}} {
		var sw, swy float64
		n := 0
		for i, c := range concern {
			if c == g.flag {
				sw += ds.Weights[i]
				swy += ds.Weights[i] * prot[i]
				n++
			}
		}
		if !near(float64(g.row.Estimate), swy/sw) || g.row.N != n || g.row.Statistic != "item:pr_adblock" {
			t.Errorf("Paradox(tiny) item share (concerned = %v) = %v over %d (%s), want %v over %d", g.flag, g.row.Estimate, g.row.N, g.row.Statistic, swy/sw, n)
		}
	}

	// Protection scored as a mean: its items are not 0/1 behaviours.
	mod := *ds
	mod.Constructs = nil
	for _, c := range ds.Constructs {
		if c.Name == "protection" {
			cc := *c
			cc.Def.Score = "mean"
			c = &cc
		}
		mod.Constructs = append(mod.Constructs, c)
	}
	res, err = Paradox(&mod, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Items) != 0 {
		t.Errorf("Paradox(tiny, protection scored as mean) gave %d item rows, want none", len(res.Items))
	}
}

// With ItemsTotalOnly, Paradox's items are those of the total sample, as
// without it, and the rest of the result is unchanged; on a Compact load
// grouped by PSU too, where the total alone goes through cross cells.
func TestParadoxItemsTotalOnly(t *testing.T) {
	large := func(th *thresholds) { th.parallelRows, th.fusedMinRun = 0, 0 } // the paths of a large study
	for _, ds := range []*survey.Dataset{loadStudy(t), loadStudyWith(t, survey.LoadOptions{}, leanload.Options{Compact: true, GroupByPSU: true})} {
		all, err := Paradox(ds, Options{Cache: testCache(large)})
		if err != nil {
			t.Fatal(err)
		}
		tot, err := Paradox(ds, Options{ItemsTotalOnly: true, Cache: testCache(large)})
		if err != nil {
			t.Fatal(err)
		}
		var want []ItemShares
		for _, it := range all.Items {
			if it.Domain.IsTotal() {
				want = append(want, it)
			}
		}
		if len(want) == 0 || len(tot.Items) != len(want) {
			t.Fatalf("Paradox(ItemsTotalOnly) gave %d item rows, want %d (the total's)", len(tot.Items), len(want))
		}
		for k, it := range tot.Items {
			w := want[k]
			if it.Item != w.Item || !it.Domain.IsTotal() {
				t.Errorf("item %d = %s in %v, want %s in the total", k, it.Item, it.Domain, w.Item)
			}
			for _, pair := range [][2]Row{{it.Concerned, w.Concerned}, {it.Unconcerned, w.Unconcerned}} {
				g, w := pair[0], pair[1]
				if !closeTo(float64(g.Estimate), float64(w.Estimate), 1e-12) || !closeTo(float64(g.SE), float64(w.SE), 1e-10) ||
					!closeTo(float64(g.CILow), float64(w.CILow), 1e-10) || g.N != w.N || g.DF != w.DF {
					t.Errorf("%s: %+v, want %+v", it.Item, g, w)
				}
			}
		}
		if len(tot.Estimates) != len(all.Estimates) || len(tot.Tests) != len(all.Tests) {
			t.Errorf("ItemsTotalOnly changed the estimates or tests: %d, %d, want %d, %d", len(tot.Estimates), len(tot.Tests), len(all.Estimates), len(all.Tests))
		}
	}
}

// TestParadoxIdentities checks relations between the paradox statistics
// that hold in every domain whatever the data: paradox_share = concerned ×
// paradox_rate over respondents with both answered, and gap = concerned −
// protects over the same respondents.
func TestParadoxIdentities(t *testing.T) {
	ds := loadStudy(t)
	p, err := newParadoxData(ds, "test")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Paradox(ds, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Shares of concerned over respondents with both flags answered.
	both := where(ds.N, func(i int) bool { return answered(p.concerned[i], p.protects[i]) }, func(i int) float64 { return p.concerned[i] })
	s, err := newStudy(ds, Options{})
	if err != nil {
		t.Fatal(err)
	}
	conc := s.estimates(floats(both))
	prot := s.estimates(floats(where(ds.N, func(i int) bool { return answered(p.concerned[i], p.protects[i]) }, func(i int) float64 { return p.protects[i] })))
	for k, d := range s.doms {
		gap, _ := findRow(res.Estimates, "gap", d.dom)
		if want := conc[k].Estimate - prot[k].Estimate; math.Abs(float64(gap.Estimate)-want) > 1e-12 {
			t.Errorf("Paradox(study) gap in %s = %v, want concerned − protects = %v", d.dom, gap.Estimate, want)
		}
		rate, _ := findRow(res.Estimates, "paradox_rate", d.dom)
		share, _ := findRow(res.Estimates, "paradox_share", d.dom)
		if want := conc[k].Estimate * float64(rate.Estimate); math.Abs(float64(share.Estimate)-want) > 1e-12 {
			t.Errorf("Paradox(study) paradox_share in %s = %v, want concerned × paradox_rate = %v", d.dom, share.Estimate, want)
		}
	}
}

// The paradox variables as whole vectors, the reference the analyses' vecs
// are checked against.

// paradoxData holds the per-respondent paradox variables (NaN = not in the
// statistic's base).
type paradoxData struct {
	behaviour *survey.Construct
	concern   *survey.Construct
	// concerned: concern flag; protects: protection flag, or 1 − sharing
	// flag; gap: concerned − protects; rate: 1 − protects among the
	// concerned; share: concerned · (1 − protects).
	concerned, protects, gap, rate, share []float64
}

// newParadoxData derives the paradox variables; what prefixes errors.
func newParadoxData(ds *survey.Dataset, what string) (*paradoxData, error) {
	concern, err := flagOf(ds, "concern", what)
	if err != nil {
		return nil, err
	}
	p := &paradoxData{concern: concern, concerned: concern.Flags().All(nil)}
	if p.behaviour, err = behaviourOf(ds, what); err != nil {
		return nil, err
	}
	p.protects = protectsValues(p.behaviour, nil)
	n := ds.N
	p.gap = paradoxStat(statGap, p.concerned, p.protects, make([]float64, n))
	p.rate = paradoxStat(statRate, p.concerned, p.protects, make([]float64, n))
	p.share = paradoxStat(statShare, p.concerned, p.protects, make([]float64, n))
	return p, nil
}

// protectsValues returns each respondent's protects: the protection flag,
// or 1 − the sharing flag (NaN stays NaN). buf (len N, or nil) may be used
// for the values.
func protectsValues(behaviour *survey.Construct, buf []float64) []float64 {
	f := behaviour.Flags().All(buf)
	if behaviour.Name == "protection" {
		return f
	}
	out := buf
	if out == nil {
		out = make([]float64, len(f))
	}
	out = out[:len(f)]
	for i, v := range f { // f may be out itself
		out[i] = 1 - v
	}
	return out
}

// paradoxStat fills dst (len N) with one derived statistic per respondent,
// NaN outside its base, and returns it.
func paradoxStat(stat int, c, pr, dst []float64) []float64 {
	for i := range dst {
		dst[i] = paradoxValue(stat, c[i], pr[i])
	}
	return dst
}

// where builds a 0/1 vector: f(i) for respondents where ok(i), NaN elsewhere.
func where(n int, ok func(i int) bool, f func(i int) float64) []float64 {
	y := make([]float64, n)
	for i := range y {
		if ok(i) {
			y[i] = f(i)
		} else {
			y[i] = math.NaN()
		}
	}
	return y
}
