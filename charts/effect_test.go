package charts

import (
	"image/color"
	"math"
	"sort"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"
)

// recorded is a filled rectangle or a stroked segment as drawn.
type recorded struct {
	clr  color.Color
	path vg.Path
}

// recordMarks draws ch at w×h and returns its fills and strokes.
func recordMarks(ch *Chart, w, h vg.Length) (fills, strokes []recorded, l chartLayout, err error) {
	rec := &recorder.Canvas{}
	c := draw.NewCanvas(rec, w, h)
	ch.Draw(c)
	l, err = ch.layout(c)
	var cur color.Color = color.Black
	for _, a := range rec.Actions {
		switch a := a.(type) {
		case *recorder.SetColor:
			cur = a.Color
		case *recorder.Fill:
			fills = append(fills, recorded{cur, a.Path})
		case *recorder.Stroke:
			strokes = append(strokes, recorded{cur, a.Path})
		}
	}
	return fills, strokes, l, err
}

// bounds returns the bounding box of a path's points.
func bounds(p vg.Path) vg.Rectangle {
	r := vg.Rectangle{Min: vg.Point{X: vg.Length(math.Inf(1)), Y: vg.Length(math.Inf(1))}, Max: vg.Point{X: vg.Length(math.Inf(-1)), Y: vg.Length(math.Inf(-1))}}
	for _, c := range p {
		if c.Type == vg.CloseComp {
			continue
		}
		r.Min.X, r.Min.Y = min(r.Min.X, c.Pos.X), min(r.Min.Y, c.Pos.Y)
		r.Max.X, r.Max.Y = max(r.Max.X, c.Pos.X), max(r.Max.Y, c.Pos.Y)
	}
	return r
}

func inside(r vg.Rectangle, c draw.Canvas) bool {
	const eps = 1e-6
	return r.Min.X >= c.Min.X-eps && r.Max.X <= c.Max.X+eps && r.Min.Y >= c.Min.Y-eps && r.Max.Y <= c.Max.Y+eps
}

// TestTrustEffectErrorBarsAligned draws the grouped bars at several sizes
// and checks, on the recorded drawing, that every bar has exactly one
// error bar standing on its centre (to 1e-9 pt), reaching from its lower
// to its upper bound, that bar tops sit at the estimates, and that the
// bars of a group are disjoint and centred on the group's tick. This is
// what plotter.BarChart's canvas-unit Offset gets wrong.
func TestTrustEffectErrorBarsAligned(t *testing.T) {
	const tol = 1e-9
	rows := effectRows()
	ch := mustBuild(t, chartCase{"trust_effect", func() (*Chart, error) { return TrustEffect(rows, Options{}) }})
	barColors := []color.Color{rgb(okabeBlue), rgb(okabeOrange), tint(rgb(okabeBlue), 0.6), tint(rgb(okabeOrange), 0.6)}
	for _, sz := range sizes(ch) {
		fills, strokes, l, err := recordMarks(ch, sz[0], sz[1])
		if err != nil {
			t.Fatalf("layout at %v×%v: %v", sz[0], sz[1], err)
		}
		trX, trY := l.plot.Transforms(&l.data)

		var bars []vg.Rectangle
		for _, f := range fills {
			r := bounds(f.path)
			if !inside(r, l.data) || len(f.path) != 5 {
				continue // legend swatches, background
			}
			for _, bc := range barColors {
				if sameColor(f.clr, bc) {
					bars = append(bars, r)
				}
			}
		}
		var whiskers []vg.Rectangle // main vertical strokes only
		for _, s := range strokes {
			r := bounds(s.path)
			if sameColor(s.clr, rgb(inkColor)) && len(s.path) == 2 && r.Min.X == r.Max.X && r.Max.Y > r.Min.Y && inside(r, l.data) {
				whiskers = append(whiskers, r)
			}
		}
		sort.Slice(bars, func(i, j int) bool { return bars[i].Min.X < bars[j].Min.X })

		// Expected bars in drawing order: totals last, NaN skipped.
		type want struct {
			groupX float64
			v      Interval
		}
		var wants []want
		sl := newSlots([]bool{false, false, false, false, false, false, true})
		for k, i := range sl.order {
			for _, v := range []Interval{rows[i].Trusting, rows[i].NonTrusting} {
				if finite(v.Est) {
					wants = append(wants, want{sl.pos[k], v})
				}
			}
		}
		if len(bars) != len(wants) || len(whiskers) != len(wants) {
			t.Fatalf("at %v×%v: %d bars and %d error bars, want %d of each", sz[0], sz[1], len(bars), len(whiskers), len(wants))
		}
		for k, b := range bars {
			centre := (b.Min.X + b.Max.X) / 2
			n := 0
			for _, w := range whiskers {
				if math.Abs(float64(w.Min.X-centre)) < tol {
					n++
					if d := math.Abs(float64(w.Min.Y - trY(100*wants[k].v.Lo))); d > tol {
						t.Errorf("at %v×%v: bar %d error bar starts %g pt from its lower bound, want 0", sz[0], sz[1], k, d)
					}
					if d := math.Abs(float64(w.Max.Y - trY(100*wants[k].v.Hi))); d > tol {
						t.Errorf("at %v×%v: bar %d error bar ends %g pt from its upper bound, want 0", sz[0], sz[1], k, d)
					}
				}
			}
			if n != 1 {
				t.Errorf("at %v×%v: bar %d (centre %v) has %d error bars on its centre, want 1", sz[0], sz[1], k, centre, n)
			}
			if d := math.Abs(float64(b.Max.Y - trY(100*wants[k].v.Est))); d > tol {
				t.Errorf("at %v×%v: bar %d top is %g pt from its estimate, want 0", sz[0], sz[1], k, d)
			}
			if k > 0 && wants[k].groupX == wants[k-1].groupX {
				if b.Min.X <= bars[k-1].Max.X {
					t.Errorf("at %v×%v: bars %d and %d overlap", sz[0], sz[1], k-1, k)
				}
				mid := (centre + (bars[k-1].Min.X+bars[k-1].Max.X)/2) / 2
				if d := math.Abs(float64(mid - trX(wants[k].groupX))); d > tol {
					t.Errorf("at %v×%v: group at %v is centred %g pt off its tick, want 0", sz[0], sz[1], wants[k].groupX, d)
				}
			}
		}
	}
}

