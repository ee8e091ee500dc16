package charts

import (
	"image/color"
	"math"
	"unicode"

	stdfont "golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The Okabe–Ito palette (Okabe and Ito, "Color Universal Design", 2008),
// as 0xRRGGBB.
const (
	okabeOrange     = 0xE69F00
	okabeSkyBlue    = 0x56B4E9
	okabeGreen      = 0x009E73
	okabeYellow     = 0xF0E442
	okabeBlue       = 0x0072B2
	okabeVermillion = 0xD55E00
	okabePurple     = 0xCC79A7
)

// Neutral greys for text and furniture.
const (
	inkColor      = 0x222222 // body text, marks that must read as black
	mutedColor    = 0x595959 // subtitles, notes, tick labels (7:1 on white)
	gridColor     = 0xDDDDDD // reference lines behind data
	connectColor  = 0xBFBFBF // dumbbell connectors
	lowBaseColor  = 0xD9D9D9 // heat-map cells with too small a base
	noDataColor   = 0xF2F2F2 // cells with no estimate
	baselineColor = 0x7F7F7F // the zero line of bar charts
)

// OkabeIto returns the eight Okabe–Ito colours, black last, in the order
// the charts assign them to series after the first two: blue, orange,
// sky blue, bluish green, vermillion, reddish purple, yellow, black.
func OkabeIto() []color.Color {
	hex := []uint32{okabeBlue, okabeOrange, okabeSkyBlue, okabeGreen, okabeVermillion, okabePurple, okabeYellow, 0x000000}
	out := make([]color.Color, len(hex))
	for i, h := range hex {
		out[i] = rgb(h)
	}
	return out
}

// rgb converts 0xRRGGBB to an opaque colour.
func rgb(hex uint32) color.RGBA {
	return color.RGBA{R: uint8(hex >> 16), G: uint8(hex >> 8), B: uint8(hex), A: 0xff}
}

// tint mixes c with white; f = 0 gives c, f = 1 white. Pale tints mark
// low-base estimates without adding a colour the reader must learn.
func tint(c color.Color, f float64) color.RGBA {
	r, g, b, _ := c.RGBA()
	mix := func(v uint32) uint8 {
		x := float64(v>>8)*(1-f) + 255*f
		return uint8(math.Round(x))
	}
	return color.RGBA{R: mix(r), G: mix(g), B: mix(b), A: 0xff}
}

// luminance is the WCAG 2 relative luminance of an opaque colour.
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		s := float64(v) / 0xffff
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// textOn returns black or white, whichever has the higher WCAG contrast
// ratio (L1 + 0.05)/(L2 + 0.05) against the background bg.
func textOn(bg color.Color) color.Color {
	l := luminance(bg)
	if (1.05)/(l+0.05) > (l+0.05)/0.05 {
		return color.White
	}
	return rgb(inkColor)
}

// Type sizes in points.
const (
	titleSize    = 13
	subtitleSize = 10
	axisSize     = 9.5
	tickSize     = 9
	legendSize   = 9
	valueSize    = 8
	noteSize     = 7.5
)

// sans returns Liberation Sans at the given size, bold if asked. Liberation
// ships with gonum/plot and covers Latin, Greek and Cyrillic.
func sans(size vg.Length, bold bool) font.Font {
	f := font.Font{Typeface: "Liberation", Variant: "Sans", Size: size}
	if bold {
		f.Weight = stdfont.WeightBold
	}
	return f
}

// textStyle is a plain-text style in Liberation Sans.
func textStyle(size vg.Length, bold bool, clr color.Color, x text.XAlignment, y text.YAlignment) text.Style {
	return text.Style{
		Color:   clr,
		Font:    sans(size, bold),
		XAlign:  x,
		YAlign:  y,
		Handler: lineText{Plain: text.Plain{Fonts: plot.DefaultTextHandler.Cache()}},
	}
}

// lineText is text.Plain with lines set the font's line height apart.
// text.Plain measures multi-line text with the line height but draws the
// lines only one type size apart, so wrapped labels came out cramped and
// shifted against their single-line neighbours. Single lines are placed
// exactly as text.Plain places them.
type lineText struct{ text.Plain }

// Draw implements text.Handler.
func (h lineText) Draw(c vg.Canvas, txt string, sty text.Style, pt vg.Point) {
	lines := h.Lines(txt)
	if len(lines) <= 1 {
		h.Plain.Draw(c, txt, sty, pt)
		return
	}
	fnt := h.Fonts.Lookup(sty.Font, sty.Font.Size)
	ext := fnt.Extents()
	c.SetColor(sty.Color)
	if sty.Rotation != 0 {
		c.Push()
		c.Rotate(sty.Rotation)
		s, co := math.Sincos(sty.Rotation)
		pt.X, pt.Y = pt.Y*vg.Length(s)+pt.X*vg.Length(co), pt.Y*vg.Length(co)-pt.X*vg.Length(s)
	}
	// The last line's baseline is where text.Plain puts it; the others
	// stack above it a line height apart.
	last := pt.Y + vg.Length(sty.YAlign)*sty.Height(txt) - ext.Ascent + sty.Font.Size
	for i, line := range lines {
		x := pt.X + vg.Length(sty.XAlign)*fnt.Width(line)
		y := last + vg.Length(len(lines)-1-i)*ext.Height
		c.FillString(fnt, vg.Point{X: x, Y: y}, line)
	}
	if sty.Rotation != 0 {
		c.Pop()
	}
}

// newPlot returns a plot with the house style: sans-serif type, no axis
// lines or tick marks (light grid lines carry the scale instead), muted
// tick labels. Titles and legends are drawn by Chart, not by the plot.
func newPlot() *plot.Plot {
	p := plot.New()
	p.BackgroundColor = nil // Chart paints the background once
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle = textStyle(axisSize, false, rgb(inkColor), draw.XCenter, draw.YBottom)
		a.Label.Padding = 6
		a.Tick.Label = textStyle(tickSize, false, rgb(mutedColor), a.Tick.Label.XAlign, a.Tick.Label.YAlign)
		a.Tick.Length = 0
		a.Width = 0
		a.Padding = 4
	}
	return p
}

