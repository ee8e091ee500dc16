package charts

import (
	"math"
	"testing"
)

// Fixtures shared by the tests: realistic shapes with the awkward cases
// the charts must survive — labels in Cyrillic and accented Latin, a
// label too long for its slot, low bases, missing estimates and a total.

// nan stands for a missing estimate.
func nan() float64 { return math.NaN() }

func iv(est, lo, hi float64) Interval { return Interval{Est: est, Lo: lo, Hi: hi} }

func nanIv() Interval { return iv(nan(), nan(), nan()) }

const longRegion = "Western Europe and the Nordic countries (EU/EEA members)"

func gapRows() []GapRow {
	return []GapRow{
		{Region: "Россия", Concern: iv(0.71, 0.66, 0.76), Protects: iv(0.28, 0.24, 0.33)},
		{Region: "Türkiye", Concern: iv(0.64, 0.59, 0.69), Protects: iv(0.35, 0.30, 0.40)},
		{Region: "São Paulo", Concern: iv(0.58, 0.50, 0.66), Protects: iv(0.41, 0.34, 0.49), LowBase: true},
		{Region: longRegion, Concern: iv(0.78, 0.75, 0.81), Protects: iv(0.47, 0.43, 0.51)},
		{Region: "Total", Concern: iv(0.67, 0.65, 0.69), Protects: iv(0.39, 0.37, 0.41), Total: true},
		{Region: "Oceania", Concern: nanIv(), Protects: nanIv()},
		{Region: "Japan", Concern: iv(0.45, 0.40, 0.50), Protects: iv(0.50, nan(), nan())},
	}
}

func effectRows() []EffectRow {
	return []EffectRow{
		{Region: "Россия", Trusting: iv(0.52, 0.46, 0.58), NonTrusting: iv(0.21, 0.17, 0.25)},
		{Region: "Türkiye", Trusting: iv(0.61, 0.55, 0.67), NonTrusting: iv(0.30, 0.25, 0.35)},
		{Region: "São Paulo", Trusting: iv(0.66, 0.55, 0.76), NonTrusting: iv(0.33, 0.24, 0.43), LowBase: true},
		{Region: longRegion, Trusting: iv(0.44, 0.40, 0.48), NonTrusting: iv(0.16, 0.13, 0.19)},
		{Region: "North America", Trusting: iv(0.57, 0.53, 0.61), NonTrusting: nanIv()},
		{Region: "Oceania", Trusting: nanIv(), NonTrusting: nanIv()},
		{Region: "Total", Trusting: iv(0.54, 0.52, 0.56), NonTrusting: iv(0.22, 0.20, 0.24), Total: true},
	}
}

func heatmap() Heatmap {
	return Heatmap{
		Rows:     []string{"Россия", "Türkiye", "São Paulo", "North America", longRegion, "Total"},
		Cols:     []string{"Privacy fundamentalist", "Privacy pragmatist", "Privacy unconcerned"},
		RowTitle: "Region",
		ColTitle: "Westin segment",
		Cells: [][]HeatCell{
			{{0.412, 120, false}, {0.333, 210, false}, {0.152, 80, false}},
			{{0.50, 95, false}, {0.28, 150, false}, {0.21, 25, true}},
			{{0.61, 22, true}, {0.43, 40, false}, {nan(), 0, false}},
			{{0.38, 140, false}, {0.311, 300, false}, {0.12, 90, false}},
			{{0.445, 160, false}, {0.30, 320, false}, {0.18, 110, false}},
			{{0.43, 800, false}, {0.31, 1500, false}, {0.15, 500, false}},
		},
	}
}

func stackRows() []StackRow {
	return []StackRow{
		{Label: "Россия", Shares: []float64{0.31, 0.52, 0.17}},
		{Label: "Türkiye", Shares: []float64{0.24, 0.58, 0.18}},
		{Label: "São Paulo", Shares: []float64{0.36, 0.55, 0.09}, LowBase: true},
		{Label: longRegion, Shares: []float64{0.28, 0.60, 0.12}},
		{Label: "North America", Shares: []float64{0.03, 0.62, 0.35}},
		{Label: "Oceania", Shares: []float64{nan(), nan(), nan()}},
		{Label: "Total", Shares: []float64{0.27, 0.57, 0.16}, Total: true},
	}
}

func barRows() []BarRow {
	return []BarRow{
		{Label: "Purchase history", Value: iv(0.48, 0.45, 0.51)},
		{Label: "Location (precise GPS while using the app and in the background)", Value: iv(0.22, 0.19, 0.25)},
		{Label: "Health and fitness data", Value: iv(0.17, 0.14, 0.20)},
		{Label: "Voice recordings", Value: nanIv()},
		{Label: "Browsing history", Value: iv(0.29, 0.26, 0.32)},
		{Label: "Contacts", Value: iv(0.12, 0.05, 0.24), LowBase: true},
		{Label: "Age and gender", Value: iv(0.63, 0.60, 0.66)},
	}
}

// fixtureOptions exercise subtitle and notes.
func fixtureOptions() Options {
	return Options{
		Subtitle: "Share of respondents, trustgap survey 2025 wave",
		Notes:    []string{"Source: trustgap sample survey (n = 4,812)."},
		MinBase:  30,
	}
}

// chartCase builds one chart.
type chartCase struct {
	name  string
	build func() (*Chart, error)
}

// allCharts is every chart built from the fixtures.
func allCharts() []chartCase {
	return []chartCase{
		{"say_do_gap", func() (*Chart, error) { return SayDoGap(gapRows(), fixtureOptions()) }},
		{"trust_effect", func() (*Chart, error) { return TrustEffect(effectRows(), fixtureOptions()) }},
		{"paradox_heatmap", func() (*Chart, error) { return ParadoxHeatmap(heatmap(), fixtureOptions()) }},
		{"westin_segments", func() (*Chart, error) { return WestinSegments(stackRows(), fixtureOptions()) }},
		{"comfort_by_data_type", func() (*Chart, error) { return ComfortByDataType(barRows(), fixtureOptions()) }},
	}
}

func mustBuild(t testing.TB, c chartCase) *Chart {
	t.Helper()
	ch, err := c.build()
	if err != nil {
		t.Fatalf("%s: %v", c.name, err)
	}
	return ch
}
