package main

import (
	"archive/zip"
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

// TestPrivateReportReleasesDeclaredLevelsOnly: a private report names the
// region and segment levels the codebook declares, and only those. A
// generation held by one respondent and not under levels: never appears
// in report.md, report.html or report.xlsx (that respondent is counted
// in "Other"); a declared generation nobody has appears all the same; a
// segment without levels: (gender here) is left out, with a line in
// Methodology and a note on the console; and the budget is spent exactly
// as planned, never beyond.
func TestPrivateReportReleasesDeclaredLevelsOnly(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a full report")
	}
	const planted, empty = "Zzyzx Quorum", "Gen Alpha"
	dir := t.TempDir()
	responses, codebook := datasets.DefaultStudy()
	recs, err := csv.NewReader(responses).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	gi := -1
	for j, h := range recs[0] {
		if h == "generation" {
			gi = j
		}
	}
	if gi < 0 {
		t.Fatal("the embedded study has no generation column")
	}
	recs[1][gi] = planted // one respondent
	data := filepath.Join(dir, "responses.csv")
	f, err := os.Create(data)
	if err != nil {
		t.Fatal(err)
	}
	if err := csv.NewWriter(f).WriteAll(recs); err != nil {
		t.Fatal(err)
	}
	f.Close()
	cbText, err := io.ReadAll(codebook)
	if err != nil {
		t.Fatal(err)
	}
	cb := strings.Replace(string(cbText), "generation: [Gen Z, Millennials, Gen X, Boomers]", "generation: [Gen Z, Millennials, Gen X, Boomers, "+empty+"]", 1)
	cb = strings.Replace(cb, "  gender: [Female, Male, Non-binary / other]\n", "", 1)
	if cb == string(cbText) || strings.Contains(cb, "Non-binary") {
		t.Fatal("the embedded codebook's levels: changed; update this test")
	}
	cbPath := filepath.Join(dir, "codebook.yaml")
	if err := os.WriteFile(cbPath, []byte(cb), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	code, _, errOut := runCLI(t, "report", "--data", data, "--codebook", cbPath, "--dp-epsilon", "1", "--dp-seed", "3", "--out", out)
	if code != 0 {
		t.Fatalf("report --dp-epsilon 1: exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "note: Breakdown by gender left out of the private report") || !strings.Contains(errOut, "list its levels under levels:") {
		t.Errorf("console = %q, want a note that gender is left out until its levels are listed under levels:", errOut)
	}
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	md, html := read("report.md"), read("report.html")
	zr, err := zip.OpenReader(filepath.Join(out, "report.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var xlsx strings.Builder
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		xlsx.Write(b)
	}
	for name, text := range map[string]string{"report.md": md, "report.html": html, "report.xlsx": xlsx.String()} {
		if strings.Contains(text, planted) {
			t.Errorf("%s names %q, a level one respondent holds and the codebook does not declare", name, planted)
		}
		if !strings.Contains(text, empty) {
			t.Errorf("%s lacks the declared level %q, which a private report releases though nobody has it", name, empty)
		}
		if strings.Contains(text, "Non-binary") {
			t.Errorf("%s shows the gender breakdown, whose levels the codebook does not declare", name)
		}
	}
	for _, row := range []string{"| Generation | " + empty + " |", "| Generation | Other |"} {
		if !strings.Contains(md, row) {
			t.Errorf("report.md has no row %q: a private report releases every declared level and Other", row)
		}
	}
	if !strings.Contains(md, "**Breakdown by gender:** Left out of this private report") || !strings.Contains(md, "list its levels under levels:") {
		t.Error("report.md Methodology does not say the gender breakdown is left out and how to publish it")
	}
	if !strings.Contains(md, "Budget spent: 1 of 1") {
		t.Error("report.md does not state the whole budget ε = 1 spent as planned")
	}
}
