package charts

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
)

// pdfEpoch (2000-01-01 UTC, in Unix seconds) is written as the PDF's
// creation and modification date. A fixed date makes the same chart
// produce the same bytes; fpdf would otherwise stamp the wall-clock time.
const pdfEpoch = 946684800

// pdfCanvas is a vg.Canvas that draws one PDF page. It replaces
// gonum.org/v1/plot/vg/vgpdf, which writes text in the cp1252 code page
// (so "Россия" and even "Türkiye" come out as mojibake) and stamps the
// file with the current time. Here fonts are embedded as Unicode (CID)
// subsets and the document dates are fixed.
//
// fpdf converts every coordinate it writes from its top-down system with
// y' = h − y. The page starts with the matrix that undoes that flip, and
// each vg transform T is emitted conjugated by the flip (F·T·F), so paths
// given in vg's bottom-up coordinates land where vg means them to.
type pdfCanvas struct {
	doc   *fpdf.Fpdf
	w, h  vg.Length
	stack []pdfState
	fonts map[string]bool // fpdf family names already registered
	nimg  int
}

type pdfState struct {
	color color.Color
	width vg.Length
}

// affine is a 2-D affine map in PDF's matrix order:
// x' = a·x + c·y + e, y' = b·x + d·y + f.
type affine struct{ a, b, c, d, e, f float64 }

func newPDFCanvas(w, h vg.Length) *pdfCanvas {
	doc := fpdf.NewCustom(&fpdf.InitType{
		UnitStr: "pt",
		Size:    fpdf.SizeType{Wd: w.Points(), Ht: h.Points()},
	})
	doc.SetCreationDate(time.Unix(pdfEpoch, 0).UTC())
	doc.SetModificationDate(time.Unix(pdfEpoch, 0).UTC())
	doc.SetCatalogSort(true) // map iteration order must not reach the output
	doc.SetMargins(0, 0, 0)
	doc.SetAutoPageBreak(false, 0)
	doc.AddPage()
	c := &pdfCanvas{doc: doc, w: w, h: h, stack: []pdfState{{}}, fonts: map[string]bool{}}
	doc.TransformBegin()
	doc.Transform(fpdf.TransformMatrix{A: 1, B: 0, C: 0, D: -1, E: 0, F: h.Points()})
	vg.Initialize(c)
	return c
}

// Size returns the page size.
func (c *pdfCanvas) Size() (w, h vg.Length) { return c.w, c.h }

func (c *pdfCanvas) state() *pdfState { return &c.stack[len(c.stack)-1] }

// transform applies the vg-space map t.
func (c *pdfCanvas) transform(t affine) {
	h := c.h.Points()
	c.doc.Transform(fpdf.TransformMatrix{
		A: t.a, B: -t.b, C: -t.c, D: t.d,
		E: t.c*h + t.e,
		F: h - t.d*h - t.f,
	})
}

func (c *pdfCanvas) SetLineWidth(w vg.Length) {
	c.state().width = w
	c.doc.SetLineWidth(w.Points())
}

func (c *pdfCanvas) SetLineDash(pattern []vg.Length, offset vg.Length) {
	d := make([]float64, len(pattern))
	for i, p := range pattern {
		d[i] = p.Points()
	}
	c.doc.SetDashPattern(d, offset.Points())
}

func (c *pdfCanvas) SetColor(clr color.Color) {
	if clr == nil {
		clr = color.Black
	}
	c.state().color = clr
	r, g, b, a := clr.RGBA()
	if a > 0 {
		// color.Color is alpha-premultiplied; PDF wants straight colour.
		r, g, b = r*0xffff/a, g*0xffff/a, b*0xffff/a
	}
	ri, gi, bi := int(r>>8), int(g>>8), int(b>>8)
	c.doc.SetFillColor(ri, gi, bi)
	c.doc.SetDrawColor(ri, gi, bi)
	c.doc.SetTextColor(ri, gi, bi)
	c.doc.SetAlpha(float64(a)/0xffff, "Normal")
}

func (c *pdfCanvas) Rotate(rad float64) {
	s, co := math.Sincos(rad)
	c.transform(affine{a: co, b: s, c: -s, d: co})
}

func (c *pdfCanvas) Translate(pt vg.Point) {
	c.transform(affine{a: 1, d: 1, e: pt.X.Points(), f: pt.Y.Points()})
}

func (c *pdfCanvas) Scale(x, y float64) {
	c.transform(affine{a: x, d: y})
}

func (c *pdfCanvas) Push() {
	c.stack = append(c.stack, *c.state())
	c.doc.TransformBegin()
}

func (c *pdfCanvas) Pop() {
	c.doc.TransformEnd()
	c.stack = c.stack[:len(c.stack)-1]
	// The PDF graphics state is restored by Q, but fpdf remembers the
	// last colour it wrote; re-sending keeps its bookkeeping honest.
	st := *c.state()
	c.SetColor(st.color)
	c.SetLineWidth(st.width)
}

func (c *pdfCanvas) Stroke(p vg.Path) {
	if c.state().width > 0 {
		c.path(p, "D")
	}
}

