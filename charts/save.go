package charts

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Format is an output file format.
type Format string

// The formats Save writes.
const (
	PNG Format = "png" // raster at PNGDPI
	SVG Format = "svg" // vector; fonts named (Liberation Sans, then Arial), not embedded
	PDF Format = "pdf" // vector; fonts embedded as Unicode subsets
)

// PNGDPI is the resolution of PNG output, enough for print and for
// high-density screens.
const PNGDPI = 150

// DefaultWidth and DefaultHeight size a Drawer that suggests no size of
// its own.
const (
	DefaultWidth  = 7 * vg.Inch
	DefaultHeight = 4.5 * vg.Inch
)

// ParseFormat reads a format name or a file extension: "png", "SVG",
// ".pdf".
func ParseFormat(s string) (Format, error) {
	f := Format(strings.ToLower(strings.TrimPrefix(s, ".")))
	switch f {
	case PNG, SVG, PDF:
		return f, nil
	}
	return "", fmt.Errorf("charts: unknown format %q (want png, svg or pdf)", s)
}

// Drawer is anything that draws itself onto a canvas: a *Chart or a bare
// *plot.Plot.
type Drawer interface {
	Draw(draw.Canvas)
}

// sizer is implemented by drawers that know their natural size.
type sizer interface {
	Size() (w, h vg.Length)
}

// Save renders d in the given format to w. A zero width or height is
// taken from d's suggested size when it has one (a *Chart does), else
// from DefaultWidth and DefaultHeight.
//
// Output is deterministic: the same chart and size give the same bytes in
// every format, so files can be diffed and cached. A *Chart too large for
// the size (see Chart.Fits) is an error rather than a cramped figure.
func Save(d Drawer, w io.Writer, format Format, width, height vg.Length) error {
	if width < 0 || height < 0 {
		return fmt.Errorf("charts: save: negative size %v×%v", width, height)
	}
	if width == 0 || height == 0 {
		sw, sh := DefaultWidth, DefaultHeight
		if s, ok := d.(sizer); ok {
			sw, sh = s.Size()
		}
		if width == 0 {
			width = sw
		}
		if height == 0 {
			height = sh
		}
	}
	if ch, ok := d.(*Chart); ok {
		if err := ch.Fits(width, height); err != nil {
			return fmt.Errorf("charts: save: %w", err)
		}
	}
	var c vg.CanvasWriterTo
	switch format {
	case PNG:
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(PNGDPI))}
	case SVG:
		c = vgsvg.New(width, height)
	case PDF:
		c = newPDFCanvas(width, height)
	default:
		return fmt.Errorf("charts: save: unknown format %q (want png, svg or pdf)", format)
	}
	d.Draw(draw.New(c))
	if format == SVG {
		// vgsvg names only Liberation Sans; viewers without it would fall
		// back to their default, often a serif. Arial and Helvetica have
		// the same metrics, so the layout survives the substitution.
		var buf bytes.Buffer
		if _, err := c.WriteTo(&buf); err != nil {
			return fmt.Errorf("charts: save %s: %w", format, err)
		}
		out := bytes.ReplaceAll(buf.Bytes(), []byte("font-family:Liberation Sans;"), []byte("font-family:'Liberation Sans',Arial,Helvetica,sans-serif;"))
		if _, err := w.Write(out); err != nil {
			return fmt.Errorf("charts: save %s: %w", format, err)
		}
		return nil
	}
	if _, err := c.WriteTo(w); err != nil {
		return fmt.Errorf("charts: save %s: %w", format, err)
	}
	return nil
}
