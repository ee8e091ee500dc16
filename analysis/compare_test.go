package analysis

import (
	"math"
	"strings"
	"testing"
)

func TestParseBenchmarks(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Topline
	}{
		{"total and region", `
toplines:
  - figure: "Concerned about privacy"
    statistic: concern
    domain: {}
    value: 0.53
    source: "Survey A, 2024"
  - figure: US adults concerned
    statistic: concern
    domain: {region: North America}
    value: 0.79
    source: Pew 2019
    year: 2019
    question: How concerned are you?
    note: adults 18+
`, []Topline{
			{Figure: "Concerned about privacy", Statistic: "concern", Value: 0.53, Source: "Survey A, 2024"},
			{Figure: "US adults concerned", Statistic: "concern", Domain: Domain{"region", "North America"}, Value: 0.79,
				Source: "Pew 2019", Year: 2019, Question: "How concerned are you?", Note: "adults 18+"},
		}},
		{"domain omitted or null", `
toplines:
  - {figure: a, statistic: trust, value: 0, source: s}
  - {figure: b, statistic: trust, value: 1, source: s, domain: null}
`, []Topline{
			{Figure: "a", Statistic: "trust", Value: 0, Source: "s"},
			{Figure: "b", Statistic: "trust", Value: 1, Source: "s"},
		}},
		{"empty list", "toplines: []\n", []Topline{}},
	}
	for _, tt := range tests {
		got, err := ParseBenchmarks(strings.NewReader(tt.in))
		if err != nil {
			t.Errorf("ParseBenchmarks(%s): %v", tt.name, err)
			continue
		}
		if len(got) != len(tt.want) {
			t.Errorf("ParseBenchmarks(%s) = %d toplines, want %d", tt.name, len(got), len(tt.want))
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("ParseBenchmarks(%s)[%d] = %+v, want %+v", tt.name, i, got[i], tt.want[i])
			}
		}
	}
}

func TestParseBenchmarksErrors(t *testing.T) {
	item := func(extra string) string {
		return "toplines:\n  - figure: f\n    statistic: s\n    source: src\n" + extra
	}
	tests := []struct {
		name, in, err string
	}{
		{"empty", "", "benchmarks: empty file (want toplines: [...])"},
		{"not yaml", "toplines: [", "benchmarks: yaml:"},
		{"not a mapping", "- a\n- b\n", "benchmarks: line 1: want a mapping with toplines: [...]"},
		{"unknown top key", "toplines: []\ntoplnes: []\n", `benchmarks: line 2: unknown key "toplnes" (want toplines)`},
		{"no toplines", "{}\n", "benchmarks: line 1: no toplines"},
		{"toplines not a list", "toplines: {a: 1}\n", "benchmarks: line 1: toplines must be a list"},
		{"item not a mapping", "toplines:\n  - 0.5\n", "benchmarks: line 2: a topline must be a mapping"},
		{"percent", item("    value: 79\n"), "benchmarks: line 5: value 79 is not a fraction between 0 and 1 (write 79% as 0.79)"},
		{"negative", item("    value: -0.1\n"), "benchmarks: line 5: value -0.1 is not a fraction"},
		{"text value", item("    value: high\n"), "benchmarks: line 5: value must be a number"},
		{"nan value", item("    value: .nan\n"), "benchmarks: line 5: value must be a number"},
		{"no value", item(""), "benchmarks: line 2: topline has no value"},
		{"no source", "toplines:\n  - {figure: f, statistic: s, value: 0.5}\n", "benchmarks: line 2: topline has no source"},
		{"empty figure", "toplines:\n  - {figure: '', statistic: s, value: 0.5, source: x}\n", "benchmarks: line 2: figure is empty"},
		{"list figure", "toplines:\n  - {figure: [a], statistic: s, value: 0.5, source: x}\n", "benchmarks: line 2: figure must be text"},
		{"unknown key", item("    value: 0.5\n    vaule: 0.5\n"), `benchmarks: line 6: unknown key "vaule"`},
		{"twice", item("    value: 0.5\n    value: 0.6\n"), `benchmarks: line 6: "value" given twice`},
		{"year", item("    value: 0.5\n    year: last\n"), "benchmarks: line 6: year must be a whole number"},
		{"domain list", item("    value: 0.5\n    domain: [region]\n"), "benchmarks: line 6: domain must be {} or {variable: level}"},
		{"domain two keys", item("    value: 0.5\n    domain: {region: A, gender: F}\n"), "benchmarks: line 6: domain names one variable, got 2"},
		{"domain empty level", item("    value: 0.5\n    domain: {region: ''}\n"), "benchmarks: line 6: domain must be {variable: level}"},
	}
	for _, tt := range tests {
		_, err := ParseBenchmarks(strings.NewReader(tt.in))
		if err == nil || !strings.HasPrefix(err.Error(), tt.err) {
			t.Errorf("ParseBenchmarks(%s) error = %v, want it to start %q", tt.name, err, tt.err)
		}
	}
}

