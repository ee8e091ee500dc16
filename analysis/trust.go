package analysis

import (
	"fmt"
	"math"

	"github.com/trustgap/trustgap/survey"
)

// EffectResult is the effect of a 0/1 factor on a 0/1 outcome:
//
//	{"factor": "trust", "outcome": "comfort", "estimates": [Row...],
//	 "odds_ratios": [OddsRatio...], "adjusted": {...}}
type EffectResult struct {
	Factor     string             `json:"factor"`
	Outcome    string             `json:"outcome"`
	Estimates  []Row              `json:"estimates"`
	OddsRatios []OddsRatio        `json:"odds_ratios"`
	Adjusted   *AdjustedOddsRatio `json:"adjusted"`
}

// OddsRatio is the odds ratio of the outcome for the factor in one domain,
// svyglm(outcome ~ factor, subset(design, domain), family = quasibinomial):
// LogOR is the factor's coefficient, LogORSE its linearization SE,
// Estimate = exp(LogOR) and the interval exp(LogOR ± t(DF)·LogORSE) with
// DF the degf of the domain. N counts the respondents in the fit. The
// model being saturated, its fit is closed-form: LogOR = logit(p₁) −
// logit(p₀) of the two groups' shares, with the sandwich SE from their
// joint linearization. When it is undefined (a group without respondents,
// or complete separation: a share of 0 or 1) the figures are null and
// Note says why.
type OddsRatio struct {
	Statistic string `json:"statistic"`
	Domain    Domain `json:"domain"`
	Estimate  Num    `json:"estimate"`
	LogOR     Num    `json:"log_or"`
	LogORSE   Num    `json:"log_or_se"`
	CILow     Num    `json:"ci_low"`
	CIHigh    Num    `json:"ci_high"`
	N         int    `json:"n"`
	DF        int    `json:"df"`
	LowBase   bool   `json:"low_base,omitempty"`
	Note      string `json:"note,omitempty"`
}

// AdjustedOddsRatio is the factor's odds ratio in the whole sample adjusted
// for Covariates (region and every segment, as dummies with the first
// level as reference): svyglm(outcome ~ factor + region + segments...,
// design, family = quasibinomial), respondents with every variable answered.
// The interval is exp(LogOR ± t(DF)·LogORSE), DF = degf(design).
type AdjustedOddsRatio struct {
	Covariates []string `json:"covariates"`
	LogOR      Num      `json:"log_or"`
	LogORSE    Num      `json:"log_or_se"`
	OddsRatio  Num      `json:"odds_ratio"`
	CILow      Num      `json:"ci_low"`
	CIHigh     Num      `json:"ci_high"`
	N          int      `json:"n"`
	DF         int      `json:"df"`
	Note       string   `json:"note,omitempty"`
}

// effectNames are the statistics' names: the outcome's share with and
// without the factor.
type effectNames struct{ with, without string }

// Effect estimates how a 0/1 factor (the flag of construct factor) moves a
// 0/1 outcome (the flag of construct outcome). For the total and every
// domain, over respondents with both flags answered:
//
//   - with_factor, without_factor: the share with the outcome among
//     respondents with and without the factor (interval of Options.CI,
//     df = degf of the domain);
//   - effect: with_factor − without_factor, its SE by linearization of
//     both domain means jointly (svyby(~outcome, ~factor, covmat = TRUE) +
//     svycontrast, which equals the slope of svyglm(outcome ~ factor)), and
//     interval est ± t(df)·SE with df = degf of the domain;
//   - odds_ratio (OddsRatios): see OddsRatio.
//
// Adjusted is the factor's odds ratio adjusted for region and segments
// (AdjustedOddsRatio). It is an error for either construct to be missing or
// to have no flag.
func Effect(ds *survey.Dataset, factor, outcome string, opts Options) (*EffectResult, error) {
	return effect(ds, factor, outcome, effectNames{"with_factor", "without_factor"}, "effect", opts)
}

// Trust is Effect(ds, "trust", "comfort", opts) with the shares named
// comfort_trusting and comfort_nontrusting: how much more comfortable with
// personalization respondents who trust companies with their data are.
func Trust(ds *survey.Dataset, opts Options) (*EffectResult, error) {
	return effect(ds, "trust", "comfort", effectNames{"comfort_trusting", "comfort_nontrusting"}, "trust", opts)
}

