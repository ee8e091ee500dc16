package analysis

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/trustgap/trustgap/survey"
)

// Options control the analyses (Describe, Paradox, Trust, Effect, Segments,
// Compare). The zero value asks for the defaults.
type Options struct {
	// By names the domain variables reported besides the total: "region"
	// and segment names as written in the codebook. Nil or empty means
	// every one the dataset has.
	By []string
	// Level is the confidence level of every interval; 0 means 0.95.
	Level float64
	// CI is the interval for proportions (default logit, as svyciprop).
	CI CIMethod
	// MinBase marks rows whose unweighted base is below it (Row.LowBase);
	// 0 means 30, a negative value marks none.
	MinBase int
	// Lonely says what to do with single-PSU strata (default fail).
	Lonely LonelyPSU
	// Privacy, when non-nil, makes every share and mean a differentially
	// private release (see Privacy) without SE or interval.
	Privacy *Privacy
	// Design is the dataset's design when the caller has built it already
	// (StudyDesign), so that several analyses of one dataset build it once;
	// nil builds it with Lonely.
	Design *Design
	// ItemsTotalOnly limits Paradox's item-by-item shares to the total
	// sample, for a caller that shows no more: each domain costs a pass.
	ItemsTotalOnly bool
	// Cache, when set, lets the analyses given the same Cache and dataset
	// reuse one another's work (see Cache): a report that shows the
	// banner, the comparisons by region and the total sample's shares
	// reads each construct flag once. A private release keeps no sums
	// in it. Nil: each call keeps its own, for the call.
	Cache *Cache
	// MaxLevels caps the levels of a region or segment reported by level;
	// 0 means DefaultMaxLevels. A column with more (an id given as the
	// region) is refused with a *DomainError before any estimate.
	MaxLevels int
	// Context, when non-nil, cancels the analysis: the estimation passes
	// check it every few thousand respondents (and between PSU runs),
	// and a cancelled analysis returns an error wrapping its Err
	// (errors.Is(err, context.Canceled)) and keeps nothing in Cache.
	Context context.Context

	// calibrationOK is set by the analyses whose every figure comes
	// through calibratedRows on a calibrated design (Describe).
	calibrationOK bool
}

// DefaultMaxLevels is the most levels a region or segment may have by
// default: more than the world's countries (249 ISO codes), far fewer
// than an id column. Every level is a domain with estimates of its own.
const DefaultMaxLevels = 300

// ErrTooManyLevels and ErrEmptyDomain are wrapped by a *DomainError.
var (
	ErrTooManyLevels = errors.New("too many levels")
	ErrEmptyDomain   = errors.New("no respondent has a value")
)

// DomainError reports a region or segment that cannot be reported by
// level: Err is ErrTooManyLevels (Levels is how many, Limit the cap) or
// ErrEmptyDomain (the column is missing for every respondent).
type DomainError struct {
	Var    string // "region" or the segment's name
	Column string // the column it is read from
	Levels int
	Limit  int
	Err    error
}

func (e *DomainError) Error() string {
	what := "segment " + strconv.Quote(e.Var)
	if e.Var == "region" {
		what = "region"
	}
	if e.Column != "" && e.Column != e.Var {
		what += fmt.Sprintf(" (column %q)", e.Column)
	} else if e.Var == "region" && e.Column != "" {
		what += fmt.Sprintf(" %q", e.Column)
	}
	if errors.Is(e.Err, ErrTooManyLevels) {
		return fmt.Sprintf("%s has %d levels, more than the limit of %d: every level is a domain estimated on its own, so this is most likely not a grouping (an id or a free-text column?); band it into fewer groups (codebook bands:) or choose another column", what, e.Levels, e.Limit)
	}
	return fmt.Sprintf("%s is empty for every respondent: no level to report (a wrong column, or answers all missing?)", what)
}

func (e *DomainError) Unwrap() error { return e.Err }

