package analysis

import (
	"context"
	"encoding/binary"
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
// The interval is exp(LogOR ± t(DF)·LogORSE) with DF the residual degrees
// of freedom of summary.svyglm and confint.svyglm, degf(design) − number
// of coefficients + 1. Terms is the whole coefficient table.
type AdjustedOddsRatio struct {
	Covariates []string `json:"covariates"`
	LogOR      Num      `json:"log_or"`
	LogORSE    Num      `json:"log_or_se"`
	OddsRatio  Num      `json:"odds_ratio"`
	CILow      Num      `json:"ci_low"`
	CIHigh     Num      `json:"ci_high"`
	N          int      `json:"n"`
	DF         int      `json:"df"`
	Terms      []Term   `json:"terms,omitempty"`
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
	opts.calibrationOK = true // a calibrated design takes effectCalibrated
	s, err := newStudy(ds, opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	level := opts.level()
	// The outcome among respondents with the factor and among those
	// without, from one pass: their sums give both the shares and, by
	// PSU, level and factor, the effects.
	among := func(g float64) vec {
		return zipValues(flagVec(oc), flagVec(fc), func(y, f float64) float64 {
			if f == g {
				return y // NaN stays NaN
			}
			return math.NaN()
		})
	}
	if s.d.cal != nil && s.opts.Privacy == nil { // a private release has no SEs to calibrate
		return s.effectCalibrated(factor, outcome, names, flagVec(oc), flagVec(fc), among, level)
	}
	codes, nLevels, keys := s.groupings()
	sums := s.e.sumAllMulti([]vec{among(1), among(0)}, codes, nLevels, keys)
	defer sums[0].release(s.e)
	defer sums[1].release(s.e)
	dfs := s.domainDF()
	res := &EffectResult{Factor: factor, Outcome: outcome}
	if s.opts.Privacy != nil {
		all, err := s.rowsOf([]rowSpec{{names.with, among(1), true}, {names.without, among(0), true}})
		if err != nil {
			return nil, err
		}
		for _, r := range all {
			res.Estimates = append(res.Estimates, r...)
		}
	} else {
		res.Estimates = append(s.rowsFrom(names.with, sums[0].estimates(s.d, dfs, level), true),
			s.rowsFrom(names.without, sums[1].estimates(s.d, dfs, level), true)...)
	}

	// The effect and odds ratio of every domain: cell 2·level + factor.
	// Each domain's df is its degf.
	k := 0
	add := func(cs *cellSums, c int) {
		dr := s.doms[k]
		df := dfs[k]
		yes := func(x int) bool { return x == 2*c+1 }
		no := func(x int) bool { return x == 2*c }
		e := cs.contrast(yes, no, false)
		e.DF = df
		e.CILow, e.CIHigh = MeanCI(e.Estimate, e.SE, df, level)
		ef := s.row("effect", dr.dom, e, true)
		ef.Points = true // a difference of shares
		res.Estimates = append(res.Estimates, ef)
		res.OddsRatios = append(res.OddsRatios, s.oddsRatio(cs, yes, no, dr.dom, df, level))
		k++
	}
	for g := range sums[0].groupings {
		cs := pairCells(s.d, sums[1], sums[0], g)
		for c := range sums[0].groupings[g].gs {
			add(cs, c)
		}
	}
	if err := s.e.err(); err != nil {
		return nil, err // before the regression's passes
	}
	res.Adjusted = adjustedOddsRatio(s, flagVec(oc), flagVec(fc), factor, level)
	if err := s.e.err(); err != nil {
		return nil, err
	}
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
	var g [2]groupSum
	for k, in := range []func(c int) bool{yes, no} {
		g[k].w, g[k].wy, g[k].n = cs.group(in)
	}
	return oddsRatioWhy(g)
}

// groupSum is a group's Σw, Σwy and respondents.
type groupSum struct {
	w, wy float64
	n     int
}

// oddsRatioWhy says why the odds ratio between groups g[0] (with the
// factor) and g[1] (without) is undefined.
func oddsRatioWhy(g [2]groupSum) string {
	for k, name := range []string{"with", "without"} {
		w, wy, n := g[k].w, g[k].wy, g[k].n
		switch {
		case n == 0:
			return fmt.Sprintf("odds ratio undefined: no respondent %s the factor answered", name)
		case wy == 0 || wy == w:
			return fmt.Sprintf("odds ratio undefined: every respondent %s the factor gave the same outcome (complete separation)", name)
		}
	}
	return "odds ratio undefined"
}

// adjustedOddsRatio fits the factor with region and every segment as
// covariates in the whole sample.
func adjustedOddsRatio(s *study, y, f vec, factor string, level float64) *AdjustedOddsRatio {
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
	a.Covariates = append(a.Covariates, catNames...)
	cl, err := s.d.newLogitCells(y, f, cats)
	if err != nil {
		a.Note = err.Error()
		return a
	}
	// The predictors: the factor, then each covariate's treatment
	// contrasts over the levels that the respondents the model uses
	// (na.omit) have (R drops the others' to keep X of full rank), the
	// first in sorted order the reference, as R's factor() of a text
	// column.
	used := cl.usedLevels()
	names := []string{factor}
	dummies := make([][]int32, len(cats))
	for k, c := range cats {
		for _, j := range sortedUsedLevels(c.Levels, used[k])[1:] {
			dummies[k] = append(dummies[k], int32(j))
			names = append(names, catNames[k]+c.Levels[j])
		}
	}
	cl.ctx = s.e.ctx
	fit, err := s.d.fitLogitCells(cl, dummies, names)
	if err != nil {
		a.Note = err.Error()
		return a
	}
	// summary.svyglm and confint.svyglm use the residual df.
	fit.DF = residualDF(fit.DF, len(fit.Coef))
	or, lo, hi := fit.OddsRatio(1, level)
	a.LogOR, a.LogORSE, a.OddsRatio, a.CILow, a.CIHigh = Num(fit.Coef[1]), Num(fit.SE[1]), Num(or), Num(lo), Num(hi)
	a.N, a.DF = fit.N, fit.DF
	a.Terms = modelTerms(fit, level)
	return a
}

// logitCells sorts the respondents of a logistic model of a 0/1 outcome
// y on a 0/1 factor f and categorical covariates into cells of equal y,
// f and covariate levels. The likelihood depends on the respondents only
// through each cell's Σw, and the PSU totals of the scores through its
// residual, so that the model reads the data twice whatever the number
// of Newton steps, and never as float64 columns.
type logitCells struct {
	cats []*survey.Column
	// id[i] is respondent i's cell + 1; 0 when y or f is missing.
	id []uint32
	// key[c] is cell c's y + 2f + 4·(the covariates' codes + 1, in mixed
	// radix: 0 for missing).
	key []uint64
	sw  []float64 // by cell
	n   []int
	// ctx, when non-nil, stops a calibrated design's residualization of
	// the scores (calibratedScoreTotals), one pass over the respondents
	// per coefficient.
	ctx context.Context
}

// newLogitCells sorts the respondents into cells. It is an error for y or
// f to take a value other than 0, 1 and NaN.
func (d *Design) newLogitCells(y, f vec, cats []*survey.Column) (*logitCells, error) {
	// Keys through a table while there are few of them, else a map.
	size := uint64(4)
	for _, c := range cats {
		if len(c.Codes) != d.n {
			panic("analysis: length mismatch")
		}
		if size <= 1<<40 {
			size *= uint64(len(c.Levels) + 1)
		}
	}
	var table []uint32
	var byKey map[uint64]uint32
	if size <= 1<<16 {
		table = make([]uint32, size)
	} else {
		byKey = map[uint64]uint32{}
	}
	cl := &logitCells{cats: cats, id: make([]uint32, d.n)}
	var err error
	fbuf := make([]float64, blockRows)
	y.blocks(d.n, func(from int, yb []float64) {
		if err != nil {
			return
		}
		fb := f.block(from, len(yb), fbuf)
		for j, yv := range yb {
			i := from + j
			if yv != yv {
				continue
			}
			fv := fb[j]
			switch {
			case yv != 0 && yv != 1:
				err = fmt.Errorf("logistic: outcome of respondent %d is %v; want 0 or 1", i+1, yv)
				return
			case fv != fv:
				continue
			case fv != 0 && fv != 1:
				err = fmt.Errorf("logistic: factor of respondent %d is %v; want 0 or 1", i+1, fv)
				return
			}
			key, mul := uint64(yv)+2*uint64(fv), uint64(4)
			for _, c := range cats {
				key += mul * uint64(c.Codes[i]+1)
				mul *= uint64(len(c.Levels) + 1)
			}
			var id uint32
			if table != nil {
				id = table[key]
			} else {
				id = byKey[key]
			}
			if id == 0 {
				cl.key = append(cl.key, key)
				cl.sw = append(cl.sw, 0)
				cl.n = append(cl.n, 0)
				id = uint32(len(cl.key))
				if table != nil {
					table[key] = id
				} else {
					byKey[key] = id
				}
			}
			cl.id[i] = id
			cl.sw[id-1] += d.w[i]
			cl.n[id-1]++
		}
	})
	return cl, err
}

// codes returns cell c's y and f, and its covariate codes (−1 for
// missing) in codes.
func (cl *logitCells) codes(c int, codes []int32) (y, f int) {
	key := cl.key[c]
	y, f = int(key&1), int(key>>1&1)
	key >>= 2
	for k, cat := range cl.cats {
		L := uint64(len(cat.Levels) + 1)
		codes[k] = int32(key%L) - 1
		key /= L
	}
	return y, f
}

// usedLevels returns, for each covariate, the levels of the respondents
// with y, f and every covariate answered.
func (cl *logitCells) usedLevels() [][]bool {
	used := make([][]bool, len(cl.cats))
	for k, c := range cl.cats {
		used[k] = make([]bool, len(c.Levels))
	}
	codes := make([]int32, len(cl.cats))
cells:
	for c := range cl.key {
		cl.codes(c, codes)
		for _, l := range codes {
			if l < 0 {
				continue cells
			}
		}
		for k, l := range codes {
			used[k][l] = true
		}
	}
	return used
}

// fitLogitCells is Logistic(y, X, names, nil) for X = the 0/1 factor f
// followed by, for each categorical covariate k, the indicator columns of
// its levels dummies[k] (Dummies, keeping those columns only), without
// building X. A covariate with no column does not drop the respondents
// who lack it, as in Logistic.
//
// The respondents of a cell share their predictors; the likelihood and A
// depend on them only through Σw and Σwy per pattern of predictors, so
// Newton's method runs over the patterns that occur, and the PSU totals
// of the scores u_i = w_i (y_i − μ_i) x_i for the sandwich come from one
// pass over the respondents' cells. Memory grows with the cells and the
// PSUs, not with the respondents. The fit, sandwich and SEs are
// Logistic's own (fitUnits), given those units and score totals.
func (d *Design) fitLogitCells(cl *logitCells, dummies [][]int32, names []string) (*LogisticFit, error) {
	nX := 1
	for _, dm := range dummies {
		nX += len(dm)
	}
	if len(names) != nX || len(dummies) != len(cl.cats) {
		panic("analysis: length mismatch")
	}
	fitNames := append([]string{"(Intercept)"}, names...)
	p := nX + 1
	// col[k][level] is the column of covariate k's level in a row of X
	// (0: none, the reference or a level without a dummy).
	col := make([][]int, len(cl.cats))
	next := 2 // after the intercept and the factor
	for k, c := range cl.cats {
		col[k] = make([]int, len(c.Levels))
		for _, j := range dummies[k] {
			col[k][j] = next
			next++
		}
	}
	// Each cell's pattern (−1: not in the model), a pattern being the
	// columns of X that are 1 besides the intercept (set[c]), numbered in
	// order of their first cell.
	u := &logitUnits{p: p}
	patOf := make([]int32, len(cl.key))
	set := make([][]int, len(cl.key))
	ids := map[string]int32{}
	codes := make([]int32, len(cl.cats))
	yOf := make([]float64, len(cl.key))
	var key []byte
cells:
	for c := range cl.key {
		patOf[c] = -1
		y, f := cl.codes(c, codes)
		var ones []int
		if f == 1 {
			ones = append(ones, 1)
		}
		for k, l := range codes {
			if len(dummies[k]) == 0 {
				continue // no column: respondents lacking it stay in
			}
			if l < 0 {
				continue cells
			}
			if j := col[k][l]; j > 0 {
				ones = append(ones, j)
			}
		}
		key = key[:0]
		for _, j := range ones {
			key = binary.AppendUvarint(key, uint64(j))
		}
		id, ok := ids[string(key)]
		if !ok {
			id = int32(len(u.sw))
			ids[string(key)] = id
			row := make([]float64, p)
			row[0] = 1
			for _, j := range ones {
				row[j] = 1
			}
			u.x = append(u.x, row...)
			u.sw = append(u.sw, 0)
			u.swy = append(u.swy, 0)
		}
		patOf[c], set[c], yOf[c] = id, ones, float64(y)
		u.sw[id] += cl.sw[c]
		u.swy[id] += float64(y) * cl.sw[c]
		u.n += cl.n[c]
	}
	// The units are patterns, not (pattern, PSU) cells: the scores' PSU
	// totals come from the respondents' cells.
	u.scores = func(beta []float64) ([][]float64, func(h int) bool, error) {
		// Each cell's residual y − μ, by id (cell + 1; NaN: not in the model).
		res := make([]float64, len(cl.key)+1)
		res[0] = math.NaN()
		for c, id := range patOf {
			res[c+1] = math.NaN()
			if id >= 0 {
				var eta float64
				for j, b := range beta {
					eta += u.x[int(id)*p+j] * b
				}
				res[c+1] = yOf[c] - expit(eta)
			}
		}
		var t [][]float64
		if d.cal != nil {
			ctx := cl.ctx
			if ctx == nil {
				ctx = context.Background()
			}
			var err error
			t, err = d.calibratedScoreTotals(ctx, p, func(emit func(i int, r float64, ones []int)) {
				for i, id := range cl.id {
					if rc := res[id]; rc == rc {
						emit(i, d.w[i]*rc, set[id-1])
					}
				}
			})
			if err != nil {
				return nil, nil, err
			}
		} else {
			t = make([][]float64, p)
			for j := range t {
				t[j] = make([]float64, d.NumPSU())
			}
			for i, id := range cl.id {
				rc := res[id]
				if rc != rc {
					continue
				}
				r := d.w[i] * rc
				q := d.psu[i]
				t[0][q] += r
				for _, j := range set[id-1] {
					t[j][q] += r
				}
			}
		}
		// svyglm's rows: the respondents in the fit.
		return t, d.rowStrata(func(i int) bool { return i < len(cl.id) && res[cl.id[i]] == res[cl.id[i]] }), nil
	}
	return d.fitUnits(u, fitNames, nil)
}
