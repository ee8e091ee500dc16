package analysis

import (
	crand "crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
)

// ErrBudget is wrapped by the error returned when a release would spend
// more privacy budget than was granted.
var ErrBudget = errors.New("privacy budget exhausted")

// Privacy releases differentially private toplines with the Laplace
// mechanism. The weights are normalised to mean 1 over the sample and
// then bounded by WeightBound (larger weights are clipped to it), so one
// respondent moves a weighted sum by at most WeightBound. (The normalising
// mean is not itself noised: the guarantee is for the normalised weights
// taken as given; see the report's Methodology.) A released table is one statistic over the domains of
// one domain variable (or the total): the domains are disjoint, so by
// parallel composition one respondent touches one cell, and the cell's
// three released counts — Σw·y (|y| ≤ 1), Σw and the number of
// respondents — move by at most Δ = 2·WeightBound + 1 together (L1).
// Each count gets Laplace noise of scale Δ/ε_t, with ε_t = Epsilon/Tables:
// by sequential composition over the planned Tables releases the total
// privacy loss is at most Epsilon, and a release beyond Tables is refused
// (ErrBudget) rather than exceeding it.
//
// The released share is noisy Σw·y / noisy Σw, clamped to the statistic's
// range; its base is the noisy count. Its noise SD (ShareNoiseSD) and 95%
// noise interval are computed from released figures only (post-processing,
// no budget). Standard errors, confidence intervals and tests are not
// released: they would need budget of their own.
//
// Privacy is safe for concurrent use.
type Privacy struct {
	Epsilon     float64
	WeightBound float64
	Tables      int

	mu     sync.Mutex
	spent  float64
	tables int
	rng    *rand.Rand
	err    error
}

// NewPrivacy grants epsilon over tables releases with weights bounded by
// bound. A zero seed draws the noise from the operating system's secure
// random source (what a real release needs); a non-zero seed makes the
// noise reproducible, for tests and audits only.
func NewPrivacy(epsilon, bound float64, tables int, seed uint64) (*Privacy, error) {
	if !(epsilon > 0) || math.IsInf(epsilon, 0) {
		return nil, fmt.Errorf("privacy: epsilon must be positive and finite, got %v", epsilon)
	}
	if !(bound > 0) || math.IsInf(bound, 0) {
		return nil, fmt.Errorf("privacy: weight bound must be positive and finite, got %v", bound)
	}
	if tables < 1 {
		return nil, fmt.Errorf("privacy: at least one table must be planned, got %d", tables)
	}
	if seed == 0 {
		var b [32]byte
		if _, err := crand.Read(b[:]); err != nil {
			return nil, fmt.Errorf("privacy: seed noise: %w", err)
		}
		return &Privacy{Epsilon: epsilon, WeightBound: bound, Tables: tables, rng: rand.New(rand.NewChaCha8(b))}, nil
	}
	var b [32]byte
	binary.LittleEndian.PutUint64(b[:], seed)
	return &Privacy{Epsilon: epsilon, WeightBound: bound, Tables: tables, rng: rand.New(rand.NewChaCha8(b))}, nil
}

// UnreliableNoise is the fraction of a private share its noise SD may
// reach before the share is marked unreliable: a coefficient of variation
// of 30%, the threshold statistical agencies use to flag estimates.
const UnreliableNoise = 0.3

// ShareNoiseSD is the standard deviation of the noise in a released share
// (noisy numerator over noisy base, each with Laplace noise of variance
// 2b²), by the delta method: √2·b·√(1 + share²) / base, from the released
// share and weighted base alone. It is +Inf when the base is not positive.
func (p *Privacy) ShareNoiseSD(share, base float64) float64 {
	if !(base > 0) {
		return math.Inf(1)
	}
	return math.Sqrt2 * p.NoiseScale() * math.Sqrt(1+share*share) / base
}

// TableEpsilon is the budget each released table spends.
func (p *Privacy) TableEpsilon() float64 { return p.Epsilon / float64(p.Tables) }

// NoiseScale is the Laplace scale b = Δ/ε_t added to each released count.
func (p *Privacy) NoiseScale() float64 { return (2*p.WeightBound + 1) / p.TableEpsilon() }

// Spent returns the budget spent so far; it never exceeds Epsilon.
func (p *Privacy) Spent() float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.spent
}

// Describe words the mechanism for a report's methodology.
func (p *Privacy) Describe() string {
	return fmt.Sprintf("Differentially private toplines (Laplace mechanism): total budget ε = %g split equally over %d released tables (ε = %.4g each, sequential composition; domains within a table are disjoint, parallel composition); weights normalised to mean 1 and clipped at %g, so one respondent moves the three counts of a cell by at most Δ = 2·%g + 1 together; Laplace noise of scale b = Δ/ε per table = %.4g on each weighted count, weighted base and respondent count; shares are noisy numerator over noisy base. Budget spent: %.4g. Confidence intervals, tests and other figures are not released.",
		p.Epsilon, p.Tables, p.TableEpsilon(), p.WeightBound, p.WeightBound, p.NoiseScale(), p.Spent())
}

