package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// The R goldens of package analysis, run through the commands themselves:
// the files are read, typed, stored and grouped as a user's are (the lean
// load of the analysis commands, the plain one of estimate and crosstab),
// and the JSON the commands print is compared with what R's survey
// package computed (analysis/testdata/*/*.R), at the goldens' tolerance.

// goldenTol is the goldens' relative tolerance (expected.json's
// "tolerance"); figures below 1e-12 compare absolutely.
const goldenTol = 1e-6

func goldenNear(got, want float64) bool {
	return math.Abs(got-want) <= goldenTol*math.Abs(want) || math.Abs(got-want) <= 1e-12
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// runJSON runs a command with --format json and decodes its output.
func runJSON(t *testing.T, args ...string) any {
	t.Helper()
	code, out, errOut := runCLI(t, append(args, "--format", "json")...)
	if code != 0 {
		t.Fatalf("trustgap %s: exit %d: %s", strings.Join(args, " "), code, errOut)
	}
	var v any
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("trustgap %s: %v", strings.Join(args, " "), err)
	}
	return v
}

// identity names an element of a JSON array of results by its fields
// that are not figures (statistic, domain, item, variables…), so that
// wanted and printed rows are paired whatever their order.
func identity(v any) string { return identityOn(v, v) }

// identityOn is identity of v on the fields that are part of like's
// identity (a command may print more).
func identityOn(v, like any) string {
	m, ok := v.(map[string]any)
	l, ok2 := like.(map[string]any)
	if !ok || !ok2 {
		return ""
	}
	var keys []string
	for k := range l {
		x, ok := m[k]
		if !ok {
			continue
		}
		switch x := x.(type) {
		case string, bool:
			keys = append(keys, fmt.Sprintf("%s=%v", k, x))
		case map[string]any:
			if onlyStrings(x) {
				b, _ := json.Marshal(x)
				keys = append(keys, k+"="+string(b))
			}
		case []any:
			if onlyStrings(x) {
				b, _ := json.Marshal(x)
				keys = append(keys, k+"="+string(b))
			}
		}
	}
	sort.Strings(keys)
	return strings.Join(keys, " ")
}

func onlyStrings(v any) bool {
	switch v := v.(type) {
	case string:
		return true
	case map[string]any:
		for _, x := range v {
			if !onlyStrings(x) {
				return false
			}
		}
		return true
	case []any:
		for _, x := range v {
			if !onlyStrings(x) {
				return false
			}
		}
		return true
	}
	return false
}

// compareJSON checks that got holds every field of want: numbers within
// goldenTol, null (NaN) where want has null, the rest equal; elements of
// arrays of objects are paired by identity, and with exact got has no
// others.
func compareJSON(t *testing.T, path string, got, want any, exact bool) {
	t.Helper()
	switch w := want.(type) {
	case float64:
		g, ok := got.(float64)
		if !ok || !goldenNear(g, w) {
			t.Errorf("%s = %v, want %v", path, got, w)
		}
	case nil:
		if got != nil {
			t.Errorf("%s = %v, want null", path, got)
		}
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			t.Errorf("%s = %v, want an object", path, got)
			return
		}
		for k, wv := range w {
			gv, ok := g[k]
			if !ok {
				if wv == nil || isEmpty(wv) {
					continue // omitted when empty
				}
				t.Errorf("%s has no %q", path, k)
				continue
			}
			compareJSON(t, path+"."+k, gv, wv, exact)
		}
	case []any:
		g, ok := got.([]any)
		if !ok {
			if len(w) == 0 && got == nil {
				return
			}
			t.Errorf("%s = %v, want an array", path, got)
			return
		}
		if len(w) > 0 && identity(w[0]) != "" {
			for _, x := range w {
				id := identity(x)
				var gx any
				found := 0
				for _, y := range g {
					if identityOn(y, x) == id {
						gx = y
						found++
					}
				}
				if found != 1 {
					t.Errorf("%s has %d elements %s, want 1", path, found, id)
					continue
				}
				compareJSON(t, path+"["+id+"]", gx, x, exact)
			}
			if exact && len(g) != len(w) {
				t.Errorf("%s has %d elements, want %d", path, len(g), len(w))
			}
			return
		}
		if len(g) != len(w) {
			t.Errorf("%s has %d elements, want %d", path, len(g), len(w))
			return
		}
		for i := range w {
			compareJSON(t, fmt.Sprintf("%s[%d]", path, i), g[i], w[i], exact)
		}
	default:
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s = %v, want %v", path, got, want)
		}
	}
}