// checkDomains refuses domain variables that have no respondents or too
// many levels, before any estimate is made.
func checkDomains(vars []domainVar, maxLevels int) error {
	if maxLevels <= 0 {
		maxLevels = DefaultMaxLevels
	}
	for _, v := range vars {
		col := ""
		if c, ok := v.key.(*survey.Column); ok && c != nil {
			col = c.Name
		}
		if len(v.levels) > maxLevels {
			return &DomainError{Var: v.name, Column: col, Levels: len(v.levels), Limit: maxLevels, Err: ErrTooManyLevels}
		}
		empty := true
		for _, c := range v.codes {
			if c >= 0 {
				empty = false
				break
			}
		}
		if empty {
			return &DomainError{Var: v.name, Column: col, Err: ErrEmptyDomain}
		}
	}
	return nil
}

// DefaultMinBase is the minimum unweighted base below which a row is
// marked LowBase unless Options.MinBase says otherwise.
const DefaultMinBase = 30

func (o Options) level() float64 {
	if o.Level == 0 {
		return 0.95
	}
	return o.Level
}

func (o Options) minBase() int {
	if o.MinBase == 0 {
		return DefaultMinBase
	}
	return o.MinBase
}

// Test is a test of association reported with an analysis: for "rao_scott"
// the Rao-Scott second-order corrected F test of svychisq(~a+b, design)
// between Variables[0] and Variables[1].
type Test struct {
	Name      string   `json:"name"`
	Variables []string `json:"variables"`
	F         Num      `json:"f"`
	NDF       Num      `json:"ndf"`
	DDF       Num      `json:"ddf"`
	P         Num      `json:"p"`
	// Note says why the test could not be computed (its figures are null).
	Note string `json:"note,omitempty"`
}

// StudyDesign builds the sample design a Dataset declares: its weights (every
// weight 1 when it has none), strata, PSUs (nested in strata) and finite
// population correction, with lonely deciding what happens to single-PSU
// strata. A respondent without a stratum or PSU is an error naming it.
func StudyDesign(ds *survey.Dataset, lonely LonelyPSU) (*Design, error) {
	return StudyDesignContext(context.Background(), ds, lonely)
}

// StudyDesignContext is StudyDesign stopped by ctx (see NewDesignContext).
func StudyDesignContext(ctx context.Context, ds *survey.Dataset, lonely LonelyPSU) (*Design, error) {
	spec := DesignSpec{Weights: ds.Weights, FPC: ds.FPC, Lonely: lonely}
	if ds.Strata != nil {
		if i := firstMissing(ds.Strata.Codes); i >= 0 {
			return nil, fmt.Errorf("%w: stratum %q is missing for %s", ErrDesign, ds.Strata.Name, respondent(ds, i))
		}
		spec.Strata, spec.StrataNames = ds.Strata.Codes, ds.Strata.Levels
	}
	if ds.PSU != nil {
		if i := firstMissing(ds.PSU.Codes); i >= 0 {
			return nil, fmt.Errorf("%w: psu %q is missing for %s", ErrDesign, ds.PSU.Name, respondent(ds, i))
		}
		spec.PSU = ds.PSU.Codes
	}
	return NewDesignContext(ctx, ds.N, spec)
}

func firstMissing(codes []int32) int {
	for i, c := range codes {
		if c < 0 {
			return i
		}
	}
	return -1
}

// respondent names respondent i (0-based) for messages. It never quotes the respondent's id: ids can be direct identifiers
// (e-mail addresses), and no message may echo them.
func respondent(ds *survey.Dataset, i int) string {
	return fmt.Sprintf("respondent %d (in file order)", i+1)
}

// domainVar is a categorical variable whose levels are reported as domains.
type domainVar struct {
	name   string // "region" or the segment's codebook name
	codes  []int32
	levels []string
	key    any // the *survey.Column the codes come from, for the cache; nil for none
}

