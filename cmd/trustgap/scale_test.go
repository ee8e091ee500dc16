package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trustgap/trustgap/analysis"
	"github.com/trustgap/trustgap/datasets"
	"github.com/trustgap/trustgap/survey"
)

// The analysis commands load only what they need (leanLoad) and still
// report what the analyses give on a full load.
func TestLeanLoadSameResults(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "responses.csv")
	f, err := os.Create(data)
	if err != nil {
		t.Fatal(err)
	}
	if err := datasets.Generate(context.Background(), datasets.GenerateOptions{N: 3000, Seed: 7}, f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	cbPath := filepath.Join(dir, "codebook.yaml")
	if err := os.WriteFile(cbPath, datasets.Codebook(), 0o644); err != nil {
		t.Fatal(err)
	}
	cb, err := survey.LoadCodebook(cbPath)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := survey.OpenTable(context.Background(), data, survey.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ds, err := survey.Load(context.Background(), cb, []survey.TableReader{tr}, survey.LoadOptions{})
	tr.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		cmd  string
		want func() (any, error)
	}{
		{"paradox", func() (any, error) { return analysis.Paradox(ds, analysis.Options{}) }},
		{"trust", func() (any, error) { return analysis.Trust(ds, analysis.Options{}) }},
		{"describe", func() (any, error) { return analysis.Describe(ds, analysis.Options{}) }},
	} {
		code, out, errOut := runCLI(t, tc.cmd, "--format", "json", "--quiet", "--data", data, "--codebook", cbPath)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", tc.cmd, code, errOut)
		}
		if errOut != "" {
			t.Errorf("%s --quiet: stderr %q, want nothing", tc.cmd, errOut)
		}
		want, err := tc.want()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(want)
		var g, w any
		if err := json.Unmarshal([]byte(out), &g); err != nil {
			t.Fatalf("%s: %v", tc.cmd, err)
		}
		json.Unmarshal(b, &w)
		delete(g.(map[string]any), "design") // the command's statement of its design, not the analysis's
		if msg := jsonDiff("", g, w); msg != "" {
			t.Errorf("%s: %s", tc.cmd, msg)
		}
	}
}

// jsonDiff compares decoded JSON, numbers to 1e-9 relative.
func jsonDiff(path string, a, b any) string {
	switch a := a.(type) {
	case map[string]any:
		bm, ok := b.(map[string]any)
		if !ok || len(a) != len(bm) {
			return path + ": different objects"
		}
		for k := range a {
			if m := jsonDiff(path+"."+k, a[k], bm[k]); m != "" {
				return m
			}
		}
	case []any:
		bs, ok := b.([]any)
		if !ok || len(a) != len(bs) {
			return path + ": different arrays"
		}
		for i := range a {
			if m := jsonDiff(path, a[i], bs[i]); m != "" {
				return m
			}
		}
	case float64:
		bf, ok := b.(float64)
		if d := a - bf; !ok || d > 1e-9*max(1, abs(bf)) || d < -1e-9*max(1, abs(bf)) {
			return path + ": numbers differ"
		}
	default:
		if a != b {
			return path + ": values differ"
		}
	}
	return ""
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// Every analysis command takes --quiet, and nothing shows progress when
// standard error is not a terminal.
func TestQuietFlag(t *testing.T) {
	for _, cmd := range []string{"describe", "paradox", "trust", "segments", "compare", "reliability"} {
		code, _, errOut := runCLI(t, cmd, "-q", "--format", "json")
		if code != 0 || strings.Contains(errOut, "reading") {
			t.Errorf("%s -q: exit %d, stderr %q", cmd, code, errOut)
		}
	}
}
