package analysis

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// TestAlphaGolden compares CronbachAlpha and AlphaIfDeleted with psych::alpha
// on the complete cases (testdata/alpha/alpha.R), to goldenTol.
func TestAlphaGolden(t *testing.T) {
	runRScripts(t, "glm", "make.R") // synth.csv first
	runRScripts(t, "alpha", "alpha.R")
	s := loadSynth(t)
	var golden []struct {
		Name           string
		Items          []string
		N              int
		Alpha          float64
		AlphaIfDeleted []float64 `json:"alpha_if_deleted"`
	}
	readGoldenJSON(t, "alpha/alpha.json", &golden)
	if len(golden) == 0 {
		t.Fatal("alpha.json has no cases")
	}
	for _, g := range golden {
		var items [][]float64
		for _, name := range g.Items {
			items = append(items, s.num(t, name))
		}
		alpha, n, err := CronbachAlpha(items)
		if err != nil {
			t.Fatalf("CronbachAlpha(%s) error: %v", g.Items, err)
		}
		if n != g.N || !relClose(alpha, g.Alpha, goldenTol) {
			t.Errorf("CronbachAlpha(%s) = %.12g, %d, want %.12g, %d", g.Items, alpha, n, g.Alpha, g.N)
		}
		drop, err := AlphaIfDeleted(items)
		if err != nil {
			t.Fatalf("AlphaIfDeleted(%s) error: %v", g.Items, err)
		}
		for j := range g.AlphaIfDeleted {
			if !relClose(drop[j], g.AlphaIfDeleted[j], goldenTol) {
				t.Errorf("AlphaIfDeleted(%s)[%s] = %.12g, want %.12g", g.Items, g.Items[j], drop[j], g.AlphaIfDeleted[j])
			}
		}
	}
}

func TestAlphaErrors(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name  string
		items [][]float64
		want  string
	}{
		{"one item", [][]float64{{1, 2, 3}}, "1 items"},
		{"one complete case", [][]float64{{1, 2, nan}, {1, nan, 3}}, "1 respondents"},
		{"constant item", [][]float64{{1, 2, 3}, {4, 4, 4}, {1, 3, 2}}, "item 2 has the same answer (4)"},
		{"no total variance", [][]float64{{1, 2, 3}, {3, 2, 1}}, "total score has no variance"},
		{"infinite", [][]float64{{1, 2, 3}, {4, math.Inf(-1), 4}}, "item 2 of respondent 2 is -Inf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := CronbachAlpha(tt.items); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("CronbachAlpha(%v) error = %v, want one containing %q", tt.items, err, tt.want)
			}
			if tt.name == "no total variance" {
				return // alpha without an item is defined there
			}
			if _, err := AlphaIfDeleted(tt.items); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("AlphaIfDeleted(%v) error = %v, want one containing %q", tt.items, err, tt.want)
			}
		})
	}
}

// ExampleCronbachAlpha scores a three-item scale; the fourth respondent
// skipped an item and is left out. psych::alpha(na.omit(x)) agrees.
func ExampleCronbachAlpha() {
	nan := math.NaN()
	items := [][]float64{
		{4, 5, 2, 3, 1, 4, 5},
		{3, 5, 1, nan, 2, 4, 4},
		{4, 4, 2, 2, 2, 3, 5},
	}
	alpha, n, err := CronbachAlpha(items)
	if err != nil {
		fmt.Println(err)
		return
	}
	drop, _ := AlphaIfDeleted(items)
	fmt.Printf("alpha %.3f over %d respondents; without each item %.3f\n", alpha, n, drop)
	// Output:
	// alpha 0.935 over 6 respondents; without each item [0.847 0.927 0.926]
}