// domainRef is one reported domain: the total (v = -1) or level code of
// domain variable v.
type domainRef struct {
	dom  Domain
	v    int
	code int32
}

// study is what every analysis needs: the dataset, its design and the
// domains to report, in order: the total, then each level of each domain
// variable.
type study struct {
	ds   *survey.Dataset
	d    *Design
	e    engine // d with the caller's cache, or the call's own
	opts Options
	vars []domainVar
	doms []domainRef
	df   []int     // degf of each domain, once domainDF has computed it
	wdom []float64 // summed weight of each domain, once domainWeight has
}

// newStudy builds the design and lists the domains, checking opts.By.
func newStudy(ds *survey.Dataset, opts Options) (*study, error) {
	if l := opts.Level; l < 0 || l >= 1 || math.IsNaN(l) {
		return nil, fmt.Errorf("options: confidence level %v is not between 0 and 1", opts.Level)
	}
	d := opts.Design
	if d == nil {
		var err error
		ctx := opts.Context
		if ctx == nil {
			ctx = context.Background()
		}
		if d, err = StudyDesignContext(ctx, ds, opts.Lonely); err != nil {
			return nil, err
		}
	} else if d.N() != ds.N {
		panic("analysis: length mismatch")
	}
	if !opts.calibrationOK {
		if err := d.requireUncalibrated("this analysis of constructs"); err != nil {
			return nil, err
		}
	}
	s := &study{ds: ds, d: d, e: newEngine(opts.Context, d, opts.Cache), opts: opts}
	var all []domainVar
	if ds.Region != nil {
		all = append(all, domainVar{name: "region", codes: ds.Region.Codes, levels: ds.Region.Levels, key: ds.Region})
	}
	for _, c := range ds.Segments {
		all = append(all, domainVar{name: c.Name, codes: c.Codes, levels: c.Levels, key: c})
	}
	s.vars = all
	if len(opts.By) > 0 {
		s.vars = nil
		for _, name := range opts.By {
			if strings.Contains(name, "*") {
				v, err := crossVar(all, name)
				if err != nil {
					return nil, err
				}
				s.vars = append(s.vars, v)
				continue
			}
			found := false
			for _, v := range all {
				if v.name == name {
					s.vars = append(s.vars, v)
					found = true
					break
				}
			}
			if !found {
				names := make([]string, len(all))
				for i, v := range all {
					names[i] = fmt.Sprintf("%q", v.name)
				}
				avail := "the dataset has no region or segments"
				if len(names) > 0 {
					avail = "available: " + strings.Join(names, ", ")
				}
				return nil, fmt.Errorf("options: %w %q in by (%s)", ErrUnknownDomain, name, avail)
			}
		}
	}
	if err := checkDomains(s.vars, opts.MaxLevels); err != nil {
		return nil, err
	}
	s.doms = []domainRef{{v: -1}}
	for k, v := range s.vars {
		if len(v.codes) != ds.N {
			panic("analysis: length mismatch")
		}
		for c, l := range v.levels {
			s.doms = append(s.doms, domainRef{dom: Domain{Var: v.name, Level: l}, v: k, code: int32(c)})
		}
	}
	if opts.CI == CILikelihood {
		s.sumDomainWeights() // before any worker reads them
	}
	return s, nil
}

// shared reports whether the analysis may use sums that other analyses
// kept in the cache, and keep its own there: when the caller gave a Cache,
// and the release is not private.
func (s *study) shared() bool {
	return s.opts.Privacy == nil && s.e.c.sums != nil
}

// totalOnly returns s without its domain variables: the total sample only.
func (s *study) totalOnly() *study {
	return &study{ds: s.ds, d: s.d, e: s.e, opts: s.opts, doms: s.doms[:1:1]}
}

// member returns the membership of domain k, nil for the total, filling buf
// (len N) so that loops over domains allocate once.
func (s *study) member(k int, buf []bool) []bool {
	r := s.doms[k]
	if r.v < 0 {
		return nil
	}
	codes := s.vars[r.v].codes
	for i, c := range codes {
		buf[i] = c == r.code
	}
	return buf
}

