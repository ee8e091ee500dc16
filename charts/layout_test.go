package charts

import (
	"fmt"
	"image/color"
	"math"
	"strings"
	"testing"
)

func TestNiceUpper(t *testing.T) {
	tests := []struct{ hi, want float64 }{
		{0.07, 10},
		{0.08, 10}, // 8 + 2 points of headroom is exactly 10
		{0.081, 20},
		{0.28, 30}, // 0.28·100 is 28.000000000000004
		{0.58, 60},
		{0.48, 50},
		{0.49, 60}, // past 50 the step is 20
		{0.66, 80},
		{0.81, 100},
		{0.99, 100},
		{0, 100},
		{math.NaN(), 100},
	}
	for _, tt := range tests {
		if got := niceUpper(tt.hi); got != tt.want {
			t.Errorf("niceUpper(%v) = %v, want %v", tt.hi, got, tt.want)
		}
	}
}

func TestPercentTicks(t *testing.T) {
	tests := []struct {
		min, max float64
		want     string
	}{
		{0, 100, "0 20 40 60 80 100"},
		{0, 50, "0 10 20 30 40 50"},
		{10, 40, "10 20 30 40"},
		{20, 90, "20 40 60 80"},
	}
	for _, tt := range tests {
		var got []string
		for _, tk := range (percentTicks{}).Ticks(tt.min, tt.max) {
			got = append(got, tk.Label)
		}
		if s := strings.Join(got, " "); s != tt.want {
			t.Errorf("percentTicks.Ticks(%v, %v) = %q, want %q", tt.min, tt.max, s, tt.want)
		}
	}
}

func TestSlots(t *testing.T) {
	tests := []struct {
		total   []bool
		order   string
		pos     string
		wantSep float64
	}{
		{[]bool{false, false, false}, "[0 1 2]", "[0 1 2]", math.NaN()},
		{[]bool{false, true, false}, "[0 2 1]", "[0 1 2.5]", 1.75},
		{[]bool{true}, "[0]", "[0]", math.NaN()},
		{[]bool{true, true}, "[0 1]", "[0 1]", math.NaN()},
	}
	for _, tt := range tests {
		s := newSlots(tt.total)
		if got := fmt.Sprint(s.order); got != tt.order {
			t.Errorf("newSlots(%v).order = %s, want %s", tt.total, got, tt.order)
		}
		if got := fmt.Sprint(s.pos); got != tt.pos {
			t.Errorf("newSlots(%v).pos = %s, want %s", tt.total, got, tt.pos)
		}
		if got := s.sep; !(got == tt.wantSep || math.IsNaN(got) && math.IsNaN(tt.wantSep)) {
			t.Errorf("newSlots(%v).sep = %v, want %v", tt.total, got, tt.wantSep)
		}
		r := s.rows()
		if len(r.pos) > 0 && r.pos[len(r.pos)-1] != -s.pos[len(s.pos)-1] {
			t.Errorf("newSlots(%v).rows().pos = %v, want %v negated", tt.total, r.pos, s.pos)
		}
	}
}

func TestTextOn(t *testing.T) {
	tests := []struct {
		bg        uint32
		wantWhite bool
	}{
		{okabeBlue, true},
		{0x0B2E4F, true},
		{okabeOrange, false},
		{okabeSkyBlue, false},
		{okabeYellow, false},
		{lowBaseColor, false},
		{0x000000, true},
		{0xFFFFFF, false},
	}
	for _, tt := range tests {
		got := sameColor(textOn(rgb(tt.bg)), color.White)
		if got != tt.wantWhite {
			t.Errorf("textOn(%06X) is white = %v, want %v", tt.bg, got, tt.wantWhite)
		}
	}
}

func TestLuminance(t *testing.T) {
	tests := []struct {
		c    uint32
		want float64
	}{
		{0x000000, 0},
		{0xFFFFFF, 1},
		{0x808080, 0.2158605},
	}
	for _, tt := range tests {
		if got := luminance(rgb(tt.c)); math.Abs(got-tt.want) > 1e-6 {
			t.Errorf("luminance(%06X) = %v, want %v", tt.c, got, tt.want)
		}
	}
}

func TestTint(t *testing.T) {
	tests := []struct {
		c    uint32
		f    float64
		want color.RGBA
	}{
		{okabeBlue, 0, rgb(okabeBlue)},
		{okabeBlue, 1, rgb(0xFFFFFF)},
		{0x000000, 0.5, color.RGBA{128, 128, 128, 255}},
	}
	for _, tt := range tests {
		if got := tint(rgb(tt.c), tt.f); got != tt.want {
			t.Errorf("tint(%06X, %v) = %v, want %v", tt.c, tt.f, got, tt.want)
		}
	}
}

