package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestLikelihoodCIEveryCommand: --ci likelihood in describe, paradox,
// effect, trust, segments and estimate (and crosstab), on the plain design and on the
// design raked to targets.yaml, gives the exact roots of R's
// svyciprop(method = "likelihood") profile (likelihood.json, written by
// likelihood.R) to 1e-6, every golden row found.
func TestLikelihoodCIEveryCommand(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(panelDir, "likelihood.json"))
	if err != nil {
		t.Fatal(err)
	}
	var golden struct {
		Lik []struct {
			Design   string            `json:"design"`
			Variable string            `json:"variable"`
			Domain   map[string]string `json:"domain"`
			Estimate float64           `json:"estimate"`
			CILow    float64           `json:"ci_low"`
			CIHigh   float64           `json:"ci_high"`
		} `json:"likelihood"`
		Xt []struct {
			Row    string  `json:"row"`
			Col    string  `json:"col"`
			CILow  float64 `json:"ci_low"`
			CIHigh float64 `json:"ci_high"`
		} `json:"likelihood_crosstab_raked"`
	}
	if err := json.Unmarshal(b, &golden); err != nil {
		t.Fatalf("likelihood.json: %v", err)
	}
	key := func(design, v string, dom map[string]string) string {
		parts := []string{design, v}
		for k, l := range dom {
			parts = append(parts, k+"="+l)
		}
		sort.Strings(parts[2:])
		return strings.Join(parts, " ")
	}
	type row struct {
		Variable  string            `json:"variable"`
		Statistic string            `json:"statistic"`
		Domain    map[string]string `json:"domain"`
		Estimate  *float64          `json:"estimate"`
		CILow     *float64          `json:"ci_low"`
		CIHigh    *float64          `json:"ci_high"`
	}
	got := map[string]row{}
	base := []string{"--data", panelData, "--codebook", panelCodebook, "--lonely-psu", "adjust", "--ci", "likelihood", "--format", "json"}
	for _, design := range []string{"plain", "raked"} {
		for _, args := range [][]string{
			{"describe"}, {"paradox"}, {"effect", "--factor", "concern", "--outcome", "protection"}, {"trust"}, {"segments"},
			{"estimate", "--prop", "tr1==Agree"},
			{"estimate", "--prop", "tr1==Agree", "--by", "region"},
			{"estimate", "--prop", "tr1==Agree", "--by", "generation"},
			{"estimate", "--prop", "tr1==Agree", "--by", "gender"},
		} {
			args = append(args, base...)
			if design == "raked" {
				args = append(args, "--targets", panelTargets)
			}
			code, out, errOut := runCLI(t, args...)
			if code != 0 {
				t.Fatalf("%v: exit %d: %s", args, code, errOut)
			}
			var res struct{ Estimates []row }
			if err := json.Unmarshal([]byte(out), &res); err != nil {
				t.Fatalf("%v: %v", args, err)
			}
			for _, r := range res.Estimates {
				v := r.Statistic
				if args[0] == "estimate" {
					v = "agree"
				} else if args[0] == "describe" && r.Variable != r.Statistic {
					continue // a score
				}
				got[key(design, v, r.Domain)] = r
			}
		}
	}
	near := func(g *float64, w float64) bool { return g != nil && math.Abs(*g-w) <= 1e-6*w }
	for _, w := range golden.Lik {
		k := key(w.Design, w.Variable, w.Domain)
		g, ok := got[k]
		if !ok {
			t.Errorf("no row %s", k)
			continue
		}
		if g.Estimate == nil || math.Abs(*g.Estimate-w.Estimate) > 1e-9 {
			t.Errorf("%s: estimate = %v, want %v", k, deref(g.Estimate), w.Estimate)
			continue
		}
		if !near(g.CILow, w.CILow) || !near(g.CIHigh, w.CIHigh) {
			t.Errorf("%s --ci likelihood = [%v, %v], want [%v, %v]", k, deref(g.CILow), deref(g.CIHigh), w.CILow, w.CIHigh)
		}
	}
	// crosstab on the raked design (the plain one: TestLikelihoodCI).
	code, out, errOut := runCLI(t, append([]string{"crosstab", "--rows", "tr1", "--cols", "gender", "--targets", panelTargets}, base...)...)
	if code != 0 {
		t.Fatalf("crosstab --targets --ci likelihood: exit %d: %s", code, errOut)
	}
	var xt struct {
		Cells []struct {
			Row    string   `json:"row"`
			Col    string   `json:"col"`
			CILow  *float64 `json:"ci_low"`
			CIHigh *float64 `json:"ci_high"`
		} `json:"cells"`
	}
	if err := json.Unmarshal([]byte(out), &xt); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, w := range golden.Xt {
		for _, c := range xt.Cells {
			if c.Row == w.Row && c.Col == w.Col {
				n++
				if !near(c.CILow, w.CILow) || !near(c.CIHigh, w.CIHigh) {
					t.Errorf("crosstab tr1 × gender --targets --ci likelihood %s/%s = [%v, %v], want [%v, %v]", w.Row, w.Col, deref(c.CILow), deref(c.CIHigh), w.CILow, w.CIHigh)
				}
			}
		}
	}
	if n != 6 || len(golden.Xt) != 6 {
		t.Errorf("matched %d of %d raked crosstab cells, want 6", n, len(golden.Xt))
	}
	// compare's benchmarks take their intervals from the analyses' rows.
	bm := filepath.Join(t.TempDir(), "bm.yaml")
	if err := os.WriteFile(bm, []byte("toplines:\n  - {figure: Concerned, statistic: concern, value: 0.45, source: test}\n"+
		"  - {figure: Paradox, statistic: paradox_rate, domain: {gender: Male}, value: 0.45, source: test}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, design := range []string{"plain", "raked"} {
		args := append([]string{"compare", "--benchmark", bm}, base...)
		if design == "raked" {
			args = append(args, "--targets", panelTargets)
		}
		code, out, errOut := runCLI(t, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		var res struct{ Benchmarks []row }
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatal(err)
		}
		if len(res.Benchmarks) != 2 {
			t.Fatalf("compare --benchmark: %d benchmarks, want 2", len(res.Benchmarks))
		}
		for _, b := range res.Benchmarks {
			w, ok := got[key(design, b.Statistic, b.Domain)]
			if !ok || w.CILow == nil || w.CIHigh == nil || !near(b.CILow, *w.CILow) || !near(b.CIHigh, *w.CIHigh) {
				t.Errorf("compare (%s) benchmark %s %v --ci likelihood = [%v, %v], want [%v, %v]", design, b.Statistic, b.Domain, deref(b.CILow), deref(b.CIHigh), deref(w.CILow), deref(w.CIHigh))
			}
		}
	}
	if len(golden.Lik) < 250 {
		t.Errorf("likelihood.json has %d rows, want every command's shares (282)", len(golden.Lik))
	}
}
