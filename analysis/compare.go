package analysis

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/trustgap/trustgap/survey"
)

// CompareResult holds every domain compared with the rest of the sample,
// the Rao-Scott tests of each domain variable against each 0/1 statistic,
// and the comparison with published toplines:
//
//	{"comparisons": [Comparison...], "tests": [Test...],
//	 "benchmarks": [BenchmarkComparison...]}
type CompareResult struct {
	Comparisons []Comparison          `json:"comparisons"`
	Tests       []Test                `json:"tests"`
	Benchmarks  []BenchmarkComparison `json:"benchmarks,omitempty"`
}

// Comparison is one domain (a level of region or of a segment) against the
// rest of the sample: respondents with another level of the same variable
// (those with the variable missing are in neither group).
//
// Estimate and Rest are the weighted means of the statistic in the two
// groups over respondents who answered; Difference = Estimate − Rest with
// SE from the joint linearization of both means (Design.DiffMeans' formula,
// the slope of svyglm(y ~ I(var == level), design)). The t test and interval
// use the degrees of freedom of the whole design, DF = degf(design), since
// both groups together span the sample: t = Difference/SE, P two-sided,
// interval Difference ± t(DF)·SE at Options.Level. Significant is P below
// 1 − Options.Level (5% by default); Direction is then "+" (the domain is
// higher) or "-". N and NRest are the unweighted bases; LowBase marks an N
// below the minimum base.
type Comparison struct {
	Statistic   string `json:"statistic"`
	Domain      Domain `json:"domain"`
	Estimate    Num    `json:"estimate"`
	Rest        Num    `json:"rest"`
	Difference  Num    `json:"difference"`
	SE          Num    `json:"se"`
	CILow       Num    `json:"ci_low"`
	CIHigh      Num    `json:"ci_high"`
	T           Num    `json:"t"`
	P           Num    `json:"p"`
	DF          int    `json:"df"`
	N           int    `json:"n"`
	NRest       int    `json:"n_rest"`
	Significant bool   `json:"significant"`
	Direction   string `json:"direction,omitempty"`
	LowBase     bool   `json:"low_base,omitempty"`
}

// compareStat is one statistic compared across domains: y per respondent
// (NaN outside its base), and whether it is 0/1 (then tested with
// Rao-Scott).
type compareStat struct {
	name   string
	y      vec
	binary bool
}

// Compare compares every domain of every domain variable (Options.By) with
// the rest of the sample (see Comparison) for the flag of every construct
// that has one (statistic = construct name) and, when the codebook defines
// concern and behaviour, the paradox statistics not already among them
// (paradox_rate, paradox_share, gap, and protects when it is derived from
// sharing; see Paradox). Tests holds the Rao-Scott test of each domain
// variable against each 0/1 statistic (svychisq(~var + y, design), y
// missing outside its base).
//
// With toplines, each published figure is set against the matching
// estimate (see MatchBenchmarks), computed for the total and every domain
// whatever Options.By says.
func Compare(ds *survey.Dataset, opts Options, toplines []Topline) (*CompareResult, error) {
	opts.calibrationOK = true // a calibrated design takes compareCalibrated
	s, err := newStudy(ds, opts)
	if err != nil {
		return nil, fmt.Errorf("compare: %w", err)
	}
	var stats []compareStat
	for _, c := range ds.Constructs {
		if c.Def.Flag != "" {
			stats = append(stats, compareStat{name: c.Name, y: flagVec(c), binary: true})
		}
	}
	// The paradox statistics come along when the codebook allows them;
	// their absence is no reason to refuse the other comparisons. Each
	// statistic has vecs of its own: they are read in parallel.
	concern, errC := flagOf(ds, "concern", "compare")
	behaviour, errB := behaviourOf(ds, "compare")
	if errC == nil && errB == nil {
		derived := func(stat int) vec { return paradoxVec(stat, flagVec(concern), protectsVec(behaviour)) }
		if behaviour.Name != "protection" {
			stats = append(stats, compareStat{name: "protects", y: protectsVec(behaviour), binary: true})
		}
		stats = append(stats, compareStat{name: "paradox_rate", y: derived(statRate), binary: true},
			compareStat{name: "paradox_share", y: derived(statShare), binary: true}, compareStat{name: "gap", y: derived(statGap)})
	}
	if len(stats) == 0 {
		return nil, fmt.Errorf("compare: %w: codebook defines no construct with a flag", ErrMissingConstruct)
	}
	res := &CompareResult{Comparisons: []Comparison{}, Tests: []Test{}}
	if s.d.cal != nil {
		if _, err := s.compareCalibrated(stats, res); err != nil {
			return nil, err
		}
		if err := res.addBenchmarks(ds, opts, toplines); err != nil {
			return nil, err
		}
		return res, nil
	}
	// The statistics are independent: on the available cores, each worker
	// with its buffers for a Compact load's flags and for the test codes.
	type statResult struct {
		cmp   []Comparison
		tests []Test
	}
	out := make([]statResult, len(stats))
	codes, nLevels, keys := s.groupings()
	err = s.e.forEach(len(stats), func(k int) {
		// One pass per statistic gives, for every domain variable, the
		// sums by PSU and level of the comparisons and, for a 0/1
		// statistic, the test's table (Σw of y = 1 and of y = 0).
		st := stats[k]
		sums := s.e.sumShared(s.shared(), []vec{st.y}, codes, nLevels, keys, nil, allFull)[0]
		defer sums.release(s.e)
		nu := 0
		if st.binary && len(s.vars) > 0 {
			nu = s.d.answeredDegF(st.y)
		}
		for j, v := range s.vars {
			out[k].cmp = append(out[k].cmp, s.compareLevels(st, v, sums.cellSums(s.d, j+1))...)
			if st.binary {
				tab := sums.binaryTable(s.d, j+1)
				tab.nu, tab.nuSet = nu, true
				out[k].tests = append(out[k].tests, s.chiSqTable(v, st.name, tab))
			}
		}
	})
	if err != nil {
		return nil, err
	}
	for _, r := range out {
		res.Comparisons = append(res.Comparisons, r.cmp...)
		res.Tests = append(res.Tests, r.tests...)
	}
	if err := res.addBenchmarks(ds, opts, toplines); err != nil {
		return nil, err
	}
	if err := s.e.err(); err != nil {
		return nil, err
	}
	return res, nil
}

