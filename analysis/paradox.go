package analysis

import (
	"fmt"
	"math"

	"github.com/trustgap/trustgap/survey"
)

// ParadoxResult is the privacy paradox (say-do gap) analysis:
//
//	{"behaviour": "protection", "estimates": [Row...], "tests": [Test...],
//	 "correlation": {...}, "items": [ItemShares...]}
type ParadoxResult struct {
	// Behaviour is the construct protective behaviour comes from:
	// "protection", or "sharing" when the codebook has no protection
	// construct (then protecting means not sharing).
	Behaviour   string       `json:"behaviour"`
	Estimates   []Row        `json:"estimates"`
	Tests       []Test       `json:"tests"`
	Correlation *Correlation `json:"correlation"`
	Items       []ItemShares `json:"items"`
}

// Correlation is the design-based Pearson correlation of two scores:
// cov2cor(svyvar(~x + y, design, na.rm = TRUE)), over respondents with both
// scores (N of them). Estimate is the total's; Domains lists every domain,
// the total first.
type Correlation struct {
	X        string              `json:"x"`
	Y        string              `json:"y"`
	Estimate Num                 `json:"estimate"`
	N        int                 `json:"n"`
	Domains  []DomainCorrelation `json:"domains"`
}

// DomainCorrelation is a Correlation within one domain; Estimate is null
// when undefined (fewer than two complete cases, or a constant score).
type DomainCorrelation struct {
	Domain   Domain `json:"domain"`
	Estimate Num    `json:"estimate"`
	N        int    `json:"n"`
}

// ItemShares compares one behaviour item between concerned and unconcerned
// respondents of a domain: each Row (statistic "item:<item>") is the share
// doing it among the group's respondents who answered it.
type ItemShares struct {
	Construct   string `json:"construct"`
	Item        string `json:"item"`
	Label       string `json:"label,omitempty"`
	Domain      Domain `json:"domain"`
	Concerned   Row    `json:"concerned"`
	Unconcerned Row    `json:"unconcerned"`
}

// paradoxData holds the per-respondent paradox variables (NaN = not in the
// statistic's base).
type paradoxData struct {
	behaviour *survey.Construct
	concern   *survey.Construct
	// concerned: concern flag; protects: protection flag, or 1 − sharing
	// flag; gap: concerned − protects; rate: 1 − protects among the
	// concerned; share: concerned · (1 − protects).
	concerned, protects, gap, rate, share []float64
}

// newParadoxData derives the paradox variables; what prefixes errors.
func newParadoxData(ds *survey.Dataset, what string) (*paradoxData, error) {
	concern, err := flagOf(ds, "concern", what)
	if err != nil {
		return nil, err
	}
	p := &paradoxData{concern: concern, concerned: concern.Flag}
	if c := ds.Construct("protection"); c != nil {
		if p.behaviour, err = flagOf(ds, "protection", what); err != nil {
			return nil, err
		}
		p.protects = c.Flag
	} else {
		sharing := ds.Construct("sharing")
		if sharing == nil {
			return nil, fmt.Errorf("%s: %w: codebook has neither a \"protection\" nor a \"sharing\" construct", what, ErrMissingConstruct)
		}
		if p.behaviour, err = flagOf(ds, "sharing", what); err != nil {
			return nil, err
		}
		p.protects = make([]float64, ds.N)
		for i, f := range sharing.Flag {
			p.protects[i] = 1 - f // NaN stays NaN
		}
	}
	n := ds.N
	c, pr := p.concerned, p.protects
	both := func(i int) bool { return answered(c[i], pr[i]) }
	p.gap = where(n, both, func(i int) float64 { return c[i] - pr[i] })
	p.rate = where(n, func(i int) bool { return both(i) && c[i] == 1 }, func(i int) float64 { return 1 - pr[i] })
	p.share = where(n, both, func(i int) float64 { return c[i] * (1 - pr[i]) })
	return p, nil
}

