package analysis

import (
	"math"
	"strings"
	"testing"

	"github.com/trustgap/trustgap/survey"
)

// TestBannerAgreesWithDiffMeans checks every banner cell against the
// R-verified estimators: each share against Design.Prop on the column's
// domain, and each significance letter against the design-based t test of
// Design.DiffMeans (df = degf of the two domains).
func TestBannerAgreesWithDiffMeans(t *testing.T) {
	ds := loadStudy(t)
	d, err := StudyDesign(ds, LonelyFail)
	if err != nil {
		t.Fatal(err)
	}
	vars := DefaultBannerVariables(ds)
	if len(vars) == 0 {
		t.Fatal("DefaultBannerVariables = none, want construct flags and items")
	}
	opts := Options{Design: d, MinBase: 1}
	res, err := Banner(ds, vars, opts)
	if err != nil {
		t.Fatal(err)
	}
	// The likelihood interval needs each column's weight, answered or
	// not: the banner's cells carry it.
	lik, err := Banner(ds, vars[:4], Options{Design: d, MinBase: 1, CI: CILikelihood})
	if err != nil {
		t.Fatal(err)
	}
	if res.Columns[0].Letter != "A" || res.Columns[0].Group != "Total" || res.Columns[0].Base.N != ds.N {
		t.Fatalf("Banner column 0 = %+v, want the total lettered A", res.Columns[0])
	}
	member := func(c int) []bool {
		col := res.Columns[c]
		if col.Domain.IsTotal() {
			return nil
		}
		var codes []int32
		var levels []string
		if col.Domain.Var == "region" {
			codes, levels = ds.Region.Codes, ds.Region.Levels
		}
		for _, s := range ds.Segments {
			if s.Name == col.Domain.Var {
				codes, levels = s.Codes, s.Levels
			}
		}
		in := make([]bool, ds.N)
		for i, k := range codes {
			in[i] = k >= 0 && levels[k] == col.Domain.Level
		}
		return in
	}
	tested, letters := 0, 0
	for r, bv := range vars[:4] {
		row := res.Rows[r]
		for c := range res.Columns {
			want := d.Prop(bv.src.materialize(ds.N), member(c), CILogit, 0.95)
			got := row.Cells[c].Estimate
			if !close6(got.Estimate, want.Estimate) || !close6(got.SE, want.SE) || !close6(got.CILow, want.CILow) || got.DF != want.DF || got.N != want.N {
				t.Errorf("Banner %s column %s = %+v, want %+v", bv.Label, res.Columns[c].Domain, got, want)
			}
			wl := d.Prop(bv.src.materialize(ds.N), member(c), CILikelihood, 0.95)
			gl := lik.Rows[r].Cells[c].Estimate
			if !close6(gl.CILow, wl.CILow) || !close6(gl.CIHigh, wl.CIHigh) || math.IsNaN(wl.CILow) != math.IsNaN(gl.CILow) {
				t.Errorf("Banner(likelihood) %s column %s = [%v, %v], want Prop's [%v, %v]", bv.Label, res.Columns[c].Domain, gl.CILow, gl.CIHigh, wl.CILow, wl.CIHigh)
			}
			for c2 := range res.Columns {
				if c2 == c || res.Columns[c2].Group != res.Columns[c].Group || res.Columns[c].Group == "Total" {
					continue
				}
				e := d.DiffMeans(bv.src.materialize(ds.N), member(c), member(c2), 0.95)
				higher := e.Estimate > 0 && TTestP(e.Estimate, e.SE, e.DF) < 0.05
				has := strings.Contains(row.Cells[c].Sig, res.Columns[c2].Letter)
				if higher != has {
					t.Errorf("Banner %s: column %s sig %q, letter %s present = %v, want %v (diff %v, p %v)", bv.Label,
						res.Columns[c].Letter, row.Cells[c].Sig, res.Columns[c2].Letter, has, higher, e.Estimate, TTestP(e.Estimate, e.SE, e.DF))
				}
				tested++
				if has {
					letters++
				}
			}
		}
	}
	if tested == 0 || letters == 0 {
		t.Errorf("Banner: %d pairs tested, %d significant; want some of each", tested, letters)
	}
}