func isEmpty(v any) bool {
	switch v := v.(type) {
	case []any:
		return len(v) == 0
	case map[string]any:
		return len(v) == 0
	case string:
		return v == ""
	}
	return false
}

// The test study's goldens (analysis/testdata/study/make.R and
// expected.json) through describe, paradox, trust, segments, compare and
// reliability.
func TestStudyGoldensThroughCLI(t *testing.T) {
	dir := filepath.Join("..", "..", "analysis", "testdata", "study")
	var want map[string]any
	readJSON(t, filepath.Join(dir, "expected.json"), &want)
	if want["tolerance"] != goldenTol {
		t.Fatalf("expected.json tolerance %v, the test has %v", want["tolerance"], goldenTol)
	}
	data := []string{"--data", filepath.Join(dir, "study.csv"), "--codebook", filepath.Join(dir, "codebook.yaml")}
	for _, cmd := range []string{"describe", "paradox", "trust", "segments", "compare", "reliability"} {
		t.Run(cmd, func(t *testing.T) {
			got := runJSON(t, append([]string{cmd}, data...)...)
			compareJSON(t, cmd, got, want[cmd], true)
		})
	}
}

// The real survey of Kozyreva et al. (2021), two files with different
// headers, by country: describe and paradox against
// analysis/testdata/study/kozyreva.R.
func TestKozyrevaGoldensThroughCLI(t *testing.T) {
	dir := realData(t, "kozyreva2021")
	cb := filepath.Join("..", "..", "survey", "testdata", "kozyreva", "codebook.yaml")
	var want map[string]any
	readJSON(t, filepath.Join("..", "..", "analysis", "testdata", "study", "kozyreva.json"), &want)
	args := []string{"--data", filepath.Join(dir, "data_GER.csv"), "--data", filepath.Join(dir, "data_GB_US.csv"), "--codebook", cb, "--by", "region"}
	for _, cmd := range []string{"describe", "paradox"} {
		t.Run(cmd, func(t *testing.T) {
			got := runJSON(t, append([]string{cmd}, args...)...)
			// kozyreva.R computes the rows the published figures need;
			// the commands print more.
			compareJSON(t, cmd, got, want[cmd], false)
		})
	}
}

// realData returns shared/realdata/NAME in the nearest directory above
// the repository that has it, or skips the test.
func realData(t *testing.T, name string) string {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		p := filepath.Join(dir, "shared", "realdata", name)
		if _, err := os.Stat(p); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skipf("real data %s not available above the repository", name)
		}
		dir = parent
	}
}