func FuzzParseBenchmarks(f *testing.F) {
	f.Add("toplines:\n  - {figure: f, statistic: concern, domain: {region: Europe}, value: 0.67, source: EB 431}\n")
	f.Add("toplines:\n  - figure: f\n    statistic: s\n    value: 0.5\n    source: x\n    year: 2019\n")
	f.Add("toplines: []\n")
	f.Add("toplines:\n  - {domain: {a: b, c: d}}\n")
	f.Add("- [a, {b: c}]\n")
	f.Add("toplines: &a [*a]\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, in string) {
		got, err := ParseBenchmarks(strings.NewReader(in))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "benchmarks: ") {
				t.Errorf("ParseBenchmarks(%q) error = %q, want the benchmarks: prefix", in, err)
			}
			return
		}
		for _, tl := range got {
			if tl.Figure == "" || tl.Statistic == "" || tl.Source == "" || !(tl.Value >= 0 && tl.Value <= 1) {
				t.Errorf("ParseBenchmarks(%q) accepted %+v", in, tl)
			}
		}
	})
}

func TestMatchBenchmarks(t *testing.T) {
	rows := []Row{
		{Statistic: "concern", Estimate: 0.5, CILow: 0.45, CIHigh: 0.55, N: 900},
		{Statistic: "concern", Domain: Domain{"region", "Europe"}, Estimate: 0.6, CILow: 0.5, CIHigh: 0.7, N: 20, LowBase: true},
		{Statistic: "trust", Domain: Domain{"region", "Europe"}, Estimate: 0.3, CILow: 0.2, CIHigh: 0.4, N: 20},
	}
	tests := []struct {
		tl       Topline
		matched  bool
		estimate float64
		within   bool
	}{
		{Topline{Statistic: "concern", Value: 0.53}, true, 0.5, true},
		{Topline{Statistic: "concern", Value: 0.56}, true, 0.5, false},
		{Topline{Statistic: "concern", Value: 0.45}, true, 0.5, true}, // bounds are inside
		{Topline{Statistic: "concern", Domain: Domain{"region", "Europe"}, Value: 0.8}, true, 0.6, false},
		{Topline{Statistic: "concern", Domain: Domain{"region", "EUROPE"}, Value: 0.65}, true, 0.6, true},
		{Topline{Statistic: "trust", Value: 0.3}, false, math.NaN(), false},
		{Topline{Statistic: "concern", Domain: Domain{"gender", "Europe"}, Value: 0.6}, false, math.NaN(), false},
	}
	for _, tt := range tests {
		got := MatchBenchmarks([]Topline{tt.tl}, rows)[0]
		if got.Matched != tt.matched || !near(float64(got.Estimate), tt.estimate) || got.WithinCI != tt.within {
			t.Errorf("MatchBenchmarks(%s %s %v) = matched %v, estimate %v, within %v; want %v, %v, %v",
				tt.tl.Statistic, tt.tl.Domain, tt.tl.Value, got.Matched, got.Estimate, got.WithinCI, tt.matched, tt.estimate, tt.within)
		}
		if want := Num(tt.estimate - tt.tl.Value); !near(float64(got.Difference), float64(want)) {
			t.Errorf("MatchBenchmarks(%s %s %v).Difference = %v, want %v", tt.tl.Statistic, tt.tl.Domain, tt.tl.Value, got.Difference, want)
		}
		if got.Published != Num(tt.tl.Value) || got.Domain != tt.tl.Domain {
			t.Errorf("MatchBenchmarks(%s %s %v) published %v in %s, want the topline's", tt.tl.Statistic, tt.tl.Domain, tt.tl.Value, got.Published, got.Domain)
		}
	}
}

// TestCompareBenchmarks checks that Compare finds each kind of statistic a
// topline may name, in any domain whatever By says, with the same figure
// the analysis reports.
func TestCompareBenchmarks(t *testing.T) {
	ds := loadStudy(t)
	toplines := []Topline{
		{Figure: "a", Statistic: "concern", Domain: Domain{"region", "South"}, Value: 0.4, Source: "s"},
		{Figure: "b", Statistic: "trust_score", Value: 0.4, Source: "s"},
		{Figure: "c", Statistic: "paradox_rate", Domain: Domain{"gender", "Female"}, Value: 0.4, Source: "s"},
		{Figure: "d", Statistic: "effect", Value: 0.11, Source: "s"},
		{Figure: "e", Statistic: "westin_pragmatist", Domain: Domain{"generation", "Gen Z"}, Value: 0.4, Source: "s"},
		{Figure: "f", Statistic: "little_control", Value: 0.81, Source: "s"},
	}
	res, err := Compare(ds, Options{By: []string{"region"}}, toplines)
	if err != nil {
		t.Fatal(err)
	}
	par, err := Paradox(ds, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := findRow(par.Estimates, "paradox_rate", Domain{"gender", "Female"})
	if len(res.Benchmarks) != len(toplines) {
		t.Fatalf("Compare(study, toplines) gave %d benchmarks, want %d", len(res.Benchmarks), len(toplines))
	}
	for i, b := range res.Benchmarks {
		wantMatched := toplines[i].Statistic != "little_control"
		if b.Matched != wantMatched {
			t.Errorf("Compare(study) benchmark %s %s matched = %v, want %v", b.Statistic, b.Domain, b.Matched, wantMatched)
		}
		if b.Statistic == "paradox_rate" && b.Estimate != want.Estimate {
			t.Errorf("Compare(study) benchmark paradox_rate Female = %v, want %v as Paradox reports", b.Estimate, want.Estimate)
		}
	}
	for _, c := range res.Comparisons {
		if c.Domain.Var != "region" {
			t.Errorf("Compare(study, By region) compares %s", c.Domain)
		}
	}
}
