package analysis

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/trustgap/trustgap/survey"
)

// TestRestContrastMatchesReference: each level's difference from the other
// levels of its grouping, and the variance of that difference, as the
// banner computes them (restContrasts, restVariances, with the sums kept
// with every within-grouping pair as Banner keeps them), agree with the
// plain reference on random designs on every path of the engine (rows,
// moments, cross cells), to 1e-9.
func TestRestContrastMatchesReference(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(18, 3))
	cases := 80
	if testing.Short() {
		cases = 20
	}
	checked := 0
	for k := range cases {
		c := randomDiffCase(r, k)
		d, err := NewDesign(c.n, c.spec)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		ref := newRefDesign(c.n, c.spec)
		var pairs [][2]int
		off := 1
		for _, L := range c.nLevels {
			for a := off; a < off+L; a++ {
				for b := a + 1; b < off+L; b++ {
					pairs = append(pairs, [2]int{a, b})
				}
			}
			off += L
		}
		for _, v := range []struct {
			name string
			y    vec
			vals []float64
		}{{"coded y", c.y, c.yv}, {"float y", floats(c.yf), c.yf}} {
			// The reference: level l against the grouping's other levels.
			type want struct{ diff, se float64 }
			wants := map[int]want{}
			off := 1
			for g, codes := range c.codes {
				for l := range c.nLevels[g] {
					in := func(i int) bool { return codes[i] == int32(l) }
					rest := func(i int) bool { return codes[i] >= 0 && codes[i] != int32(l) }
					a, b := ref.mean(v.vals, in), ref.mean(v.vals, rest)
					if a.n == 0 || b.n == 0 {
						continue
					}
					wants[off+l] = want{a.est - b.est, math.Sqrt(ref.diffVariance(v.vals, in, rest))}
				}
				off += c.nLevels[g]
			}
			for _, path := range enginePaths {
				e := testEngine(d, path.set)
				sums := e.sumVariances([]vec{v.y}, c.codes, c.nLevels, nil, pairs)[0]
				rc := sums.restContrasts()
				rv := sums.restVariances(d, rc, pairs)
				sums.release(e)
				what := fmt.Sprintf("%s, %s, %s", c.name, v.name, path.name)
				if len(rc) != len(wants) {
					t.Errorf("%s: %d rest contrasts, want %d", what, len(rc), len(wants))
				}
				for k, x := range rc {
					w, ok := wants[x.pos]
					if !ok {
						t.Errorf("%s: a rest contrast of position %d, want none", what, x.pos)
						continue
					}
					if !refClose(x.diff, w.diff, c.ymax) || !refClose(math.Sqrt(rv[k]), w.se, c.ymax) {
						t.Errorf("%s: position %d against the rest = %v ± %v, want %v ± %v", what, x.pos, x.diff, math.Sqrt(rv[k]), w.diff, w.se)
					}
					checked++
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no rest contrast checked")
	}
}

// TestBannerRestGolden: the banner's test of each column against the rest
// of the sample on item rows (an answer share on the item's own coding of
// a reverse-scored item, a top-2 box, a mean, a yes share) is R's slope of
// svyglm(y ~ I(x == level)) with its SE and the t test on degf(design)
// (testdata/banner/banner.R), to studyTol.
func TestBannerRestGolden(t *testing.T) {
	runRScripts(t, "banner", "banner.R")
	b, err := os.ReadFile(filepath.Join("testdata", "banner", "banner.json"))
	if err != nil {
		t.Fatal(err)
	}
	var want struct {
		Tolerance float64 `json:"tolerance"`
		Rows      []struct {
			Variable, Var, Level string
			Difference, SE, P    Num
			DF                   int
		} `json:"rows"`
	}
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatalf("testdata/banner/banner.json: %v", err)
	}
	if want.Tolerance != studyTol {
		t.Fatalf("banner.json states tolerance %g, the test uses %g", want.Tolerance, studyTol)
	}
	ds := loadStudy(t)
	item := func(construct, name string) *survey.Column {
		for _, it := range ds.Construct(construct).Items {
			if it.Name == name {
				return it
			}
		}
		t.Fatalf("study has no item %s", name)
		return nil
	}
	is := func(cond func(float64) bool) func(float64) float64 {
		return func(v float64) float64 {
			switch {
			case math.IsNaN(v):
				return math.NaN()
			case cond(v):
				return 1
			}
			return 0
		}
	}
	vars := []BannerVariable{
		// pc4 is held reverse-scored: 6 − v is the answer given.
		ItemVariable("pc4_2", item("concern", "pc4"), is(func(v float64) bool { return 6-v == 2 })),
		ItemVariable("tr1_top2", item("trust", "tr1"), is(func(v float64) bool { return v >= 4 })),
		ItemVariable("w1_mean", item("westin", "w1"), func(v float64) float64 { return v }),
		ItemVariable("sh_loc_yes", item("sharing", "sh_loc"), is(func(v float64) bool { return v == 1 })),
		ItemVariable("cf1_5", item("comfort", "cf1"), is(func(v float64) bool { return v == 5 })),
	}
	d, err := StudyDesign(ds, LonelyFail)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Banner(ds, vars, Options{Design: d, MinBase: 1})
	if err != nil {
		t.Fatal(err)
	}
	c := checker{t, "Banner(study) against the rest"}
	checked, arrows := 0, 0
	for _, w := range want.Rows {
		for k, bv := range vars {
			if bv.Label != w.Variable {
				continue
			}
			for col, bc := range res.Columns {
				if bc.Domain.Var != w.Var || bc.Domain.Level != w.Level {
					continue
				}
				got := res.Rows[k].Cells[col].Rest
				key := fmt.Sprintf("%s %s=%s", w.Variable, w.Var, w.Level)
				if !got.Tested {
					t.Errorf("Banner(study) %s: not tested against the rest", key)
					continue
				}
				c.num(key, "difference", Num(got.Difference), w.Difference)
				c.num(key, "se", Num(got.SE), w.SE)
				c.num(key, "p", Num(got.P), w.P)
				if got.DF != w.DF {
					t.Errorf("Banner(study) %s df = %d, want %d", key, got.DF, w.DF)
				}
				if (got.Direction != "") != (float64(w.P) < 0.05) {
					t.Errorf("Banner(study) %s direction %q, want an arrow iff p %v < 0.05", key, got.Direction, w.P)
				}
				if got.Direction != "" {
					arrows++
				}
				checked++
			}
		}
	}
	if checked != len(want.Rows) || arrows == 0 || arrows == checked {
		t.Errorf("Banner(study): checked %d of %d rows against R, %d significant; want all, some significant and some not", checked, len(want.Rows), arrows)
	}
	if res.Rows[0].Cells[0].Rest.Tested {
		t.Errorf("Banner(study) Total tested against the rest: %+v", res.Rows[0].Cells[0].Rest)
	}
}

// TestBannerRestAgreesWithCompare: on flags, the banner's test against the
// rest is Compare's comparison (R-verified in study and, raked, in calib),
// on a plain and on a calibrated design; and a column below MinBase is
// not tested.
func TestBannerRestAgreesWithCompare(t *testing.T) {
	study := loadStudy(t)
	plain, err := StudyDesign(study, LonelyFail)
	if err != nil {
		t.Fatal(err)
	}
	panel := loadPanel(t, survey.LoadOptions{Extra: []string{"generation"}, Categorical: []string{"generation"}})
	base, err := StudyDesign(panel, LonelyAdjust)
	if err != nil {
		t.Fatal(err)
	}
	raked, err := base.Calibrate(panelMargins(t, panel, "region", "generation"), CalibrationOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		ds   *survey.Dataset
		d    *Design
	}{{"study", study, plain}, {"raked panel", panel, raked}} {
		opts := Options{Design: tc.d, MinBase: 1}
		cmp, err := Compare(tc.ds, opts, nil)
		if err != nil {
			t.Fatal(err)
		}
		var vars []BannerVariable
		for _, c := range tc.ds.Constructs {
			if c.Def.Flag != "" {
				vars = append(vars, FlagVariable(c.Name, c))
			}
		}
		res, err := Banner(tc.ds, vars, opts)
		if err != nil {
			t.Fatal(err)
		}
		checked := 0
		for _, cm := range cmp.Comparisons {
			for k, bv := range vars {
				if bv.Label != cm.Statistic {
					continue
				}
				for col, bc := range res.Columns {
					if bc.Domain != cm.Domain {
						continue
					}
					got := res.Rows[k].Cells[col].Rest
					if math.IsNaN(float64(cm.Difference)) {
						// No answers in the column: untested, as in Compare.
						if got.Tested {
							t.Errorf("Banner(%s) %s %s tested against the rest, Compare has no difference: %+v", tc.name, cm.Statistic, cm.Domain, got)
						}
						continue
					}
					if !close6(got.Difference, float64(cm.Difference)) || !close6(got.SE, float64(cm.SE)) || !close6(got.P, float64(cm.P)) || got.DF != cm.DF || got.Direction != cm.Direction {
						t.Errorf("Banner(%s) %s %s against the rest = %+v, want Compare's %+v", tc.name, cm.Statistic, cm.Domain, got, cm)
					}
					checked++
				}
			}
		}
		if checked == 0 {
			t.Errorf("Banner(%s): no comparison checked", tc.name)
		}
		// A minimum base above every column's: no column is tested.
		res, err = Banner(tc.ds, vars[:1], Options{Design: tc.d, MinBase: tc.ds.N + 1})
		if err != nil {
			t.Fatal(err)
		}
		for col, cell := range res.Rows[0].Cells {
			if cell.Rest.Tested {
				t.Errorf("Banner(%s, MinBase %d) column %s tested against the rest: %+v", tc.name, tc.ds.N+1, res.Columns[col].Domain, cell.Rest)
			}
		}
	}
}