// addBenchmarks sets the toplines against the estimates of the total and
// of every default domain, on the same design as the comparisons (a
// calibrated one included: the rows come from Describe, Paradox, Trust
// and Segments, which carry the calibration into their SEs).
func (res *CompareResult) addBenchmarks(ds *survey.Dataset, opts Options, toplines []Topline) error {
	if len(toplines) == 0 {
		return nil
	}
	full := opts
	full.By = nil
	rows, err := benchmarkRows(ds, full, toplines)
	if err != nil {
		return fmt.Errorf("compare: %w", err)
	}
	res.Benchmarks = MatchBenchmarks(toplines, rows)
	return nil
}

// compareLevels compares each level of v with the other levels from
// their sums cs.
func (s *study) compareLevels(st compareStat, v domainVar, cs *cellSums) []Comparison {
	level := s.opts.level()
	df := s.d.DegF(nil)
	out := make([]Comparison, 0, len(v.levels))
	for c := range v.levels {
		in := func(k int) bool { return k == c }
		rest := func(k int) bool { return k != c }
		e := cs.contrast(in, rest, false)
		w1, wy1, n1 := cs.group(in)
		w2, wy2, n2 := cs.group(rest)
		out = append(out, s.comparison(st, v, c, e, wy1/w1, wy2/w2, n1, n2, df, level))
	}
	return out
}

// comparison is level c of v against the rest of the sample: the level's
// and the rest's means, their difference e with its t test on df degrees
// of freedom and interval, and ▲/▼ when p < 1 − level.
func (s *study) comparison(st compareStat, v domainVar, c int, e Estimate, mean, rest float64, n1, n2, df int, level float64) Comparison {
	cmp := Comparison{
		Statistic: st.name, Domain: Domain{Var: v.name, Level: v.levels[c]},
		Estimate: Num(mean), Rest: Num(rest),
		Difference: Num(e.Estimate), SE: Num(e.SE), DF: df, N: n1, NRest: n2,
		T: Num(e.Estimate / e.SE), P: Num(TTestP(e.Estimate, e.SE, df)),
	}
	lo, hi := MeanCI(e.Estimate, e.SE, df, level)
	cmp.CILow, cmp.CIHigh = Num(lo), Num(hi)
	if p := float64(cmp.P); p < 1-level {
		cmp.Significant = true
		cmp.Direction = "+"
		if e.Estimate < 0 {
			cmp.Direction = "-"
		}
	}
	cmp.LowBase = s.lowBase(n1)
	return cmp
}

// Topline is a published figure to set against the study's estimates:
// Value (a share as a fraction) is what Source reports for Statistic in
// Domain ({} for the total).
type Topline struct {
	Figure    string  `json:"figure"`
	Statistic string  `json:"statistic"`
	Domain    Domain  `json:"domain"`
	Value     float64 `json:"value"`
	Source    string  `json:"source"`
	Year      int     `json:"year,omitempty"`
	Question  string  `json:"question,omitempty"`
	Note      string  `json:"note,omitempty"`
}

