package reports

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/trustgap/trustgap/analysis"
	"github.com/trustgap/trustgap/survey"
)

// TestPrivateDomains: the recoded columns hold exactly the declared levels
// and Other, whatever the data hold; the caller's dataset is untouched;
// a column without declared levels is left out with the reason.
func TestPrivateDomains(t *testing.T) {
	col := func(name string, levels []string, codes ...int32) *survey.Column {
		return &survey.Column{Name: name, Levels: levels, Codes: codes}
	}
	region := col("region", []string{"Liechtenstein", "DE", "FR"}, 1, 0, 2, -1, 1)
	seg := col("gender", []string{"f", "m"}, 0, 1, 0, 1, 1)
	ds := &survey.Dataset{N: 5, Region: region, Segments: []*survey.Column{seg}}
	declared := map[string][]string{"region": {"DE", "FR", "IT"}}
	got, missing := privateDomains(ds, declared)
	if want := []string{"DE", "FR", "IT", "Other"}; !slices.Equal(got.Region.Levels, want) {
		t.Errorf("private region levels = %v, want %v", got.Region.Levels, want)
	}
	// Liechtenstein (code 0) pools into Other (3); missing stays missing.
	if want := []int32{0, 3, 1, -1, 0}; !slices.Equal(got.Region.Codes, want) {
		t.Errorf("private region codes = %v, want %v", got.Region.Codes, want)
	}
	if len(got.Segments) != 0 {
		t.Errorf("private segments = %d, want gender left out (no declared levels)", len(got.Segments))
	}
	if len(missing) != 1 || !strings.Contains(missing[0].Key, "gender") || !strings.Contains(missing[0].Value, "levels:") {
		t.Errorf("left out = %v, want gender, with how to publish it (levels:)", missing)
	}
	if !slices.Equal(region.Levels, []string{"Liechtenstein", "DE", "FR"}) || !slices.Equal(region.Codes, []int32{1, 0, 2, -1, 1}) || ds.Region != region || len(ds.Segments) != 1 {
		t.Error("privateDomains changed the caller's dataset")
	}
	// A declared level named Other keeps its name; the pool is renamed.
	got, _ = privateDomains(ds, map[string][]string{"region": {"DE", "Other"}, "gender": {"f", "m"}})
	if want := []string{"DE", "Other", "Other (not declared)"}; !slices.Equal(got.Region.Levels, want) {
		t.Errorf("private region levels = %v, want %v", got.Region.Levels, want)
	}
	if want := []string{"f", "m", "Other"}; !slices.Equal(got.Segments[0].Levels, want) {
		t.Errorf("private gender levels = %v, want %v", got.Segments[0].Levels, want)
	}
}

// TestPrivateTablesFollowDeclared: the budget plan counts the breakdowns
// the report releases, and a report spends exactly it, never more,
// whichever breakdowns are left out.
func TestPrivateTablesFollowDeclared(t *testing.T) {
	if testing.Short() {
		t.Skip("builds full reports")
	}
	ds := defaultStudy(t)
	all := defaultDeclared(t, ds)
	regionOnly := map[string][]string{"region": all["region"]}
	stats := PrivateTables(ds, nil) // the total alone
	for _, tc := range []struct {
		name     string
		declared map[string][]string
		tables   int
	}{
		{"all declared", all, 4 * stats},
		{"region only", regionOnly, 2 * stats},
		{"none", nil, stats},
	} {
		if got := PrivateTables(ds, tc.declared); got != tc.tables {
			t.Errorf("%s: PrivateTables = %d, want %d", tc.name, got, tc.tables)
		}
		p, err := analysis.NewPrivacy(1, 5, PrivateTables(ds, tc.declared), 9)
		if err != nil {
			t.Fatal(err)
		}
		sr, err := BuildStudyReport(context.Background(), ds, StudyOptions{Privacy: p, DeclaredLevels: tc.declared})
		if err != nil {
			t.Fatal(err)
		}
		// Every undeclared breakdown is named, to the caller and in
		// Methodology.
		var undeclared []string
		if tc.declared["region"] == nil {
			undeclared = append(undeclared, "Breakdown by region")
		}
		for _, c := range ds.Segments {
			if tc.declared[c.Name] == nil {
				undeclared = append(undeclared, "Breakdown by "+c.Name)
			}
		}
		var left, meth []string
		for _, kv := range sr.LeftOut {
			left = append(left, kv.Key)
		}
		for _, kv := range sr.Report.Methodology {
			if strings.HasPrefix(kv.Value, "Left out of this private report") {
				meth = append(meth, kv.Key)
			}
		}
		if !slices.Equal(left, undeclared) || !slices.Equal(meth, undeclared) {
			t.Errorf("%s: left out %v, in Methodology %v, want %v", tc.name, left, meth, undeclared)
		}
		if p.Err() != nil {
			t.Errorf("%s: %v", tc.name, p.Err())
		}
		if p.Spent() > p.Epsilon+1e-12 || p.Spent() < p.Epsilon-1e-9 {
			t.Errorf("%s: spent ε = %v, want exactly the planned %v", tc.name, p.Spent(), p.Epsilon)
		}
	}
}
