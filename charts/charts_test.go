package charts

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestGoldenSVG renders every chart to SVG at its suggested size and
// compares it with testdata/<name>.svg. Run `go test ./charts -update`
// after an intended change and inspect the new files.
func TestGoldenSVG(t *testing.T) {
	for _, c := range allCharts() {
		t.Run(c.name, func(t *testing.T) {
			ch := mustBuild(t, c)
			var buf bytes.Buffer
			if err := Save(ch, &buf, SVG, 0, 0); err != nil {
				t.Fatalf("Save(%s, svg) = %v, want nil", c.name, err)
			}
			golden := filepath.Join("testdata", c.name+".svg")
			if *update {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got := buf.Bytes(); !bytes.Equal(got, want) {
				t.Errorf("Save(%s, svg) differs from %s at %s", c.name, golden, firstDiff(got, want))
			}
		})
	}
}

// firstDiff describes the first line where got and want differ.
func firstDiff(got, want []byte) string {
	g := strings.Split(string(got), "\n")
	w := strings.Split(string(want), "\n")
	for i := 0; i < len(g) && i < len(w); i++ {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d: got %q, want %q", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("length: got %d lines, want %d", len(g), len(w))
}

// TestGoldenSVGText checks that labels reach the SVG as text in their own
// script, not transliterated or escaped away.
func TestGoldenSVGText(t *testing.T) {
	ch := mustBuild(t, allCharts()[0])
	var buf bytes.Buffer
	if err := Save(ch, &buf, SVG, 0, 0); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{">Россия<", ">Türkiye<", ">São Paulo *<", ">Share of respondents (%)<", ">Total<", "font-family:'Liberation Sans',Arial,Helvetica,sans-serif;"} {
		if !bytes.Contains(buf.Bytes(), []byte(s)) {
			t.Errorf("SayDoGap SVG contains %q = false, want true", s)
		}
	}
}

// TestDeterministic saves every chart twice in every format and wants
// identical bytes.
func TestDeterministic(t *testing.T) {
	for _, c := range allCharts() {
		for _, f := range []Format{PNG, SVG, PDF} {
			t.Run(c.name+"."+string(f), func(t *testing.T) {
				var a, b bytes.Buffer
				if err := Save(mustBuild(t, c), &a, f, 0, 0); err != nil {
					t.Fatal(err)
				}
				if err := Save(mustBuild(t, c), &b, f, 0, 0); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(a.Bytes(), b.Bytes()) {
					t.Errorf("Save(%s, %s) twice: outputs differ (%d and %d bytes)", c.name, f, a.Len(), b.Len())
				}
			})
		}
	}
}

// TestBuildErrors feeds each chart inputs it must reject.
func TestBuildErrors(t *testing.T) {
	ragged := heatmap()
	ragged.Cells[2] = ragged.Cells[2][:2]
	short := heatmap()
	short.Cells = short.Cells[:3]
	outside := heatmap()
	outside.Cells[0][1].Value = 1.5
	tests := []struct {
		name    string
		build   func() (*Chart, error)
		want    string // substring of the error
		noData  bool   // error wraps ErrNoData
		rowHint string // the row the error must name
	}{
		{name: "gap empty", build: func() (*Chart, error) { return SayDoGap(nil, Options{}) }, want: "say-do gap", noData: true},
		{name: "effect empty", build: func() (*Chart, error) { return TrustEffect([]EffectRow{}, Options{}) }, want: "trust effect", noData: true},
		{name: "heatmap no rows", build: func() (*Chart, error) { return ParadoxHeatmap(Heatmap{Cols: []string{"a"}}, Options{}) }, want: "heat map", noData: true},
		{name: "heatmap no cols", build: func() (*Chart, error) { return ParadoxHeatmap(Heatmap{Rows: []string{"a"}}, Options{}) }, want: "heat map", noData: true},
		{name: "westin empty", build: func() (*Chart, error) { return WestinSegments(nil, Options{}) }, want: "westin", noData: true},
		{name: "comfort empty", build: func() (*Chart, error) { return ComfortByDataType(nil, Options{}) }, want: "comfort", noData: true},
		{
			name: "gap value above 1",
			build: func() (*Chart, error) {
				return SayDoGap([]GapRow{{Region: "A"}, {Region: "Brasil", Concern: iv(1.2, 1.1, 1.3), Protects: nanIv()}}, Options{})
			},
			want: "outside [0, 1]", rowHint: "row 2 (Brasil)",
		},
		{
			name: "gap estimate outside interval",
			build: func() (*Chart, error) {
				return SayDoGap([]GapRow{{Region: "Chile", Concern: iv(0.5, 0.6, 0.7), Protects: nanIv()}}, Options{})
			},
			want: "outside its interval", rowHint: "row 1 (Chile)",
		},
		{
			name: "effect reversed interval",
			build: func() (*Chart, error) {
				return TrustEffect([]EffectRow{{Region: "Perú", Trusting: nanIv(), NonTrusting: iv(nan(), 0.4, 0.3)}}, Options{})
			},
			want: "reversed", rowHint: "row 1 (Perú)",
		},
		{
			name: "effect infinite",
			build: func() (*Chart, error) {
				return TrustEffect([]EffectRow{{Region: "X", Trusting: iv(math.Inf(1), 0, 1), NonTrusting: nanIv()}}, Options{})
			},
			want: "outside [0, 1]", rowHint: "row 1 (X)",
		},
		{name: "heatmap ragged", build: func() (*Chart, error) { return ParadoxHeatmap(ragged, Options{}) }, want: "2 cells for 3 columns", rowHint: "row 3 (São Paulo)"},
		{name: "heatmap short", build: func() (*Chart, error) { return ParadoxHeatmap(short, Options{}) }, want: "3 rows of cells for 6 row names"},
		{name: "heatmap outside", build: func() (*Chart, error) { return ParadoxHeatmap(outside, Options{}) }, want: "outside [0, 1]", rowHint: "row 1 (Россия), column 2 (Privacy pragmatist)"},
		{
			name: "westin wrong share count",
			build: func() (*Chart, error) {
				return WestinSegments([]StackRow{{Label: "Asia", Shares: []float64{0.5, 0.5}}}, Options{})
			},
			want: "2 shares for 3 series", rowHint: "row 1 (Asia)",
		},
		{
			name: "westin shares do not sum to 1",
			build: func() (*Chart, error) {
				return WestinSegments([]StackRow{{Label: "Asia", Shares: []float64{0.5, 0.3, 0.1}}}, Options{})
			},
			want: "sum to 0.9", rowHint: "row 1 (Asia)",
		},
		{
			name: "westin negative share",
			build: func() (*Chart, error) {
				return WestinSegments([]StackRow{{Label: "Asia", Shares: []float64{1.1, -0.1, 0}}}, Options{})
			},
			want: "outside [0, 1]", rowHint: "row 1 (Asia)",
		},
		{
			name: "comfort bad value",
			build: func() (*Chart, error) {
				return ComfortByDataType([]BarRow{{Label: "Contacts", Value: iv(-0.2, -0.3, 0)}}, Options{})
			},
			want: "outside [0, 1]", rowHint: "row 1 (Contacts)",
		},
		{
			name: "series count",
			build: func() (*Chart, error) {
				return SayDoGap(gapRows(), Options{Series: []string{"only one"}})
			},
			want: "1 series names, want 2",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch, err := tt.build()
			if err == nil {
				t.Fatalf("%s = %v, nil; want error containing %q", tt.name, ch, tt.want)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "charts: ") || !strings.Contains(msg, tt.want) || !strings.Contains(msg, tt.rowHint) {
				t.Errorf("%s error = %q, want prefix \"charts: \" and %q and %q", tt.name, msg, tt.want, tt.rowHint)
			}
			if got := errors.Is(err, ErrNoData); got != tt.noData {
				t.Errorf("errors.Is(%q, ErrNoData) = %v, want %v", msg, got, tt.noData)
			}
		})
	}
}

// TestAllMissing checks that charts whose every estimate is NaN still
// build and render (reading "no data") rather than panic or fail.
func TestAllMissing(t *testing.T) {
	tests := []chartCase{
		{"gap", func() (*Chart, error) {
			return SayDoGap([]GapRow{{Region: "A", Concern: nanIv(), Protects: nanIv()}}, Options{})
		}},
		{"effect", func() (*Chart, error) {
			return TrustEffect([]EffectRow{{Region: "A", Trusting: nanIv(), NonTrusting: nanIv()}}, Options{})
		}},
		{"heatmap", func() (*Chart, error) {
			return ParadoxHeatmap(Heatmap{Rows: []string{"A"}, Cols: []string{"x", "y"}, Cells: [][]HeatCell{{{Value: nan()}, {Value: nan()}}}}, Options{})
		}},
		{"westin", func() (*Chart, error) {
			return WestinSegments([]StackRow{{Label: "A", Shares: []float64{nan(), 0.5, 0.5}}}, Options{})
		}},
		{"comfort", func() (*Chart, error) {
			return ComfortByDataType([]BarRow{{Label: "A", Value: nanIv()}, {Label: "B", Value: iv(0.3, nan(), nan())}}, Options{})
		}},
	}
	for _, c := range tests {
		t.Run(c.name, func(t *testing.T) {
			ch := mustBuild(t, c)
			texts := drawnText(t, ch, ch.Width, ch.Height)
			want := noDataLabel
			if c.name == "heatmap" {
				want = "–"
			}
			if !containsText(texts, want) {
				t.Errorf("%s draws %q = false, want true", c.name, want)
			}
			for _, f := range []Format{PNG, SVG, PDF} {
				if err := Save(ch, &bytes.Buffer{}, f, 0, 0); err != nil {
					t.Errorf("Save(%s, %s) = %v, want nil", c.name, f, err)
				}
			}
		})
	}
}

// TestSaveErrors covers the arguments Save must refuse.
func TestSaveErrors(t *testing.T) {
	ch := mustBuild(t, allCharts()[0])
	tests := []struct {
		name   string
		format Format
		w, h   vg.Length
		want   string
	}{
		{"unknown format", Format("gif"), 0, 0, `unknown format "gif"`},
		{"negative size", SVG, -1, 100, "negative size"},
		{"too small", PNG, 200, 60, "too small"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Save(ch, &bytes.Buffer{}, tt.format, tt.w, tt.h)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Save(%s, %v×%v) = %v, want error containing %q", tt.format, tt.w, tt.h, err, tt.want)
			}
		})
	}
}