func TestOkabeIto(t *testing.T) {
	p := OkabeIto()
	if len(p) != 8 {
		t.Fatalf("len(OkabeIto()) = %d, want 8", len(p))
	}
	p[0] = color.Black // callers get a copy
	if q := OkabeIto(); !sameColor(q[0], rgb(okabeBlue)) {
		t.Errorf("OkabeIto()[0] after a caller's write = %v, want %v", q[0], rgb(okabeBlue))
	}
}

func TestCheckInterval(t *testing.T) {
	tests := []struct {
		v    Interval
		want string // "" for no error
	}{
		{iv(0.5, 0.4, 0.6), ""},
		{iv(0, 0, 0), ""},
		{iv(1, 1, 1), ""},
		{iv(0.5, nan(), nan()), ""},
		{iv(nan(), 0.4, 0.6), ""},
		{nanIv(), ""},
		{iv(1+1e-12, 1, 1+1e-12), ""}, // rounding noise
		{iv(0.02, -0.01, 0.05), ""},   // a Wald interval may cross 0
		{iv(0.99, 0.97, 1.01), ""},
		{iv(1.01, 1, 1.02), "outside [0, 1]"},
		{iv(-0.1, nan(), nan()), "outside [0, 1]"},
		{iv(math.Inf(1), nan(), nan()), "outside [0, 1]"},
		{iv(0.5, math.Inf(-1), 0.6), "infinite"},
		{iv(0.5, 0.6, 0.4), "reversed"},
		{iv(0.7, 0.4, 0.6), "outside its interval"},
		{iv(0.3, 0.4, nan()), "outside its interval"},
	}
	for _, tt := range tests {
		err := checkInterval(tt.v)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("checkInterval(%+v) = %v, want nil", tt.v, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("checkInterval(%+v) = %v, want error containing %q", tt.v, err, tt.want)
		}
	}
}

func TestOptionsNotes(t *testing.T) {
	tests := []struct {
		o            Options
		ci, low, tag string
	}{
		{Options{}, "Whiskers show 95% confidence intervals.", "* Low base (pale bars); interpret with caution.", "low base"},
		{Options{Level: 0.9, MinBase: 50}, "Whiskers show 90% confidence intervals.", "* Base below 50 respondents (pale bars); interpret with caution.", "n<50"},
		{Options{Level: 0.995}, "Whiskers show 99.5% confidence intervals.", "* Low base (pale bars); interpret with caution.", "low base"},
	}
	for _, tt := range tests {
		if got := tt.o.ciNote(); got != tt.ci {
			t.Errorf("%+v.ciNote() = %q, want %q", tt.o, got, tt.ci)
		}
		if got := tt.o.lowBaseNote("pale bars"); got != tt.low {
			t.Errorf("%+v.lowBaseNote() = %q, want %q", tt.o, got, tt.low)
		}
		if got := tt.o.lowBaseTag(); got != tt.tag {
			t.Errorf("%+v.lowBaseTag() = %q, want %q", tt.o, got, tt.tag)
		}
	}
}

// TestMissingGlyphs is the guard against tofu: the scripts a regional
// report needs are covered, others are reported.
func TestMissingGlyphs(t *testing.T) {
	tests := []struct {
		s    string
		want string
	}{
		{"Россия", "[]"},
		{"Türkiye", "[]"},
		{"São Paulo", "[]"},
		{"Ελλάδα Česko Polska Łódź Ísland Việt Nam", "[]"},
		{"– … * % n<30", "[]"},
		{"北京 and 北京", "[北 京]"},
		{"مصر", "[م ص ر]"},
	}
	for _, tt := range tests {
		if got := fmt.Sprintf("%c", MissingGlyphs(tt.s)); got != tt.want {
			t.Errorf("MissingGlyphs(%q) = %s, want %s", tt.s, got, tt.want)
		}
	}
}

func TestClip(t *testing.T) {
	tests := []struct{ in, want Interval }{
		{iv(0.02, -0.01, 0.05), iv(0.02, 0, 0.05)},
		{iv(0.99, 0.97, 1.01), iv(0.99, 0.97, 1)},
		{iv(0.5, 0.4, 0.6), iv(0.5, 0.4, 0.6)},
	}
	for _, tt := range tests {
		if got := tt.in.clip(); got != tt.want {
			t.Errorf("%+v.clip() = %+v, want %+v", tt.in, got, tt.want)
		}
	}
	if got := nanIv().clip(); !math.IsNaN(got.Lo) || !math.IsNaN(got.Hi) {
		t.Errorf("NaN interval .clip() = %+v, want NaN bounds", got)
	}
}
