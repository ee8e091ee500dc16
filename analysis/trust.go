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
	codes, nLevels := s.groupings()
	sums := s.d.sumAllMulti([]vec{among(1), among(0)}, codes, nLevels)
	defer sums[0].release(s.d)
	defer sums[1].release(s.d)
	dfs := s.domainDF()
	res := &EffectResult{Factor: factor, Outcome: outcome}
	if s.opts.Privacy != nil {
		for _, r := range s.rowsOf([]rowSpec{{names.with, among(1), true}, {names.without, among(0), true}}) {
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
		res.Estimates = append(res.Estimates, s.row("effect", dr.dom, e, true))
		res.OddsRatios = append(res.OddsRatios, s.oddsRatio(cs, yes, no, dr.dom, df, level))
		k++
	}
	for g := range sums[0].groupings {
		cs := pairCells(s.d, sums[1], sums[0], g)
		for c := range sums[0].groupings[g].gs {
			add(cs, c)
		}
	}
	res.Adjusted = adjustedOddsRatio(s, oc.FlagValues(nil), fc.FlagValues(nil), factor, level)
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
	a.Covariates = append(a.Covariates, catNames...)
	// Respondents the model uses (na.omit): R drops the dummies of levels
	// none of them has, so do the same to keep X of full rank.
	used := make([][]bool, len(cats))
	for k, c := range cats {
		used[k] = make([]bool, len(c.Levels))
	}
rows:
	for i := range y {
		if !answered(y[i], f[i]) {
			continue
		}
		for _, c := range cats {
			if c.Codes[i] < 0 {
				continue rows
			}
		}
		for k, c := range cats {
			used[k][c.Codes[i]] = true
		}
	}
	// The predictors: the factor, then each covariate's dummies (level
	// codes, the first level the reference) of the levels used.
	names := []string{factor}
	dummies := make([][]int32, len(cats))
	for k, c := range cats {
		for j := 1; j < len(c.Levels); j++ {
			if used[k][j] {
				dummies[k] = append(dummies[k], int32(j))
				names = append(names, catNames[k]+c.Levels[j])
			}
		}
	}
	fit, err := s.d.logisticDummies(y, f, cats, dummies, names)
	if err != nil {
		a.Note = err.Error()
		return a
	}
	or, lo, hi := fit.OddsRatio(1, level)
	a.LogOR, a.LogORSE, a.OddsRatio, a.CILow, a.CIHigh = Num(fit.Coef[1]), Num(fit.SE[1]), Num(or), Num(lo), Num(hi)
	a.N, a.DF = fit.N, fit.DF
	return a
}

// logisticDummies is Logistic(y, X, names, nil) for X = the 0/1 factor f
// followed by, for each categorical covariate k, the indicator columns of
// its levels dummies[k] (Dummies, keeping those columns only), without
// building X: respondents are collapsed into cells of equal pattern and
// PSU from the codes directly. A covariate with no column does not drop
// the respondents who lack it, as in Logistic.
func (d *Design) logisticDummies(y, f []float64, cats []*survey.Column, dummies [][]int32, names []string) (*LogisticFit, error) {
	nX := 1
	for _, dm := range dummies {
		nX += len(dm)
	}
	if len(names) != nX {
		panic("analysis: length mismatch")
	}
	binary := true
	for _, v := range f {
		if !math.IsNaN(v) && v != 0 && v != 1 {
			binary = false
			break
		}
	}
	if nX >= 64 || !binary {
		// Too many predictors for a bit pattern: build X.
		X := [][]float64{f}
		for k, c := range cats {
			if len(dummies[k]) == 0 {
				continue
			}
			cols, _ := Dummies(c.Codes, len(c.Levels), nil, "")
			for _, j := range dummies[k] {
				X = append(X, cols[j-1])
			}
		}
		return d.Logistic(y, X, names, nil)
	}
	fitNames := append([]string{"(Intercept)"}, names...)
	for i, v := range y {
		if !math.IsNaN(v) && v != 0 && v != 1 {
			return nil, fmt.Errorf("logistic: outcome of respondent %d is %v; want 0 or 1", i+1, v)
		}
	}
	// bit[k][level] is the bit of covariate k's level (0: no column).
	bit := make([][]uint64, len(cats))
	next := uint(1)
	for k, c := range cats {
		bit[k] = make([]uint64, len(c.Levels))
		for _, j := range dummies[k] {
			bit[k][j] = 1 << next
			next++
		}
	}
	pattern := func(i int) (uint64, bool) {
		fi := f[i]
		if math.IsNaN(y[i]) || math.IsNaN(fi) {
			return 0, false
		}
		var b uint64
		if fi == 1 {
			b = 1
		}
		for k, c := range cats {
			if len(dummies[k]) == 0 {
				continue
			}
			code := c.Codes[i]
			if code < 0 {
				return 0, false
			}
			b |= bit[k][code]
		}
		return b, true
	}
	return d.fitPatterns(y, nX, pattern, fitNames)
}