// TestSavePlainPlot checks that Save takes any Drawer, here a bare plot,
// at the default size.
func TestSavePlainPlot(t *testing.T) {
	p := plot.New()
	p.Title.Text = "Россия"
	var buf bytes.Buffer
	if err := Save(p, &buf, SVG, 0, 0); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf(`width="%gpt" height="%gpt"`, DefaultWidth.Points(), DefaultHeight.Points())
	if !strings.Contains(buf.String(), want) {
		t.Errorf("Save(plot, svg, 0, 0) header lacks %s", want)
	}
}

// sizes are the canvases the layout tests draw at: the suggested size,
// narrow, wide and short, tall and narrow. Each must fit.
func sizes(ch *Chart) [][2]vg.Length {
	return [][2]vg.Length{
		{ch.Width, ch.Height},
		{4.5 * vg.Inch, ch.Height + 1*vg.Inch},
		{11 * vg.Inch, ch.Height},
		{5 * vg.Inch, 9 * vg.Inch},
	}
}

// TestLayoutSeparatesParts checks at several sizes that the panel, legend
// and notes are stacked without overlapping and that the legend or key
// lies wholly below the data area.
func TestLayoutSeparatesParts(t *testing.T) {
	for _, c := range allCharts() {
		ch := mustBuild(t, c)
		for _, sz := range sizes(ch) {
			l, err := ch.layout(draw.NewCanvas(nil, sz[0], sz[1]))
			if err != nil {
				t.Errorf("%s: layout at %v×%v = %v, want nil", c.name, sz[0], sz[1], err)
				continue
			}
			if l.data.Min.Y < l.panel.Min.Y || l.data.Max.Y > l.panel.Max.Y || l.data.Min.X < l.panel.Min.X || l.data.Max.X > l.panel.Max.X {
				t.Errorf("%s at %v×%v: data area %v outside panel %v", c.name, sz[0], sz[1], l.data.Rectangle, l.panel.Rectangle)
			}
			if l.furniture.Max.Y > l.data.Min.Y {
				t.Errorf("%s at %v×%v: legend top %v above data bottom %v", c.name, sz[0], sz[1], l.furniture.Max.Y, l.data.Min.Y)
			}
			for _, r := range l.rows {
				if r.width > l.fig.Max.X-l.fig.Min.X {
					t.Errorf("%s at %v×%v: legend row %v wider than figure", c.name, sz[0], sz[1], r.width)
				}
			}
		}
	}
}

