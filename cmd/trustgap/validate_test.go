package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestValidateOneLinePerCause: a segment column that neither of two
// stacked files has is one problem naming both files, counted once.
func TestValidateOneLinePerCause(t *testing.T) {
	dir := filepath.Join("..", "..", "survey", "testdata", "load", "stacked")
	cb, err := os.ReadFile(filepath.Join(dir, "codebook.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(cb), "segments: [sex]", "segments: [sex, nosuch]", 1)
	if broken == string(cb) {
		t.Fatal("the stacked codebook no longer reads segments: [sex]")
	}
	path := filepath.Join(t.TempDir(), "codebook.yaml")
	if err := os.WriteFile(path, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	a, b := filepath.Join(dir, "1_de.csv"), filepath.Join(dir, "2_us.csv")
	code, out, _ := runCLI(t, "validate", "--data", a, "--data", b, "--codebook", path)
	if code != 1 {
		t.Errorf("validate = exit %d, want 1", code)
	}
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, `"nosuch"`) {
			lines = append(lines, l)
		}
	}
	if len(lines) != 1 || !strings.HasPrefix(lines[0], a+", "+b+": ") {
		t.Errorf("validate lists the missing column as %q, want one line naming %s and %s", lines, a, b)
	}
	if !strings.Contains(out, "\n1 problem(s)\n") {
		t.Errorf("validate's count = %q, want 1 problem(s)", out)
	}
}
