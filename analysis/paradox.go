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

// behaviourOf returns the flagged construct protective behaviour comes
// from: protection, else sharing.
func behaviourOf(ds *survey.Dataset, what string) (*survey.Construct, error) {
	if ds.Construct("protection") != nil {
		return flagOf(ds, "protection", what)
	}
	if ds.Construct("sharing") == nil {
		return nil, fmt.Errorf("%s: %w: codebook has neither a \"protection\" nor a \"sharing\" construct", what, ErrMissingConstruct)
	}
	return flagOf(ds, "sharing", what)
}

// The derived paradox statistics.
const (
	statGap   = iota // concerned − protects, both answered
	statRate         // 1 − protects among the concerned, both answered
	statShare        // concerned · (1 − protects), both answered
)

// paradoxValue is one respondent's derived paradox statistic from its
// concerned and protects, NaN outside the statistic's base.
func paradoxValue(stat int, ci, pi float64) float64 {
	if !answered(ci, pi) {
		return math.NaN()
	}
	switch stat {
	case statGap:
		return ci - pi
	case statRate:
		if ci == 1 {
			return 1 - pi
		}
	case statShare:
		return ci * (1 - pi)
	}
	return math.NaN()
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
// unconcerned respondents, in every domain (the total only with
// Options.ItemsTotalOnly).
//
// It is an error for the codebook to lack a flagged concern construct, or
// both a flagged protection and a flagged sharing construct.
//
// It reads the flags, scores and items block by block (see vec), so that
// it needs little memory per respondent besides the dataset's own.
func Paradox(ds *survey.Dataset, opts Options) (*ParadoxResult, error) {
	// On a calibrated design every figure still comes through rowsOf
	// (calibratedRows) or a tabulated test (calibratedCov); the
	// correlation is a point estimate of the calibrated weights.
	opts.calibrationOK = true
	concern, err := flagOf(ds, "concern", "paradox")
	if err != nil {
		return nil, err
	}
	behaviour, err := behaviourOf(ds, "paradox")
	if err != nil {
		return nil, err
	}
	s, err := newStudy(ds, opts)
	if err != nil {
		return nil, fmt.Errorf("paradox: %w", err)
	}
	// Each statistic reads vecs of its own, so that they can run in
	// parallel.
	derived := func(stat int) vec { return paradoxVec(stat, flagVec(concern), protectsVec(behaviour)) }
	rows, err := s.rowsOf([]rowSpec{
		{"concerned", flagVec(concern), true},
		{"protects", protectsVec(behaviour), true},
		{"gap", derived(statGap), false},
		{"paradox_rate", derived(statRate), true},
		{"paradox_share", derived(statShare), true},
	})
	if err != nil {
		return nil, err
	}
	for i := range rows[2] {
		rows[2][i].Proportion = true // the gap: a difference of shares, shown in points
		rows[2][i].Points = true
	}
	res := &ParadoxResult{Behaviour: behaviour.Name}
	for _, r := range rows {
		res.Estimates = append(res.Estimates, r...)
	}
	res.Tests = []Test{}
	if opts.Privacy != nil {
		// A private release publishes the five shares only: tests,
		// correlations and item shares would be exact figures.
		return res, nil
	}
	cc := binaryCodesVec(flagVec(concern), ds.N)
	for _, v := range s.vars {
		res.Tests = append(res.Tests, s.chiSqCodes(v, "concerned", cc))
	}
	res.Correlation = s.correlation(concern.Name+"_score", scoreVec(concern), behaviour.Name+"_score", scoreVec(behaviour))
	is := s
	if opts.ItemsTotalOnly {
		is = s.totalOnly()
	}
	if res.Items, err = is.itemShares(func() vec { return flagVec(concern) }); err != nil {
		return nil, err
	}
	if err := s.e.err(); err != nil {
		return nil, err
	}
	return res, nil
}

// protectsVec is each respondent's protects: the protection flag, or
// 1 − the sharing flag (NaN stays NaN).
func protectsVec(behaviour *survey.Construct) vec {
	f := flagVec(behaviour)
	if behaviour.Name == "protection" {
		return f
	}
	return mapValues(f, func(v float64) float64 { return 1 - v })
}

// paradoxVec derives a paradox statistic from concerned and protects.
func paradoxVec(stat int, c, pr vec) vec {
	return zipValues(c, pr, func(ci, pi float64) float64 { return paradoxValue(stat, ci, pi) })
}

// correlation computes a Correlation in every domain, from one pass over
// the data: per domain, weighted sums of the complete cases' deviations
// from the domain's first complete case (corrMoments, the sums
// Design.Correlation keeps for its one domain).
func (s *study) correlation(xName string, xv vec, yName string, yv vec) *Correlation {
	c := &Correlation{X: xName, Y: yName}
	m := make([]corrMoments, len(s.doms))
	offset := make([]int, len(s.vars)) // index in m of level 0 of each var
	k := 1
	for v := range s.vars {
		offset[v] = k
		k += len(s.vars[v].levels)
	}
	w := s.d.Weights()
	var ybuf []float64
	if yv.full == nil {
		ybuf = make([]float64, blockRows)
	}
	xv.blocks(s.ds.N, func(from int, x []float64) {
		y := yv.block(from, len(x), ybuf)
		for j, xi := range x {
			yi := y[j]
			if math.IsNaN(xi) || math.IsNaN(yi) {
				continue
			}
			i := from + j
			m[0].add(xi, yi, w[i])
			for v, dv := range s.vars {
				if code := dv.codes[i]; code >= 0 {
					m[offset[v]+int(code)].add(xi, yi, w[i])
				}
			}
		}
	})
	for k := range s.doms {
		r, _ := m[k].correlation() // NaN: undefined here; other domains still count
		c.Domains = append(c.Domains, DomainCorrelation{Domain: s.doms[k].dom, Estimate: Num(r), N: m[k].n})
	}
	c.Estimate, c.N = c.Domains[0].Estimate, c.Domains[0].N
	return c
}

// itemShares lists every 0/1 behaviour item's share among concerned and
// unconcerned respondents, per domain; concerned makes a fresh vec of the
// concern flags.
func (s *study) itemShares(concerned func() vec) ([]ItemShares, error) {
	type item struct {
		construct string
		col       *survey.Column
	}
	var items []item
	var specs []rowSpec
	for _, name := range []string{"protection", "sharing"} {
		c := s.ds.Construct(name)
		if c == nil || c.Def.Score != "count" {
			continue
		}
		for _, it := range c.Items {
			stat := "item:" + it.Name
			among := func(group float64) vec {
				return zipValues(numVec(it), concerned(), func(x, c float64) float64 {
					if c == group {
						return x // NaN stays NaN
					}
					return math.NaN()
				})
			}
			items = append(items, item{name, it})
			specs = append(specs, rowSpec{stat, among(1), true}, rowSpec{stat, among(0), true})
		}
	}
	rows, err := s.rowsOf(specs)
	if err != nil {
		return nil, err
	}
	out := []ItemShares{}
	for j, it := range items {
		con, unc := rows[2*j], rows[2*j+1]
		for k := range s.doms {
			out = append(out, ItemShares{Construct: it.construct, Item: it.col.Name, Label: it.col.Label, Domain: s.doms[k].dom,
				Concerned: con[k], Unconcerned: unc[k]})
		}
	}
	return out, nil
}