// TestTooSmall checks that a size too small for the rows is refused with
// a reason instead of drawn with colliding labels.
func TestTooSmall(t *testing.T) {
	tests := []struct {
		chart int
		w, h  vg.Length
		want  string
	}{
		{0, 7 * vg.Inch, 250, "rows are"},
		{1, 2 * vg.Inch, 4 * vg.Inch, "too small"},
		{2, 7 * vg.Inch, 2 * vg.Inch, "too small"},
		{4, 200, 60, "left for the panel"},
	}
	for _, tt := range tests {
		c := allCharts()[tt.chart]
		err := mustBuild(t, c).Fits(tt.w, tt.h)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s.Fits(%v, %v) = %v, want error containing %q", c.name, tt.w, tt.h, err, tt.want)
		}
	}
}

// TestTextDoesNotCollide draws every chart at several sizes and checks
// that no two pieces of horizontal text overlap and none leaves the
// canvas: the guarantee behind "no overlapping labels, legends not
// covering data, long labels don't overflow".
func TestTextDoesNotCollide(t *testing.T) {
	for _, c := range allCharts() {
		ch := mustBuild(t, c)
		for _, sz := range sizes(ch) {
			texts := drawnText(t, ch, sz[0], sz[1])
			if len(texts) < 10 {
				t.Fatalf("%s at %v×%v draws %d texts, want at least 10", c.name, sz[0], sz[1], len(texts))
			}
			for i, a := range texts {
				if a.box.Min.X < -0.5 || a.box.Min.Y < -0.5 || a.box.Max.X > sz[0]+0.5 || a.box.Max.Y > sz[1]+0.5 {
					t.Errorf("%s at %v×%v: %q at %v leaves the canvas", c.name, sz[0], sz[1], a.s, a.box)
				}
				for _, b := range texts[i+1:] {
					if overlap(a.box, b.box) {
						t.Errorf("%s at %v×%v: %q at %v overlaps %q at %v", c.name, sz[0], sz[1], a.s, a.box, b.s, b.box)
					}
				}
			}
		}
	}
}

