package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// runCLI executes the command line on a fresh command tree.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	s, _, out, errOut := TestStreams()
	code = run(context.Background(), s, args)
	return code, out.String(), errOut.String()
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("titel: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		args      []string
		code      int
		stderrHas string
		stdoutHas string
	}{
		{"help", []string{"--help"}, 0, "", "EXIT STATUS"},
		{"unknown command", []string{"frobnicate"}, 2, "unknown command", ""},
		{"unknown flag", []string{"paradox", "--frob"}, 2, "unknown flag", ""},
		{"bad format", []string{"paradox", "--format", "xml"}, 2, "--format", ""},
		{"bad level", []string{"describe", "--level", "95"}, 2, "--level", ""},
		{"bad ci", []string{"describe", "--ci", "exact"}, 2, "ci", ""},
		{"bad lonely", []string{"describe", "--lonely-psu", "drop"}, 2, "lonely-psu", ""},
		{"unknown --by", []string{"paradox", "--by", "cohort"}, 2, "cohort", ""},
		{"positional arg", []string{"describe", "data.csv"}, 2, "takes no arguments", ""},
		{"estimate without stats", []string{"estimate"}, 2, "--mean", ""},
		{"effect without factor", []string{"effect", "--outcome", "comfort"}, 2, "factor", ""},
		{"missing file", []string{"describe", "--data", filepath.Join(dir, "nope.csv")}, 1, "nope.csv", ""},
		{"directory as data", []string{"describe", "--data", dir}, 1, dir, ""},
		{"codebook unknown key", []string{"describe", "--codebook", bad}, 1, "titel", ""},
		{"describe embedded", []string{"describe"}, 0, "", "concern"},
		{"paradox embedded", []string{"paradox"}, 0, "", "paradox_rate"},
		{"estimate a construct", []string{"estimate", "--prop", "concern >= 1"}, 1, `"concern" is a construct, scored from its items (pc1`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tt.args...)
			if code != tt.code {
				t.Errorf("trustgap %q: exit %d, want %d\nstderr: %s", tt.args, code, tt.code, errOut)
			}
			if !strings.Contains(errOut, tt.stderrHas) {
				t.Errorf("trustgap %q: stderr = %q, want it to contain %q", tt.args, errOut, tt.stderrHas)
			}
			if !strings.Contains(out, tt.stdoutHas) {
				t.Errorf("trustgap %q: stdout = %q, want it to contain %q", tt.args, out, tt.stdoutHas)
			}
			if strings.Contains(errOut, "goroutine ") || strings.Contains(errOut, "panic:") {
				t.Errorf("trustgap %q: stderr has a stack trace: %s", tt.args, errOut)
			}
		})
	}
}