// R's core cases (analysis/testdata/core/core.R: svymean, svyciprop,
// svyby and svychisq on R's api data, a synthetic stratified cluster
// sample and lonely PSUs) through estimate and crosstab with the design
// given as flags. Totals and ratios have no command and are checked by
// package analysis only.
func TestCoreGoldensThroughCLI(t *testing.T) {
	var core struct {
		Cases []struct {
			ID     string `json:"id"`
			Kind   string `json:"kind"`
			Design struct {
				Data, PSU, Strata, Weights, FPC, Lonely string
			} `json:"design"`
			Y      string  `json:"y"`
			By     string  `json:"by"`
			A      string  `json:"a"`
			B      string  `json:"b"`
			Value  string  `json:"value"`
			Level  float64 `json:"level"`
			Domain *struct {
				Var, Level string
			} `json:"domain"`
			Estimate, SE, Deff float64
			N, DF              int
			CI                 []float64 `json:"ci"`
			Groups             []struct {
				Level              string
				Estimate, SE, Deff float64
				N, DF              int
				CI                 []float64
			} `json:"groups"`
			F, NDF, DDF, P float64
		} `json:"cases"`
	}
	readJSON(t, filepath.Join("..", "..", "analysis", "testdata", "core", "core.json"), &core)
	// R writes missing values as NA.
	cb := filepath.Join(t.TempDir(), "na.yaml")
	if err := os.WriteFile(cb, []byte("missing: [\"NA\", \"\"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ran := 0
	for _, c := range core.Cases {
		args := []string{"--data", apiData(c.Design.Data), "--codebook", cb, "--lonely-psu", c.Design.Lonely}
		for _, f := range [][2]string{{"--psu", c.Design.PSU}, {"--strata", c.Design.Strata}, {"--weight", c.Design.Weights}, {"--fpc", c.Design.FPC}} {
			if f[1] != "" {
				args = append(args, f[0], f[1])
			}
		}
		if c.Level != 0 {
			args = append(args, "--level", fmt.Sprint(c.Level))
		}
		type est struct {
			Domain             map[string]string
			Estimate, SE, Deff float64
			CILow              float64 `json:"ci_low"`
			CIHigh             float64 `json:"ci_high"`
			N, DF              int
		}
		estimate := func(extra ...string) []est {
			code, out, errOut := runCLI(t, append(append([]string{"estimate"}, args...), append(extra, "--format", "json")...)...)
			if code != 0 {
				t.Fatalf("%s: estimate: exit %d: %s", c.ID, code, errOut)
			}
			var res struct{ Estimates []est }
			if err := json.Unmarshal([]byte(out), &res); err != nil {
				t.Fatal(err)
			}
			return res.Estimates
		}
		check := func(what string, g est, estimate, se, deff float64, n, df int, ci []float64) {
			for _, f := range []struct {
				name      string
				got, want float64
			}{{"estimate", g.Estimate, estimate}, {"se", g.SE, se}, {"deff", g.Deff, deff}, {"ci_low", g.CILow, ci[0]}, {"ci_high", g.CIHigh, ci[1]}} {
				if !goldenNear(f.got, f.want) {
					t.Errorf("%s %s = %.12g, want %.12g", what, f.name, f.got, f.want)
				}
			}
			if g.N != n || g.DF != df {
				t.Errorf("%s n, df = %d, %d; want %d, %d", what, g.N, g.DF, n, df)
			}
		}
		// pick returns the estimate of the total, or of domain var = level.
		pick := func(es []est, v, level string) (est, bool) {
			for _, e := range es {
				if (v == "" && len(e.Domain) == 0) || (v != "" && e.Domain[v] == level) {
					return e, true
				}
			}
			return est{}, false
		}
		switch c.Kind {
		case "mean", "prop":
			var extra []string
			if c.Kind == "mean" {
				extra = []string{"--mean", c.Y}
			} else {
				extra = []string{"--prop", c.Y + "==" + c.Value}
			}
			v, level := "", ""
			if c.Domain != nil {
				v, level = c.Domain.Var, c.Domain.Level
				extra = append(extra, "--by", v)
			}
			g, ok := pick(estimate(extra...), v, level)
			if !ok {
				t.Errorf("%s: estimate printed no row for %s=%s", c.ID, v, level)
				continue
			}
			check(c.ID, g, c.Estimate, c.SE, c.Deff, c.N, c.DF, c.CI)
		case "meanby":
			es := estimate("--mean", c.Y, "--by", c.By)
			for _, w := range c.Groups {
				g, ok := pick(es, c.By, w.Level)
				if !ok {
					t.Errorf("%s: estimate printed no row for %s", c.ID, w.Level)
					continue
				}
				check(c.ID+" "+w.Level, g, w.Estimate, w.SE, w.Deff, w.N, w.DF, w.CI)
			}
		case "chisq":
			if c.Domain != nil {
				continue // crosstab has no domain: package analysis checks these
			}
			code, out, errOut := runCLI(t, append(append([]string{"crosstab"}, args...), "--rows", c.A, "--cols", c.B, "--format", "json")...)
			if code != 0 {
				t.Fatalf("%s: crosstab: exit %d: %s", c.ID, code, errOut)
			}
			var ct struct {
				Test struct{ F, NDF, DDF, P float64 }
			}
			if err := json.Unmarshal([]byte(out), &ct); err != nil {
				t.Fatal(err)
			}
			for _, f := range []struct {
				name      string
				got, want float64
			}{{"F", ct.Test.F, c.F}, {"ndf", ct.Test.NDF, c.NDF}, {"ddf", ct.Test.DDF, c.DDF}, {"p", ct.Test.P, c.P}} {
				if !goldenNear(f.got, f.want) {
					t.Errorf("%s %s = %.12g, want %.12g", c.ID, f.name, f.got, f.want)
				}
			}
		default:
			continue
		}
		ran++
	}
	if ran < 100 {
		t.Errorf("ran %d core cases through the CLI, want at least 100", ran)
	}
}
