package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestDifferencesInPoints checks that a difference of two shares (the
// paradox's gap, effect's effect) is printed in percentage points in a
// table of its own, its SE in points too, and never as a percentage.
func TestDifferencesInPoints(t *testing.T) {
	for _, tc := range []struct {
		args  []string
		title string
		stat  string
	}{
		{[]string{"paradox"}, "Privacy paradox — differences of shares (percentage points)", "gap "},
		{[]string{"effect", "--factor", "concern", "--outcome", "comfort"}, "comfort among respondents with and without concern — differences of shares (percentage points)", "effect "},
	} {
		code, out, stderr := runCLI(t, tc.args...)
		if code != 0 {
			t.Fatalf("%v: exit %d, stderr %s", tc.args, code, stderr)
		}
		_, points, ok := strings.Cut(out, tc.title+"\n")
		if !ok {
			t.Fatalf("%v: no table %q in\n%s", tc.args, tc.title, out)
		}
		shares, _, _ := strings.Cut(out, tc.title)
		if !strings.Contains(points, "SE (pts)") {
			t.Errorf("%v: the points table's SE column is not in points", tc.args)
		}
		n := 0
		for _, line := range strings.Split(shares, "\n") {
			if strings.HasPrefix(line, tc.stat) {
				t.Errorf("%v: %q row among the shares: %s", tc.args, tc.stat, line)
			}
		}
		for _, line := range strings.Split(points, "\n") {
			if !strings.HasPrefix(line, tc.stat) {
				continue
			}
			n++
			if !strings.Contains(line, " pts [") || strings.Contains(line, "%") {
				t.Errorf("%v: row %q is not in points", tc.args, line)
			}
		}
		if n < 2 {
			t.Errorf("%v: %d %q rows in points, want the total and every domain", tc.args, n, tc.stat)
		}
	}
}

// TestRegionNamedAsCodebook checks that tables for people name the region
// as the codebook does (region: country), while JSON keeps the "region"
// key its schema documents.
func TestRegionNamedAsCodebook(t *testing.T) {
	dir := filepath.Join("..", "..", "survey", "testdata", "load", "stacked")
	args := []string{"--data", filepath.Join(dir, "1_de.csv"), "--data", filepath.Join(dir, "2_us.csv"),
		"--codebook", filepath.Join(dir, "codebook.yaml"), "--lonely-psu", "adjust"}
	for _, cmd := range []string{"describe", "compare"} {
		code, out, stderr := runCLI(t, append([]string{cmd}, args...)...)
		if code != 0 {
			t.Fatalf("%s: exit %d, stderr %s", cmd, code, stderr)
		}
		var country, region int
		for _, line := range strings.Split(out, "\n") {
			f := strings.Fields(line)
			for i, w := range f {
				if i+1 < len(f) && (f[i+1] == "DE" || f[i+1] == "US") {
					switch w {
					case "country":
						country++
					case "region":
						region++
					}
				}
			}
		}
		if country == 0 || region != 0 {
			t.Errorf("%s: %d rows name the domain country and %d region, want every one country:\n%s", cmd, country, region, out)
		}
	}
	code, out, stderr := runCLI(t, append([]string{"describe", "--format", "json"}, args...)...)
	if code != 0 {
		t.Fatalf("describe --format json: exit %d, stderr %s", code, stderr)
	}
	if !strings.Contains(out, `"region": "DE"`) || strings.Contains(out, `"country": "DE"`) {
		t.Errorf("describe --format json: the domain key is not region:\n%.600s", out)
	}
}
