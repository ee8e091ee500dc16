//go:build unix

package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain lets the test binary be the command itself (for the signal
// tests, which need a process of its own to signal).
func TestMain(m *testing.M) {
	if os.Getenv("TRUSTGAP_TEST_MAIN") == "1" {
		os.Args = append([]string{"trustgap"}, strings.Fields(os.Getenv("TRUSTGAP_TEST_ARGS"))...)
		main()
		return
	}
	os.Exit(m.Run())
}

// command starts the command line args in a process of its own.
func command(t *testing.T, args ...string) (*exec.Cmd, *strings.Builder) {
	t.Helper()
	c := exec.Command(os.Args[0])
	c.Env = append(os.Environ(), "TRUSTGAP_TEST_MAIN=1", "TRUSTGAP_TEST_ARGS="+strings.Join(args, " "))
	var errOut strings.Builder
	c.Stderr = &errOut
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	return c, &errOut
}

func exitStatus(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// TestSignals sends real SIGINT and SIGTERM to a report that is reading
// and estimating a large study: the process ends with 130 or 143, the
// previous report is untouched and no temporary folder is left; a second
// SIGINT ends it at once with 130.
func TestSignals(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a large study")
	}
	dir := t.TempDir()
	data, cb := writeStudy(t, filepath.Join(dir, "study"), 150000, nil)
	out := filepath.Join(dir, "rep")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "report.md"), []byte("previous"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		sigs []os.Signal
		code int
	}{
		{"SIGINT", []os.Signal{os.Interrupt}, 130},
		{"SIGTERM", []os.Signal{syscall.SIGTERM}, 143},
		{"two SIGINTs", []os.Signal{os.Interrupt, os.Interrupt}, 130},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, errOut := command(t, "report", "--data", data, "--codebook", cb, "--out", out, "-q")
			// Signal once the run is under way: its temporary folder
			// exists (so the handlers are installed), however slow the
			// machine is; a fixed sleep raced a loaded machine's start-up.
			waitFor(t, 30*time.Second, func() bool {
				ents, _ := os.ReadDir(dir)
				for _, e := range ents {
					if strings.HasPrefix(e.Name(), ".rep.tmp-") {
						return true
					}
				}
				return false
			})
			for _, s := range tt.sigs {
				_ = c.Process.Signal(s)
			}
			if code := exitStatus(c.Wait()); code != tt.code {
				t.Errorf("report after %s: exit %d, want %d; stderr %q", tt.name, code, tt.code, errOut)
			}
			if b, _ := os.ReadFile(filepath.Join(out, "report.md")); string(b) != "previous" {
				t.Errorf("report after %s replaced the previous report", tt.name)
			}
			ents, _ := os.ReadDir(dir)
			for _, e := range ents {
				// A second SIGINT may leave a temporary folder, which
				// the next run removes; one SIGINT never does.
				if strings.HasPrefix(e.Name(), ".rep.tmp-") && len(tt.sigs) == 1 {
					t.Errorf("report after %s left %s", tt.name, e.Name())
				}
			}
		})
	}
}

// waitFor polls cond until it holds, failing the test after limit.
func waitFor(t *testing.T, limit time.Duration, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(limit); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("waited %v in vain", limit)
		}
	}
}
