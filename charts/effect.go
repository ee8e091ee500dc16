package charts

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// TrustEffect draws comfort with personalisation among trusting and
// non-trusting respondents as grouped vertical bars, one group per region
// (Total last, after a rule), each bar with its confidence interval and
// value. Low-base groups have pale bars and starred values.
//
// Bars are placed in data coordinates, so each error bar stands exactly
// on its bar's centre at any size. NaN estimates leave their bar out; a
// group with neither reads "no data". It returns an error wrapping
// ErrNoData for no rows and an error naming the row for invalid values.
func TrustEffect(rows []EffectRow, o Options) (*Chart, error) {
	const what = "charts: trust effect"
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s: %w", what, ErrNoData)
	}
	series, err := o.series("Trust companies with their data", "Do not trust them")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	hi, low := 0.0, false
	total := make([]bool, len(rows))
	g := &groupedBars{colors: []color.Color{rgb(okabeBlue), rgb(okabeOrange)}}
	for i, r := range rows {
		vals := []Interval{r.Trusting, r.NonTrusting}
		for j, v := range vals {
			if err := checkInterval(v); err != nil {
				return nil, fmt.Errorf("%s: row %d (%s): %s: %w", what, i+1, r.Region, series[j], err)
			}
			hi = maxFinite(hi, v.Est, v.clip().Hi)
		}
		total[i] = r.Total
		low = low || r.LowBase
	}
	sl := newSlots(total)
	cats := &categories{}
	for k, i := range sl.order {
		r := rows[i]
		g.groups = append(g.groups, barGroup{x: sl.pos[k], values: []Interval{r.Trusting.clip(), r.NonTrusting.clip()}, lowBase: r.LowBase})
		cats.pos = append(cats.pos, sl.pos[k])
		cats.names = append(cats.names, starred(r.Region, r.LowBase))
	}
	g.sep = sl.sep

	p := newPlot()
	lo, top := sl.span()
	categoryAxis(&p.X, lo, top)
	percentAxis(&p.Y, niceUpper(hi), o.valueLabel("Comfortable with personalisation (%)"))
	p.Y.Padding = 0 // bars stand on the zero line
	p.Add(gridLines(false), g)

	own := []string{o.ciNote()}
	if low {
		own = append(own, o.lowBaseNote("pale bars"))
	}
	ch := &Chart{
		Title:    o.title("Trust and comfort with personalisation by region"),
		Subtitle: o.Subtitle,
		Plot:     p,
		Notes:    notes(own, o),
		xCats:    cats,
		Width:    DefaultWidth,
		Height:   DefaultHeight,
	}
	for j := range series {
		ch.legend = append(ch.legend, legendEntry{label: series[j], thumb: swatch(g.colors[j], nil)})
	}
	if o.Subtitle != "" {
		ch.Height += 14
	}
	ch.Height += vg.Length(len(ch.Notes)) * (noteSize + 3)
	return ch, nil
}

// barGroup is one cluster of bars.
type barGroup struct {
	x       float64 // centre of the cluster in data units
	values  []Interval
	lowBase bool
}

// groupedBars draws clusters of vertical bars with error bars. Unlike
// plotter.BarChart, whose Offset is in canvas units, every position here
// is in data units, so a bar and its error bar share one x by
// construction.
type groupedBars struct {
	groups []barGroup
	colors []color.Color
	sep    float64 // x of the rule before the totals; NaN if none
}

// Cluster geometry in data units: the cluster fills clusterWidth of its
// slot, each bar barFill of its share.
const (
	clusterWidth = 0.8
	barFill      = 0.92
)

// barCentre returns the x of bar j of a cluster centred at x with n bars.
func barCentre(x float64, j, n int) float64 {
	step := clusterWidth / float64(n)
	return x + (float64(j)-float64(n-1)/2)*step
}

// barHalfWidth returns half a bar's width in data units for n bars.
func barHalfWidth(n int) float64 { return clusterWidth / float64(n) * barFill / 2 }

