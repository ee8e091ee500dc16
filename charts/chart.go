package charts

import (
	"fmt"
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Layout lengths.
const (
	margin     = vg.Length(12) // white border round the figure
	blockGap   = vg.Length(10) // between title block, panel, legend and notes
	thumbW     = vg.Length(18) // legend symbol box
	thumbH     = vg.Length(10)
	thumbGap   = vg.Length(5)  // symbol to its label
	entryGap   = vg.Length(16) // between legend entries
	lineGap    = vg.Length(4)  // between legend rows
	catShare   = 0.32          // widest share of the figure a row label may take
	catMaxLine = 3             // lines a category label may wrap to
)

// Chart is a finished figure. From top to bottom it has a title and
// subtitle, the data panel (a gonum/plot Plot), a legend or colour key,
// and footnotes. Keeping legends and notes outside the panel means they
// never cover data.
//
// Category labels are wrapped to the size the chart is drawn at, so a
// Chart can be saved at any size. Draw does not modify the Chart.
type Chart struct {
	// Title is set in bold at the top left; Subtitle in grey below it.
	Title, Subtitle string
	// Plot is the data panel. Its own title and legend are not used.
	Plot *plot.Plot
	// Notes are footnotes, one paragraph each.
	Notes []string
	// Width and Height are the suggested size, which Save uses when
	// given zero.
	Width, Height vg.Length

	legend       []legendEntry
	key          *colorKey
	xCats, yCats *categories
}

// legendEntry is a symbol and its label.
type legendEntry struct {
	label string
	// thumb draws the symbol filling c's rectangle.
	thumb func(c *draw.Canvas)
}

// categories are the names on a nominal axis and their data
// coordinates, wrapped to fit when the chart is drawn.
type categories struct {
	pos   []float64
	names []string
}

// Size returns the suggested size.
func (ch *Chart) Size() (w, h vg.Length) { return ch.Width, ch.Height }

// chartLayout is where each part of a chart goes on a canvas.
type chartLayout struct {
	fig       draw.Canvas // the canvas inside the margins
	title     string      // wrapped title, hanging from fig.Max.Y
	subtitle  string      // wrapped subtitle, hanging from subTop
	subTop    vg.Length
	notes     []string    // wrapped notes, drawn upwards from fig.Min.Y
	panel     draw.Canvas // the plot, axes included
	plot      *plot.Plot  // the plot with category labels fitted
	data      draw.Canvas // the data area inside panel
	furniture draw.Canvas // the legend or key strip; empty if neither
	centre    vg.Length   // x the legend centres on: under the data
	rows      []legendRow
}

// Smallest usable sizes.
const (
	minData = 40 // height and width of the data area
	minSlot = 20 // width of a column category
)

// layout places the parts of the chart on c. It fails if c is too small
// for the data: a data area under minData either way, rows closer than
// their labels are tall, or columns narrower than minSlot.
func (ch *Chart) layout(c draw.Canvas) (chartLayout, error) {
	var l chartLayout
	l.fig = draw.Crop(c, margin, -margin, margin, -margin)
	width := l.fig.Max.X - l.fig.Min.X

	top := l.fig.Max.Y
	if ch.Title != "" {
		l.title = wrap(titleStyle(), ch.Title, width, 0)
		top -= titleStyle().Height(l.title) + 3
	}
	l.subTop = top
	if ch.Subtitle != "" {
		l.subtitle = wrap(subtitleStyle(), ch.Subtitle, width, 0)
		top -= subtitleStyle().Height(l.subtitle)
	}
	if ch.Title != "" || ch.Subtitle != "" {
		top -= blockGap
	}

	bottom := l.fig.Min.Y
	for _, n := range ch.Notes {
		if t := wrap(noteStyle(), n, width, 0); t != "" {
			l.notes = append(l.notes, t)
			bottom += noteStyle().Height(t) + 1
		}
	}
	if len(l.notes) > 0 {
		bottom += blockGap - 1
	}

	// The legend or key sits between panel and notes.
	l.rows = layoutLegend(ch.legend, width)
	var fh vg.Length
	if len(l.rows) > 0 {
		fh = legendHeight(l.rows)
	}
	if ch.key != nil {
		fh = ch.key.height(width)
	}
	l.furniture = l.fig
	l.furniture.Min.Y, l.furniture.Max.Y = bottom, bottom+fh
	if fh > 0 {
		bottom += fh + blockGap
	}

	l.panel = l.fig
	l.panel.Min.Y, l.panel.Max.Y = bottom, top
	if top-bottom < minData {
		return l, fmt.Errorf("%v×%v is too small: %.0fpt left for the panel, want %dpt", c.Max.X-c.Min.X, c.Max.Y-c.Min.Y, top-bottom, minData)
	}
	l.plot = ch.panel(l.panel)
	l.data = l.plot.DataCanvas(l.panel)
	l.centre = (l.data.Min.X + l.data.Max.X) / 2
	dw, dh := l.data.Max.X-l.data.Min.X, l.data.Max.Y-l.data.Min.Y
	if dw < minData || dh < minData {
		return l, fmt.Errorf("%v×%v is too small: data area %.0f×%.0fpt, want %d×%dpt", c.Max.X-c.Min.X, c.Max.Y-c.Min.Y, dw, dh, minData, minData)
	}
	if ch.yCats != nil {
		pitch := dh / vg.Length(l.plot.Y.Max-l.plot.Y.Min) * vg.Length(ch.yCats.minGap())
		var need vg.Length
		for _, t := range l.plot.Y.Tick.Marker.Ticks(l.plot.Y.Min, l.plot.Y.Max) {
			need = max(need, l.plot.Y.Tick.Label.Height(t.Label))
		}
		if pitch < need+1 {
			return l, fmt.Errorf("%v×%v is too small: rows are %.1fpt apart, their labels need %.1fpt", c.Max.X-c.Min.X, c.Max.Y-c.Min.Y, pitch, need+1)
		}
	}
	if ch.xCats != nil {
		slot := dw / vg.Length(l.plot.X.Max-l.plot.X.Min) * vg.Length(ch.xCats.minGap())
		if slot < minSlot {
			return l, fmt.Errorf("%v×%v is too small: columns are %.1fpt wide, want %dpt", c.Max.X-c.Min.X, c.Max.Y-c.Min.Y, slot, minSlot)
		}
	}
	return l, nil
}

// wordsFit reports whether every word of every name fits width.
func (cs *categories) wordsFit(sty draw.TextStyle, width vg.Length) bool {
	for _, n := range cs.names {
		for _, w := range strings.Fields(n) {
			if sty.Width(w) > width {
				return false
			}
		}
	}
	return true
}

// minGap is the smallest distance between two categories, in data units.
func (cs *categories) minGap() float64 {
	g := 1.0
	for i := 1; i < len(cs.pos); i++ {
		g = min(g, math.Abs(cs.pos[i]-cs.pos[i-1]))
	}
	return g
}

// Draw draws the chart filling c. A canvas too small for the data (see
// Fits) gets only the white background: squeezed, overlapping labels
// would be worse than nothing.
func (ch *Chart) Draw(c draw.Canvas) {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	l, err := ch.layout(c)
	if err != nil {
		return
	}
	if l.title != "" {
		l.fig.FillText(titleStyle(), vg.Point{X: l.fig.Min.X, Y: l.fig.Max.Y}, l.title)
	}
	if l.subtitle != "" {
		l.fig.FillText(subtitleStyle(), vg.Point{X: l.fig.Min.X, Y: l.subTop}, l.subtitle)
	}
	y := l.fig.Min.Y
	for i := len(l.notes) - 1; i >= 0; i-- {
		l.fig.FillText(noteStyle(), vg.Point{X: l.fig.Min.X, Y: y}, l.notes[i])
		y += noteStyle().Height(l.notes[i]) + 1
	}
	l.plot.Draw(l.panel)
	if len(l.rows) > 0 {
		drawLegend(l.furniture, l.centre, l.rows)
	}
	if ch.key != nil {
		ch.key.draw(l.furniture, l.centre)
	}
}

// Fits returns an error if the chart cannot be drawn legibly at w×h:
// when the data area would be under 40pt either way, rows would be closer
// than their labels are tall, or columns narrower than 20pt.
func (ch *Chart) Fits(w, h vg.Length) error {
	_, err := ch.layout(draw.NewCanvas(nil, w, h))
	return err
}

func titleStyle() draw.TextStyle {
	return textStyle(titleSize, true, rgb(inkColor), draw.XLeft, draw.YTop)
}

func subtitleStyle() draw.TextStyle {
	return textStyle(subtitleSize, false, rgb(mutedColor), draw.XLeft, draw.YTop)
}

func noteStyle() draw.TextStyle {
	return textStyle(noteSize, false, rgb(mutedColor), draw.XLeft, draw.YBottom)
}

// panel returns a shallow copy of the plot with category labels wrapped
// to fit the panel canvas: row labels to a share of its width, column
// labels to the width of one data unit.
func (ch *Chart) panel(panel draw.Canvas) *plot.Plot {
	p := *ch.Plot
	if ch.yCats != nil {
		max := vg.Length(catShare) * (panel.Max.X - panel.Min.X)
		ticks := ch.yCats.ticks(p.Y.Tick.Label, max)
		p.Y.Tick.Marker = ticks
		// gonum/plot draws a row label a descent above its tick; move
		// the ticks so the labels' ink is centred on the rows.
		da := p.DataCanvas(panel)
		unit := (da.Max.Y - da.Min.Y) / vg.Length(p.Y.Max-p.Y.Min)
		desc := p.Y.Tick.Label.FontExtents().Descent
		for i := range ticks {
			ticks[i].Value += float64((vcenter(p.Y.Tick.Label, ticks[i].Label) - desc) / unit)
		}
	}
	if ch.xCats != nil {
		// The data area's width does not depend on the x tick labels, so
		// measure it without them.
		p.X.Tick.Marker = plot.ConstantTicks(nil)
		da := p.DataCanvas(panel)
		slot := (da.Max.X - da.Min.X) / vg.Length(p.X.Max-p.X.Min) * 0.94
		// Set the labels smaller, down to 7pt, rather than break words.
		for p.X.Tick.Label.Font.Size > 7 && !ch.xCats.wordsFit(p.X.Tick.Label, slot) {
			p.X.Tick.Label.Font.Size -= 0.5
		}
		p.X.Tick.Marker = ch.xCats.ticks(p.X.Tick.Label, slot)
	}
	return &p
}

// ticks returns the names wrapped to width as tick marks.
func (cs *categories) ticks(sty draw.TextStyle, width vg.Length) plot.ConstantTicks {
	t := make([]plot.Tick, len(cs.names))
	for i, n := range cs.names {
		t[i] = plot.Tick{Value: cs.pos[i], Label: wrap(sty, n, width, catMaxLine)}
	}
	return plot.ConstantTicks(t)
}

// placeRow returns the left edge of a row of width w centred on centre,
// moved inwards if it would cross either edge of area.
func placeRow(area draw.Canvas, centre, w vg.Length) vg.Length {
	x := centre - w/2
	x = min(x, area.Max.X-w)
	return max(x, area.Min.X)
}

// legendRow is the entries that share one line of the legend.
type legendRow struct {
	entries []legendEntry
	width   vg.Length
}

func legendStyle() draw.TextStyle {
	return textStyle(legendSize, false, rgb(inkColor), draw.XLeft, draw.YCenter)
}

// layoutLegend packs entries into rows no wider than width.
func layoutLegend(entries []legendEntry, width vg.Length) []legendRow {
	sty := legendStyle()
	var rows []legendRow
	var cur legendRow
	for _, e := range entries {
		// A label too long for a line of its own is cut short.
		if room := width - thumbW - thumbGap; sty.Width(e.label) > room {
			e.label = truncate(sty, e.label, room)
		}
		w := thumbW + thumbGap + sty.Width(e.label)
		if len(cur.entries) > 0 && cur.width+entryGap+w > width {
			rows = append(rows, cur)
			cur = legendRow{}
		}
		if len(cur.entries) > 0 {
			cur.width += entryGap
		}
		cur.entries = append(cur.entries, e)
		cur.width += w
	}
	if len(cur.entries) > 0 {
		rows = append(rows, cur)
	}
	return rows
}

func legendRowHeight() vg.Length {
	h := legendStyle().Height("Ag")
	if h < thumbH {
		h = thumbH
	}
	return h
}

func legendHeight(rows []legendRow) vg.Length {
	n := vg.Length(len(rows))
	return n*legendRowHeight() + (n-1)*lineGap
}

// drawLegend draws the rows top down, each centred on centre but kept
// inside area.
func drawLegend(area draw.Canvas, centre vg.Length, rows []legendRow) {
	sty := legendStyle()
	rh := legendRowHeight()
	y := area.Max.Y
	for _, r := range rows {
		x := placeRow(area, centre, r.width)
		mid := y - rh/2
		for i, e := range r.entries {
			if i > 0 {
				x += entryGap
			}
			box := area
			box.Rectangle = vg.Rectangle{
				Min: vg.Point{X: x, Y: mid - thumbH/2},
				Max: vg.Point{X: x + thumbW, Y: mid + thumbH/2},
			}
			e.thumb(&box)
			x += thumbW + thumbGap
			fillTextMid(area, sty, vg.Point{X: x, Y: mid}, e.label)
			x += sty.Width(e.label)
		}
		y -= rh + lineGap
	}
}

// swatch is a legend symbol: a filled box with an optional outline.
func swatch(fill, outline color.Color) func(c *draw.Canvas) {
	return func(c *draw.Canvas) {
		r := c.Rectangle
		r.Min.Y += 1
		r.Max.Y -= 1
		c.FillPolygon(fill, rectPoints(r))
		if outline != nil {
			c.StrokeLines(draw.LineStyle{Color: outline, Width: 0.6}, append(rectPoints(r), r.Min))
		}
	}
}

// rectPoints lists r's corners anticlockwise from the bottom left.
func rectPoints(r vg.Rectangle) []vg.Point {
	return []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}}
}
