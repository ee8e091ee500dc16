package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trustgap/trustgap/internal/polltest"
)

// TestCommandsStopWhenCancelled runs every command that reads and
// estimates, to the end with a context that counts its checks and then
// cancelled at the first check, a quarter, half and three quarters of the
// way through them: each cut must end the run with the SIGINT status
// (130), say so, and leave the output as it was. The study is small
// (CI runs this), but every pass of a large one polls the same way:
// reading, building and calibrating the design, crosstab, estimate,
// raking, the logistic fits, report sections and charts.
func TestCommandsStopWhenCancelled(t *testing.T) {
	dir := t.TempDir()
	data, cb := writeStudy(t, filepath.Join(dir, "study"), 8000, nil)
	targets := filepath.Join(dir, "targets.yaml")
	if err := os.WriteFile(targets, []byte(`margins:
  region: {North America: 0.25, Europe: 0.25, Asia-Pacific: 0.3, Latin America: 0.1, Middle East & Africa: 0.1}
  gender: {Female: 0.5, Male: 0.48, Non-binary / other: 0.02}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.txt")
	rep := filepath.Join(dir, "rep")
	study := []string{"--data", data, "--codebook", cb}
	cal := append([]string{"--targets", targets}, study...)
	tests := []struct {
		name string
		args []string
	}{
		{"crosstab", append([]string{"crosstab", "--rows", "pc1", "--cols", "region", "-o", out}, study...)},
		{"crosstab calibrated Wald", append([]string{"crosstab", "--rows", "pc1", "--cols", "region", "--statistic", "Wald", "-o", out}, cal...)},
		{"estimate", append([]string{"estimate", "--mean", "pc1", "--prop", "pc2>=4", "--by", "region", "-o", out}, study...)},
		{"estimate calibrated", append([]string{"estimate", "--mean", "pc1", "--by", "gender", "-o", out}, cal...)},
		{"weight", append([]string{"weight", "--targets", targets, "-o", out}, study...)},
		{"trust", append([]string{"trust", "-o", out}, study...)},
		{"trust calibrated", append([]string{"trust", "-o", out}, cal...)},
		{"effect", append([]string{"effect", "--factor", "concern", "--outcome", "comfort", "-o", out}, study...)},
		{"describe calibrated", append([]string{"describe", "-o", out}, cal...)},
		{"paradox", append([]string{"paradox", "-o", out}, study...)},
		{"segments", append([]string{"segments", "-o", out}, study...)},
		{"compare calibrated", append([]string{"compare", "-o", out}, cal...)},
		{"reliability", append([]string{"reliability", "-o", out}, study...)},
		{"report", append([]string{"report", "--out", rep, "-q"}, study...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			full := polltest.NewCause(0, &interruptedError{sig: os.Interrupt})
			s, _, _, errOut := TestStreams()
			if code := run(full, s, tt.args); code != 0 {
				t.Fatalf("trustgap %s (not cancelled): exit %d, want 0; stderr %s", tt.name, code, errOut)
			}
			n := full.Polls()
			if n < 8 {
				t.Fatalf("trustgap %s checked its context %d times, want at least 8", tt.name, n)
			}
			for _, k := range []int64{1, n / 4, n / 2, 3 * n / 4} {
				if err := os.WriteFile(out, []byte("previous"), 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.RemoveAll(rep); err != nil {
					t.Fatal(err)
				}
				if err := os.MkdirAll(rep, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(rep, "report.md"), []byte("previous"), 0o644); err != nil {
					t.Fatal(err)
				}
				cut := polltest.NewCause(k, &interruptedError{sig: os.Interrupt})
				s, _, stdout, errOut := TestStreams()
				if code := run(cut, s, tt.args); code != 130 {
					t.Errorf("trustgap %s cancelled at check %d of %d: exit %d, want 130; stderr %s", tt.name, k, n, code, errOut)
				}
				if !strings.Contains(errOut.String(), "interrupted by SIGINT") || strings.Contains(errOut.String(), "goroutine ") {
					t.Errorf("trustgap %s cancelled at check %d: stderr = %q, want the interruption in one line", tt.name, k, errOut)
				}
				if stdout.Len() > 0 {
					t.Errorf("trustgap %s cancelled at check %d wrote %d bytes to standard output", tt.name, k, stdout.Len())
				}
				if b, _ := os.ReadFile(out); string(b) != "previous" {
					t.Errorf("trustgap %s cancelled at check %d replaced -o's file", tt.name, k)
				}
				ents, _ := os.ReadDir(rep)
				if len(ents) != 1 {
					t.Errorf("trustgap %s cancelled at check %d: report folder holds %d entries, want the previous report.md alone", tt.name, k, len(ents))
				}
				if b, _ := os.ReadFile(filepath.Join(rep, "report.md")); string(b) != "previous" {
					t.Errorf("trustgap %s cancelled at check %d replaced the previous report", tt.name, k)
				}
				leftovers, _ := filepath.Glob(filepath.Join(dir, ".*tmp*"))
				if len(leftovers) > 0 {
					t.Errorf("trustgap %s cancelled at check %d left %q", tt.name, k, leftovers)
				}
				if m := cut.Polls(); m > k+int64(len(tt.args))+64 {
					// Once cancelled, a run returns; it does not go on
					// polling pass after pass.
					t.Errorf("trustgap %s cancelled at check %d went on to check %d times", tt.name, k, m)
				}
			}
		})
	}
}
