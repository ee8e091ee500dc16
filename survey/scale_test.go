package survey

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/trustgap/trustgap/internal/leanload"
)

// scaleCodebook and scaleData make a small study with every kind of
// column a Compact, grouped load handles: a categorical item with values,
// count items, reverse coding, missing answers, a construct with a shared
// item, PSUs out of order and an id.
const scaleCodebook = `
missing: ["", "DK"]
design: {id: rid, weight: w, strata: st, psu: psu}
region: reg
segments: [gen]
constructs:
  concern: {items: [c1, c2, c3], scale: [1, 5], reverse: [c3], flag: ">= 4", min_items: 2}
  trust: {items: [t1], values: {"Disagree": 1, "Neutral": 3, "Agree": 5}, scale: [1, 5], flag: ">= 4"}
  protection: {items: [p1, p2], score: count, flag: ">= 1", min_items: 1}
  worry: {items: [c2], scale: [1, 5], reverse: [c2]}
  big: {items: [x], score: sum}
`

func scaleData(n int, seed uint64) string {
	r := rand.New(rand.NewPCG(seed, 7))
	var b strings.Builder
	b.WriteString("rid,w,st,psu,reg,gen,c1,c2,c3,t1,p1,p2,x\n")
	ans := func(lo, hi int) string {
		switch r.IntN(12) {
		case 0:
			return ""
		case 1:
			return "DK"
		}
		return fmt.Sprint(lo + r.IntN(hi-lo+1))
	}
	for i := 0; i < n; i++ {
		st := r.IntN(3)
		psu := fmt.Sprintf("p%d_%d", st, r.IntN(4))
		t := []string{"Disagree", "Neutral", "Agree", "", " agree "}[r.IntN(5)]
		// x takes many distinct values: its compact storage falls back.
		x := fmt.Sprintf("%.3f", r.Float64()*1000)
		fmt.Fprintf(&b, "r%d,%.3f,s%d,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", i, 0.5+r.Float64(), st, psu,
			[]string{"N", "S", "E"}[r.IntN(3)], []string{"Z", "Y", "X", ""}[r.IntN(4)],
			ans(1, 5), ans(1, 5), ans(1, 5), t, ans(0, 1), ans(0, 1), x)
	}
	return b.String()
}

func loadScale(t *testing.T, data string, opts LoadOptions) *Dataset {
	t.Helper()
	cb := mustCodebook(t, scaleCodebook)
	ds, err := Load(context.Background(), cb, tables(newMemTable(t, "d.csv", data)), opts)
	if err != nil {
		t.Fatalf("Load(%+v): %v", opts, err)
	}
	return ds
}

func sameFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) && !(math.IsNaN(a[i]) && math.IsNaN(b[i])) {
			return false
		}
	}
	return true
}

// A Compact load holds the same values as a plain one.
func TestLoadCompact(t *testing.T) {
	data := scaleData(3000, 1)
	plain := loadScale(t, data, LoadOptions{})
	compact := loadScale(t, data, LoadOptions{lean: leanload.Options{Compact: true}})
	if compact.N != plain.N {
		t.Fatalf("N = %d, want %d", compact.N, plain.N)
	}
	for k, pc := range plain.Constructs {
		cc := compact.Constructs[k]
		if cc.Name != pc.Name {
			t.Fatalf("construct %d = %s, want %s", k, cc.Name, pc.Name)
		}
		if cc.score != nil || cc.flag != nil {
			t.Errorf("%s: Compact load set Score or Flag", cc.Name)
		}
		if got := cc.Scores().All(nil); !sameFloats(got, pc.score) {
			t.Errorf("%s Scores().All differ from Score", cc.Name)
		}
		if got := cc.Flags().All(make([]float64, 5)); !sameFloats(got, pc.flag) {
			t.Errorf("%s Flags().All differ from Flag", cc.Name)
		}
		if got := pc.Flags().All(nil); &got[0] != &pc.flag[0] {
			t.Errorf("%s: Flags().All of a plain load is not Flag itself", pc.Name)
		}
		for j, pi := range pc.Items {
			ci := cc.Items[j]
			if ci.num != nil || !ci.IsNumeric() || ci.Name != pi.Name || ci.Raw != pi.Raw {
				t.Errorf("%s item %s: Num %v, IsNumeric %v, name %q raw %q", cc.Name, ci.Name, ci.num != nil, ci.IsNumeric(), ci.Name, ci.Raw)
			}
			buf := make([]float64, compact.N)
			// A vector that fell back to float64s is returned itself.
			if got := ci.Values().All(buf); !sameFloats(got, pi.num) || (ci.small.num == nil) != (&got[0] == &buf[0]) {
				t.Errorf("%s item %s: Values().All differ from num, or ignore dst, or copy float64s", cc.Name, ci.Name)
			}
			// In blocks, and through the codes when stored so: the same
			// values whichever way a caller reads them.
			for _, v := range []Values{ci.Values(), pi.Values()} {
				blk := make([]float64, 7)
				for from := 0; from+len(blk) <= compact.N; from += 997 {
					v.Read(blk, from)
					if !sameFloats(blk, pi.num[from:from+len(blk)]) {
						t.Fatalf("%s item %s: Read(%d) = %v, want %v", cc.Name, ci.Name, from, blk, pi.num[from:from+len(blk)])
					}
				}
				if codes, table, ok := v.Codes(); ok {
					for i, c := range codes {
						if x := table[c]; !sameFloats([]float64{x}, pi.num[i:i+1]) {
							t.Fatalf("%s item %s: Codes gives %v for respondent %d, want %v", cc.Name, ci.Name, x, i, pi.num[i])
						}
					}
				}
			}
			if _, _, ok := pi.Values().Codes(); ok {
				t.Errorf("%s item %s: a plain load's values have codes", cc.Name, ci.Name)
			}
		}
	}
	if x := compact.Construct("big").smallScore; x.num == nil {
		t.Errorf("big's scores (3000 distinct) did not fall back to float64s")
	}
	// Flags are derived from the scores: they share the scores' codes
	// (no byte of their own), or after the scores' fall-back are float64s.
	con := compact.Construct("concern")
	if c := con.smallFlag; !c.derived || c.num != nil || len(c.codes) == 0 || &c.codes[0] != &con.smallScore.codes[0] {
		t.Errorf("concern's flags: derived %v, num %v, want the scores' codes with a table of their own", c.derived, c.num != nil)
	}
	// A single item's score is the item: derived from its codes too.
	tr := compact.Construct("trust")
	if s := tr.smallScore; !s.derived || &s.codes[0] != &tr.Items[0].small.codes[0] {
		t.Errorf("trust's scores: derived %v, want the item's codes", s.derived)
	}
	if c := compact.Construct("big").smallFlag; c.num == nil || c.derived {
		t.Errorf("big's flags: num %v, derived %v, want float64s (its scores fell back)", c.num != nil, c.derived)
	}
}

