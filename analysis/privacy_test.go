package analysis

import (
	"errors"
	"math"
	"testing"
)

// TestPrivacyNoiseScale checks the Laplace noise empirically: released
// shares of a large group scatter around the truth with the spread the
// mechanism promises. For Laplace(b) the mean absolute deviation is b and
// the variance 2b²; the share num/den with den ≈ W has noise ≈ b·√2·√(1+p²)/W.
func TestPrivacyNoiseScale(t *testing.T) {
	const n = 2000
	y := make([]float64, n)
	groups := make([]int32, n)
	for i := range y {
		if i%4 == 0 {
			y[i] = 1 // p = 0.25
		}
	}
	const reps = 4000
	p, err := NewPrivacy(reps*1.0, 1, reps, 7) // ε = 1 per table
	if err != nil {
		t.Fatal(err)
	}
	b := p.NoiseScale()
	if want := 3.0; math.Abs(b-want) > 1e-12 {
		t.Fatalf("NoiseScale() = %v, want (2·1+1)/1 = %v", b, want)
	}
	var sum, sum2, nsum float64
	for r := 0; r < reps; r++ {
		share, _, cnt, err := p.ReleaseTable(y, nil, groups, 1, 0, 1)
		if err != nil {
			t.Fatal(err)
		}
		d := share[0] - 0.25
		sum += d
		sum2 += d * d
		nsum += float64(cnt[0] - n)
	}
	mean, sd := sum/reps, math.Sqrt(sum2/reps)
	wantSD := b * math.Sqrt2 * math.Sqrt(1+0.25*0.25) / n
	if math.Abs(sd-wantSD)/wantSD > 0.1 {
		t.Errorf("sd of released share = %v, want %v within 10%%", sd, wantSD)
	}
	if math.Abs(mean) > 4*wantSD/math.Sqrt(reps) {
		t.Errorf("mean error of released share = %v, want ~0 (bias)", mean)
	}
	if mc := nsum / reps; math.Abs(mc) > 4*b*math.Sqrt2/math.Sqrt(reps) {
		t.Errorf("mean error of released count = %v, want ~0", mc)
	}
	if got := p.Spent(); math.Abs(got-p.Epsilon) > 1e-9 {
		t.Errorf("Spent() = %v after all planned tables, want ε = %v", got, p.Epsilon)
	}
}

// TestPrivacyBudgetNeverExceeded checks that a release beyond the planned
// tables is refused and that Spent never passes Epsilon.
func TestPrivacyBudgetNeverExceeded(t *testing.T) {
	p, err := NewPrivacy(0.5, 3, 3, 1)
	if err != nil {
		t.Fatal(err)
	}
	y := []float64{1, 0, 1, math.NaN()}
	g := []int32{0, 1, 1, 0}
	for i := 0; i < 3; i++ {
		if _, _, _, err := p.ReleaseTable(y, nil, g, 2, 0, 1); err != nil {
			t.Fatalf("release %d: %v", i+1, err)
		}
		if p.Spent() > p.Epsilon+1e-12 {
			t.Fatalf("Spent() = %v > ε = %v", p.Spent(), p.Epsilon)
		}
	}
	if _, _, _, err := p.ReleaseTable(y, nil, g, 2, 0, 1); !errors.Is(err, ErrBudget) {
		t.Errorf("fourth release of three planned: err = %v, want ErrBudget", err)
	}
	if p.Spent() > p.Epsilon+1e-12 {
		t.Errorf("Spent() = %v after a refused release, want ≤ %v", p.Spent(), p.Epsilon)
	}
}