// TestBarCentre checks the cluster geometry in data units.
func TestBarCentre(t *testing.T) {
	tests := []struct {
		x    float64
		j, n int
		want float64
	}{
		{0, 0, 1, 0},
		{0, 0, 2, -0.2},
		{0, 1, 2, 0.2},
		{3, 0, 4, 2.7},
		{3, 3, 4, 3.3},
	}
	for _, tt := range tests {
		if got := barCentre(tt.x, tt.j, tt.n); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("barCentre(%v, %d, %d) = %v, want %v", tt.x, tt.j, tt.n, got, tt.want)
		}
	}
	// Neighbouring bars must not touch: width < step.
	for n := 1; n <= 5; n++ {
		if step, w := clusterWidth/float64(n), 2*barHalfWidth(n); w >= step {
			t.Errorf("barHalfWidth(%d)*2 = %v, want < step %v", n, w, step)
		}
	}
}

// TestIntervalsClippedToScale checks that an interval reaching past 0%
// (a Wald interval near zero) is accepted and its whisker stops at the
// zero line rather than running into the axis labels.
func TestIntervalsClippedToScale(t *testing.T) {
	ch, err := ComfortByDataType([]BarRow{
		{Label: "Contacts", Value: iv(0.02, -0.01, 0.05)},
		{Label: "Age", Value: iv(0.6, 0.55, 0.65)},
	}, Options{})
	if err != nil {
		t.Fatalf("ComfortByDataType with a Wald interval below 0 = %v, want nil", err)
	}
	_, strokes, l, err := recordMarks(ch, ch.Width, ch.Height)
	if err != nil {
		t.Fatal(err)
	}
	trX, _ := l.plot.Transforms(&l.data)
	var left vg.Length = vg.Length(math.Inf(1))
	for _, s := range strokes {
		r := bounds(s.path)
		if sameColor(s.clr, rgb(inkColor)) && len(s.path) == 2 && r.Min.Y == r.Max.Y && inside(r, l.data) {
			left = min(left, r.Min.X) // horizontal whisker lines
		}
	}
	if d := math.Abs(float64(left - trX(0))); d > 1e-9 {
		t.Errorf("leftmost whisker starts %g pt from the zero line, want 0", d)
	}
}
