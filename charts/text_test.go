package charts

import (
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

func TestPct(t *testing.T) {
	tests := []struct {
		x    float64
		d    int
		want string
	}{
		{0.4732, 1, "47.3%"},
		{0.4732, 0, "47%"},
		{1, 0, "100%"},
		{0, 1, "0.0%"},
		{-0.0001, 0, "0%"}, // no "-0%"
		{0.005, 0, "0%"},   // 0.5 rounds half to even in FormatFloat
		{0.125, 1, "12.5%"},
	}
	for _, tt := range tests {
		if got := pct(tt.x, tt.d); got != tt.want {
			t.Errorf("pct(%v, %d) = %q, want %q", tt.x, tt.d, got, tt.want)
		}
	}
}

func TestTrimFloat(t *testing.T) {
	tests := []struct {
		x    float64
		want string
	}{
		{95, "95"},
		{99.5, "99.5"},
		{90.04, "90"},
		{89.99999999, "90"},
	}
	for _, tt := range tests {
		if got := trimFloat(tt.x); got != tt.want {
			t.Errorf("trimFloat(%v) = %q, want %q", tt.x, got, tt.want)
		}
	}
}

func tickStyleForTest() draw.TextStyle {
	return textStyle(tickSize, false, rgb(inkColor), draw.XLeft, draw.YCenter)
}

func TestWrap(t *testing.T) {
	sty := tickStyleForTest()
	tests := []struct {
		s        string
		width    vg.Length
		maxLines int
		want     string
	}{
		{"Total", 100, 3, "Total"},
		{"", 100, 3, ""},
		{"   ", 100, 3, ""},
		{"North America", 1000, 0, "North America"},
		{"Western Europe and the Nordic countries", 70, 0, "Western Europe\nand the Nordic\ncountries"},
		{"Western Europe and the Nordic countries", 70, 2, "Western Europe\nand the Nordic…"},
		{"Россия  Türkiye", 40, 0, "Россия\nTürkiye"},
		// A word wider than the line is broken between characters.
		{"Internationalisation", 40, 0, "Internatio\nnalisation"},
		// Nothing fits: one character per line, never a hang.
		{"abc", 0.1, 0, "a\nb\nc"},
	}
	for _, tt := range tests {
		if got := wrap(sty, tt.s, tt.width, tt.maxLines); got != tt.want {
			t.Errorf("wrap(%q, %v, %d) = %q, want %q", tt.s, tt.width, tt.maxLines, got, tt.want)
		}
	}
}

// FuzzWrap checks wrap's invariants on any text: it terminates, keeps
// every non-space character in order when lines are unlimited, respects
// the width except for single characters, and honours maxLines.
func FuzzWrap(f *testing.F) {
	f.Add("Western Europe and the Nordic countries (EU/EEA members)", 80.0, 3)
	f.Add("Россия Türkiye São Paulo", 30.0, 0)
	f.Add("北京上海广州深圳", 20.0, 2)
	f.Add("a\tb\nc", 1.0, 1)
	f.Add("", 0.0, 0)
	f.Add(strings.Repeat("x", 1400), 30.0, 0) // hung the quadratic wrap
	f.Add(strings.Repeat("ab ", 700), 5.0, 3)
	sty := tickStyleForTest()
	f.Fuzz(func(t *testing.T, s string, width float64, maxLines int) {
		if !utf8.ValidString(s) || math.IsNaN(width) || width < 0 || width > 1e4 || maxLines > 50 {
			t.Skip()
		}
		w := vg.Length(width)
		got := wrap(sty, s, w, maxLines)
		lines := strings.Split(got, "\n")
		if maxLines > 0 && len(lines) > maxLines {
			t.Errorf("wrap(%q, %v, %d) has %d lines, want at most %d", s, w, maxLines, len(lines), maxLines)
		}
		for _, l := range lines {
			if utf8.RuneCountInString(l) > 1 && sty.Width(l) > w && !strings.HasSuffix(l, ellipsis) {
				t.Errorf("wrap(%q, %v, %d) line %q is %v wide, want at most %v", s, w, maxLines, l, sty.Width(l), w)
			}
		}
		if maxLines <= 0 {
			squash := func(x string) string { return strings.Join(strings.Fields(x), "") }
			if squash(got) != squash(s) {
				t.Errorf("wrap(%q, %v, 0) = %q, lost or reordered text", s, w, got)
			}
		}
	})
}

// TestWrapLongLabel wraps labels far longer than any chart shows: one
// unbroken word and many short ones. The quadratic wrap took minutes on
// 2,500 characters; this one measures each character a few times.
func TestWrapLongLabel(t *testing.T) {
	sty := tickStyleForTest()
	for _, s := range []string{strings.Repeat("X", 2500), strings.Repeat("Ж", 100000), strings.Repeat("ab ", 50000)} {
		got := wrap(sty, s, 80, 0)
		squash := func(x string) string { return strings.Join(strings.Fields(x), "") }
		if squash(got) != squash(s) {
			t.Errorf("wrap(%d runes, 80, 0) lost text", utf8.RuneCountInString(s))
		}
		got = wrap(sty, s, 80, 2)
		if n := strings.Count(got, "\n") + 1; n != 2 || !strings.HasSuffix(got, ellipsis) {
			t.Errorf("wrap(%d runes, 80, 2) = %d lines ending %q, want 2 ending in an ellipsis", utf8.RuneCountInString(s), n, got[len(got)-5:])
		}
	}
}

func BenchmarkWrapLongWord(b *testing.B) {
	sty := tickStyleForTest()
	s := strings.Repeat("X", 2500)
	for b.Loop() {
		wrap(sty, s, 80, 0)
	}
}

func TestVcenterCentresInk(t *testing.T) {
	// Drawn at anchor+vcenter, the ink of one line (baseline to cap
	// height) must straddle the anchor evenly.
	sty := textStyle(10, false, rgb(inkColor), draw.XLeft, draw.YCenter)
	d := vcenter(sty, "47%")
	// Plain.Draw puts a single line's baseline at y − h/2 − ascent + size.
	base := d - sty.Height("47%")/2 - sty.FontExtents().Ascent + sty.Font.Size
	top := base + capHeight*sty.Font.Size
	if got := (base + top) / 2; math.Abs(float64(got)) > 1e-9 {
		t.Errorf("ink centre after vcenter = %v, want 0", got)
	}
}
