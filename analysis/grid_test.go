package analysis

import (
	"math"
	"testing"
)

// TestParadoxRateGrid checks every cell against Design.Prop of the paradox
// rate on the cell's domain (an R-verified estimator), with the logit and
// the likelihood interval (which needs each cell's weight).
func TestParadoxRateGrid(t *testing.T) {
	for _, m := range []CIMethod{CILogit, CILikelihood} {
		testParadoxRateGrid(t, m)
	}
}

func testParadoxRateGrid(t *testing.T, m CIMethod) {
	ds := loadStudy(t)
	seg := ds.Segments[0]
	g, err := ParadoxRateGrid(ds, "region", seg.Name, Options{CI: m})
	if err != nil {
		t.Fatal(err)
	}
	p, err := newParadoxData(ds, "test")
	if err != nil {
		t.Fatal(err)
	}
	d, err := StudyDesign(ds, LonelyFail)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Cells) != len(ds.Region.Levels) || len(g.Cells[0]) != len(seg.Levels) {
		t.Fatalf("ParadoxRateGrid: %d×%d cells, want %d×%d", len(g.Cells), len(g.Cells[0]), len(ds.Region.Levels), len(seg.Levels))
	}
	in := make([]bool, ds.N)
	for r := range g.Cells {
		for c := range g.Cells[r] {
			for i := range in {
				in[i] = ds.Region.Codes[i] == int32(r) && seg.Codes[i] == int32(c)
			}
			want := d.Prop(p.rate, in, m, 0.95)
			got := g.Cells[r][c]
			for _, f := range []struct {
				name      string
				got, want float64
			}{{"estimate", got.Estimate, want.Estimate}, {"se", got.SE, want.SE}, {"ci_low", got.CILow, want.CILow}, {"ci_high", got.CIHigh, want.CIHigh}} {
				if !(math.Abs(f.got-f.want) <= 1e-9) && !(math.IsNaN(f.got) && math.IsNaN(f.want)) {
					t.Errorf("ParadoxRateGrid(%v) cell %s × %s %s = %v, want %v", m, ds.Region.Levels[r], seg.Levels[c], f.name, f.got, f.want)
				}
			}
			if got.N != want.N || got.DF != want.DF {
				t.Errorf("ParadoxRateGrid cell %d,%d n, df = %d, %d; want %d, %d", r, c, got.N, got.DF, want.N, want.DF)
			}
		}
	}
	if _, err := ParadoxRateGrid(ds, "region", "region", Options{}); err == nil {
		t.Error("ParadoxRateGrid(region × region) = nil error, want an error")
	}
}
