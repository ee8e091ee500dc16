package analysis

import (
	"math"
	"strings"
	"testing"
)

// TestCovMatrixGolden compares CovMatrix and Correlation with svyvar and
// cov2cor(svyvar) (testdata/svyvar/svyvar.R), to goldenTol.
func TestCovMatrixGolden(t *testing.T) {
	runRScripts(t, "glm", "make.R") // synth.csv first
	runRScripts(t, "svyvar", "svyvar.R")
	s := loadSynth(t)
	d := s.design(t, false)
	var golden []struct {
		Name, Domain string
		Vars         []string
		Cov, Cor     [][]float64
	}
	readGoldenJSON(t, "svyvar/svyvar.json", &golden)
	if len(golden) == 0 {
		t.Fatal("svyvar.json has no cases")
	}
	domains := map[string][]bool{"all": nil, "dom == 1": s.is(t, "dom", 1)}
	for _, g := range golden {
		in, ok := domains[g.Domain]
		if !ok {
			t.Fatalf("svyvar.json: unknown domain %q", g.Domain)
		}
		var x [][]float64
		for _, v := range g.Vars {
			x = append(x, s.num(t, v))
		}
		got, err := d.CovMatrix(x, in)
		if err != nil {
			t.Fatalf("CovMatrix(%s | %s) error: %v", g.Vars, g.Domain, err)
		}
		for j := range g.Cov {
			for l := range g.Cov[j] {
				if !relClose(got[j][l], g.Cov[j][l], goldenTol) {
					t.Errorf("CovMatrix(%s | %s)[%d][%d] = %.12g, want %.12g", g.Vars, g.Domain, j, l, got[j][l], g.Cov[j][l])
				}
			}
		}
		if len(g.Vars) != 2 {
			continue
		}
		r, err := d.Correlation(x[0], x[1], in)
		if err != nil || !relClose(r, g.Cor[0][1], goldenTol) {
			t.Errorf("Correlation(%s | %s) = %.12g, %v, want %.12g", g.Vars, g.Domain, r, err, g.Cor[0][1])
		}
	}
}

func TestCovMatrixErrors(t *testing.T) {
	d, err := NewDesign(4, DesignSpec{Weights: []float64{1, 2, 3, 4}})
	if err != nil {
		t.Fatal(err)
	}
	nan := math.NaN()
	tests := []struct {
		name string
		x, y []float64
		in   []bool
		want string
	}{
		{"one complete", []float64{1, nan, 3, 4}, []float64{1, 2, nan, nan}, nil, "1 respondents"},
		{"domain too small", []float64{1, 2, 3, 4}, []float64{1, 2, 3, 5}, []bool{true, false, false, false}, "1 respondents"},
		{"infinite", []float64{1, 2, math.Inf(1), 4}, []float64{1, 2, 3, 5}, nil, "variable 1 of respondent 3 is +Inf"},
		{"constant", []float64{1, 2, 3, 4}, []float64{2, 2, 2, 2}, nil, "y has no variance"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := d.Correlation(tt.x, tt.y, tt.in); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Correlation(%v, %v) error = %v, want one containing %q", tt.x, tt.y, err, tt.want)
			}
		})
	}
}

// TestCorrelationBounds: perfectly related variables give exactly ±1.
func TestCorrelationBounds(t *testing.T) {
	d, err := NewDesign(5, DesignSpec{Weights: []float64{0.3, 1.7, 2.9, 1.1, 0.7}})
	if err != nil {
		t.Fatal(err)
	}
	x := []float64{0.1, 0.7, 0.2, 1.3, 0.9}
	for _, c := range []struct {
		slope, want float64
	}{{3.3, 1}, {-0.7, -1}} {
		y := make([]float64, len(x))
		for i := range x {
			y[i] = 2 + c.slope*x[i]
		}
		r, err := d.Correlation(x, y, nil)
		if err != nil || math.Abs(r-c.want) > 1e-14 || math.Abs(r) > 1 {
			t.Errorf("Correlation(x, 2 + %v·x) = %.17g, %v, want %v", c.slope, r, err, c.want)
		}
	}
}
