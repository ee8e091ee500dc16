package charts

import (
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// slots places categories along an axis, in data units one apart, with
// totals moved after the other categories and set off by an extra half
// slot. Coordinates count up (0, 1, 2 …) for columns; rows negate them so
// the first row is at the top.
type slots struct {
	order []int     // input indices in drawing order
	pos   []float64 // pos[k] is the coordinate of order[k]
	sep   float64   // where a rule separates the totals; NaN if none
}

func newSlots(total []bool) slots {
	var s slots
	for i, t := range total {
		if !t {
			s.order = append(s.order, i)
		}
	}
	first := len(s.order)
	for i, t := range total {
		if t {
			s.order = append(s.order, i)
		}
	}
	s.sep = math.NaN()
	for k := range s.order {
		x := float64(k)
		if k >= first && first > 0 {
			x += 0.5
		}
		s.pos = append(s.pos, x)
	}
	if first > 0 && first < len(s.order) {
		s.sep = float64(first) - 0.25 // midway between the last row and the first total
	}
	return s
}

// rows returns the slots flipped to run top down.
func (s slots) rows() slots {
	r := slots{order: s.order, pos: make([]float64, len(s.pos)), sep: -s.sep}
	for k, p := range s.pos {
		r.pos[k] = -p
	}
	return r
}

// span returns the axis range that shows every slot with half a unit of
// air (a little more than half so marks never touch the edge).
func (s slots) span() (min, max float64) {
	min, max = math.Inf(1), math.Inf(-1)
	for _, p := range s.pos {
		min = math.Min(min, p)
		max = math.Max(max, p)
	}
	return min - 0.6, max + 0.6
}

// niceUpper returns the percentage-axis maximum for data whose largest
// value (a fraction) is hi: with two points of headroom, rounded up to the
// tick step of percentTicks (10 up to 50%, else 20), at most 100%. NaN or
// no data gives 100%.
func niceUpper(hi float64) float64 {
	if !finite(hi) || hi <= 0 {
		return 100
	}
	// The epsilon keeps float noise (0.28·100 = 28.000000000000004) from
	// adding a whole step.
	const eps = 1e-9
	v := hi*100 + 2
	if v <= 50+eps {
		return 10 * math.Ceil(v/10-eps)
	}
	return math.Min(100, 20*math.Ceil(v/20-eps))
}

// percentTicks marks a 0–max percentage axis every 10 (up to 50) or 20.
type percentTicks struct{}

// Ticks implements plot.Ticker.
func (percentTicks) Ticks(min, max float64) []plot.Tick {
	step := 20.0
	if max-min <= 50 {
		step = 10
	}
	var t []plot.Tick
	for v := math.Ceil(min/step) * step; v <= max+1e-9; v += step {
		t = append(t, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', -1, 64)})
	}
	return t
}

// percentAxis sets a to run from 0 to max percent with the given label.
func percentAxis(a *plot.Axis, max float64, label string) {
	a.Min, a.Max = 0, max
	a.Label.Text = label
	a.Tick.Marker = percentTicks{}
}

// categoryAxis sets a nominal axis to [min, max]; its tick labels are the
// category names, set when the chart is drawn.
func categoryAxis(a *plot.Axis, min, max float64) {
	a.Min, a.Max = min, max
}

// fillRect fills the rectangle with corners (x0, y0), (x1, y1).
func fillRect(c draw.Canvas, clr color.Color, x0, y0, x1, y1 vg.Length) {
	r := vg.Rectangle{
		Min: vg.Point{X: min(x0, x1), Y: min(y0, y1)},
		Max: vg.Point{X: max(x0, x1), Y: max(y0, y1)},
	}
	c.FillPolygon(clr, rectPoints(r))
}

// strokeRect outlines the rectangle with corners (x0, y0), (x1, y1).
func strokeRect(c draw.Canvas, sty draw.LineStyle, x0, y0, x1, y1 vg.Length) {
	r := vg.Rectangle{
		Min: vg.Point{X: min(x0, x1), Y: min(y0, y1)},
		Max: vg.Point{X: max(x0, x1), Y: max(y0, y1)},
	}
	c.StrokeLines(sty, append(rectPoints(r), r.Min))
}

// notes assembles the footnotes: the chart's own, then the caller's.
func notes(own []string, o Options) []string {
	return append(own, o.Notes...)
}

// figureHeight suggests a height for a chart with n rows of the given
// pitch plus the furniture around the panel.
func figureHeight(n int, pitch vg.Length, o Options, nNotes int) vg.Length {
	h := 2*margin + 20 + blockGap // title
	if o.Subtitle != "" {
		h += 14
	}
	h += 34                                        // value axis and its label
	h += legendRowHeight() + blockGap              // legend or key
	h += vg.Length(nNotes)*(noteSize+3) + blockGap // notes
	h += vg.Length(n)*pitch + pitch                // rows and end air
	return max(h, 3*vg.Inch)
}

// rowPitch suggests the distance between rows: at least min, and room
// for the tallest name wrapped as it will be at DefaultWidth.
func rowPitch(names []string, min vg.Length) vg.Length {
	sty := newPlot().Y.Tick.Label
	w := vg.Length(catShare) * (DefaultWidth - 2*margin)
	pitch := min
	for _, n := range names {
		pitch = max(pitch, sty.Height(wrap(sty, n, w, catMaxLine))+8)
	}
	return pitch
}

// noData labels a row or cell that has no estimate.
const noDataLabel = "no data"

// lineStyle is a solid line.
func lineStyle(clr color.Color, w vg.Length) draw.LineStyle {
	return draw.LineStyle{Color: clr, Width: w}
}

// capHeight is the height of capitals and figures in Liberation Sans, as
// a fraction of the type size.
const capHeight = 0.72

// vcenter returns how far to move the anchor of text drawn with YCenter
// alignment so that its visible ink (from the cap height of the first
// line to the baseline of the last) is centred on the anchor. gonum/plot
// centres the font's full box, which leaves figures sitting visibly low.
func vcenter(sty draw.TextStyle, txt string) vg.Length {
	n := vg.Length(len(sty.Handler.Lines(txt)))
	ext := sty.FontExtents()
	s := sty.Font.Size
	// Baselines of the first and last line relative to the anchor, as
	// lineText.Draw places them.
	last := -sty.Height(txt)/2 - ext.Ascent + s
	first := last + (n-1)*ext.Height
	mid := (first + vg.Length(capHeight)*s + last) / 2
	return -mid
}

// fillTextMid draws txt centred (by vcenter) on pt.
func fillTextMid(c draw.Canvas, sty draw.TextStyle, pt vg.Point, txt string) {
	sty.YAlign = draw.YCenter
	pt.Y += vcenter(sty, txt)
	c.FillText(sty, pt, txt)
}
