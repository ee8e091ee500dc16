package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestVersion(t *testing.T) {
	code, out, errOut := runCLI(t, "--version")
	if code != 0 || !strings.HasPrefix(out, "trustgap ") || strings.TrimSpace(out) == "trustgap" {
		t.Errorf("--version = %d, %q, %q, want trustgap and the module version", code, out, errOut)
	}
}

// TestReportShortOutput checks that report takes -o like every command,
// and tells on standard error which sections the study cannot have.
func TestReportShortOutput(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "deck")
	code, _, errOut := runCLI(t, "report", "-o", dir)
	if code != 0 {
		t.Fatalf("report -o: exit %d: %s", code, errOut)
	}
	for _, f := range []string{"report.xlsx", "report.html", "report.md"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("report -o %s: %v", dir, err)
		}
	}
	// The default study measures everything: nothing is left out.
	if strings.Contains(errOut, "not measured") {
		t.Errorf("report on the default study: %q, want no section left out", errOut)
	}
}

// TestCSVEveryTable checks that --format csv never drops a table
// silently: with -o each further table gets a file beside it, and on
// standard output the ones left out are named on standard error.
func TestCSVEveryTable(t *testing.T) {
	out := filepath.Join(t.TempDir(), "paradox.csv")
	code, _, errOut := runCLI(t, "paradox", "--format", "csv", "-o", out)
	if code != 0 {
		t.Fatalf("paradox --format csv -o: exit %d: %s", code, errOut)
	}
	files, _ := filepath.Glob(strings.TrimSuffix(out, ".csv") + "*.csv")
	if len(files) != 4 {
		t.Fatalf("paradox --format csv -o wrote %q, want the estimates and the tests, correlation and item tables", files)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
		if err != nil || len(recs) < 2 {
			t.Errorf("%s: %d records, %v, want a header and rows", f, len(recs), err)
		}
	}
	code, stdout, errOut := runCLI(t, "paradox", "--format", "csv")
	if code != 0 || !strings.HasPrefix(stdout, "statistic,") || !strings.Contains(errOut, "Rao-Scott") {
		t.Errorf("paradox --format csv = %d, stderr %q, want the estimates and a note naming the other tables", code, errOut)
	}
}

func TestCompletionOfNames(t *testing.T) {
	tests := []struct {
		args []string
		want []string
		not  []string
	}{
		{[]string{"__complete", "effect", "--factor", ""}, []string{"concern\t", "trust\t", "benefit_money\t"}, []string{"westin\t"}},
		{[]string{"__complete", "paradox", "--by", "region,g"}, []string{"region,generation", "region,gender"}, []string{"region,region"}},
		{[]string{"__complete", "crosstab", "--rows", "reg"}, []string{"region\t"}, nil},
		{[]string{"__complete", "effect", "--codebook", filepath.Join("..", "..", "survey", "testdata", "kozyreva", "codebook.yaml"), "--outcome", "acc"},
			[]string{"accept_info\t", "accept_data\t"}, []string{"concern\t"}},
	}
	for _, tc := range tests {
		code, out, errOut := runCLI(t, tc.args...)
		if code != 0 {
			t.Errorf("%q: exit %d: %s", tc.args, code, errOut)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%q = %q, want %q offered", tc.args, out, w)
			}
		}
		for _, w := range tc.not {
			if strings.Contains(out, w) {
				t.Errorf("%q = %q, want %q not offered", tc.args, out, w)
			}
		}
	}
}