// BenchmarkComparison sets a published Topline against the study's
// estimate of the same statistic in the same domain, on the study's design
// (calibrated or not). Estimate, SE and the interval are the study's row
// (svymean and svyciprop on subset(design, domain)); Difference is
// Estimate − Published, tested as a fixed value: T = Difference/SE and P
// two-sided on DF = the row's degrees of freedom (degf of the domain), as
// R's svycontrast(svymean(~y, subset(design, domain), na.rm = TRUE),
// quote(y - published)) referred to t(degf). The published figure is
// taken without error (a topline rarely states its own SE). WithinCI says
// whether the published value lies in the estimate's interval. Matched is
// false (and the estimate null) when the study has no such statistic or
// domain.
type BenchmarkComparison struct {
	Figure     string `json:"figure"`
	Statistic  string `json:"statistic"`
	Domain     Domain `json:"domain"`
	Source     string `json:"source"`
	Published  Num    `json:"published"`
	Matched    bool   `json:"matched"`
	Estimate   Num    `json:"estimate"`
	SE         Num    `json:"se"`
	CILow      Num    `json:"ci_low"`
	CIHigh     Num    `json:"ci_high"`
	Difference Num    `json:"difference"`
	T          Num    `json:"t"`
	P          Num    `json:"p"`
	DF         int    `json:"df"`
	WithinCI   bool   `json:"within_ci"`
	N          int    `json:"n"`
	LowBase    bool   `json:"low_base,omitempty"`
}

// MatchBenchmarks sets each topline against the row of rows with the same
// statistic and domain (domain levels compared case-insensitively when no
// exact match exists).
func MatchBenchmarks(toplines []Topline, rows []Row) []BenchmarkComparison {
	out := make([]BenchmarkComparison, 0, len(toplines))
	for _, t := range toplines {
		nan := Num(math.NaN())
		b := BenchmarkComparison{Figure: t.Figure, Statistic: t.Statistic, Domain: t.Domain, Source: t.Source,
			Published: Num(t.Value), Estimate: nan, SE: nan, CILow: nan, CIHigh: nan, Difference: nan, T: nan, P: nan}
		if r, ok := findRow(rows, t.Statistic, t.Domain); ok {
			b.Matched = true
			b.Estimate, b.SE, b.CILow, b.CIHigh, b.DF = r.Estimate, r.SE, r.CILow, r.CIHigh, r.DF
			b.Difference = r.Estimate - Num(t.Value)
			b.T = b.Difference / r.SE
			b.P = Num(TTestP(float64(b.Difference), float64(r.SE), r.DF))
			b.WithinCI = t.Value >= float64(r.CILow) && t.Value <= float64(r.CIHigh)
			b.N, b.LowBase = r.N, r.LowBase
		}
		out = append(out, b)
	}
	return out
}

func findRow(rows []Row, stat string, dom Domain) (Row, bool) {
	for _, r := range rows {
		if r.Statistic == stat && r.Domain == dom {
			return r, true
		}
	}
	for _, r := range rows {
		if r.Statistic == stat && r.Domain.Var == dom.Var && strings.EqualFold(r.Domain.Level, dom.Level) {
			return r, true
		}
	}
	return Row{}, false
}

// benchmarkRows computes the estimates the toplines ask for, running only
// the analyses that produce their statistics.
func benchmarkRows(ds *survey.Dataset, opts Options, toplines []Topline) ([]Row, error) {
	want := map[string]bool{}
	for _, t := range toplines {
		want[t.Statistic] = true
	}
	asked := func(stats ...string) bool {
		for _, s := range stats {
			if want[s] {
				return true
			}
		}
		return false
	}
	var rows []Row
	var flagged []string
	for _, c := range ds.Constructs {
		if c.Def.Flag != "" {
			flagged = append(flagged, c.Name, c.Name+"_score")
		}
	}
	if asked(flagged...) {
		r, err := Describe(ds, opts)
		if err != nil {
			return nil, err
		}
		rows = append(rows, r.Estimates...)
	}
	// Analyses whose inputs the codebook lacks simply match nothing.
	if asked("concerned", "protects", "gap", "paradox_rate", "paradox_share") {
		r, err := Paradox(ds, opts)
		if err != nil && !errors.Is(err, ErrMissingConstruct) {
			return nil, err
		}
		if err == nil {
			rows = append(rows, r.Estimates...)
		}
	}
	if asked("comfort_trusting", "comfort_nontrusting", "effect") {
		r, err := Trust(ds, opts)
		if err != nil && !errors.Is(err, ErrMissingConstruct) {
			return nil, err
		}
		if err == nil {
			rows = append(rows, r.Estimates...)
		}
	}
	if asked(westinStats()...) {
		r, err := Segments(ds, opts)
		if err != nil && !errors.Is(err, ErrMissingConstruct) {
			return nil, err
		}
		if err == nil {
			rows = append(rows, r.Estimates...)
		}
	}
	return rows, nil
}