// laplace draws Laplace(0, b) by inversion.
func (p *Privacy) laplace(b float64) float64 {
	u := p.rng.Float64() - 0.5 // (-0.5, 0.5]
	for u == 0.5 || u == -0.5 {
		u = p.rng.Float64() - 0.5
	}
	return -b * math.Copysign(1, u) * math.Log(1-2*math.Abs(u))
}

// spend charges one table, refusing to go beyond the planned releases.
func (p *Privacy) spend() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tables >= p.Tables {
		return fmt.Errorf("%w: %d tables planned and released; a further release would exceed ε = %g", ErrBudget, p.Tables, p.Epsilon)
	}
	p.tables++
	p.spent = float64(p.tables) * p.TableEpsilon()
	return nil
}

// ReleaseTable releases one table: for every group g = groups[i] (−1: not
// in the table) the noisy share of y (NaN: not in the base; |y| ≤ 1)
// weighted by w normalised to mean 1 over all of w and clipped at
// WeightBound, clamped to [lo, hi]. It returns
// per group the share, the noisy weighted base and the noisy respondent
// count (rounded, at least 0).
func (p *Privacy) ReleaseTable(y, w []float64, groups []int32, nGroups int, lo, hi float64) (share, wbase []float64, n []int, err error) {
	if len(y) != len(groups) || (w != nil && len(w) != len(y)) {
		panic("analysis: length mismatch")
	}
	if err := p.spend(); err != nil {
		return nil, nil, nil, err
	}
	num := make([]float64, nGroups)
	den := make([]float64, nGroups)
	cnt := make([]float64, nGroups)
	// Normalise to mean 1 first, as the bound is stated for weights of
	// mean 1: weights ×1000 release what weights ×1 do.
	scale := 1.0
	if w != nil {
		var sum float64
		for _, x := range w {
			sum += x
		}
		if sum > 0 {
			scale = float64(len(w)) / sum
		}
	}
	for i, v := range y {
		g := groups[i]
		if g < 0 || math.IsNaN(v) {
			continue
		}
		wi := 1.0
		if w != nil {
			wi = w[i] * scale
		}
		wi = math.Min(wi, p.WeightBound)
		num[g] += wi * math.Max(-1, math.Min(1, v))
		den[g] += wi
		cnt[g]++
	}
	b := p.NoiseScale()
	share = make([]float64, nGroups)
	wbase = make([]float64, nGroups)
	n = make([]int, nGroups)
	p.mu.Lock()
	defer p.mu.Unlock()
	for g := range num {
		nn := num[g] + p.laplace(b)
		dd := den[g] + p.laplace(b)
		cc := cnt[g] + p.laplace(b)
		share[g] = math.NaN()
		if dd > 0 {
			share[g] = math.Max(lo, math.Min(hi, nn/dd))
		}
		wbase[g] = math.Max(0, dd)
		n[g] = int(math.Max(0, math.Round(cc)))
	}
	return share, wbase, n, nil
}

// privateRows releases stat in every domain through s.opts.Privacy: one
// table for the total and one per domain variable. A refused release
// (budget exhausted) gives NaN rows and is remembered in the Privacy (see
// Err), since the analyses' row builders return no error.
func (s *study) privateRows(stat string, y []float64, prop bool) []Row {
	p := s.opts.Privacy
	lo, hi := 0.0, 1.0
	if !prop {
		lo = -1
	}
	rows := make([]Row, 0, len(s.doms))
	add := func(dom Domain, share, wbase float64, n int) {
		nan := Num(math.NaN())
		r := Row{Statistic: stat, Domain: dom, Estimate: Num(share), SE: nan, CILow: nan, CIHigh: nan, NoiseSD: nan,
			N: n, WeightedN: Num(wbase), Proportion: true, LowBase: n < s.opts.minBase()}
		if !math.IsNaN(share) {
			// From released figures only: post-processing, no budget.
			sd := p.ShareNoiseSD(share, wbase)
			r.NoiseSD = Num(sd)
			r.CILow = Num(math.Max(lo, share-1.96*sd))
			r.CIHigh = Num(math.Min(hi, share+1.96*sd))
			r.Unreliable = !(sd <= UnreliableNoise*math.Abs(share))
		} else {
			r.Unreliable = true // the noisy base came out at zero or below
		}
		rows = append(rows, r)
	}
	release := func(groups []int32, n int) ([]float64, []float64, []int) {
		share, wb, cnt, err := p.ReleaseTable(y, s.d.Weights(), groups, n, lo, hi)
		if err != nil {
			p.fail(err)
			share, wb, cnt = make([]float64, n), make([]float64, n), make([]int, n)
			for g := range share {
				share[g], wb[g] = math.NaN(), math.NaN()
			}
		}
		return share, wb, cnt
	}
	total := make([]int32, len(y))
	sh, wb, cnt := release(total, 1)
	add(Domain{}, sh[0], wb[0], cnt[0])
	for _, v := range s.vars {
		sh, wb, cnt := release(v.codes, len(v.levels))
		for k, l := range v.levels {
			add(Domain{Var: v.name, Level: l}, sh[k], wb[k], cnt[k])
		}
	}
	return rows
}

// fail records the first refused release.
func (p *Privacy) fail(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.err == nil {
		p.err = err
	}
}

// Err returns the first release that was refused, or nil.
func (p *Privacy) Err() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}