func (g *groupedBars) label(gr barGroup, j int) string {
	return starred(pct(gr.values[j].Est, 0), gr.lowBase)
}

// Plot implements plot.Plotter.
func (g *groupedBars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	if finite(g.sep) {
		x := trX(g.sep)
		c.StrokeLine2(lineStyle(rgb(gridColor), 0.8), x, c.Min.Y, x, c.Max.Y)
	}
	valSty := textStyle(valueSize, false, rgb(inkColor), draw.XCenter, draw.YBottom)
	// Value labels are shown only if every one is narrower than the
	// distance between bar centres: then it cannot reach a neighbour's
	// label, error bar or (narrower) bar.
	labels := true
	for _, gr := range g.groups {
		n := len(gr.values)
		step := trX(clusterWidth/float64(n)) - trX(0)
		for j := range gr.values {
			if finite(gr.values[j].Est) && valSty.Width(g.label(gr, j)) > step {
				labels = false
			}
		}
	}
	y0 := trY(0)
	for _, gr := range g.groups {
		n := len(gr.values)
		hw := barHalfWidth(n)
		drawn := false
		for j, v := range gr.values {
			if !finite(v.Est) {
				continue
			}
			drawn = true
			xc := barCentre(gr.x, j, n)
			x0, x1, y1 := trX(xc-hw), trX(xc+hw), trY(100*v.Est)
			fill := g.colors[j]
			if gr.lowBase {
				fill = tint(g.colors[j], 0.6)
			}
			fillRect(c, fill, x0, y0, x1, y1)
			if gr.lowBase {
				strokeRect(c, lineStyle(g.colors[j], 0.8), x0, y0, x1, y1)
			}
			top := y1
			if finite(v.Lo) && finite(v.Hi) {
				whiskerV(c, lineStyle(rgb(inkColor), 0.9), trX(xc), trY(100*v.Lo), trY(100*v.Hi), (x1-x0)/4)
				top = max(top, trY(100*v.Hi))
			}
			if labels {
				c.FillText(valSty, vg.Point{X: trX(xc), Y: top + 2}, g.label(gr, j))
			}
		}
		if !drawn {
			sty := textStyle(valueSize, false, rgb(mutedColor), draw.XCenter, draw.YBottom)
			c.FillText(sty, vg.Point{X: trX(gr.x), Y: y0 + 3}, noDataLabel)
		}
	}
	c.StrokeLine2(lineStyle(rgb(baselineColor), 0.8), c.Min.X, y0, c.Max.X, y0)
}

// GlyphBoxes implements plot.GlyphBoxer: room above the tallest bars for
// their value labels.
func (g *groupedBars) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	valSty := textStyle(valueSize, false, rgb(inkColor), draw.XCenter, draw.YBottom)
	var boxes []plot.GlyphBox
	for _, gr := range g.groups {
		for j, v := range gr.values {
			if !finite(v.Est) {
				continue
			}
			top := maxFinite(v.Est, v.Hi)
			r := valSty.Rectangle(g.label(gr, j))
			r.Min.Y += 2
			r.Max.Y += 2
			r.Max.X, r.Min.X = 0, 0 // the cluster's slot already has room across
			boxes = append(boxes, plot.GlyphBox{X: p.X.Norm(barCentre(gr.x, j, len(gr.values))), Y: p.Y.Norm(100 * top), Rectangle: r})
		}
	}
	return boxes
}

// whiskerV draws a vertical interval at x from y0 to y1 with end caps
// reaching capHalf either side.
func whiskerV(c draw.Canvas, sty draw.LineStyle, x, y0, y1, capHalf vg.Length) {
	c.StrokeLine2(sty, x, y0, x, y1)
	c.StrokeLine2(sty, x-capHalf, y0, x+capHalf, y0)
	c.StrokeLine2(sty, x-capHalf, y1, x+capHalf, y1)
}