// Paradox measures the privacy paradox: concerned respondents who do not
// act to protect their data. Per respondent, concerned is the concern
// flag and protects the protection flag, or 1 − the sharing flag when the
// codebook has no protection construct. For the total and every domain:
//
//   - concerned: share concerned among respondents with concern answered;
//   - protects: share protecting among respondents with behaviour answered;
//   - gap: mean of concerned − protects over respondents with both
//     answered (the say-do gap), est ± t(df)·SE;
//   - paradox_rate: share not protecting among concerned respondents with
//     both answered;
//   - paradox_share: share concerned and not protecting, both answered.
//
// Shares use the interval of Options.CI; every interval's df is the degf
// of the whole domain, as svyciprop(..., df = degf(subset(design, domain))).
// Tests are the Rao-Scott F tests of each domain variable against
// concerned (svychisq(~region + concerned, design)). Correlation is the
// design-based correlation of the concern score with the behaviour score
// (protection or sharing). Items compares every item of the protection and
// sharing constructs scored as counts (0/1 items) between concerned and
// unconcerned respondents.
//
// It is an error for the codebook to lack a flagged concern construct, or
// both a flagged protection and a flagged sharing construct.
func Paradox(ds *survey.Dataset, opts Options) (*ParadoxResult, error) {
	p, err := newParadoxData(ds, "paradox")
	if err != nil {
		return nil, err
	}
	s, err := newStudy(ds, opts)
	if err != nil {
		return nil, fmt.Errorf("paradox: %w", err)
	}
	res := &ParadoxResult{Behaviour: p.behaviour.Name}
	res.Estimates = append(res.Estimates, s.propRows("concerned", p.concerned)...)
	res.Estimates = append(res.Estimates, s.propRows("protects", p.protects)...)
	gap := s.meanRows("gap", p.gap)
	for i := range gap {
		gap[i].Proportion = true // a difference of shares, shown in points
	}
	res.Estimates = append(res.Estimates, gap...)
	res.Estimates = append(res.Estimates, s.propRows("paradox_rate", p.rate)...)
	res.Estimates = append(res.Estimates, s.propRows("paradox_share", p.share)...)
	res.Tests = []Test{}
	if opts.Privacy != nil {
		// A private release publishes the five shares only: tests,
		// correlations and item shares would be exact figures.
		return res, nil
	}
	for _, v := range s.vars {
		res.Tests = append(res.Tests, s.chiSq(v, "concerned", p.concerned))
	}
	res.Correlation = s.correlation(p.concern.Name+"_score", p.concern.Score, p.behaviour.Name+"_score", p.behaviour.Score)
	res.Items = s.itemShares(p.concerned)
	return res, nil
}

// correlation computes a Correlation in every domain.
func (s *study) correlation(xName string, x []float64, yName string, y []float64) *Correlation {
	c := &Correlation{X: xName, Y: yName}
	buf := make([]bool, s.d.N())
	for k := range s.doms {
		in := s.member(k, buf)
		n := 0
		for i := range x {
			if (in == nil || in[i]) && answered(x[i], y[i]) {
				n++
			}
		}
		r, err := s.d.Correlation(x, y, in)
		if err != nil {
			r = math.NaN() // undefined here; other domains still count
		}
		c.Domains = append(c.Domains, DomainCorrelation{Domain: s.doms[k].dom, Estimate: Num(r), N: n})
	}
	c.Estimate, c.N = c.Domains[0].Estimate, c.Domains[0].N
	return c
}

// itemShares lists every 0/1 behaviour item's share among concerned and
// unconcerned respondents, per domain.
func (s *study) itemShares(concerned []float64) []ItemShares {
	out := []ItemShares{}
	for _, name := range []string{"protection", "sharing"} {
		c := s.ds.Construct(name)
		if c == nil || c.Def.Score != "count" {
			continue
		}
		for _, it := range c.Items {
			stat := "item:" + it.Name
			x := it.Num
			among := func(group float64) []float64 {
				return where(len(x), func(i int) bool { return concerned[i] == group && !math.IsNaN(x[i]) },
					func(i int) float64 { return x[i] })
			}
			con := s.propRows(stat, among(1))
			unc := s.propRows(stat, among(0))
			for k := range s.doms {
				out = append(out, ItemShares{Construct: name, Item: it.Name, Label: it.Label, Domain: s.doms[k].dom,
					Concerned: con[k], Unconcerned: unc[k]})
			}
		}
	}
	return out
}
