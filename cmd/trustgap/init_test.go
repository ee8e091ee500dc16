package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// kozyrevaFiles returns the two Kozyreva et al. (2021) exports beside the
// repository (or its worktrees' folder), or skips.
func kozyrevaFiles(t *testing.T) []string {
	t.Helper()
	for _, up := range []string{"../../..", "../../../.."} {
		dir := filepath.Join(up, "shared", "realdata", "kozyreva2021")
		if _, err := os.Stat(filepath.Join(dir, "data_GER.csv")); err == nil {
			return []string{filepath.Join(dir, "data_GER.csv"), filepath.Join(dir, "data_GB_US.csv")}
		}
	}
	t.Skip("real data not available")
	return nil
}

func dataArgs(files []string) []string {
	var args []string
	for _, f := range files {
		args = append(args, "--data", f)
	}
	return args
}

// TestInitKozyreva: `init` on the two Kozyreva files writes a codebook on
// which validate passes and describe and report run, unchanged.
func TestInitKozyreva(t *testing.T) {
	files := kozyrevaFiles(t)
	cb := filepath.Join(t.TempDir(), "codebook.yaml")
	code, _, errOut := runCLI(t, append([]string{"init", "-o", cb}, dataArgs(files)...)...)
	if code != 0 {
		t.Fatalf("init: exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "trustgap validate --data") {
		t.Errorf("init's message does not say what to run next: %s", errOut)
	}
	code, out, errOut := runCLI(t, append([]string{"validate", "--codebook", cb}, dataArgs(files)...)...)
	if code != 0 || !strings.Contains(out, "ok: no problems found") {
		t.Fatalf("validate on the draft: exit %d: %s%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, append([]string{"describe", "--codebook", cb, "--format", "csv"}, dataArgs(files)...)...)
	if code != 0 {
		t.Fatalf("describe on the draft: exit %d: %s", code, errOut)
	}
	for _, want := range []string{"concern,region,Germany", "protection,", "comfort,", "age,18–24"} {
		if !strings.Contains(out, want) {
			t.Errorf("describe on the draft lacks %q:\n%s", want, out)
		}
	}
	dir := filepath.Join(t.TempDir(), "report")
	code, _, errOut = runCLI(t, append([]string{"report", "--codebook", cb, "--out", dir}, dataArgs(files)...)...)
	if code != 0 {
		t.Fatalf("report on the draft: exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "report.xlsx")); err != nil {
		t.Errorf("report on the draft wrote no deck: %v", err)
	}
}

func TestInitUsage(t *testing.T) {
	data := filepath.Join("..", "..", "survey", "testdata", "draft", "wave2.csv")
	dir := t.TempDir()
	existing := filepath.Join(dir, "codebook.yaml")
	if err := os.WriteFile(existing, []byte("title: mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no data", []string{"init"}, 2, "init needs the data files"},
		{"existing output", []string{"init", "--data", data, "-o", existing}, 2, "exists; give another -o, or --force"},
		{"output is input", []string{"init", "--data", data, "-o", data, "--force"}, 1, ""},
		{"negative rows", []string{"init", "--data", data, "--max-rows", "-1"}, 2, "--max-rows"},
		{"missing file", []string{"init", "--data", filepath.Join(dir, "nope.csv")}, 1, "nope.csv"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.msg) {
				t.Errorf("%v: exit %d, %q; want exit %d and a message containing %q", tt.args, code, errOut, tt.code, tt.msg)
			}
		})
	}
	if b, _ := os.ReadFile(existing); string(b) != "title: mine\n" {
		t.Errorf("init changed an existing file without --force: %q", b)
	}
	code, out, errOut := runCLI(t, "init", "--data", data)
	if code != 0 || !strings.Contains(out, "columns:") || !strings.Contains(out, "constructs:") {
		t.Errorf("init to standard output: exit %d: %s%s", code, out, errOut)
	}
	code, _, errOut = runCLI(t, "init", "--data", data, "-o", existing, "--force")
	if b, _ := os.ReadFile(existing); code != 0 || !strings.Contains(string(b), "columns:") {
		t.Errorf("init --force: exit %d (%s), file %q", code, errOut, b)
	}
}