// fitPatterns fits the logistic model of y on nX 0/1 predictors given as
// bit patterns (see collapseUnits) over the whole sample. The likelihood
// and A depend on the respondents only through Σw and Σwy per pattern,
// so Newton's method runs over the patterns that occur; the PSU totals of
// the scores u_i = w_i (y_i − μ_i) x_i for the sandwich come from one
// more pass over the respondents. Memory grows with the patterns and the
// PSUs, not with the respondents.
func (d *Design) fitPatterns(y []float64, nX int, pattern func(i int) (uint64, bool), fitNames []string) (*LogisticFit, error) {
	p := nX + 1
	u := &logitUnits{p: p}
	// Pattern ids: through a table when 2^nX is small, else a map.
	var table []int32
	var idMap map[uint64]int32
	if nX <= 16 {
		table = make([]int32, 1<<uint(nX))
		for k := range table {
			table[k] = -1
		}
	} else {
		idMap = map[uint64]int32{}
	}
	id := func(b uint64) int32 {
		if table != nil {
			return table[b]
		}
		if k, ok := idMap[b]; ok {
			return k
		}
		return -1
	}
	var pats []uint64
	for i := 0; i < d.n; i++ {
		b, ok := pattern(i)
		if !ok {
			continue
		}
		k := id(b)
		if k < 0 {
			k = int32(len(pats))
			if table != nil {
				table[b] = k
			} else {
				idMap[b] = k
			}
			pats = append(pats, b)
			u.x = append(u.x, 1)
			for j := 0; j < nX; j++ {
				u.x = append(u.x, float64(b>>uint(j)&1))
			}
			u.sw = append(u.sw, 0)
			u.swy = append(u.swy, 0)
		}
		u.sw[k] += d.w[i]
		u.swy[k] += d.w[i] * y[i]
		u.n++
	}
	if u.n <= p {
		return nil, fmt.Errorf("logistic: %d respondents with every variable answered for %d coefficients", u.n, p)
	}
	beta, iter, err := u.fit(fitNames)
	if err != nil {
		return nil, err
	}
	a, _ := u.information(beta)
	ainv, bad := invertSPD(a)
	if bad >= 0 {
		return nil, fmt.Errorf("logistic: %w: %q is constant or a linear combination of the other predictors among the %d respondents in the fit", ErrSingular, fitNames[bad], u.n)
	}
	mu := make([]float64, len(pats))
	for k := range pats {
		var eta float64
		for j, b := range beta {
			eta += u.x[k*p+j] * b
		}
		mu[k] = expit(eta)
	}
	t := make([][]float64, p)
	for j := range t {
		t[j] = make([]float64, d.NumPSU())
	}
	for i := 0; i < d.n; i++ {
		b, ok := pattern(i)
		if !ok {
			continue
		}
		r := d.w[i] * (y[i] - mu[id(b)])
		q := d.psu[i]
		t[0][q] += r
		for j := 0; b != 0; j++ {
			if b&1 != 0 {
				t[j+1][q] += r
			}
			b >>= 1
		}
	}
	cov := mulMM(mulMM(ainv, d.CovFromPSUTotals(t)), ainv)
	se := make([]float64, p)
	for j := range se {
		se[j] = math.Sqrt(cov[j][j])
	}
	return &LogisticFit{Coef: beta, SE: se, Cov: cov, DF: d.DegF(nil), N: u.n, Iter: iter, Names: fitNames}, nil
}