// ParseBenchmarks reads published toplines (YAML):
//
//	toplines:
//	  - figure: "US adults concerned about how companies use their data"
//	    statistic: concern
//	    domain: {region: North America}   # {} or omitted: the total
//	    value: 0.79                       # a fraction, 0..1
//	    source: "Pew Research Center (2019), Americans and Privacy"
//	    year: 2019                        # optional
//	    question: "How concerned are you ..."   # optional wording
//	    note: "..."                       # optional
//
// figure, statistic, value and source are required. Errors name the line.
func ParseBenchmarks(r io.Reader) ([]Topline, error) {
	var doc yaml.Node
	if err := yaml.NewDecoder(r).Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("benchmarks: empty file (want toplines: [...])")
		}
		return nil, fmt.Errorf("benchmarks: %w", err)
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("benchmarks: line %d: want a mapping with toplines: [...]", root.Line)
	}
	var list *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if k.Value != "toplines" {
			return nil, fmt.Errorf("benchmarks: line %d: unknown key %q (want toplines)", k.Line, k.Value)
		}
		list = v
	}
	if list == nil {
		return nil, fmt.Errorf("benchmarks: line %d: no toplines", root.Line)
	}
	if list.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("benchmarks: line %d: toplines must be a list", list.Line)
	}
	out := make([]Topline, 0, len(list.Content))
	for _, item := range list.Content {
		t, err := parseTopline(item)
		if err != nil {
			return nil, fmt.Errorf("benchmarks: %w", err)
		}
		out = append(out, t)
	}
	return out, nil
}

func parseTopline(n *yaml.Node) (Topline, error) {
	var t Topline
	if n.Kind != yaml.MappingNode {
		return t, fmt.Errorf("line %d: a topline must be a mapping (figure, statistic, domain, value, source)", n.Line)
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if seen[k.Value] {
			return t, fmt.Errorf("line %d: %q given twice", k.Line, k.Value)
		}
		seen[k.Value] = true
		var err error
		switch k.Value {
		case "figure":
			t.Figure, err = scalarString(v, k.Value)
		case "statistic":
			t.Statistic, err = scalarString(v, k.Value)
		case "source":
			t.Source, err = scalarString(v, k.Value)
		case "question":
			t.Question, err = scalarString(v, k.Value)
		case "note":
			t.Note, err = scalarString(v, k.Value)
		case "year":
			if v.Kind != yaml.ScalarNode || v.Decode(&t.Year) != nil {
				err = fmt.Errorf("line %d: year must be a whole number", v.Line)
			}
		case "value":
			if v.Kind != yaml.ScalarNode || v.Decode(&t.Value) != nil || math.IsNaN(t.Value) {
				err = fmt.Errorf("line %d: value must be a number", v.Line)
			} else if t.Value < 0 || t.Value > 1 {
				err = fmt.Errorf("line %d: value %v is not a fraction between 0 and 1 (write 79%% as 0.79)", v.Line, t.Value)
			}
		case "domain":
			t.Domain, err = parseDomain(v)
		default:
			err = fmt.Errorf("line %d: unknown key %q (want figure, statistic, domain, value, source, year, question or note)", k.Line, k.Value)
		}
		if err != nil {
			return t, err
		}
	}
	for _, req := range []string{"figure", "statistic", "value", "source"} {
		if !seen[req] {
			return t, fmt.Errorf("line %d: topline has no %s", n.Line, req)
		}
	}
	return t, nil
}

func scalarString(n *yaml.Node, key string) (string, error) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return "", fmt.Errorf("line %d: %s must be text", n.Line, key)
	}
	if strings.TrimSpace(n.Value) == "" {
		return "", fmt.Errorf("line %d: %s is empty", n.Line, key)
	}
	return n.Value, nil
}

// parseDomain reads {} / null (the total) or {var: level}.
func parseDomain(n *yaml.Node) (Domain, error) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return Domain{}, nil
	}
	if n.Kind != yaml.MappingNode {
		return Domain{}, fmt.Errorf("line %d: domain must be {} or {variable: level}", n.Line)
	}
	switch len(n.Content) {
	case 0:
		return Domain{}, nil
	case 2:
		k, v := n.Content[0], n.Content[1]
		if k.Kind != yaml.ScalarNode || v.Kind != yaml.ScalarNode || k.Value == "" || v.Value == "" {
			return Domain{}, fmt.Errorf("line %d: domain must be {variable: level}", n.Line)
		}
		return Domain{Var: k.Value, Level: v.Value}, nil
	}
	return Domain{}, fmt.Errorf("line %d: domain names one variable, got %d", n.Line, len(n.Content)/2)
}
