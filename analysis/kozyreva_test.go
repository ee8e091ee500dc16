package analysis

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/trustgap/trustgap/survey"
)

// loadKozyreva loads the real survey of Kozyreva et al. (2021) from
// ../shared/realdata/kozyreva2021 beside the repository through the survey
// package's codebook for it, or skips when either is absent.
func loadKozyreva(t *testing.T) *survey.Dataset {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	// The nearest shared/realdata above the repository (a worktree sits
	// deeper than the main checkout).
	dir := ""
	for up := root; ; up = filepath.Dir(up) {
		if p := filepath.Join(up, "shared", "realdata", "kozyreva2021"); dirExists(p) {
			dir = p
			break
		}
		if filepath.Dir(up) == up {
			t.Skip("real data not available above the repository")
		}
	}
	cbPath := filepath.Join(root, "survey", "testdata", "kozyreva", "codebook.yaml")
	for _, p := range []string{filepath.Join(dir, "data_GER.csv"), filepath.Join(dir, "data_GB_US.csv"), cbPath} {
		if _, err := os.Stat(p); err != nil {
			t.Skipf("real data not available: %v", err)
		}
	}
	cb, err := survey.LoadCodebook(cbPath)
	if err != nil {
		t.Fatal(err)
	}
	var tables []survey.TableReader
	for _, f := range []string{"data_GER.csv", "data_GB_US.csv"} {
		tr, err := survey.OpenTable(context.Background(), filepath.Join(dir, f), survey.ReadOptions{HeaderRows: cb.HeaderRows})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { tr.Close() })
		tables = append(tables, tr)
	}
	ds, err := survey.Load(context.Background(), cb, tables, survey.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func dirExists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// TestKozyreva checks Describe and Paradox by country on real data against
// R (testdata/study/kozyreva.R, which recodes the raw files itself) at
// studyTol, and the share concerned against the published figures.
func TestKozyreva(t *testing.T) {
	ds := loadKozyreva(t)
	runRScripts(t, "study", "kozyreva.R")
	b, err := os.ReadFile(filepath.Join("testdata", "study", "kozyreva.json"))
	if err != nil {
		t.Fatal(err)
	}
	var want struct {
		Tolerance        float64            `json:"tolerance"`
		Respondents      int                `json:"respondents"`
		PublishedConcern map[string]float64 `json:"published_concern"`
		Describe         DescribeResult     `json:"describe"`
		Paradox          ParadoxResult      `json:"paradox"`
	}
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	if want.Tolerance != studyTol || ds.N != want.Respondents {
		t.Fatalf("kozyreva.json: tolerance %g, %d respondents; the test has %g, %d", want.Tolerance, want.Respondents, studyTol, ds.N)
	}
	opts := Options{By: []string{"region"}}

	desc, err := Describe(ds, opts)
	if err != nil {
		t.Fatal(err)
	}
	checker{t, "Describe(kozyreva)"}.rows(desc.Estimates, want.Describe.Estimates, false)

	par, err := Paradox(ds, opts)
	if err != nil {
		t.Fatal(err)
	}
	c := checker{t, "Paradox(kozyreva)"}
	c.rows(par.Estimates, want.Paradox.Estimates, true)
	c.tests(par.Tests, want.Paradox.Tests)
	c.correlation(par.Correlation, want.Paradox.Correlation)

	countries := make([]string, 0, len(want.PublishedConcern))
	for country := range want.PublishedConcern {
		countries = append(countries, country)
	}
	sort.Strings(countries)
	for _, country := range countries {
		pub := want.PublishedConcern[country]
		r, ok := findRow(desc.Estimates, "concern", Domain{"region", country})
		if !ok {
			t.Errorf("Describe(kozyreva) has no concern share for %s", country)
			continue
		}
		t.Logf("concerned in %s: %.1f%% [%.1f, %.1f] (n = %d), published %.0f%%",
			country, 100*r.Estimate, 100*r.CILow, 100*r.CIHigh, r.N, 100*pub)
		if d := float64(r.Estimate) - pub; math.Abs(d) > 0.01 {
			t.Errorf("Describe(kozyreva) concern in %s = %.4f, want within a point of the published %.2f", country, float64(r.Estimate), pub)
		}
	}
}
