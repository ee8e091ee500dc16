package analysis

import (
	"runtime"
	"testing"

	"github.com/trustgap/trustgap/survey"
)

// A Design reused across calls (Options.Design) must give the same grid as
// a fresh one, also when every call's temporary codes are freed and their
// memory reused: the caches once keyed cells by their slice's address and
// handed a later grid the cells of an earlier one.
func TestGridDesignReuseAcrossGC(t *testing.T) {
	ds := loadStudy(t)
	seg := ds.Segments[1].Name // gender
	if len(ds.Region.Levels)*len(ds.Segments[1].Levels) < 2 {
		t.Fatal("test study too small")
	}
	pairs := [][2]string{{"region", seg}, {seg, "region"}}
	want := make([]*GridResult, len(pairs))
	for k, p := range pairs {
		g, err := ParadoxRateGrid(ds, p[0], p[1], Options{})
		if err != nil {
			t.Fatal(err)
		}
		want[k] = g
	}
	d, err := StudyDesign(ds, LonelyFail)
	if err != nil {
		t.Fatal(err)
	}
	// With each call's own cache, and with one the caller keeps.
	for _, opts := range []Options{{Design: d}, {Design: d, Cache: NewCache()}} {
		alternateGrids(t, ds, pairs, want, opts)
	}
}

func alternateGrids(t *testing.T, ds *survey.Dataset, pairs [][2]string, want []*GridResult, opts Options) {
	t.Helper()
	bad := 0
	for i := 0; i < 200; i++ {
		k := i % 2
		g, err := ParadoxRateGrid(ds, pairs[k][0], pairs[k][1], opts)
		if err != nil {
			t.Fatal(err)
		}
		for r := range g.Cells {
			for c := range g.Cells[r] {
				got, w := g.Cells[r][c], want[k].Cells[r][c]
				if got.N != w.N || !sameFloat(got.Estimate, w.Estimate, 1e-12) || !sameFloat(got.SE, w.SE, 1e-12) {
					bad++
					if bad <= 5 {
						t.Errorf("call %d ParadoxRateGrid(%s × %s) cell %d,%d = %v (n %d), want %v (n %d)", i, pairs[k][0], pairs[k][1], r, c, got.Estimate, got.N, w.Estimate, w.N)
					}
				}
			}
		}
		runtime.GC()
	}
	if bad > 0 {
		t.Errorf("cache %v: %d wrong cells over 200 calls", opts.Cache != nil, bad)
	}
}

// A Cache keeps what it computed from a column by the column object, and
// computes it again when the column is given other codes.
func TestCacheFollowsColumn(t *testing.T) {
	ds := loadStudy(t)
	d, err := StudyDesign(ds, LonelyFail)
	if err != nil {
		t.Fatal(err)
	}
	c := NewCache()
	opts := Options{Design: d, Cache: c, By: []string{"region"}}
	first, err := Describe(ds, opts)
	if err != nil {
		t.Fatal(err)
	}
	// Another region variable in the same object: the levels reversed.
	saved := ds.Region.Codes
	rev := make([]int32, len(saved))
	L := int32(len(ds.Region.Levels))
	for i, x := range saved {
		rev[i] = x
		if x >= 0 {
			rev[i] = L - 1 - x
		}
	}
	ds.Region.Codes = rev
	defer func() { ds.Region.Codes = saved }()
	got, err := Describe(ds, opts)
	if err != nil {
		t.Fatal(err)
	}
	want, err := Describe(ds, Options{Design: d, By: []string{"region"}})
	if err != nil {
		t.Fatal(err)
	}
	jsonNumbersClose(t, "describe after the column changed", got, want, 1e-12)
	// And not the first result, or the test shows nothing.
	same := true
	for k := range first.Estimates {
		if first.Estimates[k].N != got.Estimates[k].N {
			same = false
		}
	}
	if same {
		t.Fatal("reversing the regions changed no base: the test checks nothing")
	}
}

func sameFloat(a, b, tol float64) bool {
	if a != a || b != b {
		return a != a && b != b
	}
	d := a - b
	if d < 0 {
		d = -d
	}
	s := b
	if s < 0 {
		s = -s
	}
	return d <= tol*max(1, s)
}