// drawnString is a piece of text as drawn, with its ink box: from the
// descender depth to the cap height, advance width wide.
type drawnString struct {
	s   string
	box vg.Rectangle
}

// drawnText records ch drawn at w×h and returns its unrotated text. Text
// inside a Rotate (the vertical axis label) is skipped.
func drawnText(t *testing.T, ch *Chart, w, h vg.Length) []drawnString {
	t.Helper()
	rec := &recorder.Canvas{}
	ch.Draw(draw.NewCanvas(rec, w, h))
	var out []drawnString
	rotated := []bool{false}
	faces := plot.DefaultTextHandler.Cache()
	for _, a := range rec.Actions {
		switch a := a.(type) {
		case *recorder.Push:
			rotated = append(rotated, rotated[len(rotated)-1])
		case *recorder.Pop:
			rotated = rotated[:len(rotated)-1]
		case *recorder.Rotate:
			rotated[len(rotated)-1] = true
		case *recorder.FillString:
			if rotated[len(rotated)-1] {
				continue
			}
			face := faces.Lookup(a.Font, a.Size)
			out = append(out, drawnString{s: a.String, box: vg.Rectangle{
				Min: vg.Point{X: a.Point.X, Y: a.Point.Y - 0.21*a.Size},
				Max: vg.Point{X: a.Point.X + face.Width(a.String), Y: a.Point.Y + capHeight*a.Size},
			}})
		}
	}
	return out
}