func (c *pdfCanvas) Fill(p vg.Path) { c.path(p, "F") }

func (c *pdfCanvas) path(p vg.Path, style string) {
	if len(p) == 0 {
		return
	}
	for _, comp := range p {
		switch comp.Type {
		case vg.MoveComp:
			c.doc.MoveTo(comp.Pos.X.Points(), comp.Pos.Y.Points())
		case vg.LineComp:
			c.doc.LineTo(comp.Pos.X.Points(), comp.Pos.Y.Points())
		case vg.ArcComp:
			c.arc(comp)
		case vg.CurveComp:
			x, y := comp.Pos.X.Points(), comp.Pos.Y.Points()
			switch len(comp.Control) {
			case 1:
				c.doc.CurveTo(comp.Control[0].X.Points(), comp.Control[0].Y.Points(), x, y)
			case 2:
				c.doc.CurveBezierCubicTo(
					comp.Control[0].X.Points(), comp.Control[0].Y.Points(),
					comp.Control[1].X.Points(), comp.Control[1].Y.Points(), x, y)
			default:
				panic("charts: curve with more than two control points")
			}
		case vg.CloseComp:
			c.doc.ClosePath()
		default:
			panic(fmt.Sprintf("charts: unknown path component %d", comp.Type))
		}
	}
	c.doc.DrawPath(style)
}

// arc draws a circular arc as cubic Béziers of at most a quarter turn,
// computed in vg space so fpdf's flipped angle convention never applies.
// As vg requires, a line joins the current point to the arc's start.
func (c *pdfCanvas) arc(comp vg.PathComp) {
	r := comp.Radius.Points()
	cx, cy := comp.Pos.X.Points(), comp.Pos.Y.Points()
	at := func(t float64) (float64, float64) {
		s, co := math.Sincos(t)
		return cx + r*co, cy + r*s
	}
	x0, y0 := at(comp.Start)
	c.doc.LineTo(x0, y0)
	n := int(math.Ceil(math.Abs(comp.Angle) / (math.Pi / 2)))
	if n == 0 {
		return
	}
	step := comp.Angle / float64(n)
	k := 4.0 / 3.0 * math.Tan(step/4) * r
	t := comp.Start
	for range n {
		s0, c0 := math.Sincos(t)
		s1, c1 := math.Sincos(t + step)
		x0, y0 := cx+r*c0, cy+r*s0
		x1, y1 := cx+r*c1, cy+r*s1
		c.doc.CurveBezierCubicTo(x0-k*s0, y0+k*c0, x1+k*s1, y1-k*c1, x1, y1)
		t += step
	}
}

// FillString writes str with its baseline starting at pt.
func (c *pdfCanvas) FillString(f font.Face, pt vg.Point, str string) {
	if f.Font.Size == 0 || str == "" {
		return
	}
	name := f.Name()
	if !c.fonts[name] {
		var raw bytes.Buffer
		if _, err := f.Face.WriteSourceTo(nil, &raw); err != nil {
			c.doc.SetError(fmt.Errorf("charts: pdf: font %s: %w", name, err))
			return
		}
		c.doc.AddUTF8FontFromBytes(name, "", raw.Bytes())
		c.fonts[name] = true
	}
	c.doc.SetFont(name, "", f.Font.Size.Points())
	c.Push()
	c.Translate(pt)
	// fpdf text is upright in its top-down system; flip it back.
	c.Scale(1, -1)
	c.doc.Text(0, 0, str)
	c.Pop()
}

// DrawImage draws img scaled into rect.
func (c *pdfCanvas) DrawImage(rect vg.Rectangle, img image.Image) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		c.doc.SetError(fmt.Errorf("charts: pdf: encode image: %w", err))
		return
	}
	c.nimg++
	name := fmt.Sprintf("image%03d.png", c.nimg)
	opt := fpdf.ImageOptions{ImageType: "png"}
	c.doc.RegisterImageOptionsReader(name, opt, &buf)
	// fpdf places images top-down; mirror about the rectangle's middle
	// so the image is upright and fills rect exactly.
	c.Push()
	c.Translate(vg.Point{Y: rect.Min.Y + rect.Max.Y})
	c.Scale(1, -1)
	sz := rect.Size()
	c.doc.ImageOptions(name, rect.Min.X.Points(), rect.Min.Y.Points(), sz.X.Points(), sz.Y.Points(), false, opt, 0, "")
	c.Pop()
}

// WriteTo finishes the document and writes it to w. The canvas cannot be
// drawn on afterwards.
func (c *pdfCanvas) WriteTo(w io.Writer) (int64, error) {
	c.doc.TransformEnd()
	cw := &countWriter{w: w}
	if err := c.doc.Output(cw); err != nil {
		return cw.n, fmt.Errorf("charts: write pdf: %w", err)
	}
	return cw.n, nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (cw *countWriter) Write(p []byte) (int, error) {
	n, err := cw.w.Write(p)
	cw.n += int64(n)
	return n, err
}
