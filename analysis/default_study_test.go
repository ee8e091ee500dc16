package analysis_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/trustgap/trustgap/analysis"
	"github.com/trustgap/trustgap/datasets"
	"github.com/trustgap/trustgap/survey"
)

// TestDefaultStudy runs every analysis on the embedded default study and
// its published toplines, the inputs the CLI uses when given none: they
// must fit together (construct names, domains, topline format).
func TestDefaultStudy(t *testing.T) {
	ds, err := datasets.LoadDefault(context.Background(), survey.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d, err := analysis.StudyDesign(ds, analysis.LonelyFail)
	if err != nil {
		t.Fatal(err)
	}
	opts := analysis.Options{Design: d}

	type rowsOf struct {
		name string
		rows []analysis.Row
	}
	var all []rowsOf
	if r, err := analysis.Describe(ds, opts); err != nil {
		t.Errorf("Describe(default study): %v", err)
	} else {
		all = append(all, rowsOf{"Describe", r.Estimates})
	}
	if r, err := analysis.Paradox(ds, opts); err != nil {
		t.Errorf("Paradox(default study): %v", err)
	} else {
		all = append(all, rowsOf{"Paradox", r.Estimates})
		for _, tt := range r.Tests {
			if tt.Note != "" || !(tt.P >= 0 && tt.P <= 1) {
				t.Errorf("Paradox(default study) test %v: p = %v, note %q", tt.Variables, tt.P, tt.Note)
			}
		}
		if len(r.Items) == 0 {
			t.Errorf("Paradox(default study) reports no behaviour items")
		}
	}
	if r, err := analysis.Trust(ds, opts); err != nil {
		t.Errorf("Trust(default study): %v", err)
	} else {
		all = append(all, rowsOf{"Trust", r.Estimates})
		if r.Adjusted.Note != "" || !(r.Adjusted.OddsRatio > 1) {
			t.Errorf("Trust(default study) adjusted odds ratio = %v (%s), want above 1", r.Adjusted.OddsRatio, r.Adjusted.Note)
		}
	}
	if r, err := analysis.Segments(ds, opts); err != nil {
		t.Errorf("Segments(default study): %v", err)
	} else {
		all = append(all, rowsOf{"Segments", r.Estimates})
	}
	if _, err := analysis.Reliability(ds); err != nil {
		t.Errorf("Reliability(default study): %v", err)
	}
	for _, a := range all {
		for _, r := range a.rows {
			if r.N > 0 && !(r.CILow <= r.Estimate && r.Estimate <= r.CIHigh) {
				t.Errorf("%s(default study) %s %s = %v outside [%v, %v]", a.name, r.Statistic, r.Domain, r.Estimate, r.CILow, r.CIHigh)
			}
		}
	}

	toplines, err := analysis.ParseBenchmarks(bytes.NewReader(datasets.Benchmarks()))
	if err != nil {
		t.Fatalf("ParseBenchmarks(datasets toplines): %v", err)
	}
	res, err := analysis.Compare(ds, opts, toplines)
	if err != nil {
		t.Fatal(err)
	}
	matched := 0
	for _, b := range res.Benchmarks {
		if b.Matched {
			matched++
		}
	}
	if matched == 0 {
		t.Errorf("Compare(default study) matched none of %d toplines", len(toplines))
	}
	if len(res.Comparisons) == 0 || len(res.Tests) == 0 {
		t.Errorf("Compare(default study) gave %d comparisons and %d tests", len(res.Comparisons), len(res.Tests))
	}
}
