package datasets

import (
	"bytes"
	"context"
	"math"
	"testing"

	"github.com/trustgap/trustgap/analysis"
	"github.com/trustgap/trustgap/survey"
)

// The privacy paradox design targets (package doc, "The privacy
// paradox"). They are illustrative, not published figures: they make the
// say-do gap the product exists to show visible in the default study.
const (
	wantProtects    = 0.38 // protection flag: two or more protective steps
	wantParadoxRate = 0.58 // not protecting, among the concerned
	wantGap         = 0.15 // concerned − protects
	wantLocation    = 0.60 // shared location in the last month, among the concerned
	// The design-based correlation of the concern and protection scores
	// must be small and positive: concern barely turns into action.
	minCorrelation, maxCorrelation = 0.05, 0.20
)

// paradoxFigures is what analysis.Paradox reports, keyed by statistic and
// then domain (Domain.String: "Total", "region=Europe", …), plus the
// correlation and the location sharing share among the concerned.
type paradoxFigures struct {
	est         map[string]map[string]float64
	correlation float64
	location    float64 // sh_location among the concerned, total
}

// paradoxOf runs the paradox analysis as `trustgap paradox` does.
func paradoxOf(t *testing.T, ds *survey.Dataset) paradoxFigures {
	t.Helper()
	res, err := analysis.Paradox(ds, analysis.Options{})
	if err != nil {
		t.Fatalf("analysis.Paradox = %v", err)
	}
	if res.Behaviour != "protection" {
		t.Fatalf("analysis.Paradox behaviour = %q, want protection", res.Behaviour)
	}
	f := paradoxFigures{est: map[string]map[string]float64{}, correlation: math.NaN(), location: math.NaN()}
	for _, r := range res.Estimates {
		if f.est[r.Statistic] == nil {
			f.est[r.Statistic] = map[string]float64{}
		}
		f.est[r.Statistic][r.Domain.String()] = float64(r.Estimate)
	}
	if res.Correlation != nil {
		f.correlation = float64(res.Correlation.Estimate)
	}
	for _, it := range res.Items {
		if it.Construct == "sharing" && it.Item == "sh_location" && it.Domain.IsTotal() {
			f.location = float64(it.Concerned.Estimate)
		}
	}
	return f
}

// get returns one estimate, failing the test when the analysis lacks it.
func (f paradoxFigures) get(t *testing.T, stat, domain string) float64 {
	t.Helper()
	v, ok := f.est[stat][domain]
	if !ok || math.IsNaN(v) {
		t.Fatalf("analysis.Paradox has no %s estimate for %s", stat, domain)
	}
	return v
}

