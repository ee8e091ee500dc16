package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// apiData is R survey's api data, exported by analysis/testdata/core/core.R.
func apiData(name string) string {
	return filepath.Join("..", "..", "analysis", "testdata", "core", name)
}

// TestPublishedAPIFigures runs estimate and crosstab on R survey's api data
// and checks the figures its documentation prints:
// svymean(~api00, dstrat) = 662.29 (SE 9.4089) and
// svychisq(~sch.wide+stype, dclus1): F = 5.1934, ndf 1.495, ddf 20.925,
// p = 0.02175, to the printed digits.
func TestPublishedAPIFigures(t *testing.T) {
	code, out, errOut := runCLI(t, "estimate", "--data", apiData("apistrat.csv"), "--weight", "pw", "--strata", "stype", "--fpc", "fpc", "--mean", "api00", "--format", "json")
	if code != 0 {
		t.Fatalf("estimate: exit %d: %s", code, errOut)
	}
	var est struct {
		Estimates []struct {
			Estimate, SE float64
			N            int
		}
		Design struct{ N, Strata, PSUs, DegF int }
	}
	if err := json.Unmarshal([]byte(out), &est); err != nil {
		t.Fatal(err)
	}
	e := est.Estimates[0]
	if math.Abs(e.Estimate-662.29) > 0.005 || math.Abs(e.SE-9.4089) > 0.00005 || e.N != 200 {
		t.Errorf("estimate --mean api00 on dstrat = %v (SE %v, n %d), want 662.29 (SE 9.4089, n 200)", e.Estimate, e.SE, e.N)
	}
	if est.Design.Strata != 3 || est.Design.DegF != 197 {
		t.Errorf("estimate design = %+v, want 3 strata, degf 197", est.Design)
	}

	code, out, errOut = runCLI(t, "crosstab", "--data", apiData("apiclus1.csv"), "--psu", "dnum", "--weight", "pw", "--fpc", "fpc", "--rows", "sch.wide", "--cols", "stype", "--format", "json")
	if code != 0 {
		t.Fatalf("crosstab: exit %d: %s", code, errOut)
	}
	var ct struct {
		Test struct{ F, NDF, DDF, P float64 }
	}
	if err := json.Unmarshal([]byte(out), &ct); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name      string
		got, want float64
		tol       float64
	}{{"F", ct.Test.F, 5.1934, 5e-5}, {"ndf", ct.Test.NDF, 1.495, 5e-4}, {"ddf", ct.Test.DDF, 20.925, 5e-4}, {"p", ct.Test.P, 0.02175, 5e-6}} {
		if math.Abs(c.got-c.want) > c.tol {
			t.Errorf("crosstab sch.wide × stype on dclus1: %s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

// TestWeightRakesToTargets rakes a generated study and checks with estimate
// that the raked weights hit the targets, and that every input column is
// written back.
func TestWeightRakesToTargets(t *testing.T) {
	dir := t.TempDir()
	if code, _, errOut := runCLI(t, "generate", "--n", "600", "--seed", "3", "--out", dir); code != 0 {
		t.Fatalf("generate: exit %d: %s", code, errOut)
	}
	targets := filepath.Join(dir, "targets.yaml")
	if err := os.WriteFile(targets, []byte("margins:\n  gender: {Female: 0.5, Male: 0.47, Non-binary / other: 0.03}\n  region: {North America: 0.2, Europe: 0.2, Asia-Pacific: 0.3, Latin America: 0.15, Middle East & Africa: 0.15}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	raked := filepath.Join(dir, "raked.csv")
	data, cb := filepath.Join(dir, "responses.csv"), filepath.Join(dir, "codebook.yaml")
	code, _, errOut := runCLI(t, "weight", "--data", data, "--codebook", cb, "--targets", targets, "-o", raked)
	if code != 0 {
		t.Fatalf("weight: exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "largest margin error") {
		t.Errorf("weight stderr = %q, want the diagnostics", errOut)
	}
	in, _ := os.ReadFile(data)
	out, _ := os.ReadFile(raked)
	inHead := strings.SplitN(string(in), "\n", 2)[0]
	outHead := strings.SplitN(string(out), "\n", 2)[0]
	if outHead != inHead+",weight_raked" {
		t.Errorf("weight output header = %q, want the input's plus weight_raked", outHead)
	}
	code, js, errOut := runCLI(t, "estimate", "--data", raked, "--weight", "weight_raked", "--prop", "gender==Female", "--prop", "region==Asia-Pacific", "--format", "json")
	if code != 0 {
		t.Fatalf("estimate on raked: exit %d: %s", code, errOut)
	}
	var est struct{ Estimates []struct{ Estimate float64 } }
	if err := json.Unmarshal([]byte(js), &est); err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{0.5, 0.3} {
		if got := est.Estimates[i].Estimate; math.Abs(got-want) > 1e-8 {
			t.Errorf("raked share %d = %v, want the target %v", i, got, want)
		}
	}
	// A target level absent from the data is an error naming it.
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("margins:\n  gender: {Female: 0.5, Mael: 0.5}\n"), 0o644)
	code, _, errOut = runCLI(t, "weight", "--data", data, "--codebook", cb, "--targets", bad, "-o", filepath.Join(dir, "x.csv"))
	if code != 1 || !strings.Contains(errOut, "Mael") {
		t.Errorf("weight with unknown level: exit %d, stderr %q; want 1 naming Mael", code, errOut)
	}
}

// TestReportWritesEveryFile runs report on the embedded study twice and
// checks that every deliverable is written and that the second run gives
// byte-identical files.
func TestReportWritesEveryFile(t *testing.T) {
	if testing.Short() {
		t.Skip("report renders charts")
	}
	dir := t.TempDir()
	read := func() map[string][]byte {
		files := map[string][]byte{}
		filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
			if err == nil && !info.IsDir() {
				b, _ := os.ReadFile(p)
				files[strings.TrimPrefix(p, dir)] = b
			}
			return nil
		})
		return files
	}
	if code, _, errOut := runCLI(t, "report", "--out", dir, "--pdf"); code != 0 {
		t.Fatalf("report: exit %d: %s", code, errOut)
	}
	first := read()
	for _, f := range []string{"/report.xlsx", "/report.html", "/report.md", "/charts/say-do-gap.png", "/charts/say-do-gap.svg", "/charts/say-do-gap.pdf", "/charts/trust-effect.png", "/charts/paradox-rate-heatmap.png", "/charts/westin-segments.png", "/charts/comfort-by-data-type.png"} {
		if len(first[f]) == 0 {
			t.Errorf("report: %s missing or empty", f)
		}
	}
	if code, _, errOut := runCLI(t, "report", "--out", dir, "--pdf"); code != 0 {
		t.Fatalf("report again: exit %d: %s", code, errOut)
	}
	second := read()
	for name, b := range first {
		if string(second[name]) != string(b) {
			t.Errorf("report: %s differs between two runs on the same input", name)
		}
	}
	for name := range second {
		if strings.Contains(name, ".tmp") || strings.HasPrefix(filepath.Base(name), ".") {
			t.Errorf("report left a temporary file %s", name)
		}
	}
}

// TestEncodingAndDelimiterFlags forces what detection would guess wrong: a
// pipe-free file whose separator is "|" and whose text is Windows-1252.
func TestEncodingAndDelimiterFlags(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "d.txt")
	// "Zürich" in Windows-1252; one column only, so no separator to detect.
	if err := os.WriteFile(data, []byte("city|x\nZ\xfcrich|1\nBern|3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "estimate", "--data", data, "--encoding", "windows-1252", "--delimiter", "|", "--mean", "x", "--by", "city", "--format", "csv")
	if code != 0 {
		t.Fatalf("estimate --encoding --delimiter: exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "Zürich") {
		t.Errorf("estimate output = %q, want the level Zürich decoded", out)
	}
	for _, args := range [][]string{{"--encoding", "ebcdic"}, {"--delimiter", "::"}} {
		code, _, errOut := runCLI(t, append([]string{"estimate", "--data", data, "--mean", "x"}, args...)...)
		if code != 2 || !strings.Contains(errOut, args[0]) {
			t.Errorf("estimate %v: exit %d, stderr %q; want 2 naming the flag", args, code, errOut)
		}
	}
}

// TestDecimalCommaFlag: a tab-separated file with decimal commas is read
// with --decimal-comma; without it the weight is refused with a hint.
func TestDecimalCommaFlag(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "d.tsv")
	if err := os.WriteFile(data, []byte("w\tx\n1,5\t1\n0,5\t3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "estimate", "--data", data, "--weight", "w", "--mean", "x", "--format", "csv", "--decimal-comma")
	if code != 0 {
		t.Fatalf("estimate --decimal-comma: exit %d: %s", code, errOut)
	}
	// (1.5·1 + 0.5·3) / 2 = 1.5
	if !strings.Contains(out, ",1.5,") {
		t.Errorf("estimate --decimal-comma output = %q, want the weighted mean 1.5", out)
	}
	code, _, errOut = runCLI(t, "estimate", "--data", data, "--weight", "w", "--mean", "x", "--format", "csv")
	if code == 0 || !strings.Contains(errOut, `2 rows (rows 2, 3) have weight values written with a decimal comma: "1,5", "0,5" (if the comma is a decimal comma`) || !strings.Contains(errOut, "--decimal-comma") {
		t.Errorf("estimate without --decimal-comma: exit %d, stderr %q; want the weight refused with a hint", code, errOut)
	}
	// The codebook can say so instead.
	cb := filepath.Join(dir, "codebook.yaml")
	if err := os.WriteFile(cb, []byte("decimal_comma: true\ndesign: {weight: w}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = runCLI(t, "estimate", "--data", data, "--codebook", cb, "--mean", "x", "--format", "csv")
	if code != 0 || !strings.Contains(out, ",1.5,") {
		t.Errorf("estimate with decimal_comma: true in the codebook: exit %d, output %q, stderr %q; want the weighted mean 1.5", code, out, errOut)
	}
}

// TestReportWriteFailure: a folder that cannot be replaced by a report
// (here report.html is a directory holding a file of the user's) fails
// the command before any work with a message naming the entry, and the
// folder is left as it was (a failure midway is reports.WriteDirAtomic's
// test: the previous report stays whole).
func TestReportWriteFailure(t *testing.T) {
	dir := t.TempDir()
	x := filepath.Join(dir, "report.html", "x")
	if err := os.MkdirAll(x, 0o755); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI(t, "report", "--out", dir)
	if code != 1 || strings.Count(errOut, "report.html/x") != 1 {
		t.Fatalf("report with report.html a directory: exit %d, stderr %q; want 1 and %q once", code, errOut, "report.html/x")
	}
	ents, _ := os.ReadDir(dir)
	if _, err := os.Stat(x); err != nil || len(ents) != 1 {
		t.Errorf("report changed the folder it refused: %d entries, %v", len(ents), err)
	}
}