// gridLines returns a grid with light lines at the major ticks of the
// value axis only; vertical is true for lines across a horizontal axis.
func gridLines(vertical bool) plot.Plotter {
	return &gridPlotter{style: lineStyle(rgb(gridColor), 0.6), vertical: vertical}
}

// gridPlotter draws reference lines at the major ticks of one axis.
type gridPlotter struct {
	style    draw.LineStyle
	vertical bool
}

// Plot implements plot.Plotter.
func (g *gridPlotter) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	if g.vertical {
		for _, t := range p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max) {
			if t.IsMinor() || t.Value < p.X.Min || t.Value > p.X.Max {
				continue
			}
			x := trX(t.Value)
			c.StrokeLine2(g.style, x, c.Min.Y, x, c.Max.Y)
		}
		return
	}
	for _, t := range p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max) {
		if t.IsMinor() || t.Value < p.Y.Min || t.Value > p.Y.Max {
			continue
		}
		y := trY(t.Value)
		c.StrokeLine2(g.style, c.Min.X, y, c.Max.X, y)
	}
}

// MissingGlyphs returns the runes of s, once each in order of first
// appearance, that the chart typeface cannot draw: they would print as
// empty boxes. Liberation Sans covers Latin (including "Türkiye" and
// "São Paulo"), Greek and Cyrillic ("Россия"), but not, for example, CJK
// or Arabic; a report builder can use this to warn about or transliterate
// such labels before charting them.
func MissingGlyphs(s string) []rune {
	faces := plot.DefaultTextHandler.Cache()
	var buf sfnt.Buffer
	var missing []rune
	seen := map[rune]bool{}
	for _, r := range s {
		if seen[r] || unicode.IsSpace(r) || unicode.IsControl(r) {
			continue
		}
		seen[r] = true
		for _, bold := range []bool{false, true} {
			f := sans(10, bold)
			face := faces.Lookup(f, f.Size)
			if face.Face == nil {
				missing = append(missing, r)
				break
			}
			if i, err := face.Face.GlyphIndex(&buf, r); err != nil || i == 0 {
				missing = append(missing, r)
				break
			}
		}
	}
	return missing
}
