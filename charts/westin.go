package charts

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// shareTolerance is how far a row's shares may sum from 1 (rounding in
// the estimates) before the row is rejected.
const shareTolerance = 0.005

// WestinSegments draws the Westin privacy segments by region as 100%
// stacked horizontal bars, one per region (Total last, below a rule),
// segments left to right in series order (by default fundamentalist,
// pragmatist, unconcerned), each labelled with its share where the label
// fits. The legend sits below the panel. Low-base rows are pale and
// starred.
//
// Every row must have one share per series, each in [0, 1], summing to
// 1 within 0.005. A row with any NaN share is drawn empty and reads "no
// data". It returns an error wrapping ErrNoData for no rows and an error
// naming the row otherwise.
func WestinSegments(rows []StackRow, o Options) (*Chart, error) {
	const what = "charts: westin segments"
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s: %w", what, ErrNoData)
	}
	series, err := o.series("Privacy fundamentalist", "Privacy pragmatist", "Privacy unconcerned")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	low := false
	total := make([]bool, len(rows))
	for i, r := range rows {
		if len(r.Shares) != len(series) {
			return nil, fmt.Errorf("%s: row %d (%s): %d shares for %d series", what, i+1, r.Label, len(r.Shares), len(series))
		}
		sum, missing := 0.0, false
		for j, s := range r.Shares {
			if math.IsNaN(s) {
				missing = true
				continue
			}
			if math.IsInf(s, 0) || s < -1e-9 || s > 1+1e-9 {
				return nil, fmt.Errorf("%s: row %d (%s): %s: share %v outside [0, 1]", what, i+1, r.Label, series[j], s)
			}
			sum += s
		}
		if !missing && math.Abs(sum-1) > shareTolerance {
			return nil, fmt.Errorf("%s: row %d (%s): shares sum to %v, want 1", what, i+1, r.Label, sum)
		}
		total[i] = r.Total
		low = low || r.LowBase
	}

	sl := newSlots(total).rows()
	colors := []color.Color{rgb(okabeBlue), rgb(okabeSkyBlue), rgb(okabeOrange)}
	if len(series) > len(colors) {
		colors = OkabeIto()
	}
	sb := &stackedBars{rows: rows, slots: sl, colors: colors}
	p := newPlot()
	percentAxis(&p.X, 100, o.valueLabel("Share of respondents (%)"))
	p.X.Padding = 0
	lo, top := sl.span()
	categoryAxis(&p.Y, lo, top)
	p.Add(gridLines(true), sb)

	cats := &categories{}
	for k, i := range sl.order {
		cats.pos = append(cats.pos, sl.pos[k])
		cats.names = append(cats.names, starred(rows[i].Label, rows[i].LowBase))
	}
	var own []string
	if low {
		own = append(own, o.lowBaseNote("pale bars"))
	}
	ch := &Chart{
		Title:    o.title("Westin privacy segments by region"),
		Subtitle: o.Subtitle,
		Plot:     p,
		Notes:    notes(own, o),
		yCats:    cats,
	}
	for j := range series {
		ch.legend = append(ch.legend, legendEntry{label: series[j], thumb: swatch(colors[j%len(colors)], nil)})
	}
	ch.Width = DefaultWidth
	ch.Height = figureHeight(len(rows), rowPitch(cats.names, 24), o, len(ch.Notes))
	return ch, nil
}

// stackedBars is the plotter behind WestinSegments.
type stackedBars struct {
	rows   []StackRow
	slots  slots
	colors []color.Color
}

const stackHalfHeight = 0.34 // data units; bars fill 68% of their row

// Plot implements plot.Plotter.
func (sb *stackedBars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	if finite(sb.slots.sep) {
		y := trY(sb.slots.sep)
		c.StrokeLine2(lineStyle(rgb(gridColor), 0.8), c.Min.X, y, c.Max.X, y)
	}
	for k, i := range sb.slots.order {
		r := sb.rows[i]
		yc := sb.slots.pos[k]
		y0, y1 := trY(yc-stackHalfHeight), trY(yc+stackHalfHeight)
		if hasNaN(r.Shares) {
			sty := textStyle(valueSize, false, rgb(mutedColor), draw.XLeft, draw.YCenter)
			fillTextMid(c, sty, vg.Point{X: trX(0) + labelPad, Y: trY(yc)}, noDataLabel)
			continue
		}
		// Draw shares over their sum so rounding never overruns 100%.
		sum := 0.0
		for _, s := range r.Shares {
			sum += s
		}
		cum := 0.0
		for j, s := range r.Shares {
			x0, x1 := trX(100*cum/sum), trX(100*(cum+s)/sum)
			cum += s
			fill := color.Color(sb.colors[j%len(sb.colors)])
			if r.LowBase {
				fill = tint(fill, 0.55)
			}
			fillRect(c, fill, x0, y0, x1, y1)
			// A white hairline keeps neighbouring segments apart.
			if j > 0 {
				c.StrokeLine2(lineStyle(color.White, 1), x0, y0, x0, y1)
			}
			label := pct(s, 0)
			sty := textStyle(valueSize, false, textOn(fill), draw.XCenter, draw.YCenter)
			if sty.Width(label)+6 <= x1-x0 {
				fillTextMid(c, sty, vg.Point{X: (x0 + x1) / 2, Y: trY(yc)}, label)
			}
		}
	}
}

func hasNaN(xs []float64) bool {
	for _, x := range xs {
		if math.IsNaN(x) {
			return true
		}
	}
	return false
}