// sumDomainWeights sums the weight of every domain's respondents,
// answered or not, in one pass: the likelihood interval's rescaling (see
// PropCI) needs them.
func (s *study) sumDomainWeights() {
	s.wdom = make([]float64, len(s.doms))
	at := make([][]int, len(s.vars)) // domain index of each level
	for j, r := range s.doms {
		if r.v < 0 {
			continue
		}
		if at[r.v] == nil {
			at[r.v] = make([]int, len(s.vars[r.v].levels))
		}
		at[r.v][r.code] = j
	}
	for i, w := range s.d.w {
		s.wdom[0] += w
		for v, idx := range at {
			if c := s.vars[v].codes[i]; c >= 0 {
				s.wdom[idx[c]] += w
			}
		}
	}
}

// domainWeight returns the summed weight of domain k's respondents,
// answered or not (sumDomainWeights), NaN when the study's interval does
// not need it.
func (s *study) domainWeight(k int) float64 {
	if s.wdom == nil {
		return math.NaN()
	}
	return s.wdom[k]
}

// domainDF returns the degf of every domain, in the order of s.doms.
func (s *study) domainDF() []int {
	if s.df == nil {
		s.df = make([]int, 0, len(s.doms))
		s.df = append(s.df, s.d.DegF(nil))
		for _, v := range s.vars {
			s.df = append(s.df, s.e.levelDegF(v.codes, len(v.levels), v.key)...)
		}
	}
	return s.df
}

// levelDegF returns the degf of each level of a domain variable (codes
// in 0..G−1, −1 for none): its PSUs, less one per stratum it is in. key
// names the column the codes come from (nil: codes made for the call),
// under which the cache keeps the result, which is not to be changed.
func (e engine) levelDegF(codes []int32, G int, key any) []int {
	if len(codes) != e.n {
		panic("analysis: length mismatch")
	}
	k := dfKey{e.Design, key, G}
	if key != nil {
		e.c.st.mu.Lock()
		got, ok := e.c.st.df[k]
		e.c.st.mu.Unlock()
		if ok && sameCodes(got.codes, codes) {
			return got.df
		}
	}
	// One pass: which PSUs each level has.
	P := e.NumPSU()
	seen := make([]bool, P*G)
	for i, c := range codes {
		if c >= 0 {
			seen[int(e.psu[i])*G+int(c)] = true
		}
	}
	df := make([]int, G)
	for g := range df {
		df[g] = e.degfSeen(func(p int) bool { return seen[p*G+g] })
	}
	if key != nil {
		e.c.st.mu.Lock()
		defer e.c.st.mu.Unlock()
		if e.c.st.df == nil {
			e.c.st.df = map[dfKey]dfEntry{}
		}
		e.c.st.df[k] = dfEntry{codes: codes, df: df}
	}
	return df
}

// estimates returns the weighted mean of y (NaN = not in the base) in every
// domain, in the order of s.doms, reading the data once. DF of each is
// the degf of the whole domain, as svyciprop(..., df =
// degf(subset(design, domain))).
func (s *study) estimates(y vec) []Estimate {
	codes, nLevels, keys := s.groupings()
	return s.e.meanAll(y, codes, nLevels, keys, s.domainDF(), s.opts.level())
}

// groupings returns the codes, level counts and cache keys of the domain
// variables.
func (s *study) groupings() ([][]int32, []int, []any) {
	codes := make([][]int32, len(s.vars))
	nLevels := make([]int, len(s.vars))
	keys := make([]any, len(s.vars))
	for k, v := range s.vars {
		codes[k], nLevels[k], keys[k] = v.codes, len(v.levels), v.key
	}
	return codes, nLevels, keys
}

