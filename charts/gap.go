package charts

import (
	"fmt"
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// SayDoGap draws the say-do gap by region as a horizontal dumbbell: one
// row per region (the Total row last, below a rule), the share concerned
// about privacy and the share taking protective action as two dots
// joined by a bar, each dot with its confidence interval and its value.
// Low-base rows have hollow dots and a starred label.
//
// Rows are drawn in the order given, totals last. NaN estimates are skipped; a row
// with neither estimate reads "no data". It returns an error wrapping
// ErrNoData for no rows, and an error naming the row for values outside
// [0, 1] or estimates outside their interval.
func SayDoGap(rows []GapRow, o Options) (*Chart, error) {
	const what = "charts: say-do gap"
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s: %w", what, ErrNoData)
	}
	series, err := o.series("Concerned about privacy (say)", "Took protective action (do)")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	hi, low := 0.0, false
	total := make([]bool, len(rows))
	rows = slices.Clone(rows)
	for i, r := range rows {
		for j, v := range []Interval{r.Concern, r.Protects} {
			if err := checkInterval(v); err != nil {
				return nil, fmt.Errorf("%s: row %d (%s): %s: %w", what, i+1, r.Region, series[j], err)
			}
			hi = maxFinite(hi, v.Est, v.clip().Hi)
		}
		rows[i].Concern, rows[i].Protects = r.Concern.clip(), r.Protects.clip()
		total[i] = r.Total
		low = low || r.LowBase
	}

	sl := newSlots(total).rows()
	d := &dumbbell{rows: rows, slots: sl, colors: [2]color.Color{rgb(okabeVermillion), rgb(okabeBlue)}}
	p := newPlot()
	percentAxis(&p.X, niceUpper(hi), o.valueLabel("Share of respondents (%)"))
	lo, top := sl.span()
	categoryAxis(&p.Y, lo, top)
	p.Add(gridLines(true), d)

	cats := &categories{}
	for k, i := range sl.order {
		cats.pos = append(cats.pos, sl.pos[k])
		cats.names = append(cats.names, starred(rows[i].Region, rows[i].LowBase))
	}
	own := []string{o.ciNote()}
	if low {
		own = append(own, o.lowBaseNote("hollow dots"))
	}
	ch := &Chart{
		Title:    o.title("The say-do gap: privacy concern and protective behaviour by region"),
		Subtitle: o.Subtitle,
		Plot:     p,
		Notes:    notes(own, o),
		yCats:    cats,
	}
	for j := range series {
		ch.legend = append(ch.legend, legendEntry{label: series[j], thumb: d.thumb(j)})
	}
	ch.Width = DefaultWidth
	ch.Height = figureHeight(len(rows), rowPitch(cats.names, 26), o, len(ch.Notes))
	return ch, nil
}

// maxFinite returns the largest of m and the finite xs.
func maxFinite(m float64, xs ...float64) float64 {
	for _, x := range xs {
		if finite(x) && x > m {
			m = x
		}
	}
	return m
}

// starred appends the low-base star to a label.
func starred(s string, low bool) string {
	if low {
		return s + " *"
	}
	return s
}

// Dumbbell geometry, in points.
const (
	dotRadius    = vg.Length(4.5)
	connectWidth = vg.Length(5)
	whiskerWidth = vg.Length(1.2)
	capHalf      = vg.Length(3.5) // half the length of a whisker's end cap
	labelPad     = vg.Length(4)   // between a mark and its value label
)

// dumbbell is the plotter behind SayDoGap.
type dumbbell struct {
	rows   []GapRow
	slots  slots
	colors [2]color.Color
}

func (d *dumbbell) values(r GapRow) [2]Interval { return [2]Interval{r.Concern, r.Protects} }

// labelSide returns, for series j of row r, the data x the value label
// hangs from and whether it goes on the left. The larger estimate is
// labelled on its right and the smaller on its left, so the labels sit
// outside the pair and never collide.
func (d *dumbbell) labelSide(r GapRow, j int) (x float64, left bool) {
	v := d.values(r)
	me, other := v[j], v[1-j]
	left = finite(other.Est) && (me.Est < other.Est || me.Est == other.Est && j == 1)
	if left {
		return 100 * minFinite(me.Est, me.Lo), true
	}
	return 100 * maxFinite(me.Est, me.Hi), false
}

func minFinite(m float64, xs ...float64) float64 {
	for _, x := range xs {
		if finite(x) && x < m {
			m = x
		}
	}
	return m
}

func (d *dumbbell) labelText(r GapRow, j int) string {
	return starred(pct(d.values(r)[j].Est, 0), r.LowBase)
}