func containsText(texts []drawnString, s string) bool {
	for _, t := range texts {
		if t.s == s {
			return true
		}
	}
	return false
}

// overlap reports whether two boxes share more than a hairline.
func overlap(a, b vg.Rectangle) bool {
	const eps = 0.25
	return a.Min.X+eps < b.Max.X && b.Min.X+eps < a.Max.X && a.Min.Y+eps < b.Max.Y && b.Min.Y+eps < a.Max.Y
}

// TestDrawLeavesChartUnchanged checks Draw's promise not to modify the
// chart, so one Chart can be saved at several sizes.
func TestDrawLeavesChartUnchanged(t *testing.T) {
	ch := mustBuild(t, allCharts()[3])
	before := ch.Plot.Y.Tick.Marker
	var a, b bytes.Buffer
	if err := Save(ch, &a, SVG, 0, 0); err != nil {
		t.Fatal(err)
	}
	if err := Save(ch, &bytes.Buffer{}, SVG, 3*vg.Inch, 9*vg.Inch); err != nil {
		t.Fatal(err)
	}
	if err := Save(ch, &b, SVG, 0, 0); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(ch.Plot.Y.Tick.Marker) != fmt.Sprint(before) {
		t.Errorf("Draw changed Plot.Y.Tick.Marker to %v, want %v", ch.Plot.Y.Tick.Marker, before)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Errorf("Save after a save at another size differs from the first")
	}
}

// TestTotalsLast checks that total rows move after the others behind a
// rule and that values are starred for low bases.
func TestTotalsLast(t *testing.T) {
	ch := mustBuild(t, allCharts()[0])
	got := strings.Join(ch.yCats.names, "|")
	want := "Россия|Türkiye|São Paulo *|" + longRegion + "|Oceania|Japan|Total"
	if got != want {
		t.Errorf("SayDoGap row order = %q, want %q", got, want)
	}
	texts := drawnText(t, ch, ch.Width, ch.Height)
	for _, s := range []string{"41% *", "58% *", "71%", "28%"} {
		if !containsText(texts, s) {
			t.Errorf("SayDoGap draws %q = false, want true", s)
		}
	}
}

// TestComfortSorted checks descending order with missing values last.
func TestComfortSorted(t *testing.T) {
	ch := mustBuild(t, allCharts()[4])
	got := strings.Join(ch.yCats.names, "|")
	want := "Age and gender|Purchase history|Browsing history|Location (precise GPS while using the app and in the background)|Health and fitness data|Contacts *|Voice recordings"
	if got != want {
		t.Errorf("ComfortByDataType order = %q, want %q", got, want)
	}
}