func (s *study) rows(stat string, y vec, prop bool) []Row {
	if s.opts.Privacy != nil {
		return s.privateRows(stat, y.materialize(s.ds.N), prop)
	}
	return s.rowsFrom(stat, s.estimates(y), prop)
}

// rowsFrom makes rows of the estimates of every domain.
func (s *study) rowsFrom(stat string, est []Estimate, prop bool) []Row {
	rows := make([]Row, len(est))
	for k, e := range est {
		if prop {
			e.wDomain, e.calibrated = s.domainWeight(k), s.d.cal != nil
			e.CILow, e.CIHigh = PropCI(e, s.opts.CI, s.opts.level())
		}
		rows[k] = s.row(stat, s.doms[k].dom, e, prop)
	}
	return rows
}

// row fills a Row with the design effect, effective base and low-base flag.
func (s *study) row(stat string, dom Domain, e Estimate, prop bool) Row {
	r := NewRow(stat, dom, e, prop)
	if !math.IsNaN(e.Deff) {
		deff, eff := Num(e.Deff), Num(e.EffectiveN())
		r.Deff, r.EffectiveN = &deff, &eff
	}
	r.LowBase = s.lowBase(e.N)
	return r
}

func (s *study) lowBase(n int) bool {
	return n < s.opts.minBase()
}

// flagOf returns the 0/1 flag of the named construct, or an error naming
// what the codebook lacks; what is the analysis asking.
func flagOf(ds *survey.Dataset, name, what string) (*survey.Construct, error) {
	c := ds.Construct(name)
	if c == nil {
		return nil, fmt.Errorf("%s: %w: codebook has no %q construct", what, ErrMissingConstruct, name)
	}
	if c.Def.Flag == "" {
		return nil, fmt.Errorf("%s: construct %q has no flag (add e.g. flag: \">= 4\")", what, name)
	}
	return c, nil
}

// ErrMissingConstruct marks an analysis that needs a construct the codebook
// does not define.
var ErrMissingConstruct = errors.New("missing construct")

// ErrUnknownDomain is wrapped by the error for an Options.By name that is
// neither "region" nor a segment: a mistake in the request, not the data.
var ErrUnknownDomain = errors.New("unknown domain variable")

func answered(x ...float64) bool {
	for _, v := range x {
		if math.IsNaN(v) {
			return false
		}
	}
	return true
}

// cellSums holds Σw and Σw·y of the respondents in each cell, by PSU and
// overall, from one pass over the data; contrast turns them into the
// difference of two groups of cells with its linearization SE. This lets an
// analysis compare groups in every domain at once instead of passing over
// the data once per domain. The y it is used with are shares and their
// differences (|y| <= 1), so sums need no centring for accuracy.
type cellSums struct {
	d      *Design
	nCells int
	psu    []wsum // NumPSU × nCells, cell-major within a PSU
	cell   []wsum
	n      []int
	// cov, when set instead of psu, is the covariance across PSUs of the
	// cells' (Σw, Σw·(y − shift[c])): [2c] and [2c + 1] for cell c
	// (allSums.levelCovShifted).
	cov   [][]float64
	shift []float64
	// covNoise bounds the rounding error of each entry of cov.
	covNoise [][]float64
	// present, with cov under LonelyAverage, marks the cells answered in
	// each stratum: stratum h's cell c at h·nCells + c (see strata).
	present []bool
}

type wsum struct{ w, wy float64 }

// group sums the cells for which in is true.
func (cs *cellSums) group(in func(c int) bool) (sw, swy float64, n int) {
	for c := 0; c < cs.nCells; c++ {
		if in(c) {
			sw += cs.cell[c].w
			swy += cs.cell[c].wy
			n += cs.n[c]
		}
	}
	return sw, swy, n
}