// checkParadox compares the paradox figures of ds with the design targets:
// tol for shares of everyone, tolConcerned for the gap and for shares among
// the concerned (about half the base), whose sampling errors are about √2
// times larger.
func checkParadox(t *testing.T, ds *survey.Dataset, tol, tolConcerned float64) {
	t.Helper()
	f := paradoxOf(t, ds)
	concerned := f.get(t, "concerned", "Total")
	targets := []struct {
		stat      string
		got, want float64
		tol       float64
	}{
		{"protects", f.get(t, "protects", "Total"), wantProtects, tol},
		// A difference of two shares: about √2 times a share's error.
		{"gap", f.get(t, "gap", "Total"), wantGap, tolConcerned},
		{"paradox_rate", f.get(t, "paradox_rate", "Total"), wantParadoxRate, tolConcerned},
		{"share(sh_location | concerned)", f.location, wantLocation, tolConcerned},
	}
	for _, tc := range targets {
		t.Logf("%s = %.4f (target %.2f)", tc.stat, tc.got, tc.want)
		if math.IsNaN(tc.got) || math.Abs(tc.got-tc.want) > tc.tol {
			t.Errorf("%s = %.4f, want %.2f ± %.3f", tc.stat, tc.got, tc.want, tc.tol)
		}
	}
	// The paradox itself: fewer protect than say they are concerned, and
	// most of the concerned do not protect.
	if p := f.get(t, "protects", "Total"); p >= concerned-0.10 {
		t.Errorf("protects = %.4f, want at least 10 points below concerned = %.4f", p, concerned)
	}
	r := f.correlation
	t.Logf("correlation(concern_score, protection_score) = %.4f", r)
	if math.IsNaN(r) || r < minCorrelation || r > maxCorrelation {
		t.Errorf("correlation(concern_score, protection_score) = %.4f, want %.2f..%.2f", r, minCorrelation, maxCorrelation)
	}

	// Regions: Latin America and Asia-Pacific show the strongest paradox,
	// Europe the weakest, North America sits near the global rate.
	const minApart, nearNA = 0.04, 0.03
	global := f.get(t, "paradox_rate", "Total")
	rate := map[string]float64{}
	for _, r := range defaultModel().regions {
		rate[r.name] = f.get(t, "paradox_rate", "region="+r.name)
		t.Logf("paradox_rate | %s = %.4f, global %.4f", r.name, rate[r.name], global)
	}
	for _, r := range []string{"Latin America", "Asia-Pacific"} {
		if d := rate[r] - global; d < minApart {
			t.Errorf("paradox_rate | %s - paradox_rate = %+.4f, want >= +%.2f", r, d, minApart)
		}
	}
	if d := rate["Europe"] - global; d > -minApart {
		t.Errorf("paradox_rate | Europe - paradox_rate = %+.4f, want <= -%.2f", d, minApart)
	}
	if d := rate["North America"] - global; math.Abs(d) > nearNA {
		t.Errorf("paradox_rate | North America - paradox_rate = %+.4f, want within ±%.2f", d, nearNA)
	}
	for name, v := range rate {
		switch name {
		case "Latin America", "Asia-Pacific":
		default:
			if v >= min(rate["Latin America"], rate["Asia-Pacific"]) {
				t.Errorf("paradox_rate | %s = %.4f, want below Latin America (%.4f) and Asia-Pacific (%.4f)",
					name, v, rate["Latin America"], rate["Asia-Pacific"])
			}
		}
		if name != "Europe" && v <= rate["Europe"] {
			t.Errorf("paradox_rate | %s = %.4f, want above Europe (%.4f)", name, v, rate["Europe"])
		}
	}

	// Younger cohorts share more, yet also use ad blockers and VPNs more.
	w := ds.Weights
	gen := segmentColumn(t, ds, "generation")
	zoomers, boomers := level(t, gen, "Gen Z"), level(t, gen, "Boomers")
	protection := ds.Construct("protection")
	if protection == nil {
		t.Fatal("study has no construct \"protection\"")
	}
	for _, it := range protection.Items {
		if it.Name != "pr_adblock" && it.Name != "pr_vpn" {
			continue
		}
		z, b := share(w, it.Values().All(nil), zoomers), share(w, it.Values().All(nil), boomers)
		t.Logf("share(%s | Gen Z) = %.4f, share(%s | Boomers) = %.4f", it.Name, z, it.Name, b)
		if z <= b+minApart {
			t.Errorf("share(%s | Gen Z) = %.4f, want above share(%s | Boomers) = %.4f by %.2f", it.Name, z, it.Name, b, minApart)
		}
	}
}

// TestDefaultStudyParadox checks that the embedded study shows the
// privacy paradox at the design targets, through the pipeline the
// commands use (survey.Load, then analysis.Paradox). Shares are held
// within 2 points of the targets, 3 among the concerned.
func TestDefaultStudyParadox(t *testing.T) {
	checkParadox(t, loadDefault(t), 0.02, 0.03)
}

// TestModelParadox checks the population rather than the embedded
// sample: at 100,000 respondents the paradox targets must be met within a
// point (1.5 among the concerned) whatever the seed.
func TestModelParadox(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and loads 100,000 respondents")
	}
	var buf bytes.Buffer
	const n = 100000
	if err := Generate(context.Background(), GenerateOptions{N: n, Seed: 2}, &buf); err != nil {
		t.Fatalf("Generate(N=%d) = %v", n, err)
	}
	checkParadox(t, load(t, &buf, bytes.NewReader(Codebook())), 0.01, 0.015)
}