func effect(ds *survey.Dataset, factor, outcome string, names effectNames, what string, opts Options) (*EffectResult, error) {
	fc, err := flagOf(ds, factor, what)
	if err != nil {
		return nil, err
	}
	oc, err := flagOf(ds, outcome, what)
	if err != nil {
		return nil, err
	}
	s, err := newStudy(ds, opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	f, y := fc.Flag, oc.Flag
	level := opts.level()
	among := func(g float64) []float64 {
		return where(ds.N, func(i int) bool { return f[i] == g && !math.IsNaN(y[i]) }, func(i int) float64 { return y[i] })
	}
	res := &EffectResult{Factor: factor, Outcome: outcome}
	res.Estimates = append(res.Estimates, s.propRows(names.with, among(1))...)
	res.Estimates = append(res.Estimates, s.propRows(names.without, among(0))...)

	// The effect and odds ratio of every domain from one pass per domain
	// variable: cell 2·level + factor. Each domain's df is its degf.
	dfs := s.domainDF()
	factorCell := func(i int) int {
		switch f[i] {
		case 0:
			return 0
		case 1:
			return 1
		}
		return -1
	}
	k := 0
	add := func(cs *cellSums, c int) {
		dr := s.doms[k]
		df := dfs[k]
		yes := func(x int) bool { return x == 2*c+1 }
		no := func(x int) bool { return x == 2*c }
		e := cs.contrast(yes, no, false)
		e.DF = df
		e.CILow, e.CIHigh = MeanCI(e.Estimate, e.SE, df, level)
		res.Estimates = append(res.Estimates, s.row("effect", dr.dom, e, true))
		res.OddsRatios = append(res.OddsRatios, s.oddsRatio(cs, yes, no, dr.dom, df, level))
		k++
	}
	add(s.sumCells(y, 2, factorCell), 0)
	for _, v := range s.vars {
		cs := s.sumCells(y, 2*len(v.levels), func(i int) int {
			if v.codes[i] < 0 {
				return -1
			}
			if fc := factorCell(i); fc >= 0 {
				return 2*int(v.codes[i]) + fc
			}
			return -1
		})
		for c := range v.levels {
			add(cs, c)
		}
	}
	res.Adjusted = adjustedOddsRatio(s, y, f, factor, level)
	return res, nil
}

// oddsRatio is the odds ratio of the outcome between the cells of yes and
// no, with its interval at df degrees of freedom.
func (s *study) oddsRatio(cs *cellSums, yes, no func(c int) bool, dom Domain, df int, level float64) OddsRatio {
	e := cs.contrast(yes, no, true)
	o := OddsRatio{Statistic: "odds_ratio", Domain: dom, N: e.N, DF: df, LowBase: s.lowBase(e.N),
		LogOR: Num(e.Estimate), LogORSE: Num(e.SE), Estimate: Num(math.Exp(e.Estimate))}
	lo, hi := MeanCI(e.Estimate, e.SE, df, level)
	o.CILow, o.CIHigh = Num(math.Exp(lo)), Num(math.Exp(hi))
	if math.IsNaN(e.Estimate) {
		o.Note = oddsRatioNote(cs, yes, no)
	}
	return o
}

// oddsRatioNote says why a two-group odds ratio is undefined.
func oddsRatioNote(cs *cellSums, yes, no func(c int) bool) string {
	for _, g := range []struct {
		in   func(c int) bool
		name string
	}{{yes, "with"}, {no, "without"}} {
		w, wy, n := cs.group(g.in)
		switch {
		case n == 0:
			return fmt.Sprintf("odds ratio undefined: no respondent %s the factor answered", g.name)
		case wy == 0 || wy == w:
			return fmt.Sprintf("odds ratio undefined: every respondent %s the factor gave the same outcome (complete separation)", g.name)
		}
	}
	return "odds ratio undefined"
}

// adjustedOddsRatio fits the factor with region and every segment as
// covariates in the whole sample.
func adjustedOddsRatio(s *study, y, f []float64, factor string, level float64) *AdjustedOddsRatio {
	nan := Num(math.NaN())
	a := &AdjustedOddsRatio{Covariates: []string{}, LogOR: nan, LogORSE: nan, OddsRatio: nan, CILow: nan, CIHigh: nan,
		DF: s.d.DegF(nil)}
	var cats []*survey.Column
	var catNames []string
	if s.ds.Region != nil {
		cats, catNames = append(cats, s.ds.Region), append(catNames, "region")
	}
	for _, c := range s.ds.Segments {
		cats, catNames = append(cats, c), append(catNames, c.Name)
	}
	// Respondents the model uses (na.omit): R drops the dummies of levels
	// none of them has, so do the same to keep X of full rank.
	complete := make([]bool, len(y))
	for i := range complete {
		complete[i] = answered(y[i], f[i])
		for _, c := range cats {
			complete[i] = complete[i] && c.Codes[i] >= 0
		}
	}
	X, names := [][]float64{f}, []string{factor}
	for k, c := range cats {
		cols, cn := Dummies(c.Codes, len(c.Levels), c.Levels, catNames[k])
		for j, col := range cols {
			used := false
			for i, ok := range complete {
				if ok && col[i] == 1 {
					used = true
					break
				}
			}
			if used {
				X, names = append(X, col), append(names, cn[j])
			}
		}
		a.Covariates = append(a.Covariates, catNames[k])
	}
	fit, err := s.d.Logistic(y, X, names, nil)
	if err != nil {
		a.Note = err.Error()
		return a
	}
	or, lo, hi := fit.OddsRatio(1, level)
	a.LogOR, a.LogORSE, a.OddsRatio, a.CILow, a.CIHigh = Num(fit.Coef[1]), Num(fit.SE[1]), Num(or), Num(lo), Num(hi)
	a.N, a.DF = fit.N, fit.DF
	return a
}
