package analysis

import (
	"math"
	"strings"
	"testing"
)

// goldenProp checks a proportion (Mean of an indicator) and its three
// intervals against svyciprop(method = "logit", "beta", "mean") on the
// case's domain, to coreTol (svyciprop's own logit interval to
// coreIRLSTol).
func goldenProp(t *testing.T, c coreCase) {
	f, d, err := coreDesign(t, c.Design)
	if err != nil {
		t.Fatal(err)
	}
	y := f.indicator(t, c.Y, *c.Value)
	in := f.in(t, c.Domain)
	e := d.Prop(y, in, CILogit, c.Level)
	checkEstimate(t, "Prop", e, c)
	for name, want := range c.CIMethods {
		tol := coreTol
		switch name {
		case "logit":
			tol = coreIRLSTol
		case "logit_exact":
			name = "logit"
		}
		m, err := ParseCIMethod(name)
		if err != nil {
			t.Fatal(err)
		}
		lo, hi := PropCI(e, m, c.Level)
		checkNumTol(t, "PropCI("+name+") low", lo, want[0], tol)
		checkNumTol(t, "PropCI("+name+") high", hi, want[1], tol)
	}
}

// TestTQuantile compares with R's qt to 1e-9 relative.
func TestTQuantile(t *testing.T) {
	tests := []struct {
		p    float64
		df   int
		want float64 // R: qt(p, df)
	}{
		{0.975, 1, 12.706204736174694},
		{0.975, 7, 2.3646242515927844},
		{0.95, 30, 1.6972608865939569},
		{0.995, 180, 2.603418228599863},
		{0.025, 12, -2.1788128296672289},
		{0.975, 100000, 1.9599877075346088},
	}
	for _, tt := range tests {
		if got := TQuantile(tt.p, tt.df); math.Abs(got-tt.want) > 1e-9*math.Abs(tt.want) {
			t.Errorf("TQuantile(%v, %d) = %.17g, want %.17g", tt.p, tt.df, got, tt.want)
		}
	}
	for _, df := range []int{0, -3} {
		if got := TQuantile(0.975, df); !math.IsNaN(got) {
			t.Errorf("TQuantile(0.975, %d) = %v, want NaN", df, got)
		}
	}
}

// TestPropCIEdges covers the bounds where R's intervals degenerate.
func TestPropCIEdges(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name   string
		e      Estimate
		m      CIMethod
		lo, hi float64
	}{
		{"logit p=0", Estimate{Estimate: 0, SE: 0, DF: 10, NDomain: 20}, CILogit, 0, 0},
		{"logit p=1", Estimate{Estimate: 1, SE: 0, DF: 10, NDomain: 20}, CILogit, 1, 1},
		{"wald p=0", Estimate{Estimate: 0, SE: 0, DF: 10, NDomain: 20}, CIWald, 0, 0},
		{"beta p=0", Estimate{Estimate: 0, SE: 0, DF: 10, NDomain: 20}, CIBeta, nan, nan},
		{"beta p=1", Estimate{Estimate: 1, SE: 0, DF: 10, NDomain: 20}, CIBeta, nan, nan},
		{"df 0", Estimate{Estimate: 0.4, SE: 0.1, DF: 0, NDomain: 20}, CILogit, nan, nan},
		{"no estimate", Estimate{Estimate: nan, SE: nan, DF: 5, NDomain: 20}, CIBeta, nan, nan},
	}
	same := func(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }
	for _, tt := range tests {
		lo, hi := PropCI(tt.e, tt.m, 0.95)
		if !same(lo, tt.lo) || !same(hi, tt.hi) {
			t.Errorf("PropCI(%s) = [%v, %v], want [%v, %v]", tt.name, lo, hi, tt.lo, tt.hi)
		}
	}
}

// TestPropCIOrder checks on a grid that every interval holds its estimate
// and stays inside [0, 1] for logit and beta.
func TestPropCIOrder(t *testing.T) {
	for _, p := range []float64{0.001, 0.03, 0.2, 0.5, 0.93, 0.999} {
		for _, se := range []float64{1e-4, 0.01, 0.08} {
			e := Estimate{Estimate: p, SE: se, DF: 25, NDomain: 400}
			for _, m := range []CIMethod{CILogit, CIBeta, CIWald} {
				lo, hi := PropCI(e, m, 0.95)
				if !(lo < p && p < hi) {
					t.Errorf("PropCI(p=%v, se=%v, %v) = [%v, %v], want it around p", p, se, m, lo, hi)
				}
				if m != CIWald && (lo < 0 || hi > 1) {
					t.Errorf("PropCI(p=%v, se=%v, %v) = [%v, %v], want inside [0, 1]", p, se, m, lo, hi)
				}
			}
		}
	}
}

func TestParseCIMethod(t *testing.T) {
	tests := []struct {
		in      string
		want    CIMethod
		wantErr bool
	}{
		{"", CILogit, false},
		{"logit", CILogit, false},
		{"beta", CIBeta, false},
		{"wald", CIWald, false},
		{"mean", CIWald, false},
		{"likelihood", CILikelihood, false},
		{"Logit", CILogit, true},
	}
	for _, tt := range tests {
		got, err := ParseCIMethod(tt.in)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("ParseCIMethod(%q) = %v, %v, want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func FuzzParseCIMethod(f *testing.F) {
	for _, s := range []string{"", "logit", "beta", "wald", "mean", "asin", "likelihood", "LOGIT"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseCIMethod(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "ci method: ") {
				t.Errorf("ParseCIMethod(%q) error %q lacks its prefix", s, err)
			}
			return
		}
		if back, err := ParseCIMethod(m.String()); err != nil || back != m {
			t.Errorf("ParseCIMethod(%q).String() = %q does not parse back: %v, %v", s, m.String(), back, err)
		}
	})
}