// Constructs, KeepRawItems and SkipID choose what is kept.
func TestLoadOptionsConstructs(t *testing.T) {
	data := scaleData(50, 2)
	ds := loadScale(t, data, LoadOptions{Constructs: []string{"trust", "protection", "no such construct"}})
	var names []string
	for _, c := range ds.Constructs {
		names = append(names, c.Name)
	}
	if want := []string{"trust", "protection"}; !reflect.DeepEqual(names, want) {
		t.Errorf("Constructs = %q, want %q (codebook order)", names, want)
	}
	for _, raw := range []string{"c1", "c2", "t1", "p1", "x"} {
		if _, ok := ds.Columns[raw]; ok {
			t.Errorf("Columns[%q] loaded; raw items are kept only with KeepRawItems", raw)
		}
	}
	if ds.ID == nil || ds.Region == nil || len(ds.Segments) != 1 || ds.PSU == nil {
		t.Errorf("design, region and segments not all loaded")
	}
	all := loadScale(t, data, LoadOptions{})
	if !sameFloats(ds.Construct("protection").score, all.Construct("protection").score) {
		t.Errorf("protection scores depend on which constructs are loaded")
	}

	ds = loadScale(t, data, LoadOptions{Constructs: []string{}, KeepRawItems: true, Extra: []string{"x"}, lean: leanload.Options{SkipID: true}})
	if len(ds.Constructs) != 0 {
		t.Errorf("Constructs: [] loaded %d constructs, want none", len(ds.Constructs))
	}
	if ds.ID != nil {
		t.Errorf("SkipID: ID = %v, want nil", ds.ID)
	}
	if _, ok := ds.Columns["rid"]; ok {
		t.Errorf("SkipID: Columns[rid] loaded")
	}
	if _, ok := ds.Columns["x"]; !ok {
		t.Errorf("Extra x not loaded")
	}

	ds = loadScale(t, data, LoadOptions{Constructs: []string{"trust"}, KeepRawItems: true})
	if c := ds.Columns["t1"]; c == nil || !reflect.DeepEqual(c.Levels[:3], []string{"Disagree", "Neutral", "Agree"}) {
		t.Errorf("KeepRawItems: t1 = %+v, want its answers in scale order", c)
	}
	if _, ok := ds.Columns["c1"]; ok {
		t.Errorf("KeepRawItems kept c1, an item of a construct not loaded")
	}
	// An item column that is also named in Extra is kept.
	ds = loadScale(t, data, LoadOptions{Constructs: []string{"concern"}, Extra: []string{"c2"}})
	if _, ok := ds.Columns["c2"]; !ok {
		t.Errorf("c2, an item named in Extra, not loaded")
	}

	// A skipped id must still be in the file.
	cb := mustCodebook(t, scaleCodebook)
	_, err := Load(context.Background(), cb, tables(newMemTable(t, "d.csv", strings.Replace(data, "rid,", "respondent,", 1))), LoadOptions{lean: leanload.Options{SkipID: true}})
	if err == nil || !strings.Contains(err.Error(), `"rid"`) {
		t.Errorf("SkipID without the id column: error %v, want it to name rid", err)
	}
}