func valueStyle(xa draw.XAlignment) draw.TextStyle {
	return textStyle(valueSize, false, rgb(inkColor), xa, draw.YCenter)
}

// Plot implements plot.Plotter.
func (d *dumbbell) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	if finite(d.slots.sep) {
		y := trY(d.slots.sep)
		c.StrokeLine2(lineStyle(rgb(gridColor), 0.8), c.Min.X, y, c.Max.X, y)
	}
	for k, i := range d.slots.order {
		r := d.rows[i]
		y := trY(d.slots.pos[k])
		v := d.values(r)
		if !finite(v[0].Est) && !finite(v[1].Est) {
			sty := textStyle(valueSize, false, rgb(mutedColor), draw.XLeft, draw.YCenter)
			fillTextMid(c, sty, vg.Point{X: trX(0) + labelPad, Y: y}, noDataLabel)
			continue
		}
		if finite(v[0].Est) && finite(v[1].Est) {
			c.StrokeLine2(lineStyle(rgb(connectColor), connectWidth), trX(100*v[0].Est), y, trX(100*v[1].Est), y)
		}
		for j := range v {
			if finite(v[j].Est) && finite(v[j].Lo) && finite(v[j].Hi) {
				whiskerH(c, lineStyle(d.colors[j], whiskerWidth), trX(100*v[j].Lo), trX(100*v[j].Hi), y)
			}
		}
		for j := range v {
			if !finite(v[j].Est) {
				continue
			}
			dot(c, vg.Point{X: trX(100 * v[j].Est), Y: y}, d.colors[j], r.LowBase)
			x, left := d.labelSide(r, j)
			pt := vg.Point{X: trX(x) + labelPad + dotRadius, Y: y}
			xa := draw.XLeft
			if left {
				pt.X = trX(x) - labelPad - dotRadius
				xa = draw.XRight
			}
			fillTextMid(c, valueStyle(xa), pt, d.labelText(r, j))
		}
	}
}

// GlyphBoxes implements plot.GlyphBoxer so the panel leaves room for
// value labels beyond the ends of the scale.
func (d *dumbbell) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	var boxes []plot.GlyphBox
	for k, i := range d.slots.order {
		r := d.rows[i]
		v := d.values(r)
		for j := range v {
			if !finite(v[j].Est) {
				continue
			}
			x, left := d.labelSide(r, j)
			t := d.labelText(r, j)
			sty := valueStyle(draw.XLeft)
			off := labelPad + dotRadius
			if left {
				sty = valueStyle(draw.XRight)
				off = -off
			}
			rect := sty.Rectangle(t)
			rect.Min.X += off
			rect.Max.X += off
			boxes = append(boxes, plot.GlyphBox{X: p.X.Norm(x), Y: p.Y.Norm(d.slots.pos[k]), Rectangle: rect})
		}
	}
	return boxes
}

// thumb is the legend symbol of series j: a dot on its whisker.
func (d *dumbbell) thumb(j int) func(c *draw.Canvas) {
	return func(c *draw.Canvas) {
		mid := c.Center()
		whiskerH(*c, lineStyle(d.colors[j], whiskerWidth), c.Min.X+1, c.Max.X-1, mid.Y)
		dot(*c, mid, d.colors[j], false)
	}
}

// whiskerH draws a horizontal interval from x0 to x1 at y with end caps.
func whiskerH(c draw.Canvas, sty draw.LineStyle, x0, x1, y vg.Length) {
	c.StrokeLine2(sty, x0, y, x1, y)
	c.StrokeLine2(sty, x0, y-capHalf, x0, y+capHalf)
	c.StrokeLine2(sty, x1, y-capHalf, x1, y+capHalf)
}

// dot draws a filled marker with a white rim, or a hollow one for a low
// base.
func dot(c draw.Canvas, pt vg.Point, clr color.Color, hollow bool) {
	if hollow {
		c.DrawGlyphNoClip(draw.GlyphStyle{Color: color.White, Radius: dotRadius, Shape: draw.CircleGlyph{}}, pt)
		c.SetLineStyle(lineStyle(clr, 1.6))
		var path vg.Path
		path.Move(vg.Point{X: pt.X + dotRadius - 0.8, Y: pt.Y})
		path.Arc(pt, dotRadius-0.8, 0, 2*math.Pi)
		path.Close()
		c.Stroke(path)
		return
	}
	c.DrawGlyphNoClip(draw.GlyphStyle{Color: color.White, Radius: dotRadius + 0.8, Shape: draw.CircleGlyph{}}, pt)
	c.DrawGlyphNoClip(draw.GlyphStyle{Color: clr, Radius: dotRadius, Shape: draw.CircleGlyph{}}, pt)
}
