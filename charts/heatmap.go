package charts

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ParadoxHeatmap draws a table of proportions, rows (regions) by columns
// (segment levels), as coloured cells each printed with its value to one
// decimal. The colour scale is a single-hue blue ramp of steadily falling
// lightness, spanning the data rounded out to 10%, keyed below the panel.
// Low-base cells are grey and printed "value*" over their base "n=…";
// cells with a NaN value read "–". Labels are printed black or white,
// whichever contrasts more with the cell.
//
// It returns an error wrapping ErrNoData when there are no rows or no
// columns, and an error naming the cell when the table is ragged or a
// value is outside [0, 1].
func ParadoxHeatmap(h Heatmap, o Options) (*Chart, error) {
	const what = "charts: paradox heat map"
	if len(h.Rows) == 0 || len(h.Cols) == 0 {
		return nil, fmt.Errorf("%s: %w", what, ErrNoData)
	}
	if len(h.Cells) != len(h.Rows) {
		return nil, fmt.Errorf("%s: %d rows of cells for %d row names", what, len(h.Cells), len(h.Rows))
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	var low, missing bool
	for i, row := range h.Cells {
		if len(row) != len(h.Cols) {
			return nil, fmt.Errorf("%s: row %d (%s): %d cells for %d columns", what, i+1, h.Rows[i], len(row), len(h.Cols))
		}
		for j, cell := range row {
			v := cell.Value
			if math.IsNaN(v) {
				missing = true
				continue
			}
			if math.IsInf(v, 0) || v < -1e-9 || v > 1+1e-9 {
				return nil, fmt.Errorf("%s: row %d (%s), column %d (%s): value %v outside [0, 1]", what, i+1, h.Rows[i], j+1, h.Cols[j], v)
			}
			if cell.LowBase {
				low = true
				continue
			}
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	scale, err := newRamp(lo, hi)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}

	hp := &heatPlot{h: h, ramp: scale}
	p := newPlot()
	cols := &categories{}
	for j, c := range h.Cols {
		cols.pos = append(cols.pos, float64(j))
		cols.names = append(cols.names, c)
	}
	rows := &categories{}
	for i, r := range h.Rows {
		rows.pos = append(rows.pos, -float64(i))
		rows.names = append(rows.names, r)
	}
	categoryAxis(&p.X, -0.5, float64(len(h.Cols))-0.5)
	categoryAxis(&p.Y, -float64(len(h.Rows))+0.5, 0.5)
	p.X.Label.Text = h.ColTitle
	p.Y.Label.Text = h.RowTitle
	p.Add(hp)

	key := &colorKey{caption: o.valueLabel("Paradox rate (%)"), ramp: scale}
	var own []string
	if low {
		key.extras = append(key.extras, legendEntry{label: o.lowBaseTag(), thumb: swatch(rgb(lowBaseColor), nil)})
		own = append(own, o.lowBaseNote("grey cells; n is the unweighted base"))
	}
	if missing {
		key.extras = append(key.extras, legendEntry{label: noDataLabel, thumb: swatch(rgb(noDataColor), rgb(gridColor))})
		own = append(own, "– No respondents in this cell.")
	}
	ch := &Chart{
		Title:    o.title("The privacy paradox by region and segment"),
		Subtitle: o.Subtitle,
		Plot:     p,
		Notes:    notes(own, o),
		key:      key,
		xCats:    cols,
		yCats:    rows,
	}
	ch.Width = DefaultWidth
	ch.Height = figureHeight(len(h.Rows), rowPitch(rows.names, 30), o, len(ch.Notes)) + 14 // key ticks
	return ch, nil
}

// ramp maps percentages in [min, max] to a sequential blue scale.
type ramp struct {
	cmap     palette.ColorMap
	min, max float64 // percent
}

// newRamp spans [lo, hi] (fractions) rounded out to whole tens of
// percent; with no finite values it spans 0–100%.
func newRamp(lo, hi float64) (*ramp, error) {
	// Dark to light, as moreland requires luminance to increase; the
	// Okabe–Ito blues sit in the middle.
	controls := []color.Color{rgb(0x0B2E4F), rgb(okabeBlue), rgb(okabeSkyBlue), rgb(0xEEF6FC)}
	cm, err := moreland.NewLuminance(controls)
	if err != nil {
		return nil, fmt.Errorf("colour scale: %w", err)
	}
	r := &ramp{cmap: cm, min: 0, max: 100}
	if finite(lo) && finite(hi) {
		r.min = 10 * math.Floor(lo*10+1e-9)
		r.max = 10 * math.Ceil(hi*10-1e-9)
		if r.max-r.min < 10 {
			if r.max < 100 {
				r.max = r.min + 10
			} else {
				r.min = r.max - 10
			}
		}
	}
	cm.SetMin(r.min)
	cm.SetMax(r.max)
	return r, nil
}

// at returns the colour for percentage v, clamped to the scale; higher
// values are darker.
func (r *ramp) at(v float64) color.Color {
	v = math.Max(r.min, math.Min(r.max, v))
	c, err := r.cmap.At(r.max + r.min - v)
	if err != nil {
		// v is clamped into a non-empty range, so At cannot fail.
		panic("charts: colour scale: " + err.Error())
	}
	return c
}

// heatPlot is the plotter behind ParadoxHeatmap.
type heatPlot struct {
	h    Heatmap
	ramp *ramp
}

const cellGutter = vg.Length(1.5) // white space between cells

// cell returns the fill and label of a cell.
func (hp *heatPlot) cell(c HeatCell) (fill color.Color, label string) {
	switch {
	case math.IsNaN(c.Value):
		return rgb(noDataColor), "–"
	case c.LowBase:
		return rgb(lowBaseColor), pct(c.Value, 1) + "*\nn=" + strconv.Itoa(c.N)
	default:
		return hp.ramp.at(100 * c.Value), pct(c.Value, 1)
	}
}

// Plot implements plot.Plotter.
func (hp *heatPlot) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	cw := trX(0.5) - trX(-0.5) - cellGutter
	chh := trY(0.5) - trY(-0.5) - cellGutter
	size := hp.labelSize(cw-4, chh-2)
	for i, row := range hp.h.Cells {
		for j, cell := range row {
			x, y := trX(float64(j)), trY(-float64(i))
			fill, label := hp.cell(cell)
			fillRect(c, fill, x-cw/2, y-chh/2, x+cw/2, y+chh/2)
			if size == 0 {
				continue
			}
			clr := textOn(fill)
			if math.IsNaN(cell.Value) {
				clr = rgb(mutedColor)
			}
			sty := textStyle(size, false, clr, draw.XCenter, draw.YCenter)
			fillTextMid(c, sty, vg.Point{X: x, Y: y}, label)
		}
	}
}

// labelSize returns the largest type size, from 9 down to 6.5 points, at
// which every cell label fits a w×h cell, or 0 if none does (the colours
// and key still carry the data).
func (hp *heatPlot) labelSize(w, h vg.Length) vg.Length {
	for size := vg.Length(9); size >= 6.5; size -= 0.5 {
		sty := textStyle(size, false, color.Black, draw.XCenter, draw.YCenter)
		fits := true
		for _, row := range hp.h.Cells {
			for _, cell := range row {
				_, label := hp.cell(cell)
				if sty.Width(label) > w || sty.Height(label) > h {
					fits = false
				}
			}
		}
		if fits {
			return size
		}
	}
	return 0
}

// colorKey is the heat map's legend: a caption, the colour ramp with
// ticks, and swatches for the special cells.
type colorKey struct {
	caption string
	ramp    *ramp
	extras  []legendEntry
}

const (
	keyBarW    = vg.Length(150) // the ramp's width when there is room
	keyBarMinW = vg.Length(60)
	keyBarH    = vg.Length(9)
)

// keyPlan is how the key fits a width: the ramp's width, and whether
// the swatches need a row of their own below it.
type keyPlan struct {
	barW  vg.Length
	split bool
}

func (k *colorKey) captionWidth() vg.Length {
	return legendStyle().Width(k.caption) + 8
}

// extrasWidth is the width of the swatch entries, each led by entryGap.
func (k *colorKey) extrasWidth() vg.Length {
	var w vg.Length
	for _, e := range k.extras {
		w += entryGap + thumbW + thumbGap + legendStyle().Width(e.label)
	}
	return w
}

// tickOverhang is how far the last tick label reaches past the ramp.
func (k *colorKey) tickOverhang() vg.Length {
	return tickStyle().Width("100") / 2
}

func (k *colorKey) plan(width vg.Length) keyPlan {
	row := k.captionWidth() + keyBarW + k.tickOverhang()
	if row+k.extrasWidth() <= width {
		return keyPlan{barW: keyBarW}
	}
	bw := min(keyBarW, width-k.captionWidth()-k.tickOverhang())
	return keyPlan{barW: max(bw, keyBarMinW), split: len(k.extras) > 0}
}

func tickStyle() draw.TextStyle {
	return textStyle(tickSize, false, rgb(mutedColor), draw.XCenter, draw.YTop)
}

func (k *colorKey) height(width vg.Length) vg.Length {
	h := keyBarH + 2 + tickStyle().Height("0")
	if k.plan(width).split {
		h += lineGap + legendRowHeight()
	}
	return h
}

// draw draws the key at the top of area, centred on centre: caption,
// ramp and ticks, then the swatches, on a row of their own if needed.
func (k *colorKey) draw(area draw.Canvas, centre vg.Length) {
	plan := k.plan(area.Max.X - area.Min.X)
	legSty := legendStyle()
	rowW := k.captionWidth() + plan.barW + k.tickOverhang()
	if !plan.split {
		rowW += k.extrasWidth()
	}
	x := placeRow(area, centre, rowW)
	top := area.Max.Y
	mid := top - keyBarH/2

	fillTextMid(area, legSty, vg.Point{X: x, Y: mid}, k.caption)
	x += k.captionWidth()

	// The ramp as thin slices; each overlaps the next by a hair so no
	// renderer shows seams.
	const n = 60
	for s := range n {
		v := k.ramp.min + (k.ramp.max-k.ramp.min)*(float64(s)+0.5)/n
		x0 := x + plan.barW*vg.Length(s)/n
		x1 := x + plan.barW*vg.Length(s+1)/n
		if s < n-1 {
			x1 += 0.3
		}
		fillRect(area, k.ramp.at(v), x0, top-keyBarH, x1, top)
	}
	for _, t := range (percentTicks{}).Ticks(k.ramp.min, k.ramp.max) {
		tx := x + plan.barW*vg.Length((t.Value-k.ramp.min)/(k.ramp.max-k.ramp.min))
		area.StrokeLine2(lineStyle(rgb(mutedColor), 0.6), tx, top-keyBarH-2, tx, top-keyBarH)
		area.FillText(tickStyle(), vg.Point{X: tx, Y: top - keyBarH - 2}, t.Label)
	}
	x += plan.barW + k.tickOverhang()

	if plan.split {
		// The swatch row starts without a leading gap.
		x = placeRow(area, centre, k.extrasWidth()-entryGap) - entryGap
		mid = top - k.height(area.Max.X-area.Min.X) + legendRowHeight()/2
	}
	for _, e := range k.extras {
		x += entryGap
		box := area
		box.Rectangle = vg.Rectangle{
			Min: vg.Point{X: x, Y: mid - thumbH/2},
			Max: vg.Point{X: x + thumbW, Y: mid + thumbH/2},
		}
		e.thumb(&box)
		x += thumbW + thumbGap
		fillTextMid(area, legSty, vg.Point{X: x, Y: mid}, e.label)
		x += legSty.Width(e.label)
	}
}