func TestFlagsReachOptions(t *testing.T) {
	s, _, _, _ := TestStreams()
	var got *AnalysisOptions
	cmd := NewCmdParadox(s, func(o *AnalysisOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--data", "a.csv", "--data", "b.csv", "--by", "region,generation", "--ci", "beta", "--level", "0.9", "--min-base", "50", "--format", "json", "-o", "out.json", "--lonely-psu", "adjust"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if strings.Join(got.Study.Data, ",") != "a.csv,b.csv" || strings.Join(got.By, ",") != "region,generation" ||
		got.CI != "beta" || got.Level != 0.9 || got.MinBase != 50 || got.Output.Format != "json" || got.Output.Output != "out.json" || got.Study.LonelyPSU != "adjust" {
		t.Errorf("paradox flags = %+v, want the values given", got)
	}
	// A fresh tree must not remember the previous flags.
	cmd = NewCmdParadox(s, func(o *AnalysisOptions) error { got = o; return nil })
	cmd.SetArgs(nil)
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if len(got.Study.Data) != 0 || got.CI != "logit" || got.Level != 0.95 || got.MinBase != 30 {
		t.Errorf("fresh paradox flags = %+v, want defaults", got)
	}
}

func TestParadoxJSONShape(t *testing.T) {
	code, out, errOut := runCLI(t, "paradox", "--format", "json", "--by", "region")
	if code != 0 {
		t.Fatalf("paradox: exit %d: %s", code, errOut)
	}
	var res struct {
		Estimates []struct {
			Statistic string            `json:"statistic"`
			Domain    map[string]string `json:"domain"`
			Estimate  float64           `json:"estimate"`
			CILow     float64           `json:"ci_low"`
			CIHigh    float64           `json:"ci_high"`
			N         int               `json:"n"`
		} `json:"estimates"`
		Tests []struct {
			Name      string   `json:"name"`
			Variables []string `json:"variables"`
		} `json:"tests"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("paradox --format json: %v\n%s", err, out)
	}
	stats := map[string]int{}
	for _, e := range res.Estimates {
		stats[e.Statistic]++
		if _, ok := e.Domain["generation"]; ok {
			t.Errorf("paradox --by region: estimate for domain %v, want region and total only", e.Domain)
		}
		if !(e.CILow <= e.Estimate && e.Estimate <= e.CIHigh) {
			t.Errorf("paradox %s %v: estimate %v outside [%v, %v]", e.Statistic, e.Domain, e.Estimate, e.CILow, e.CIHigh)
		}
	}
	for _, s := range []string{"concerned", "protects", "gap", "paradox_rate", "paradox_share"} {
		if stats[s] != 6 { // total + 5 regions
			t.Errorf("paradox: %d estimates of %s, want 6", stats[s], s)
		}
	}
	if len(res.Tests) == 0 || res.Tests[0].Name != "rao_scott" {
		t.Errorf("paradox tests = %+v, want a rao_scott test", res.Tests)
	}
}

func TestOutputFileRefusesInput(t *testing.T) {
	dir := t.TempDir()
	cb := filepath.Join(dir, "cb.yaml")
	if err := os.WriteFile(cb, []byte("title: t\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "d.csv")
	if err := os.WriteFile(data, []byte("x,w\n1,1\n2,1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI(t, "estimate", "--data", data, "--mean", "x", "-o", data)
	if code != 1 {
		t.Errorf("estimate -o <input>: exit %d, want 1 (%s)", code, errOut)
	}
	b, _ := os.ReadFile(data)
	if string(b) != "x,w\n1,1\n2,1\n" {
		t.Errorf("estimate -o <input> changed the input to %q", b)
	}
}

// TestReportSectionPanic injects a panic into one section of `trustgap
// report` (through the options' test hook): the CLI prints one line, no
// stack, exits 3 and writes no report.
func TestReportSectionPanic(t *testing.T) {
	for _, section := range []string{"trust", "crosstabs"} {
		t.Run(section, func(t *testing.T) {
			dir := t.TempDir()
			s, _, out, errOut := TestStreams()
			var cmd *cobra.Command
			cmd = NewCmdReport(s, func(o *ReportOptions) error {
				o.beforeSection = func(name string) {
					if name == section {
						panic("injected in " + name)
					}
				}
				return reportRun(cmd, o)
			})
			code := execute(context.Background(), s, cmd, []string{"--out", dir})
			if code != exitInternal {
				t.Errorf("report with a panicking %s section: exit %d, want %d", section, code, exitInternal)
			}
			want := "trustgap: internal error: panic: injected in " + section + " (a bug in trustgap: please report it with the command you ran)\n"
			if errOut.String() != want {
				t.Errorf("stderr = %q, want %q", errOut.String(), want)
			}
			if out.Len() != 0 {
				t.Errorf("stdout = %q, want nothing", out.String())
			}
			if _, err := os.Stat(filepath.Join(dir, "report.xlsx")); err == nil {
				t.Errorf("report.xlsx written despite the panic")
			}
		})
	}
}

// TestPanicInCommand checks a panic in the command's own goroutine: one
// line, exit 3.
func TestPanicInCommand(t *testing.T) {
	s, _, _, errOut := TestStreams()
	cmd := NewCmdReport(s, func(o *ReportOptions) error { panic("direct") })
	code := execute(context.Background(), s, cmd, nil)
	if code != exitInternal || strings.Count(errOut.String(), "\n") != 1 || !strings.Contains(errOut.String(), "internal error: panic: direct") {
		t.Errorf("panic in a command: exit %d, stderr %q; want %d and one line", code, errOut.String(), exitInternal)
	}
}

// TestPanicStackWithDebug: the stack of a worker's panic is kept; the CLI
// prints it only with TRUSTGAP_DEBUG=1, after the one-line message.
func TestPanicStackWithDebug(t *testing.T) {
	t.Setenv("TRUSTGAP_DEBUG", "1")
	s, _, _, errOut := TestStreams()
	var cmd *cobra.Command
	cmd = NewCmdReport(s, func(o *ReportOptions) error {
		o.beforeSection = func(name string) {
			if name == "trust" {
				panic("injected")
			}
		}
		return reportRun(cmd, o)
	})
	code := execute(context.Background(), s, cmd, []string{"--out", t.TempDir()})
	first, rest, _ := strings.Cut(errOut.String(), "\n")
	if code != exitInternal || !strings.Contains(first, "internal error: panic: injected") {
		t.Errorf("exit %d, first line %q; want %d and the panic", code, first, exitInternal)
	}
	if !strings.Contains(rest, "goroutine ") || !strings.Contains(rest, "TestPanicStackWithDebug") {
		t.Errorf("with TRUSTGAP_DEBUG=1, stderr after the message = %q, want the panicking goroutine's stack", rest)
	}
}