func close6(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b))
}

func TestColumnLetter(t *testing.T) {
	for _, tt := range []struct {
		c    int
		want string
	}{{0, "A"}, {1, "B"}, {25, "Z"}, {26, "AA"}, {27, "AB"}, {51, "AZ"}, {52, "BA"}} {
		if got := columnLetter(tt.c); got != tt.want {
			t.Errorf("columnLetter(%d) = %q, want %q", tt.c, got, tt.want)
		}
	}
}

// A single-item construct whose flag is the item's top-2 box gives one
// banner row; any other flag keeps the item's own top-2-box row.
func TestFlagIsTop2(t *testing.T) {
	for _, tt := range []struct {
		name string
		def  survey.ConstructDef
		want bool
	}{
		{"5-point, >= 4", survey.ConstructDef{Items: []string{"a"}, Scale: []float64{1, 5}, Flag: ">= 4"}, true},
		{"5-point, > 3", survey.ConstructDef{Items: []string{"a"}, Scale: []float64{1, 5}, Flag: "> 3"}, true},
		{"5-point, > 3.5", survey.ConstructDef{Items: []string{"a"}, Scale: []float64{1, 5}, Flag: "> 3.5"}, true},
		{"4-point, >= 3", survey.ConstructDef{Items: []string{"a"}, Scale: []float64{1, 4}, Flag: ">= 3"}, true},
		{"top box only", survey.ConstructDef{Items: []string{"a"}, Scale: []float64{1, 5}, Flag: ">= 5"}, false},
		{"bottom-2 box", survey.ConstructDef{Items: []string{"a"}, Scale: []float64{1, 5}, Flag: "<= 2"}, false},
		{"a mapped value between the points", survey.ConstructDef{Items: []string{"a"}, Scale: []float64{1, 5}, Flag: "> 3.5",
			Values: map[string]float64{"Rather agree": 3.75}}, false},
		{"two items", survey.ConstructDef{Items: []string{"a", "b"}, Scale: []float64{1, 5}, Flag: ">= 4"}, false},
		{"count score", survey.ConstructDef{Items: []string{"a"}, Score: "count", Flag: ">= 1"}, false},
		{"no scale", survey.ConstructDef{Items: []string{"a"}, Flag: ">= 4"}, false},
		{"no flag", survey.ConstructDef{Items: []string{"a"}, Scale: []float64{1, 5}}, false},
		{"top box by ==", survey.ConstructDef{Items: []string{"a"}, Scale: []float64{1, 5}, Flag: "== 5"}, false},
		{"not the bottom 3 by !=", survey.ConstructDef{Items: []string{"a"}, Scale: []float64{1, 2}, Flag: "!= 0"}, true},
		{"flag not a number", survey.ConstructDef{Items: []string{"a"}, Scale: []float64{1, 5}, Flag: ">= four"}, false},
	} {
		c := &survey.Construct{Name: "c", Def: tt.def}
		for _, it := range tt.def.Items {
			c.Items = append(c.Items, &survey.Column{Name: it})
		}
		if got := flagIsTop2(c); got != tt.want {
			t.Errorf("flagIsTop2(%s) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// The default banner has one row per single-item flag that is a top-2 box,
// labelled with the item's question, and no duplicate rows.
func TestDefaultBannerVariablesNoDuplicates(t *testing.T) {
	ds := loadStudy(t)
	vars := DefaultBannerVariables(ds)
	seen := map[string]bool{}
	for _, v := range vars {
		if seen[v.Label] {
			t.Errorf("DefaultBannerVariables: row %q twice", v.Label)
		}
		seen[v.Label] = true
	}
	for _, c := range ds.Constructs {
		if !flagIsTop2(c) {
			continue
		}
		for _, v := range vars {
			if strings.HasPrefix(v.Label, c.Items[0].Name+":") || strings.HasPrefix(v.Label, c.Items[0].Name+" (") {
				t.Errorf("DefaultBannerVariables: item row %q kept beside the flag of %s", v.Label, c.Name)
			}
		}
	}
}
