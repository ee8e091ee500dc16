package main

import (
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/trustgap/trustgap/datasets"
)

// TestPrivateReportNormalisesWeights: --dp-weight-bound is stated for
// weights of mean 1, so the embedded study with its weights ×1000 gives
// the same private report, figure for figure, as with its own weights
// (same noise seed). Clipping raw weights would release an unweighted
// report for the ×1000 file instead.
func TestPrivateReportNormalisesWeights(t *testing.T) {
	if testing.Short() {
		t.Skip("writes two full reports")
	}
	dir := t.TempDir()
	responses, codebook := datasets.DefaultStudy()
	recs, err := csv.NewReader(responses).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	cb, err := io.ReadAll(codebook)
	if err != nil {
		t.Fatal(err)
	}
	wi := -1
	for j, h := range recs[0] {
		if h == "weight" {
			wi = j
		}
	}
	if wi < 0 {
		t.Fatal("the embedded study has no weight column")
	}
	write := func(name string, factor float64) string {
		out := make([][]string, len(recs))
		for i, r := range recs {
			out[i] = append([]string(nil), r...)
			if i > 0 && r[wi] != "" {
				w, err := strconv.ParseFloat(r[wi], 64)
				if err != nil {
					t.Fatal(err)
				}
				out[i][wi] = strconv.FormatFloat(w*factor, 'g', -1, 64)
			}
		}
		p := filepath.Join(dir, name)
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		w := csv.NewWriter(f)
		if err := w.WriteAll(out); err != nil {
			t.Fatal(err)
		}
		f.Close()
		return p
	}
	cbPath := filepath.Join(dir, "codebook.yaml")
	if err := os.WriteFile(cbPath, cb, 0o644); err != nil {
		t.Fatal(err)
	}
	report := func(data, out string) string {
		code, _, errOut := runCLI(t, "report", "--data", data, "--codebook", cbPath, "--dp-epsilon", "20", "--dp-seed", "7", "--out", filepath.Join(dir, out))
		if code != 0 {
			t.Fatalf("report --data %s: exit %d: %s", data, code, errOut)
		}
		b, err := os.ReadFile(filepath.Join(dir, out, "report.md"))
		if err != nil {
			t.Fatal(err)
		}
		// The data file's name differs; everything else must not.
		var keep []string
		for _, l := range strings.Split(string(b), "\n") {
			if !strings.Contains(l, dir) {
				keep = append(keep, l)
			}
		}
		return strings.Join(keep, "\n")
	}
	one := report(write("w1.csv", 1), "r1")
	big := report(write("w1000.csv", 1000), "r1000")
	if one != big {
		a, b := strings.Split(one, "\n"), strings.Split(big, "\n")
		for i := range min(len(a), len(b)) {
			if a[i] != b[i] {
				t.Fatalf("private report with weights ×1000 differs from weights ×1 at line %d:\n×1:    %s\n×1000: %s", i+1, a[i], b[i])
			}
		}
		t.Fatalf("private reports differ in length: %d and %d lines", len(a), len(b))
	}
}
