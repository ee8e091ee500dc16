package charts

import (
	"cmp"
	"fmt"
	"image/color"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ComfortByDataType draws the share comfortable sharing each type of data
// as horizontal bars sorted from most to least comfortable (ties keep
// their input order, NaN estimates go last and read "no data"), each with
// its confidence interval and its value at the end. Low-base bars are
// pale and starred. With o.KeepOrder the bars keep their input order.
//
// It returns an error wrapping ErrNoData for no rows and an error naming
// the row for values outside [0, 1] or estimates outside their interval.
func ComfortByDataType(rows []BarRow, o Options) (*Chart, error) {
	const what = "charts: comfort by data type"
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s: %w", what, ErrNoData)
	}
	hi, low := 0.0, false
	for i, r := range rows {
		if err := checkInterval(r.Value); err != nil {
			return nil, fmt.Errorf("%s: row %d (%s): %w", what, i+1, r.Label, err)
		}
		hi = maxFinite(hi, r.Value.Est, r.Value.clip().Hi)
		low = low || r.LowBase
	}
	sorted := slices.Clone(rows)
	for i := range sorted {
		sorted[i].Value = sorted[i].Value.clip()
	}
	slices.SortStableFunc(sorted, func(a, b BarRow) int {
		fa, fb := finite(a.Value.Est), finite(b.Value.Est)
		if fa != fb {
			if fa {
				return -1
			}
			return 1
		}
		if !fa || o.KeepOrder {
			return 0
		}
		return cmp.Compare(b.Value.Est, a.Value.Est)
	})

	hb := &hBars{rows: sorted, color: rgb(okabeBlue)}
	cats := &categories{}
	for i, r := range sorted {
		hb.pos = append(hb.pos, -float64(i))
		cats.pos = append(cats.pos, -float64(i))
		cats.names = append(cats.names, starred(r.Label, r.LowBase))
	}
	p := newPlot()
	percentAxis(&p.X, niceUpper(hi), o.valueLabel("Comfortable sharing this data (%)"))
	p.X.Padding = 0 // bars start on the zero line
	categoryAxis(&p.Y, -float64(len(sorted))+0.4, 0.6)
	p.Add(gridLines(true), hb)

	own := []string{o.ciNote()}
	if low {
		own = append(own, o.lowBaseNote("pale bars"))
	}
	ch := &Chart{
		Title:    o.title("Comfort with personalisation by type of data"),
		Subtitle: o.Subtitle,
		Plot:     p,
		Notes:    notes(own, o),
		yCats:    cats,
		Width:    DefaultWidth,
	}
	ch.Height = figureHeight(len(rows), rowPitch(cats.names, 22), o, len(ch.Notes)) - legendRowHeight() - blockGap
	return ch, nil
}

// hBars draws horizontal bars from zero with whiskers and value labels.
type hBars struct {
	rows  []BarRow
	pos   []float64 // y of each row
	color color.Color
}

const hBarHalfHeight = 0.31 // data units

func (hb *hBars) label(r BarRow) string { return starred(pct(r.Value.Est, 0), r.LowBase) }

// labelX returns the data x the value label of r hangs from: the end of
// the bar or of its whisker, whichever is further right.
func (hb *hBars) labelX(r BarRow) float64 { return 100 * maxFinite(r.Value.Est, r.Value.Hi) }

// Plot implements plot.Plotter.
func (hb *hBars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	x0 := trX(0)
	for i, r := range hb.rows {
		y := trY(hb.pos[i])
		v := r.Value
		if !finite(v.Est) {
			sty := textStyle(valueSize, false, rgb(mutedColor), draw.XLeft, draw.YCenter)
			fillTextMid(c, sty, vg.Point{X: x0 + labelPad, Y: y}, noDataLabel)
			continue
		}
		y0, y1 := trY(hb.pos[i]-hBarHalfHeight), trY(hb.pos[i]+hBarHalfHeight)
		x1 := trX(100 * v.Est)
		fill := hb.color
		if r.LowBase {
			fill = tint(hb.color, 0.6)
		}
		fillRect(c, fill, x0, y0, x1, y1)
		if r.LowBase {
			strokeRect(c, lineStyle(hb.color, 0.8), x0, y0, x1, y1)
		}
		if finite(v.Lo) && finite(v.Hi) {
			whiskerH(c, lineStyle(rgb(inkColor), 0.9), trX(100*v.Lo), trX(100*v.Hi), y)
		}
		sty := valueStyle(draw.XLeft)
		fillTextMid(c, sty, vg.Point{X: trX(hb.labelX(r)) + labelPad, Y: y}, hb.label(r))
	}
	c.StrokeLine2(lineStyle(rgb(baselineColor), 0.8), x0, c.Min.Y, x0, c.Max.Y)
}

// GlyphBoxes implements plot.GlyphBoxer: room right of the longest bars
// for their value labels.
func (hb *hBars) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	var boxes []plot.GlyphBox
	sty := valueStyle(draw.XLeft)
	for i, r := range hb.rows {
		if !finite(r.Value.Est) {
			continue
		}
		rect := sty.Rectangle(hb.label(r))
		rect.Min.X += labelPad
		rect.Max.X += labelPad
		rect.Min.Y, rect.Max.Y = 0, 0 // rows already have room above and below
		boxes = append(boxes, plot.GlyphBox{X: p.X.Norm(hb.labelX(r)), Y: p.Y.Norm(hb.pos[i]), Rectangle: rect})
	}
	return boxes
}