// TestHeatmapCells checks the annotation and colouring rules of the heat
// map: one decimal, starred value and base in grey low-base cells, a dash
// for missing cells, and text colour chosen for contrast.
func TestHeatmapCells(t *testing.T) {
	scale, err := newRamp(0.12, 0.50)
	if err != nil {
		t.Fatal(err)
	}
	h := &heatPlot{ramp: scale}
	tests := []struct {
		cell      HeatCell
		wantLabel string
		wantFill  string
	}{
		{HeatCell{Value: 0.412, N: 120}, "41.2%", ""},
		{HeatCell{Value: 0.21, N: 25, LowBase: true}, "21.0%*\nn=25", fmt.Sprint(rgb(lowBaseColor))},
		{HeatCell{Value: nan()}, "–", fmt.Sprint(rgb(noDataColor))},
		{HeatCell{Value: nan(), LowBase: true}, "–", fmt.Sprint(rgb(noDataColor))},
	}
	for _, tt := range tests {
		fill, label := h.cell(tt.cell)
		if label != tt.wantLabel {
			t.Errorf("cell(%+v) label = %q, want %q", tt.cell, label, tt.wantLabel)
		}
		if tt.wantFill != "" && fmt.Sprint(fill) != tt.wantFill {
			t.Errorf("cell(%+v) fill = %v, want %v", tt.cell, fill, tt.wantFill)
		}
	}
	// The darkest cell needs white text, the lightest black.
	if got := textOn(scale.at(scale.max)); !sameColor(got, color.White) {
		t.Errorf("textOn(darkest) = %v, want white", got)
	}
	if got := textOn(scale.at(scale.min)); !sameColor(got, rgb(inkColor)) {
		t.Errorf("textOn(lightest) = %v, want ink %v", got, rgb(inkColor))
	}
}

func sameColor(a, b color.Color) bool {
	ar, ag, ab, aa := a.RGBA()
	br, bg, bb, ba := b.RGBA()
	return ar == br && ag == bg && ab == bb && aa == ba
}

// FuzzCharts builds every chart from arbitrary numbers and labels and
// draws what builds: invalid data must be an error, never a panic, and
// NaN must be skipped.
func FuzzCharts(f *testing.F) {
	f.Add("Россия", 0.71, 0.66, 0.76, 120, true)
	f.Add("", math.NaN(), 0.1, 0.9, 0, false)
	f.Add("São Paulo Türkiye "+longRegion, 1.0, 1.0, 1.0, 5, true)
	f.Add("x", 0.0, 0.0, 0.0, -3, false)
	f.Add("北京", 2.0, -1.0, math.Inf(1), 1, true)
	f.Fuzz(func(t *testing.T, label string, est, lo, hi float64, n int, low bool) {
		v := iv(est, lo, hi)
		builds := []func() (*Chart, error){
			func() (*Chart, error) {
				return SayDoGap([]GapRow{{Region: label, Concern: v, Protects: iv(hi, lo, est), LowBase: low}, {Region: "Total", Concern: v, Total: true}}, Options{})
			},
			func() (*Chart, error) {
				return TrustEffect([]EffectRow{{Region: label, Trusting: v, NonTrusting: nanIv(), LowBase: low}}, Options{})
			},
			func() (*Chart, error) {
				return ParadoxHeatmap(Heatmap{Rows: []string{label}, Cols: []string{label, "b"}, Cells: [][]HeatCell{{{est, n, low}, {lo, n, !low}}}}, Options{})
			},
			func() (*Chart, error) {
				return WestinSegments([]StackRow{{Label: label, Shares: []float64{est, lo, 1 - est - lo}, LowBase: low}}, Options{})
			},
			func() (*Chart, error) {
				return ComfortByDataType([]BarRow{{Label: label, Value: v, LowBase: low}, {Label: "b", Value: iv(lo, lo, lo)}}, Options{})
			},
		}
		for i, b := range builds {
			ch, err := b()
			if err != nil {
				if ch != nil || !strings.HasPrefix(err.Error(), "charts: ") {
					t.Errorf("chart %d: got %v and error %q, want nil and a \"charts: \" error", i, ch, err)
				}
				continue
			}
			if ch.Fits(ch.Width, ch.Height) == nil {
				drawnText(t, ch, ch.Width, ch.Height)
			}
		}
	})
}
