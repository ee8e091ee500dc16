package charts

import (
	"bytes"
	"image/png"
	"regexp"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
)

func TestParseFormat(t *testing.T) {
	tests := []struct {
		in      string
		want    Format
		wantErr bool
	}{
		{"png", PNG, false},
		{"SVG", SVG, false},
		{".pdf", PDF, false},
		{".PNG", PNG, false},
		{"", "", true},
		{"jpeg", "", true},
		{"..svg", "", true},
	}
	for _, tt := range tests {
		got, err := ParseFormat(tt.in)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("ParseFormat(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

// FuzzParseFormat checks that whatever ParseFormat accepts is a format
// Save writes and parses back to itself.
func FuzzParseFormat(f *testing.F) {
	for _, s := range []string{"png", ".SVG", "pdf", "", ".", "gif", "p\x00ng"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseFormat(s)
		if err != nil {
			if got != "" {
				t.Errorf("ParseFormat(%q) = %q with error %v, want empty", s, got, err)
			}
			return
		}
		if got != PNG && got != SVG && got != PDF {
			t.Errorf("ParseFormat(%q) = %q, want png, svg or pdf", s, got)
		}
		if again, err := ParseFormat(string(got)); again != got || err != nil {
			t.Errorf("ParseFormat(%q) = %q, %v; want %q, nil", got, again, err, got)
		}
	})
}

// TestPNGResolution checks PNG output is rendered at 150 dpi.
func TestPNGResolution(t *testing.T) {
	ch := mustBuild(t, allCharts()[1])
	var buf bytes.Buffer
	if err := Save(ch, &buf, PNG, 6*vg.Inch, 4*vg.Inch); err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Width != 900 || cfg.Height != 600 {
		t.Errorf("PNG of 6×4 in = %d×%d px, want 900×600", cfg.Width, cfg.Height)
	}
}

// TestPDFFontsAndDates checks the PDF embeds its fonts as Unicode (Type0,
// with a ToUnicode map so text can be searched and copied, Cyrillic
// included) and carries the fixed date that makes it reproducible.
func TestPDFFontsAndDates(t *testing.T) {
	ch := mustBuild(t, allCharts()[0])
	var buf bytes.Buffer
	if err := Save(ch, &buf, PDF, 0, 0); err != nil {
		t.Fatal(err)
	}
	pdf := buf.String()
	for _, want := range []string{"%PDF-", "/Subtype /Type0", "/ToUnicode", "/FontFile2", "/CreationDate (D:20000101000000)", "%%EOF"} {
		if !strings.Contains(pdf, want) {
			t.Errorf("SayDoGap PDF contains %q = false, want true", want)
		}
	}
	// One regular and one bold face (the title).
	if n := len(regexp.MustCompile(`/Subtype /Type0\s+/BaseFont /utf8liberationsans-(regular|bold)`).FindAllString(pdf, -1)); n != 2 {
		t.Errorf("SayDoGap PDF has %d Liberation Sans Type0 fonts, want 2", n)
	}
}

// TestPDFImage covers DrawImage, which no chart uses but the canvas must
// support for plots that do (a rasterised heat map, say).
func TestPDFImage(t *testing.T) {
	c := newPDFCanvas(100, 100)
	var src bytes.Buffer
	ch := mustBuild(t, allCharts()[1])
	if err := Save(ch, &src, PNG, 0, 0); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&src)
	if err != nil {
		t.Fatal(err)
	}
	c.DrawImage(vg.Rectangle{Min: vg.Point{X: 10, Y: 10}, Max: vg.Point{X: 90, Y: 60}}, img)
	var out bytes.Buffer
	if _, err := c.WriteTo(&out); err != nil {
		t.Fatalf("WriteTo after DrawImage = %v, want nil", err)
	}
	if !strings.Contains(out.String(), "/Subtype /Image") {
		t.Errorf("PDF with an image contains /Subtype /Image = false, want true")
	}
}