// Problems are reported the same whatever is kept, and answers cached
// per file still report every bad cell.
func TestLoadCompactProblems(t *testing.T) {
	data := "rid,w,st,psu,reg,gen,c1,c2,c3,t1,p1,p2,x\n" +
		"1,1,s,p1,N,Z,1,9,1,Agree,1,0,1\n" +
		"2,1,s,p2,N,Z,1,9,1,Agree,1,0,1\n" +
		"3,1,s,p2,N,Z,1,2,1,Maybe,1,0,1\n"
	cb := mustCodebook(t, scaleCodebook)
	var msgs []string
	for _, opts := range []LoadOptions{{}, {lean: leanload.Options{Compact: true, SkipID: true, GroupByPSU: true}}} {
		_, err := Load(context.Background(), cb, tables(newMemTable(t, "d.csv", data)), opts)
		if err == nil {
			t.Fatalf("Load(%+v) succeeded", opts)
		}
		msgs = append(msgs, err.Error())
	}
	if msgs[0] != msgs[1] {
		t.Errorf("problems differ:\n%s\n%s", msgs[0], msgs[1])
	}
	for _, want := range []string{`column "c2": 2 rows (rows 2, 3) have answers in item "c2" of construct "concern" outside the scale [1, 5]: "9"`, `row 4, column "t1": "Maybe"`} {
		if !strings.Contains(msgs[0], want) {
			t.Errorf("problems %q lack %q", msgs[0], want)
		}
	}
}

// GroupByPSU keeps every respondent's values together and makes each
// PSU's respondents contiguous.
func TestLoadGroupByPSU(t *testing.T) {
	data := scaleData(2000, 3)
	plain := loadScale(t, data, LoadOptions{KeepRawItems: true})
	for _, opts := range []LoadOptions{{KeepRawItems: true, lean: leanload.Options{GroupByPSU: true}}, {KeepRawItems: true, lean: leanload.Options{GroupByPSU: true, Compact: true}}} {
		g := loadScale(t, data, opts)
		// Contiguous PSUs, in code order.
		if !slices.IsSorted(g.PSU.Codes) {
			t.Errorf("%+v: PSU codes not grouped", opts)
		}
		// Each respondent's row, as text, is the same multiset; the id
		// identifies respondents.
		row := func(ds *Dataset, i int) string {
			var b strings.Builder
			for _, name := range []string{"rid", "w", "st", "psu", "reg", "gen", "c1", "t1"} {
				c := ds.Columns[name]
				if c == nil {
					continue
				}
				if c.num != nil {
					fmt.Fprintf(&b, "%v|", c.num[i])
				} else if c.Codes[i] >= 0 {
					fmt.Fprintf(&b, "%s|", c.Levels[c.Codes[i]])
				} else {
					b.WriteString("NA|")
				}
			}
			for _, c := range ds.Constructs {
				fmt.Fprintf(&b, "%v %v|", c.Scores().All(nil)[i], c.Flags().All(nil)[i])
				for _, it := range c.Items {
					fmt.Fprintf(&b, "%v|", it.Values().All(nil)[i])
				}
			}
			return b.String()
		}
		byID := map[string]string{}
		for i := 0; i < plain.N; i++ {
			byID[plain.ID.Levels[plain.ID.Codes[i]]] = row(plain, i)
		}
		for i := 0; i < g.N; i++ {
			id := g.ID.Levels[g.ID.Codes[i]]
			if got := row(g, i); got != byID[id] {
				t.Fatalf("%+v: respondent %s = %s, want %s", opts, id, got, byID[id])
			}
		}
		if &g.Weights[0] != &g.Columns["w"].num[0] {
			t.Errorf("%+v: Weights no longer shares its column", opts)
		}
		// Within a PSU, file order.
		for i := 1; i < g.N; i++ {
			if g.PSU.Codes[i] == g.PSU.Codes[i-1] && g.ID.Codes[i] < g.ID.Codes[i-1] {
				t.Fatalf("%+v: respondents %d and %d of one PSU out of file order", opts, i-1, i)
			}
		}
	}
}

func TestPermute(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	for _, n := range []int{1, 2, 3, 64, 65, 1000} {
		order := make([]int32, n)
		for i := range order {
			order[i] = int32(i)
		}
		r.Shuffle(n, func(i, j int) { order[i], order[j] = order[j], order[i] })
		x := make([]int, n)
		for i := range x {
			x[i] = i * 10
		}
		p := permuter{order: order}
		var tmp []int
		permute(&p, x, &tmp)
		permute(&p, []int{1}, &tmp) // other lengths are left alone
		for k := range x {
			if x[k] != int(order[k])*10 {
				t.Fatalf("n=%d: x[%d] = %d, want %d", n, k, x[k], order[k]*10)
			}
		}
	}
}