// contrast compares group a with group b (disjoint sets of cells). On the
// mean scale (logit false) the estimate is m_a − m_b with influence
//
//	z_i = [i ∈ a] w_i (y_i − m_a)/W_a − [i ∈ b] w_i (y_i − m_b)/W_b,
//
// Design.DiffMeans' formula (svyby + svycontrast). On the logit scale it
// is logit(m_a) − logit(m_b), each term's influence divided by m(1 − m):
// the log odds ratio of a 0/1 y and its linearization SE, which is exactly
// svyglm(y ~ group, family = quasibinomial)'s slope and sandwich SE, the
// two-group model being saturated. The Estimate has N and WeightedN of
// both groups; DF and interval are left to the caller. Undefined figures
// are NaN.
func (cs *cellSums) contrast(a, b func(c int) bool, logit bool) Estimate {
	wa, ya, na := cs.group(a)
	wb, yb, nb := cs.group(b)
	e := Estimate{N: na + nb, WeightedN: wa + wb, Estimate: math.NaN(), SE: math.NaN(), Deff: math.NaN(),
		CILow: math.NaN(), CIHigh: math.NaN()}
	if na == 0 || nb == 0 {
		return e
	}
	ma, mb := ya/wa, yb/wb
	sa, sb := wa, wb // influence scales
	if logit {
		sa, sb = wa*ma*(1-ma), wb*mb*(1-mb)
		e.Estimate = math.Log(ma/(1-ma)) - math.Log(mb/(1-mb))
	} else {
		e.Estimate = ma - mb
	}
	if sa == 0 || sb == 0 {
		e.Estimate = math.NaN()
		return e
	}
	// Each cell's part in the influence: z = k·(wy − m·w), once per cell
	// rather than per PSU.
	k, m := make([]float64, cs.nCells), make([]float64, cs.nCells)
	for c := range k {
		switch {
		case a(c):
			k[c], m[c] = 1/sa, ma
		case b(c):
			k[c], m[c] = -1/sb, mb
		}
	}
	inA, inB := a, b
	if cs.cov != nil {
		// The influence is a fixed combination of the cells' sums,
		// k·(Σw·(y − shift) − (m − shift)·Σw): its variance is a'·cov·a.
		a := make([]float64, 2*cs.nCells)
		for c := range k {
			a[2*c], a[2*c+1] = -k[c]*(m[c]-cs.shift[c]), k[c]
		}
		var v, noise float64
		for i, ai := range a {
			for j, aj := range a {
				v += ai * cs.cov[i][j] * aj
				noise += math.Abs(ai) * cs.covNoise[i][j] * math.Abs(aj)
			}
		}
		if v <= noise {
			v = 0 // rounding's: a contrast whose influence totals are all 0
		}
		e.SE = math.Sqrt(v * cs.d.lonelyFactor(cs.strata(inA, inB)))
		return e
	}
	t := make([]float64, cs.d.NumPSU())
	for p := range t {
		row := cs.psu[p*cs.nCells : (p+1)*cs.nCells]
		for c, x := range row {
			t[p] += k[c] * (x.wy - m[c]*x.w)
		}
	}
	e.SE = math.Sqrt(cs.d.varianceIn(t, cs.strata(a, b)))
	return e
}

// strata is lonelyFactor's present for a contrast of groups a and b: the
// strata where a cell of either has answers (the svyglm's subset).
func (cs *cellSums) strata(a, b func(c int) bool) func(h int) bool {
	d := cs.d
	if !d.averaging() {
		return allStrata
	}
	has := func(row []wsum, present []bool) bool {
		for c := 0; c < cs.nCells; c++ {
			if (a(c) || b(c)) && ((row != nil && row[c].w > 0) || (present != nil && present[c])) {
				return true
			}
		}
		return false
	}
	if cs.cov != nil {
		return func(h int) bool { return has(nil, cs.present[h*cs.nCells:(h+1)*cs.nCells]) }
	}
	return d.seenStrata(func(p int) bool { return has(cs.psu[p*cs.nCells:(p+1)*cs.nCells], nil) })
}