// TestPrivacyClipsWeights checks that weights above the bound count as the
// bound: one heavy respondent cannot move a share more than the bound allows.
func TestPrivacyClipsWeights(t *testing.T) {
	p, err := NewPrivacy(1e12, 2, 1, 3) // negligible noise
	if err != nil {
		t.Fatal(err)
	}
	y := []float64{1, 0, 0}
	w := []float64{100, 1, 1}
	share, wbase, _, err := p.ReleaseTable(y, w, []int32{0, 0, 0}, 1, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	// Normalised to mean 1 (÷34) and then clipped: 2, 1/34, 1/34.
	if want := 2 / (2 + 2.0/34); math.Abs(share[0]-want) > 1e-6 || math.Abs(wbase[0]-(2+2.0/34)) > 1e-6 {
		t.Errorf("ReleaseTable with weight 100 (2.94 at mean 1) clipped at 2 = share %v, base %v; want %v, %v", share[0], wbase[0], want, 2+2.0/34)
	}
}

func TestNewPrivacyErrors(t *testing.T) {
	for _, tt := range []struct {
		eps, bound float64
		tables     int
	}{{0, 1, 1}, {-1, 1, 1}, {math.Inf(1), 1, 1}, {1, 0, 1}, {1, math.NaN(), 1}, {1, 1, 0}} {
		if _, err := NewPrivacy(tt.eps, tt.bound, tt.tables, 1); err == nil {
			t.Errorf("NewPrivacy(%v, %v, %d) = nil error, want an error", tt.eps, tt.bound, tt.tables)
		}
	}
}

// TestPrivateParadox checks that an analysis with Options.Privacy releases
// shares near the exact ones, without SEs or intervals, and spends one
// table per statistic and domain variable.
func TestPrivateParadox(t *testing.T) {
	ds := loadStudy(t)
	exact, err := Paradox(ds, Options{})
	if err != nil {
		t.Fatal(err)
	}
	vars := 1 + len(ds.Segments)
	if ds.Region != nil {
		vars++
	}
	p, err := NewPrivacy(1000, 5, 5*vars, 11)
	if err != nil {
		t.Fatal(err)
	}
	priv, err := Paradox(ds, Options{Privacy: p})
	if err != nil {
		t.Fatal(err)
	}
	if p.Err() != nil {
		t.Fatalf("private paradox: %v", p.Err())
	}
	if math.Abs(p.Spent()-p.Epsilon) > 1e-9 {
		t.Errorf("private paradox spent %v, want the planned %v", p.Spent(), p.Epsilon)
	}
	for i, r := range priv.Estimates {
		e := exact.Estimates[i]
		if r.Statistic != e.Statistic || r.Domain != e.Domain {
			t.Fatalf("private row %d = %s %v, want %s %v", i, r.Statistic, r.Domain, e.Statistic, e.Domain)
		}
		if !math.IsNaN(float64(r.SE)) {
			t.Errorf("private %s %v: SE %v; want none released", r.Statistic, r.Domain, r.SE)
		}
		// The brackets are the noise interval: share ± 1.96 noise SDs.
		if sd := float64(r.NoiseSD); !(sd > 0) || float64(r.CILow) > float64(r.Estimate) || float64(r.CIHigh) < float64(r.Estimate) {
			t.Errorf("private %s %v: noise SD %v, interval [%v, %v] around %v", r.Statistic, r.Domain, sd, r.CILow, r.CIHigh, r.Estimate)
		}
		// ε = 1000/(5·vars) per table with weights ≤ 5: the noise is small
		// against bases of hundreds, but the weights differ (clipping).
		if e.N >= 100 && math.Abs(float64(r.Estimate-e.Estimate)) > 0.1 {
			t.Errorf("private %s %v = %v, exact %v: further apart than the noise allows", r.Statistic, r.Domain, r.Estimate, e.Estimate)
		}
	}
}

// TestPrivacyNormalisesWeights: the bound is for weights of mean 1, so
// weights ×1000 release exactly what the same weights ×1 do (same noise).
func TestPrivacyNormalisesWeights(t *testing.T) {
	y := []float64{1, 0, 1, 1, 0, 0, 1, math.NaN()}
	w := []float64{0.5, 1.5, 2, 0.8, 1.2, 3, 0.4, 1}
	big := make([]float64, len(w))
	for i := range w {
		big[i] = 1000 * w[i]
	}
	groups := []int32{0, 0, 0, 1, 1, 1, 1, 0}
	release := func(w []float64) ([]float64, []float64) {
		p, err := NewPrivacy(1, 2.5, 1, 42)
		if err != nil {
			t.Fatal(err)
		}
		share, wbase, _, err := p.ReleaseTable(y, w, groups, 2, 0, 1)
		if err != nil {
			t.Fatal(err)
		}
		return share, wbase
	}
	s1, b1 := release(w)
	s2, b2 := release(big)
	for g := range s1 {
		if math.Abs(s1[g]-s2[g]) > 1e-9 || math.Abs(b1[g]-b2[g]) > 1e-9 {
			t.Errorf("group %d: weights ×1000 release share %v base %v, weights ×1 share %v base %v; want the same", g, s2[g], b2[g], s1[g], b1[g])
		}
	}
}

// TestShareNoiseSD checks the claimed noise SD against seeded releases:
// the SD of the share over 400 runs is within 10% of ShareNoiseSD, and
// the 95% noise interval covers the noiseless share about 95% of the time.
func TestShareNoiseSD(t *testing.T) {
	const n = 2000
	y := make([]float64, n)
	for i := range y {
		if i%5 < 2 {
			y[i] = 1 // share 0.4
		}
	}
	groups := make([]int32, n)
	var sum, sum2 float64
	covered := 0
	const runs = 400
	var claim float64
	for r := 0; r < runs; r++ {
		p, err := NewPrivacy(0.5, 1, 1, uint64(r+1))
		if err != nil {
			t.Fatal(err)
		}
		share, _, _, err := p.ReleaseTable(y, nil, groups, 1, 0, 1)
		if err != nil {
			t.Fatal(err)
		}
		claim = p.ShareNoiseSD(0.4, n)
		sum += share[0]
		sum2 += share[0] * share[0]
		if math.Abs(share[0]-0.4) <= 1.96*claim {
			covered++
		}
	}
	mean := sum / runs
	sd := math.Sqrt(sum2/runs - mean*mean)
	if math.Abs(sd-claim) > 0.1*claim {
		t.Errorf("share SD over %d runs = %.5f, ShareNoiseSD = %.5f: more than 10%% apart", runs, sd, claim)
	}
	if c := float64(covered) / runs; c < 0.92 || c > 0.98 {
		t.Errorf("95%% noise interval covered the share in %.1f%% of runs, want about 95%%", 100*c)
	}
}

// TestPrivateRowsMarkUnreliable: a share whose noise SD is above
// UnreliableNoise of it is marked; a large base at a generous budget is not.
func TestPrivateRowsMarkUnreliable(t *testing.T) {
	ds := loadStudy(t)
	for _, tc := range []struct {
		eps        float64
		unreliable bool
	}{{1e6, false}, {1, true}} {
		p, err := NewPrivacy(tc.eps, 5, 100, 9)
		if err != nil {
			t.Fatal(err)
		}
		res, err := Paradox(ds, Options{Privacy: p})
		if err != nil {
			t.Fatal(err)
		}
		tot := res.Estimates[0]
		if !tot.Domain.IsTotal() {
			t.Fatalf("first row %v, want the total", tot.Domain)
		}
		if math.IsNaN(float64(tot.Estimate)) {
			t.Fatalf("ε = %g: total %s not released (noisy base ≤ 0); want a noisy share", tc.eps, tot.Statistic)
		}
		if tot.Unreliable != tc.unreliable {
			t.Errorf("ε = %g: total %s = %v with noise SD %v: Unreliable = %v, want %v", tc.eps, tot.Statistic, tot.Estimate, tot.NoiseSD, tot.Unreliable, tc.unreliable)
		}
	}
}
