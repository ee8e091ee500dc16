package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// opened reports whether process pid has file open. The command opens
// its data in the run, which starts after main has installed the signal
// handlers: once the file is open, a SIGINT reaches the handler (the Go
// runtime catches SIGINT from the start, to exit, so its mask says
// nothing).
func opened(pid int, file string) bool {
	fds, _ := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	for _, fd := range fds {
		if l, err := os.Readlink(fmt.Sprintf("/proc/%d/fd/%s", pid, fd.Name())); err == nil && l == file {
			return true
		}
	}
	return false
}

// cpuTicks is the CPU time process pid has used, in clock ticks (utime +
// stime of /proc/PID/stat), and whether it is still running (not a
// zombie waiting for Wait).
func cpuTicks(pid int) (int, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	// The fields after the command name (which may hold spaces) start at
	// the state, field 3; utime and stime are fields 14 and 15.
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0, false
	}
	u, _ := strconv.Atoi(f[11])
	st, _ := strconv.Atoi(f[12])
	return u + st, f[0] != "Z"
}

// TestSignalsLeaveOutputs sends a real SIGINT to the commands that write
// -o, once they have opened the data and again once they have used some
// CPU (reading done, or estimating, whatever the machine's speed): each
// ends with 130, says so in one line and leaves -o's file as it was, with
// no temporary file beside it.
func TestSignalsLeaveOutputs(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a study of 100,000 respondents")
	}
	dir := t.TempDir()
	data, cb := writeStudy(t, filepath.Join(dir, "study"), 100000, nil)
	targets := filepath.Join(dir, "targets.yaml")
	if err := os.WriteFile(targets, []byte("margins:\n  gender: {Female: 0.5, Male: 0.48, Non-binary / other: 0.02}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	outDir := filepath.Join(dir, "out")
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(outDir, "result.txt")
	study := []string{"--data", data, "--codebook", cb, "-o", out}
	for _, args := range [][]string{
		{"crosstab", "--rows", "pc1", "--cols", "region", "--targets", targets},
		{"estimate", "--mean", "pc1", "--by", "region", "--targets", targets},
		{"weight", "--targets", targets},
		{"trust", "--targets", targets},
	} {
		for _, after := range []int{0, 30} {
			name := fmt.Sprintf("%s after %d ticks", args[0], after)
			t.Run(name, func(t *testing.T) {
				if err := os.WriteFile(out, []byte("previous"), 0o644); err != nil {
					t.Fatal(err)
				}
				c, errOut := command(t, append(args, study...)...)
				pid := c.Process.Pid
				seen := false
				for end := time.Now().Add(30 * time.Second); time.Now().Before(end); time.Sleep(time.Millisecond) {
					ticks, running := cpuTicks(pid)
					seen = seen || opened(pid, data)
					if !running || seen && ticks >= after {
						break
					}
				}
				_ = c.Process.Signal(os.Interrupt)
				code := exitStatus(c.Wait())
				if code == 0 {
					t.Skipf("%s finished before the signal", name)
				}
				if code != 130 {
					t.Errorf("%s: exit %d, want 130; stderr %q", name, code, errOut)
				}
				if msg := errOut.String(); !strings.Contains(msg, "interrupted by SIGINT") || strings.Contains(msg, "goroutine ") {
					t.Errorf("%s: stderr %q, want the interruption in one line", name, msg)
				}
				if b, _ := os.ReadFile(out); string(b) != "previous" {
					t.Errorf("%s replaced -o's file", name)
				}
				if ents, _ := os.ReadDir(outDir); len(ents) != 1 {
					t.Errorf("%s left %d files beside -o's, want none", name, len(ents)-1)
				}
			})
		}
	}
}
