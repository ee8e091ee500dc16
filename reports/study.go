package reports

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/trustgap/trustgap/analysis"
	"github.com/trustgap/trustgap/charts"
	"github.com/trustgap/trustgap/internal/pool"
	"github.com/trustgap/trustgap/survey"
)

// StudyOptions configure BuildStudyReport.
type StudyOptions struct {
	// Report and Study are the codebook's report: and study: blocks:
	// title, subtitle, region label and effects to show; fieldwork,
	// population, sample and weighting for Methodology.
	Report survey.ReportDef
	Study  survey.StudyDef
	// Version is the tool's version and RunDate the time of the run,
	// both stated in Methodology when set.
	Version string
	RunDate time.Time
	// Targets is the calibration the design was raked with (the
	// codebook's weighting: block or a targets file), stated in
	// Methodology; nil when the weights are used as supplied.
	Targets *survey.WeightingDef
	// Analysis carries the confidence level, interval method, lonely-PSU
	// rule and design; its MinBase is ignored (see MinBase).
	Analysis analysis.Options
	// MinBase is the unweighted base below which an estimate is
	// suppressed (shown as "–"); estimates below twice MinBase are
	// flagged "*". 0 means 30.
	MinBase int
	// Files names the data and codebook files read, for Methodology.
	Files []string
	// Privacy, when non-nil, releases differentially private toplines
	// instead of exact ones (see analysis.Privacy): only the shares of the
	// paradox, segments and comfort sections, without intervals, tests,
	// correlations, crosstabs or reliability, which would spend budget or
	// leak exact figures.
	Privacy *analysis.Privacy
	// DeclaredLevels gives, by column name, the region and segment
	// levels fixed before fieldwork (see DeclaredLevels). A private
	// report releases exactly these for each breakdown, declared levels
	// nobody has included, pools the rest into "Other", and leaves out a
	// breakdown whose column has none. Unused without Privacy.
	DeclaredLevels map[string][]string
	// Workers is the number of sections built at once: 0 means one on a
	// study under 50,000 respondents and one per core from there, 1
	// builds them in order. A private release is always built in order
	// (its noise must be drawn in one order).
	Workers int
	// BeforeSection, when non-nil, is called with a section's name
	// ("paradox", "trust", "segments", "regions", "comfort", "crosstabs",
	// "reliability") as it starts to be built, possibly from several
	// goroutines at once: for progress display, and for tests that
	// inject a failure into one section.
	BeforeSection func(section string)
}

// StudyReport is a built report plus its charts, which the caller saves as
// files (PNG and SVG are already in Report's images; PDF is rendered on
// demand).
type StudyReport struct {
	Report *Report
	Charts []NamedChart
	// NotMeasured lists the sections the study cannot have and why, for
	// the caller to tell the user (the report itself says so too).
	NotMeasured []KeyValue
	// LeftOut lists the breakdowns a private report leaves out because
	// the codebook declares no levels for them, and why, for the caller
	// to tell the user (Methodology says so too).
	LeftOut []KeyValue
}

// NamedChart is a chart and the file stem it is saved under, with the
// PNG and SVG files the report embeds (charts.Save at the default size),
// so that they need not be drawn again.
type NamedChart struct {
	Name     string
	Chart    *charts.Chart
	PNG, SVG []byte
}

// BuildStudyReport runs every analysis on the study and assembles the
// deliverable: headline findings, the paradox, trust and comfort, Westin
// segments, regions, comfort by data type, the banner crosstab,
// reliability and the methodology. Analyses the codebook does not support
// (no trust construct, no westin items…) are left out with a note in the
// methodology rather than failing the report; a study with neither the
// paradox nor describe figures is an error.
//
// The report holds aggregates only: no respondent-level row or id.
func BuildStudyReport(ctx context.Context, ds *survey.Dataset, opts StudyOptions) (*StudyReport, error) {
	if opts.Privacy != nil && opts.Analysis.Design != nil {
		if _, ok := opts.Analysis.Design.Calibrated(); ok {
			// Raking fits the weights to the respondents' own margins
			// without noise: the mechanism's guarantee would not cover it.
			return nil, ErrPrivateCalibrated
		}
	}
	var empty, leftOut []KeyValue
	if opts.Privacy != nil {
		// Which levels, and which breakdowns, a private report shows must
		// not depend on the data: the codebook's levels, empty or not.
		ds, leftOut = privateDomains(ds, opts.DeclaredLevels)
	} else {
		ds, empty = withoutEmptyDomains(ds)
	}
	b := &builder{ds: ds, opts: opts, minBase: opts.MinBase, leftOut: leftOut}
	b.missing = append(b.missing, empty...)
	if b.minBase <= 0 {
		b.minBase = analysis.DefaultMinBase
	}
	b.aopts = opts.Analysis
	b.aopts.MinBase = b.minBase
	b.aopts.Context = ctx // every estimation pass polls it
	if opts.Privacy != nil {
		// Exact level sizes must not choose which cell a private table
		// hides: it works from the released (noisy) counts alone.
		b.sup = &suppressor{minBase: b.minBase, size: map[string]map[string]int{}}
	} else {
		b.sup = newSuppressor(ds, b.minBase)
	}
	b.aopts.Privacy = opts.Privacy
	if b.aopts.Level == 0 {
		b.aopts.Level = 0.95
	}
	if b.aopts.Design == nil {
		d, err := analysis.StudyDesignContext(ctx, ds, b.aopts.Lonely)
		if err != nil {
			return nil, err
		}
		b.aopts.Design = d
	}
	title := opts.Report.Title
	if title == "" {
		title = ds.Title
	}
	if title == "" {
		title = "Privacy survey report"
	}
	sub := opts.Report.Subtitle
	if sub == "" {
		sub = subtitleOf(ds)
	}
	b.rep = &Report{Title: title, Subtitle: sub, ConfLevel: b.aopts.Level, Files: opts.Files, Date: opts.RunDate, NoiseIntervals: opts.Privacy != nil, Paper: Paper(opts.Report.Paper)}
	steps := []step{{name: "paradox", build: (*builder).paradox}, {name: "trust", build: (*builder).trust},
		{name: "effects", build: (*builder).effects},
		{name: "segments", build: (*builder).segments},
		{name: "regions", build: (*builder).regions, afterBanner: true},
		{name: "comfort", build: (*builder).comfort, afterBanner: true},
		{name: "crosstabs", build: (*builder).crosstabs, banner: true},
		{name: "reliability", build: (*builder).reliability}}
	if err := b.run(ctx, steps); err != nil {
		return nil, err
	}
	// A section whose analysis was cut short may have been the last one
	// running: the report is not whole.
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	if len(b.rep.Sections) == 0 {
		return nil, errors.New("report: the codebook defines none of the constructs the report analyses (concern with protection or sharing, trust and comfort, westin)")
	}
	b.rep.NotMeasured = b.missing
	b.methodology()
	return &StudyReport{Report: b.rep, Charts: b.charts, NotMeasured: b.missing, LeftOut: b.leftOut}, nil
}

// withoutEmptyDomains returns ds without the region or segments that no
// respondent has a value of (a shallow copy when there are any), and for
// each such variable what the report leaves out and why: a report skips
// their breakdowns where an analysis command would refuse them.
func withoutEmptyDomains(ds *survey.Dataset) (*survey.Dataset, []KeyValue) {
	empty := func(c *survey.Column) bool {
		for _, code := range c.Codes {
			if code >= 0 {
				return false
			}
		}
		return true
	}
	var out []KeyValue
	cp := *ds
	if ds.Region != nil && empty(ds.Region) {
		cp.Region = nil
		out = append(out, KeyValue{Key: "Breakdown by region", Value: fmt.Sprintf("the region column %q is empty for every respondent", ds.Region.Name)})
	}
	cp.Segments = nil
	for _, c := range ds.Segments {
		if empty(c) {
			out = append(out, KeyValue{Key: "Breakdown by " + c.Name, Value: fmt.Sprintf("the segment column %q is empty for every respondent", c.Name)})
			continue
		}
		cp.Segments = append(cp.Segments, c)
	}
	if out == nil {
		return ds, nil
	}
	return &cp, out
}

// subtitleOf says what the report covers, from what the codebook
// measures: it promises nothing the study lacks.
func subtitleOf(ds *survey.Dataset) string {
	var parts []string
	if ds.Construct("concern") != nil && (ds.Construct("protection") != nil || ds.Construct("sharing") != nil) {
		parts = append(parts, "the privacy paradox")
	}
	if ds.Construct("trust") != nil && ds.Construct("comfort") != nil {
		parts = append(parts, "trust and comfort with personalization")
	} else if ds.Construct("comfort") != nil {
		parts = append(parts, "comfort with personalization")
	}
	if ds.Construct("westin") != nil {
		parts = append(parts, "Westin privacy segments")
	}
	switch len(parts) {
	case 0:
		return "Survey results"
	case 1:
		return titleCase(parts[0])
	}
	return titleCase(strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1])
}

// parallelSections is the number of respondents from which the report's
// sections are built concurrently when StudyOptions.Workers is 0.
const parallelSections = 50_000

// step builds one section of the report.
type step struct {
	name  string // for StudyOptions.BeforeSection
	build func(*builder) error
	// banner marks the section whose banner reads every construct flag
	// (into Options.Cache); afterBanner the sections built after it, so
	// that they find those sums (and read the same ones, large study or
	// small).
	banner, afterBanner bool
}

// order returns the order in which the steps are built: the banner's
// first, the sections that read its sums last, the others as listed.
func order(steps []step) []int {
	var first, mid, last []int
	for k, s := range steps {
		switch {
		case s.banner:
			first = append(first, k)
		case s.afterBanner:
			last = append(last, k)
		default:
			mid = append(mid, k)
		}
	}
	return append(append(first, mid...), last...)
}

// run builds the sections, each into a builder of its own, in the order
// of order, and puts them together as listed. On a large study, and
// unless the release is private (whose noise must be drawn in one order),
// the sections are built concurrently, as many at a time as there are
// cores: the analyses of one section leave cores idle (a logistic fit, a
// chart, the end of a pass), which another section's fill. A section
// marked afterBanner starts once the banner's is built.
func (b *builder) run(ctx context.Context, steps []step) error {
	// The banner reads every construct flag for the total, the region and
	// the segments; the sections built after it take their shares from
	// those sums instead of reading the flags again. The others read
	// their own, whichever section finishes first, so that every report
	// of a study is the same to the last digit.
	// One cache for the report: the cross cells and degrees of freedom
	// of its domain variables are built once.
	shared := b.aopts.Cache
	if shared == nil {
		shared = analysis.NewCache()
	}
	kids := make([]*builder, len(steps))
	for k, s := range steps {
		kids[k] = &builder{ds: b.ds, opts: b.opts, aopts: b.aopts, minBase: b.minBase, sup: b.sup, rep: &Report{}}
		kids[k].aopts.Cache = shared.WithoutSums()
		if s.banner || s.afterBanner {
			kids[k].aopts.Cache = shared
		}
	}
	workers := b.opts.Workers
	if workers <= 0 {
		workers = 1
		if b.ds.N >= parallelSections {
			workers = pool.Workers()
		}
	}
	if b.opts.Privacy != nil {
		workers = 1
	}
	// The banner's step is built first (order), so a step marked
	// afterBanner only waits for it once every other step has started:
	// no worker idles while another step could run.
	bannerDone := make(chan struct{})
	hasBanner := false
	for _, s := range steps {
		hasBanner = hasBanner || s.banner
	}
	if !hasBanner {
		close(bannerDone)
	}
	build := order(steps)
	err := pool.ForEach(ctx, len(build), workers, func(ctx context.Context, i int) error {
		k := build[i]
		s := steps[k]
		if s.banner {
			defer close(bannerDone) // also when the step fails or panics
		}
		if s.afterBanner {
			select {
			case <-bannerDone:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if b.opts.BeforeSection != nil {
			b.opts.BeforeSection(s.name)
		}
		return s.build(kids[k])
	})
	if err != nil {
		return err
	}
	for _, kid := range kids {
		b.rep.Sections = append(b.rep.Sections, kid.rep.Sections...)
		b.charts = append(b.charts, kid.charts...)
		b.missing = append(b.missing, kid.missing...)
		b.effectRes = append(b.effectRes, kid.effectRes...)
		if kid.compareRes != nil {
			b.compareRes = kid.compareRes
		}
		if kid.paradoxRes != nil {
			b.paradoxRes = kid.paradoxRes
		}
		if kid.trustRes != nil {
			b.trustRes = kid.trustRes
		}
	}
	return nil
}

type builder struct {
	ds      *survey.Dataset
	opts    StudyOptions
	aopts   analysis.Options
	minBase int
	sup     *suppressor
	rep     *Report
	charts  []NamedChart
	// results kept for findings and the regions section
	paradoxRes *analysis.ParadoxResult
	trustRes   *analysis.EffectResult
	effectRes  []namedEffect
	compareRes *analysis.CompareResult
	// missing are the sections the study cannot have, each with why
	// ("Trust & comfort": "the codebook has no trust construct").
	missing []KeyValue
	// leftOut are the breakdowns a private report leaves out (see
	// privateDomains).
	leftOut []KeyValue
}

// notMeasured records a section the study cannot have, for the contents,
// Methodology and the console.
func (b *builder) notMeasured(section, why string) {
	b.missing = append(b.missing, KeyValue{Key: section, Value: why})
}

// skip records a section left out because the codebook lacks what it
// needs (a typed analysis.ErrMissingConstruct); any other error stops the
// report.
func (b *builder) skip(section string, err error) error {
	if errors.Is(err, analysis.ErrMissingConstruct) {
		b.notMeasured(section, "the codebook lacks a construct it needs")
		return nil
	}
	return err
}

// cell shows an estimate with its interval, suppressed below the minimum
// base and starred below twice that.
func (b *builder) cell(est, lo, hi float64, n int) Cell {
	c := NumCI(est, lo, hi)
	switch {
	case n < b.minBase:
		c = c.WithSuppressed()
	case n < 2*b.minBase:
		c = c.WithLowBase()
	}
	return c
}

func (b *builder) rowCell(r analysis.Row) Cell {
	c := b.cell(float64(r.Estimate), float64(r.CILow), float64(r.CIHigh), r.N)
	if r.Unreliable && !c.Suppressed {
		c = c.WithMark(unreliableMark)
	}
	return c
}

// unreliableMark flags a private share whose noise is large against it.
const unreliableMark = "†"

func (b *builder) newTable(title string, cols ...Col) *Table {
	t := NewTable(title, cols...)
	t.MinBase = b.minBase
	t.LowBase = 2 * b.minBase
	if b.opts.Privacy != nil {
		// Every table of a private report holds private releases only.
		t.Notes = append(t.Notes, privateTableNote())
	}
	return t
}

// statCol is one statistic shown as a column of a wide table: a share
// (or, with points, a difference of shares in percentage points) and,
// when base is set, a column of its own unweighted base headed base.
type statCol struct {
	stat, header string
	points       bool
	base         string
}

// wideTable lays rows out with one line per domain (Total first) and one
// column per statistic, each followed by its base when it has one: every
// figure sits beside the base it is computed on.
func (b *builder) wideTable(title string, rows []analysis.Row, stats []statCol) *Table {
	cols := []Col{TextCol("Group"), TextCol(b.groupLevelHeader())}
	for _, s := range stats {
		if s.points {
			cols = append(cols, PointsCol(s.header).WithCI())
		} else {
			cols = append(cols, PercentCol(s.header).WithCI())
		}
		if s.base != "" {
			cols = append(cols, b.baseCols(s.base)...)
		}
	}
	t := b.newTable(title, cols...)
	for _, s := range stats {
		if s.base != "" {
			b.basesNote(t)
			break
		}
	}
	// A domain hidden for one statistic is hidden for all: the row's
	// figures can be derived from one another (rate = share / concerned,
	// effect = trusting − not trusting).
	hidden := b.sup.hideAll(rows)
	type key struct{ v, l string }
	var order []analysis.Domain
	byDom := map[key]map[string]analysis.Row{}
	for _, r := range rows {
		k := key{r.Domain.Var, r.Domain.Level}
		if byDom[k] == nil {
			byDom[k] = map[string]analysis.Row{}
			order = append(order, r.Domain)
		}
		byDom[k][r.Statistic] = r
	}
	for _, d := range order {
		m := byDom[key{d.Var, d.Level}]
		group, level := b.domainLabels(d)
		cells := []Cell{Str(group), Str(level)}
		for _, s := range stats {
			r, ok := m[s.stat]
			switch {
			case !ok:
				cells = append(cells, Num(math.NaN()).WithSuppressed())
			case hidden[d]:
				cells = append(cells, b.rowCell(r).WithSuppressed())
			default:
				cells = append(cells, b.rowCell(r))
			}
			if s.base != "" {
				cells = append(cells, b.baseCells(r)...)
			}
		}
		t.AddRow(cells...)
	}
	return t
}

// baseCols are the columns of a figure's bases: the unweighted base
// headed header, then the weighted and the effective base (not in a
// private report, whose exact weighted sums would escape the noise).
func (b *builder) baseCols(header string) []Col {
	if b.opts.Privacy != nil {
		return []Col{IntegerCol(header)}
	}
	return []Col{IntegerCol(header), IntegerCol("Weighted base"), IntegerCol("Effective base")}
}

// baseCells are the cells of baseCols for the estimate r: its unweighted
// base, its weighted base rounded to a whole number, and its effective
// base n/deff (– where the design effect is undefined).
func (b *builder) baseCells(r analysis.Row) []Cell {
	n := Num(float64(r.N))
	if b.opts.Privacy != nil {
		return []Cell{n}
	}
	eff := Num(math.NaN()).WithSuppressed()
	if r.EffectiveN != nil && !math.IsNaN(float64(*r.EffectiveN)) && !math.IsInf(float64(*r.EffectiveN), 0) {
		eff = Num(roundBase(float64(*r.EffectiveN)))
	}
	return []Cell{n, Num(roundBase(float64(r.WeightedN))), eff}
}

// basesNote says what a table's three bases are.
func (b *builder) basesNote(t *Table) {
	if b.opts.Privacy != nil {
		return
	}
	t.Notes = append(t.Notes, "Bases: unweighted respondents (n); weighted base, the sum of their weights; effective base, n divided by the figure's design effect (svymean's deff): the size of a simple random sample as precise as the figure (above n where the design, by its strata, makes the figure more precise than such a sample).")
}

// sameBase is the weighted base of statistic stat's row of domain d, the
// same respondents (n of them) as another figure's; – if its base is not
// the same.
func sameBase(rows []analysis.Row, stat string, d analysis.Domain, n int) Cell {
	if r, ok := find(rows, stat, d); ok && r.N == n {
		return Num(roundBase(float64(r.WeightedN)))
	}
	return Num(math.NaN()).WithSuppressed()
}

// pairBase is the weighted base of two groups together (statistics s1
// and s2 in domain d), whose unweighted bases add up to n; – if they do
// not.
func pairBase(rows []analysis.Row, s1, s2 string, d analysis.Domain, n int) Cell {
	r1, ok1 := find(rows, s1, d)
	r2, ok2 := find(rows, s2, d)
	if ok1 && ok2 && r1.N+r2.N == n {
		return Num(roundBase(float64(r1.WeightedN) + float64(r2.WeightedN)))
	}
	return Num(math.NaN()).WithSuppressed()
}

// groupLevelHeader heads the column of domain levels.
func (b *builder) groupLevelHeader() string { return "Level" }

func (b *builder) domainLabels(d analysis.Domain) (string, string) {
	if d.IsTotal() {
		return "Total", ""
	}
	return b.varLabel(d.Var), d.Level
}

func titleCase(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// find returns the row of statistic stat in domain d.
func find(rows []analysis.Row, stat string, d analysis.Domain) (analysis.Row, bool) {
	for _, r := range rows {
		if r.Statistic == stat && r.Domain == d {
			return r, true
		}
	}
	return analysis.Row{}, false
}

// regionRows returns the rows of stat for every region, then the total.
func regionRows(rows []analysis.Row, stat string) (regions []analysis.Row, total analysis.Row) {
	for _, r := range rows {
		if r.Statistic != stat {
			continue
		}
		switch {
		case r.Domain.IsTotal():
			total = r
		case r.Domain.Var == "region":
			regions = append(regions, r)
		}
	}
	return regions, total
}

func interval(r analysis.Row) charts.Interval {
	return charts.Interval{Est: float64(r.Estimate), Lo: float64(r.CILow), Hi: float64(r.CIHigh)}
}

// addChart renders c as PNG and SVG into the section and keeps it for the
// caller's files.
func (b *builder) addChart(sec *Section, name, alt string, c *charts.Chart) error {
	var png, svg bytes.Buffer
	// Drawing a chart takes tens of milliseconds: the context is polled
	// before each rendering, as the analyses poll it between passes.
	if err := b.stopped(); err != nil {
		return err
	}
	if err := charts.Save(c, &png, charts.PNG, 0, 0); err != nil {
		return fmt.Errorf("report: chart %s: %w", name, err)
	}
	if err := b.stopped(); err != nil {
		return err
	}
	if err := charts.Save(c, &svg, charts.SVG, 0, 0); err != nil {
		return fmt.Errorf("report: chart %s: %w", name, err)
	}
	// No Title: the chart draws its own, and a caption would repeat it.
	sec.Images = append(sec.Images, Image{Name: name, AltText: alt, PNG: png.Bytes(), SVG: svg.Bytes()})
	b.charts = append(b.charts, NamedChart{Name: name, Chart: c, PNG: png.Bytes(), SVG: svg.Bytes()})
	return nil
}

// stopped is the report's context's error, wrapped, once it is cancelled.
func (b *builder) stopped() error {
	if ctx := b.aopts.Context; ctx != nil && ctx.Err() != nil {
		return fmt.Errorf("report stopped: %w", ctx.Err())
	}
	return nil
}

// chartTitled is chartOptions with the chart's title.
func (b *builder) chartTitled(title string) charts.Options {
	o := b.chartOptions()
	o.Title = title
	return o
}

func (b *builder) chartOptions() charts.Options {
	return charts.Options{MinBase: 2 * b.minBase, Level: b.aopts.Level, NoiseIntervals: b.opts.Privacy != nil}
}

func (b *builder) paradox() error {
	opts := b.aopts
	opts.ItemsTotalOnly = true // the item table shows the total sample
	concern := b.ds.Construct("concern")
	behaviour := b.ds.Construct("protection")
	if behaviour == nil {
		behaviour = b.ds.Construct("sharing")
	}
	switch {
	case concern == nil || concern.Def.Flag == "":
		b.notMeasured("Paradox", "the codebook has no flagged concern construct")
		return nil
	case behaviour == nil || behaviour.Def.Flag == "":
		b.notMeasured("Paradox", "the codebook has no flagged protection or sharing construct")
		return nil
	}
	res, err := analysis.Paradox(b.ds, opts)
	if err != nil {
		return b.skip("Paradox", err)
	}
	b.paradoxRes = res
	protects := constructLabel(behaviour) + ", " + flagWords(behaviour)
	if res.Behaviour == "sharing" {
		protects = "not " + lowerFirst(constructLabel(behaviour)) + " (" + flagWords(behaviour) + ")"
	}
	sec := Section{Name: "Paradox", Intro: fmt.Sprintf(
		"Concerned: %s, %s. Protects: %s. Gap: concerned minus protects, in percentage points (positive when more people say they care than act on it). Paradox rate: the share of the concerned who do not protect their data (base: the concerned). Paradox share: the share of everyone who is concerned and does not protect.",
		constructLabel(concern), flagWords(concern), protects)}
	sec.Tables = append(sec.Tables,
		b.wideTable("Concern and protective behaviour", res.Estimates, []statCol{
			{stat: "concerned", header: "Concerned", base: "Base: answered concern (n)"},
			{stat: "protects", header: "Protects", base: "Base: answered behaviour (n)"},
		}),
		b.wideTable("The say-do gap", res.Estimates, []statCol{
			{stat: "gap", header: "Gap (points)", points: true},
			{stat: "paradox_share", header: "Paradox share", base: "Base: answered both (n)"},
		}),
		b.wideTable("Paradox rate: share of the concerned who do not protect their data", res.Estimates, []statCol{
			{stat: "paradox_rate", header: "Paradox rate", base: "Base: concerned (n)"},
		}))
	if b.opts.Privacy == nil {
		if c := res.Correlation; c != nil {
			cols := []Col{TextCol("Group"), TextCol("Level"), DecimalCol("Correlation", 3), IntegerCol("Base (n)")}
			if b.opts.Privacy == nil {
				cols = append(cols, IntegerCol("Weighted base"))
			}
			t := b.newTable("Does concern go with action? Design-based correlation", cols...)
			t.Notes = append(t.Notes, fmt.Sprintf("Pearson correlation of the %s score and the %s score, design-based (cov2cor(svyvar(~x + y, design))), over respondents with both scores.",
				lowerFirst(b.scoreLabel(c.X)), lowerFirst(b.scoreLabel(c.Y))))
			for _, d := range c.Domains {
				g, l := b.domainLabels(d.Domain)
				cell := Num(float64(d.Estimate))
				if d.N < b.minBase {
					cell = cell.WithSuppressed()
				}
				cells := []Cell{Str(g), Str(l), cell, Num(float64(d.N))}
				if b.opts.Privacy == nil {
					cells = append(cells, sameBase(res.Estimates, "paradox_share", d.Domain, d.N))
				}
				t.AddRow(cells...)
			}
			t.Notes = append(t.Notes, "Base: respondents with both scores, the say-do gap's; weighted base, the sum of their weights. A correlation has no design effect, so no effective base is given: the gap's shows the design's loss of precision on the same respondents.")
			sec.Tables = append(sec.Tables, t)
		}
		if len(res.Items) > 0 {
			t, err := b.itemTable(res, concern)
			if err != nil {
				return err
			}
			sec.Tables = append(sec.Tables, t)
		}
		if len(res.Tests) > 0 {
			sec.Tables = append(sec.Tables, b.testsTable(res.Tests))
		}
	}
	// Charts: the dumbbell by region, and the heat map region × segment.
	cons, ctot := regionRows(res.Estimates, "concerned")
	prot, ptot := regionRows(res.Estimates, "protects")
	hidden := b.sup.hideAll(res.Estimates)
	if len(cons) > 0 && len(cons) == len(prot) {
		var rows []charts.GapRow
		for i := range cons {
			if hidden[cons[i].Domain] || hidden[prot[i].Domain] {
				continue // suppressed in the tables: no dot, no label
			}
			rows = append(rows, charts.GapRow{Region: cons[i].Domain.Level, Concern: interval(cons[i]), Protects: interval(prot[i]), LowBase: cons[i].N < 2*b.minBase})
		}
		if !hidden[analysis.Domain{}] {
			rows = append(rows, charts.GapRow{Region: "Total", Concern: interval(ctot), Protects: interval(ptot), Total: true})
		}
		if len(rows) > 0 { // every row may be suppressed
			c, err := charts.SayDoGap(rows, b.chartTitled("The say-do gap: privacy concern and protective behaviour by "+lowerFirst(b.regionLabel())))
			if err != nil {
				return fmt.Errorf("report: %w", err)
			}
			alt := "Share concerned about privacy and share acting protectively, by region, with confidence intervals"
			if b.opts.Privacy != nil {
				alt = "Share concerned about privacy and share acting protectively, by region, with 95% noise intervals"
			}
			if err := b.addChart(&sec, "say-do-gap", alt, c); err != nil {
				return err
			}
		}
	}
	if b.opts.Privacy == nil && b.ds.Region != nil && len(b.ds.Segments) > 0 {
		seg := b.ds.Segments[0]
		g, err := analysis.ParadoxRateGrid(b.ds, "region", seg.Name, b.aopts)
		if err != nil {
			return err
		}
		h := charts.Heatmap{Rows: g.RowLevels, Cols: g.ColLevels, RowTitle: b.regionLabel(), ColTitle: humanize(seg.Name)}
		ns := make([][]int, len(g.Cells))
		for i, row := range g.Cells {
			for _, e := range row {
				ns[i] = append(ns[i], e.N)
			}
		}
		hideCell := b.sup.hideGrid(ns)
		for i, row := range g.Cells {
			var cells []charts.HeatCell
			for j, e := range row {
				v := e.Estimate
				if hideCell[i][j] {
					v = math.NaN() // suppressed, with a second cell of its row and column
				}
				cells = append(cells, charts.HeatCell{Value: v, N: e.N, LowBase: e.N < 2*b.minBase})
			}
			h.Cells = append(h.Cells, cells)
		}
		c, err := charts.ParadoxHeatmap(h, b.chartTitled("The privacy paradox by "+lowerFirst(b.regionLabel())+" and "+lowerFirst(humanize(seg.Name))))
		if err != nil {
			return fmt.Errorf("report: %w", err)
		}
		if err := b.addChart(&sec, "paradox-rate-heatmap", "Paradox rate by "+lowerFirst(b.regionLabel())+" and "+lowerFirst(humanize(seg.Name)), c); err != nil {
			return err
		}
	}
	b.rep.Sections = append(b.rep.Sections, sec)
	return nil
}

func (b *builder) testsTable(tests []analysis.Test) *Table {
	t := b.newTable("Do groups differ? Rao-Scott tests", TextCol("Groups"), TextCol("Measure"), DecimalCol("F", 2), DecimalCol("ndf", 2), DecimalCol("ddf", 1), PValueCol("p"))
	for _, x := range tests {
		if len(x.Variables) != 2 {
			continue
		}
		cells := []Cell{Num(float64(x.F)), Num(float64(x.NDF)), Num(float64(x.DDF)), Num(float64(x.P))}
		if math.IsNaN(float64(x.P)) {
			cells[3] = cells[3].WithSuppressed()
		}
		if b.sup.hasSmallLevel(x.Variables) {
			// The test sets a suppressed level against the others.
			for i := range cells {
				cells[i] = cells[i].WithSuppressed()
			}
		}
		t.AddRow(append([]Cell{Str(b.varLabel(x.Variables[0])), Str(b.statLabel(x.Variables[1]))}, cells...)...)
	}
	t.Notes = append(t.Notes, fmt.Sprintf("Rao-Scott second-order corrected F test of independence (R: svychisq(~group + measure, design)); p below %s means the groups differ at the %g%% level.", strconv.FormatFloat(1-b.aopts.Level, 'f', -1, 32), 100*b.aopts.Level))
	return t
}

// scoreLabel names a construct's score ("concern_score" or "concern").
func (b *builder) scoreLabel(name string) string {
	if c := b.ds.Construct(strings.TrimSuffix(name, "_score")); c != nil {
		return constructLabel(c)
	}
	return humanize(strings.TrimSuffix(name, "_score"))
}

// statLabel names a statistic of the analyses for readers: a construct's
// flag by its label, the paradox statistics in words.
func (b *builder) statLabel(stat string) string {
	switch stat {
	case "concerned":
		return "Concerned"
	case "protects":
		return "Protects"
	case "gap":
		return "Say-do gap"
	case "paradox_rate":
		return "Paradox rate (among the concerned)"
	case "paradox_share":
		return "Paradox share"
	}
	if c := b.ds.Construct(stat); c != nil {
		return constructLabel(c)
	}
	return humanize(stat)
}

func (b *builder) trust() error {
	if b.opts.Privacy != nil {
		return nil // odds ratios and differences are not part of the private release
	}
	if b.ds.Construct("trust") == nil || b.ds.Construct("comfort") == nil {
		what := "trust"
		if b.ds.Construct("trust") != nil {
			what = "comfort with personalization"
		}
		b.notMeasured("Trust & comfort", "the codebook has no "+what+" construct")
		return nil
	}
	res, err := analysis.Trust(b.ds, b.aopts)
	if err != nil {
		return b.skip("Trust & comfort", err)
	}
	b.trustRes = res
	return b.effectSection(res, effectWords{
		section: "Trust & comfort", with: "Trusting", without: "Not trusting",
		stats: [2]string{"comfort_trusting", "comfort_nontrusting"}, chart: "trust-effect",
		intro: "Comfort with personalization among respondents who trust companies with their data and among those who do not; the effect is the difference in percentage points, with the odds ratio from a design-based logistic regression.",
	})
}

// effectWords names an effect's section, groups and statistics.
type effectWords struct {
	section, intro, with, without, chart string
	stats                                [2]string
}

// effects builds a section for each effect the codebook's report: block
// asks for.
func (b *builder) effects() error {
	if b.opts.Privacy != nil {
		return nil
	}
	for _, e := range b.opts.Report.Effects {
		f, o := b.ds.Construct(e.Factor), b.ds.Construct(e.Outcome)
		if f == nil || o == nil {
			b.notMeasured(e.Factor+" → "+e.Outcome, "the codebook has no such construct")
			continue
		}
		res, err := analysis.Effect(b.ds, e.Factor, e.Outcome, b.aopts)
		if err != nil {
			if err2 := b.skip(constructLabel(o)+" by "+strings.ToLower(constructLabel(f)), err); err2 != nil {
				return err2
			}
			continue
		}
		fl, ol := constructLabel(f), constructLabel(o)
		w := effectWords{
			section: ol + " by " + lowerFirst(fl),
			with:    fl + ": " + flagWords(f), without: fl + ": not",
			stats: [2]string{"with_factor", "without_factor"}, chart: "effect-" + slug(e.Factor+"-"+e.Outcome),
			intro: fmt.Sprintf("%s (%s) among respondents flagged on %s (%s) and among the others; the effect is the difference in percentage points, with the odds ratio from a design-based logistic regression.",
				ol, flagWords(o), lowerFirst(fl), flagWords(f)),
		}
		b.effectRes = append(b.effectRes, namedEffect{res, w, f, o})
		if err := b.effectSection(res, w); err != nil {
			return err
		}
	}
	return nil
}

type namedEffect struct {
	res             *analysis.EffectResult
	words           effectWords
	factor, outcome *survey.Construct
}

func lowerFirst(s string) string {
	if len(s) > 1 && strings.ToUpper(s[:2]) == s[:2] { // an acronym: keep it
		return s
	}
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

func (b *builder) effectSection(res *analysis.EffectResult, w effectWords) error {
	sec := Section{Name: w.section, Intro: w.intro}
	outcome := constructLabel(b.ds.Construct(res.Outcome))
	et := b.wideTable(outcome+" by "+lowerFirst(constructLabel(b.ds.Construct(res.Factor))), res.Estimates, []statCol{
		{stat: w.stats[0], header: w.with, base: "Base (n)"},
		{stat: w.stats[1], header: w.without, base: "Base (n)"},
		{stat: "effect", header: "Effect (points)", points: true},
	})
	et.Notes = append(et.Notes, fmt.Sprintf("Effect: the first share minus the second, in percentage points, with its %g%% interval (design-based t test of the difference, svycontrast of svyby means): an interval that leaves out 0 is a significant difference at that level, each row tested separately.", 100*b.aopts.Level))
	sec.Tables = append(sec.Tables, et)
	orCols := []Col{TextCol("Group"), TextCol("Level"), DecimalCol("Odds ratio", 2).WithCI(), IntegerCol("Base (n)")}
	if b.opts.Privacy == nil {
		orCols = append(orCols, IntegerCol("Weighted base"))
	}
	t := b.newTable("Odds ratio of "+lowerFirst(outcome)+" ("+w.with+" against "+w.without+")", orCols...)
	for _, o := range res.OddsRatios {
		g, l := b.domainLabels(o.Domain)
		c := NumCI(float64(o.Estimate), float64(o.CILow), float64(o.CIHigh))
		switch {
		case o.N < b.minBase || math.IsNaN(float64(o.Estimate)):
			c = c.WithSuppressed()
		case o.N < 2*b.minBase:
			c = c.WithLowBase()
		}
		cells := []Cell{Str(g), Str(l), c, Num(float64(o.N))}
		if b.opts.Privacy == nil {
			cells = append(cells, pairBase(res.Estimates, w.stats[0], w.stats[1], o.Domain, o.N))
		}
		t.AddRow(cells...)
	}
	if a := res.Adjusted; a != nil && !math.IsNaN(float64(a.OddsRatio)) {
		var covs []string
		for _, c := range a.Covariates {
			covs = append(covs, lowerFirst(b.varLabel(c)))
		}
		// An undefined interval (a fit with no degrees of freedom left)
		// is said in words, never printed as NaN.
		ci := fmt.Sprintf("[%.2f–%.2f]", float64(a.CILow), float64(a.CIHigh))
		if lo, hi := float64(a.CILow), float64(a.CIHigh); math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
			ci = "(no interval: the adjusted model leaves too few degrees of freedom for one)"
		}
		t.Notes = append(t.Notes, fmt.Sprintf("Adjusted for %s: odds ratio %.2f %s (n = %s).", strings.Join(covs, ", "), float64(a.OddsRatio), ci, grouped(float64(a.N))))
	}
	t.Notes = append(t.Notes, "The odds ratio's base is the two groups together (weighted base: the sum of their weights); each group's share sits beside its own three bases in the table above. An odds ratio has no design effect, so no effective base is given; the groups' show the design's loss of precision.")
	sec.Tables = append(sec.Tables, t)
	tr, ttot := regionRows(res.Estimates, w.stats[0])
	nt, ntot := regionRows(res.Estimates, w.stats[1])
	hidden := b.sup.hideAll(res.Estimates)
	if len(tr) > 0 && len(tr) == len(nt) {
		var rows []charts.EffectRow
		for i := range tr {
			if hidden[tr[i].Domain] {
				continue // suppressed in the table: no bars, no label
			}
			rows = append(rows, charts.EffectRow{Region: tr[i].Domain.Level, Trusting: interval(tr[i]), NonTrusting: interval(nt[i]), LowBase: tr[i].N < 2*b.minBase || nt[i].N < 2*b.minBase})
		}
		if !hidden[analysis.Domain{}] {
			rows = append(rows, charts.EffectRow{Region: "Total", Trusting: interval(ttot), NonTrusting: interval(ntot), Total: true})
		}
		if len(rows) == 0 {
			b.rep.Sections = append(b.rep.Sections, sec)
			return nil
		}
		o := b.chartOptions()
		o.Title = outcome + " by " + lowerFirst(constructLabel(b.ds.Construct(res.Factor))) + " and " + lowerFirst(b.regionLabel())
		o.Series = []string{w.with, w.without}
		c, err := charts.TrustEffect(rows, o)
		if err != nil {
			return fmt.Errorf("report: %w", err)
		}
		if err := b.addChart(&sec, w.chart, "Share "+lowerFirst(outcome)+" by "+lowerFirst(constructLabel(b.ds.Construct(res.Factor)))+" and "+lowerFirst(b.regionLabel()), c); err != nil {
			return err
		}
	}
	b.rep.Sections = append(b.rep.Sections, sec)
	return nil
}

// segmentTests says whether the Westin segments differ by region and by
// each segment variable: the Rao-Scott test of group × segment
// (svychisq(~group + westin, design)).
func (b *builder) segmentTests() string {
	seg, err := analysis.WestinSegment(b.ds.Construct("westin"))
	if err != nil || len(seg.Levels) < 2 {
		return "The segments' differences between groups are not tested: the segments could not be derived."
	}
	var groups []*survey.Column
	if b.ds.Region != nil {
		groups = append(groups, b.ds.Region)
	}
	groups = append(groups, b.ds.Segments...)
	var differs, not []string
	for _, g := range groups {
		r, err := b.aopts.Design.ChiSqIn(g.Codes, seg.Codes, len(g.Levels), len(seg.Levels), nil)
		if err != nil || math.IsNaN(r.P) {
			continue
		}
		w := fmt.Sprintf("%s (p %s)", lowerFirst(b.varLabel(g.Name)), pEquals(r.P))
		if g == b.ds.Region {
			w = fmt.Sprintf("%s (p %s)", lowerFirst(b.regionLabel()), pEquals(r.P))
		}
		if r.P < 1-b.aopts.Level {
			differs = append(differs, w)
		} else {
			not = append(not, w)
		}
	}
	var parts []string
	if len(differs) > 0 {
		parts = append(parts, "differs by "+strings.Join(differs, ", "))
	}
	if len(not) > 0 {
		parts = append(parts, "no significant difference by "+strings.Join(not, ", "))
	}
	if len(parts) == 0 {
		return "The segments' differences between groups are not tested: no group has two levels with answers."
	}
	return fmt.Sprintf("Rao-Scott test of each group against the segment (svychisq(~group + segment, design), %g%% level): the mix of segments %s.", 100*b.aopts.Level, strings.Join(parts, "; "))
}

func (b *builder) segments() error {
	if w := b.ds.Construct("westin"); w == nil || len(w.Items) != 3 {
		b.notMeasured("Segments", "the codebook has no westin construct of Westin's three items")
		return nil
	}
	res, err := analysis.Segments(b.ds, b.aopts)
	if err != nil {
		return b.skip("Segments", err)
	}
	sec := Section{Name: "Segments", Intro: "Westin's privacy segmentation index: fundamentalists agree consumers have lost control and disagree that businesses and laws protect them; the unconcerned answer the opposite way; everyone else is a pragmatist."}
	stats := []statCol{{stat: "westin_fundamentalist", header: "Fundamentalists"}, {stat: "westin_pragmatist", header: "Pragmatists"}, {stat: "westin_unconcerned", header: "Unconcerned", base: "Base: answered all three (n)"}}
	st := b.wideTable("Westin privacy segments", res.Estimates, stats)
	if b.opts.Privacy == nil {
		st.Notes = append(st.Notes, b.segmentTests())
	}
	sec.Tables = append(sec.Tables, st)
	fund, ftot := regionRows(res.Estimates, "westin_fundamentalist")
	prag, ptot := regionRows(res.Estimates, "westin_pragmatist")
	unc, utot := regionRows(res.Estimates, "westin_unconcerned")
	if len(fund) > 0 && len(fund) == len(prag) && len(prag) == len(unc) {
		var rows []charts.StackRow
		shares := func(f, p, u analysis.Row) []float64 {
			// Normalised so private (noisy) releases still stack to 100%.
			s := float64(f.Estimate) + float64(p.Estimate) + float64(u.Estimate)
			return []float64{float64(f.Estimate) / s, float64(p.Estimate) / s, float64(u.Estimate) / s}
		}
		hidden := b.sup.hideAll(res.Estimates)
		for i := range fund {
			if hidden[fund[i].Domain] {
				continue
			}
			rows = append(rows, charts.StackRow{Label: fund[i].Domain.Level, Shares: shares(fund[i], prag[i], unc[i]), LowBase: fund[i].N < 2*b.minBase})
		}
		if !hidden[analysis.Domain{}] {
			rows = append(rows, charts.StackRow{Label: "Total", Shares: shares(ftot, ptot, utot), Total: true})
		}
		if len(rows) > 0 { // every row may be suppressed
			c, err := charts.WestinSegments(rows, b.chartTitled("Westin privacy segments by "+lowerFirst(b.regionLabel())))
			if err != nil {
				return fmt.Errorf("report: %w", err)
			}
			if err := b.addChart(&sec, "westin-segments", "Westin privacy segments by region, stacked to 100%", c); err != nil {
				return err
			}
		}
	}
	b.rep.Sections = append(b.rep.Sections, sec)
	return nil
}

// regions shows every flagged measure by region and segment as a banner:
// Total, each region and each segment level as lettered columns with
// their unweighted, weighted and effective bases; letters for columns of
// a group significantly higher than another, ▲/▼ for a column
// significantly higher/lower than Total, tested against the rest of the
// sample (analysis.RestTest, from the banner).
// A native chart draws the flags by region.
func (b *builder) regions() error {
	if b.opts.Privacy != nil {
		return nil
	}
	if b.ds.Region == nil && len(b.ds.Segments) == 0 {
		b.notMeasured("Regions & segments", "the codebook names no region or segments")
		return nil
	}
	var flagged []*survey.Construct
	for _, c := range b.ds.Constructs {
		if c.Def.Flag != "" && !strings.HasPrefix(c.Name, "comfort_") {
			flagged = append(flagged, c)
		}
	}
	if len(flagged) == 0 {
		b.notMeasured("Regions & segments", "the codebook has no flagged construct")
		return nil
	}
	cmp, err := analysis.Compare(b.ds, b.aopts, nil)
	if err != nil {
		return b.skip("Regions & segments", err)
	}
	b.compareRes = cmp
	var vars []analysis.BannerVariable
	for _, c := range flagged {
		vars = append(vars, analysis.FlagVariable(constructLabel(c)+" ("+flagWords(c)+")", c))
	}
	res, err := analysis.Banner(b.ds, vars, b.aopts)
	if err != nil {
		return err
	}
	bn := &Banner{Title: "Measures by " + lowerFirst(b.regionLabel()) + " and segment", MinBase: b.minBase, LowBase: 2 * b.minBase,
		Legend: bannerLegend(b.aopts.Level, b.minBase)}
	for _, c := range res.Columns {
		label, group := c.Domain.Level, b.varLabel(c.Group)
		if c.Domain.IsTotal() {
			label, group = "Total", "Total"
		}
		bn.Columns = append(bn.Columns, BannerColumn{Letter: c.Letter, Group: group, Label: label})
		bn.UnweightedBase = append(bn.UnweightedBase, float64(c.Base.N))
		bn.WeightedBase = append(bn.WeightedBase, roundBase(float64(c.Base.WeightedN)))
		bn.EffectiveBase = append(bn.EffectiveBase, roundBase(float64(c.Base.EffectiveN)))
	}
	hiddenRows := b.sup.hideBanner(res)
	for k, r := range res.Rows {
		row := BannerRow{Label: r.Label}
		for c, cell := range r.Cells {
			n := res.Columns[c].Base.N
			bc := BannerCell{Pct: cell.Estimate.Estimate, Sig: withArrow(cell, hiddenRows[k].letters(cell.Sig))}
			switch {
			case hiddenRows[k].domains[res.Columns[c].Domain] || cell.N == 0:
				bc = BannerCell{Pct: math.NaN(), Suppressed: true}
			case n < 2*b.minBase:
				bc.LowBase = true
			}
			row.Cells = append(row.Cells, bc)
		}
		bn.Rows = append(bn.Rows, row)
	}
	sec := Section{Name: "Regions & segments", Intro: fmt.Sprintf("Each measure by %s and segment, against the rest of the sample (▲/▼) and between the columns of a group (letters).", lowerFirst(b.regionLabel())), Banners: []*Banner{bn}}
	// A compact table of the headline flags by region feeds the native chart.
	if b.ds.Region != nil {
		var flags []*survey.Construct
		for _, name := range []string{"concern", "trust", "comfort", "personalization", "sharing", "protection"} {
			if c := b.ds.Construct(name); c != nil && c.Def.Flag != "" {
				flags = append(flags, c)
			}
		}
		if len(flags) > 0 {
			cols := []Col{TextCol(b.regionLabel())}
			for _, f := range flags {
				cols = append(cols, PercentCol(constructLabel(f)))
			}
			ft := b.newTable("Headline measures by "+lowerFirst(b.regionLabel()), cols...)
			ft.Notes = append(ft.Notes, "The total sample's and each "+lowerFirst(b.regionLabel())+"'s share; bases, tests and the segments are in the banner “"+bn.Title+"”.")
			col := map[analysis.Domain]int{}
			for c, bc := range res.Columns {
				col[bc.Domain] = c
			}
			row := map[string]int{}
			for k, c := range flagged {
				row[c.Name] = k
			}
			for _, lvl := range append(append([]string(nil), b.ds.Region.Levels...), "Total") {
				d := analysis.Domain{Var: "region", Level: lvl}
				if lvl == "Total" {
					d = analysis.Domain{}
				}
				cells := []Cell{Str(lvl)}
				for _, f := range flags {
					c, ok := col[d]
					var e analysis.Estimate
					if ok {
						e = res.Rows[row[f.Name]].Cells[c].Estimate
					}
					cell := Num(e.Estimate)
					if !ok || res.Columns[c].Base.N < b.minBase || e.N == 0 || hiddenRows[row[f.Name]].domains[d] {
						cell = Num(math.NaN()).WithSuppressed()
					}
					cells = append(cells, cell)
				}
				ft.AddRow(cells...)
			}
			series := make([]int, len(flags))
			for i := range series {
				series[i] = i + 1
			}
			sec.Tables = append(sec.Tables, ft)
			sec.NativeCharts = append(sec.NativeCharts, NativeChart{Title: "Headline measures by " + lowerFirst(b.regionLabel()), Type: Column, Table: ft, CategoryCol: 0, SeriesCols: series, PercentAxis: true})
		}
	}
	bn.Notes = append(bn.Notes, b.testNotes(cmp.Tests, flagged)...)
	b.rep.Sections = append(b.rep.Sections, sec)
	return nil
}

// testNotes words the Rao-Scott tests of each measure against each group:
// "Privacy concern: differs by region (p < 0.001) and generation (p =
// 0.003); no significant difference by gender (p = 0.214)."
func (b *builder) testNotes(tests []analysis.Test, measures []*survey.Construct) []string {
	var out []string
	for _, c := range measures {
		var differs, not []string
		for _, t := range tests {
			if len(t.Variables) != 2 || t.Variables[1] != c.Name || math.IsNaN(float64(t.P)) {
				continue
			}
			w := fmt.Sprintf("%s (p %s)", lowerFirst(b.varLabel(t.Variables[0])), pEquals(float64(t.P)))
			if float64(t.P) < 1-b.aopts.Level {
				differs = append(differs, w)
			} else {
				not = append(not, w)
			}
		}
		var parts []string
		if len(differs) > 0 {
			parts = append(parts, "differs by "+strings.Join(differs, ", "))
		}
		if len(not) > 0 {
			parts = append(parts, "no significant difference by "+strings.Join(not, ", "))
		}
		if len(parts) > 0 {
			out = append(out, constructLabel(c)+": "+strings.Join(parts, "; ")+".")
		}
	}
	if len(out) > 0 {
		out = append([]string{fmt.Sprintf("Rao-Scott tests of each measure against each group (svychisq, %g%% level):", 100*b.aopts.Level)}, out...)
	}
	return out
}

// pEquals is "= 0.214" or "< 0.001".
func pEquals(p float64) string {
	if p < 0.001 {
		return "< 0.001"
	}
	return "= " + fixed(p, 3)
}

// describe runs analysis.DescribeFlags on the named constructs only, so the
// report does not estimate (or, privately, release) constructs it does
// not show.
//
// With totalOnly the region and segments are left out: only the total
// sample is estimated.
func (b *builder) describe(names []string, opts analysis.Options, totalOnly bool) (*analysis.DescribeResult, error) {
	sub := *b.ds
	if totalOnly {
		sub.Region, sub.Segments = nil, nil
	}
	sub.Constructs = nil
	for _, n := range names {
		sub.Constructs = append(sub.Constructs, b.ds.Construct(n))
	}
	return analysis.DescribeFlags(&sub, opts)
}

// comfortConstructs names the constructs comfort_<data type> with a flag.
func comfortConstructs(ds *survey.Dataset) []string {
	var names []string
	for _, c := range ds.Constructs {
		if strings.HasPrefix(c.Name, "comfort_") && c.Def.Flag != "" {
			names = append(names, c.Name)
		}
	}
	return names
}

// PrivateTables is the number of tables a differentially private report
// of ds releases, to plan its budget: the five paradox shares, the three
// Westin segments and the comfort-by-data-type shares, each once for the
// total and once per domain variable (region and every segment) that has
// declared levels (declared, as StudyOptions.DeclaredLevels: the others
// are left out of the report).
func PrivateTables(ds *survey.Dataset, declared map[string][]string) int {
	ds, _ = privateDomains(ds, declared)
	stats := 0
	if ds.Construct("concern") != nil {
		stats += 5
	}
	if ds.Construct("westin") != nil {
		stats += 3
	}
	stats += len(comfortConstructs(ds))
	vars := 1 + len(ds.Segments)
	if ds.Region != nil {
		vars++
	}
	return max(stats, 1) * vars
}

// comfort charts comfort by data type from the constructs named
// comfort_<type>.
func (b *builder) comfort() error {
	names := comfortConstructs(b.ds)
	if len(names) == 0 {
		b.notMeasured("Comfort by data type", "the codebook has no comfort_<data type> constructs")
		return nil
	}
	// Only the comfort constructs: a private release then spends budget on
	// them alone (see PrivateTables). The section shows the total sample,
	// so an exact report estimates only that; a private one releases the
	// tables PrivateTables planned.
	desc, err := b.describe(names, b.aopts, b.opts.Privacy == nil)
	if err != nil {
		return b.skip("Comfort by data type", err)
	}
	sec := Section{Name: "Comfort by data type", Intro: "Share of respondents comfortable with companies using each type of personal data for personalization."}
	t := b.newTable("Comfortable with personalization using…", append([]Col{TextCol("Data type"), PercentCol("Comfortable").WithCI()}, b.baseCols("Base (n)")...)...)
	b.basesNote(t)
	var bars []charts.BarRow
	type item struct {
		label string
		row   analysis.Row
	}
	var items []item
	for _, n := range names {
		r, ok := find(desc.Estimates, n, analysis.Domain{})
		if !ok {
			continue
		}
		items = append(items, item{titleCase(strings.ReplaceAll(strings.TrimPrefix(n, "comfort_"), "_", " ")), r})
	}
	alt := "Share comfortable with personalization by type of data, sorted"
	if b.opts.Privacy == nil {
		sort.SliceStable(items, func(i, j int) bool { return items[i].row.Estimate > items[j].row.Estimate })
	} else {
		// Sorting by noisy shares would rank figures the noise may have
		// put in any order: the codebook's order instead.
		alt = "Share comfortable with personalization by type of data, in the codebook's order"
	}
	for _, it := range items {
		t.AddRow(append([]Cell{Str(it.label), b.rowCell(it.row)}, b.baseCells(it.row)...)...)
		if it.row.N < b.minBase {
			continue // suppressed in the table: no bar
		}
		bars = append(bars, charts.BarRow{Label: it.label, Value: interval(it.row), LowBase: it.row.N < 2*b.minBase})
	}
	sec.Tables = append(sec.Tables, t)
	if len(bars) > 0 {
		o := b.chartOptions()
		o.KeepOrder = b.opts.Privacy != nil
		c, err := charts.ComfortByDataType(bars, o)
		if err != nil {
			return fmt.Errorf("report: %w", err)
		}
		if err := b.addChart(&sec, "comfort-by-data-type", alt, c); err != nil {
			return err
		}
	}
	b.rep.Sections = append(b.rep.Sections, sec)
	return nil
}

func (b *builder) reliability() error {
	if b.opts.Privacy != nil {
		return nil
	}
	res, err := analysis.ReliabilityContext(b.aopts.Context, b.ds)
	if err != nil {
		return b.skip("Reliability", err)
	}
	if len(res.Constructs) == 0 {
		b.notMeasured("Reliability", "the codebook has no construct of two or more items on a scale")
		return nil
	}
	t := b.newTable("Internal consistency (Cronbach's alpha)", TextCol("Measure"), IntegerCol("Items"), DecimalCol("Alpha", 3), IntegerCol("Complete cases"), TextCol("Reading"))
	for _, c := range res.Constructs {
		note := alphaReading(float64(c.Alpha), c.Construct == "westin")
		if c.Note != "" {
			note = c.Note
		}
		a := Num(float64(c.Alpha))
		if math.IsNaN(a.Num) {
			a = a.WithSuppressed()
		}
		t.AddRow(Str(constructLabel(b.ds.Construct(c.Construct))), Num(float64(c.Items)), a, Num(float64(c.N)), Str(note))
	}
	t.Notes = append(t.Notes, "Complete cases: respondents who answered every item of the measure, unweighted, as alpha itself is (psych::alpha): no weighted or effective base applies.")
	t.Notes = append(t.Notes, "Alpha measures whether a measure's items move together: 0.9 or more excellent, 0.8 good, 0.7 acceptable, 0.6 questionable, below 0.6 poor (George & Mallery's rule of thumb). A negative alpha means the items pull in opposite directions: check the reverse coding.")
	b.rep.Sections = append(b.rep.Sections, Section{Name: "Reliability", Intro: "Cronbach's alpha of each multi-item measure after reverse coding, unweighted, over respondents who answered every item (psych::alpha raw_alpha).", Tables: []*Table{t}})
	return nil
}

// alphaReading puts an alpha in plain words.
func alphaReading(a float64, westin bool) string {
	switch {
	case math.IsNaN(a):
		return "Not computed."
	case a < 0 && westin:
		return "Negative, as expected for Westin's index: its first item is worded against the other two, and the index combines answers rather than adding them; no reverse coding is needed."
	case a < 0:
		return "Negative: the items pull in opposite directions. Check reverse coding (an item worded the other way needs reverse: in the codebook)."
	case a >= 0.9:
		return "Excellent: the items measure one thing."
	case a >= 0.8:
		return "Good."
	case a >= 0.7:
		return "Acceptable."
	case a >= 0.6:
		return "Questionable: read the score with care."
	}
	return "Poor: the items do not hang together; report them one by one rather than as a score."
}

// privateTableNote explains a private table's brackets, bases and marks.
func privateTableNote() string {
	return fmt.Sprintf("Differentially private release: every figure, bases included, carries random noise. Brackets are 95%% noise intervals (the share ± 1.96 noise SDs), not confidence intervals: sampling error is not released. %s noise SD above %g%% of the share: unreliable.",
		unreliableMark, 100*analysis.UnreliableNoise)
}

// privateMethodology replaces the design-based entries of Methodology in a
// differentially private report: every figure computed from respondents
// is noisy or left out; only facts fixed before fieldwork stay exact.
func (b *builder) privateMethodology(p *analysis.Privacy) []KeyValue {
	ds := b.ds
	var design []string
	if ds.Weights != nil {
		design = append(design, "weighted")
	}
	if ds.Strata != nil {
		design = append(design, "stratified by "+lowerFirst(b.varLabel(ds.Strata.Name)))
	}
	if ds.PSU != nil {
		design = append(design, "clustered in primary sampling units")
	}
	if len(design) == 0 {
		design = append(design, "no weights, strata or clusters declared")
	}
	m := []KeyValue{
		{Key: "Respondents", Value: "Not released: the number of respondents, like every count in this report, is known to the report only through noise (the tables' bases are noisy counts)."},
		{Key: "Design", Value: strings.Join(design, ", ") + ". The numbers of respondents, primary sampling units, the weighting efficiency and the degrees of freedom depend on who answered and are not released."},
		{Key: "Weighting", Value: fmt.Sprintf("Weights are normalised to mean 1 over the sample, then clipped at %g, so that one respondent moves a weighted sum by at most %g.", p.WeightBound, p.WeightBound)},
		{Key: "Differential privacy", Value: p.Describe()},
		{Key: "Budget split", Value: fmt.Sprintf("ε = %g in %d equal parts of %.4g: one per released table, a table being one statistic over the total or over the levels of one grouping (region or a segment). Within a table the groups are disjoint, so a respondent is in one cell (parallel composition); across tables the parts add up (sequential composition). Budget spent: %.4g of %g.", p.Epsilon, p.Tables, p.TableEpsilon(), p.Spent(), p.Epsilon)},
		{Key: "Noise intervals", Value: fmt.Sprintf("Brackets are 95%% noise intervals: the share ± 1.96 noise SDs, the noise SD being √2·b·√(1 + share²) / noisy weighted base with b = %.4g (delta method for noisy numerator over noisy base), computed from released figures only (no budget). They show what the noise does, not sampling error, which is not released.", p.NoiseScale())},
		{Key: "Unreliable", Value: fmt.Sprintf("%s marks a share whose noise SD is above %g%% of it (a coefficient of variation of %g%%, as statistical agencies flag estimates). Key findings quote no unreliable share and compare no shares: they neither rank nor contrast groups.", unreliableMark, 100*analysis.UnreliableNoise, 100*analysis.UnreliableNoise)},
		{Key: "Suppression", Value: fmt.Sprintf("Shares whose noisy count of respondents is below %d are not shown (–), with a second group where one alone would be.", b.minBase)},
		{Key: "Exact", Value: "Only what was fixed before fieldwork: the codebook's definitions (constructs, items, scales, flags, labels), the design's structure above and the privacy parameters."},
		{Key: "Groups", Value: "Region and segment breakdowns show exactly the levels the codebook declares (levels:, or the bands of bands:), in its order, including levels nobody has (their noisy counts are released like any other), plus \"" + OtherLevel + "\" pooling everyone whose level is not declared; so which groups appear does not depend on who answered. A region or segment with no declared levels is left out."},
	}
	for _, kv := range b.leftOut {
		m = append(m, KeyValue{Key: kv.Key, Value: "Left out of this private report: " + kv.Value + "."})
	}
	return append(m, []KeyValue{
		{Key: "Not protected", Value: "The guarantee covers this report's figures, one respondent at a time. It does not cover: the normalising mean weight and the weights themselves, taken as given (they are computed from the data without noise); people who answered more than once or share a household (each record is protected separately); other releases of the same data (each report spends its own budget, and budgets add up)."},
	}...)
}

func (b *builder) methodology() {
	d := b.aopts.Design
	ds := b.ds
	design := "Simple random sample (no weights, strata or clusters declared)"
	var parts []string
	if ds.Weights != nil {
		parts = append(parts, "weighted")
	}
	if ds.Strata != nil {
		parts = append(parts, fmt.Sprintf("%d strata (%s)", d.NumStrata(), lowerFirst(b.varLabel(ds.Strata.Name))))
	}
	if ds.PSU != nil {
		parts = append(parts, fmt.Sprintf("%d primary sampling units (clusters)", d.NumPSU()))
	}
	if ds.FPC != nil {
		parts = append(parts, "finite population correction")
	}
	if len(parts) > 0 {
		design = strings.Join(parts, ", ")
	}
	st := b.opts.Study
	var m []KeyValue
	add := func(k, v string) {
		if v != "" {
			m = append(m, KeyValue{Key: k, Value: v})
		}
	}
	add("Study", b.rep.Title)
	add("Fieldwork", st.Fieldwork)
	add("Population", st.Population)
	add("Sample", st.Sample)
	if p := b.opts.Privacy; p != nil {
		m = append(m, b.privateMethodology(p)...)
	} else {
		m = append(m, NumKeyValue("Respondents", float64(ds.N), Integer))
		add("Design", design)
		weighting := st.Weighting
		switch {
		case ds.Weights == nil && weighting == "":
			weighting = "Unweighted: every respondent counts once."
		case weighting == "" && b.opts.Targets != nil && ds.Weights == nil:
			weighting = "No input weights: every respondent starts at 1, then raked by trustgap to the targets below."
		case weighting == "" && b.opts.Targets != nil:
			weighting = "Input weights as supplied with the data (the codebook's study: block does not describe how they were made), then raked by trustgap to the targets below."
		case weighting == "":
			weighting = "Weights as supplied with the data; the codebook's study: block does not describe how they were made."
		}
		add("Weighting", weighting)
		if t := b.opts.Targets; t != nil {
			add("Weighting targets", targetsText(t, b.varLabel))
			if c, ok := d.Calibrated(); ok {
				add("Calibration", calibrationText(c))
			}
		} else if ds.Weights != nil {
			add("Weighting targets", "None applied by trustgap: the weights are used as supplied.")
		}
		if ds.Weights != nil || b.opts.Targets != nil {
			m = append(m, NumKeyValue("Weighting efficiency", d.KishEfficiency(nil), Percent))
			add("Weighting efficiency, definition", "Kish: (Σw)² / (n·Σw²); a banner column's effective base is its unweighted base times its own efficiency.")
		}
		add("Bases", "Every figure stands beside its unweighted base (respondents), its weighted base (the sum of their weights) and an effective base. A banner's effective base is Kish's, (Σw)²/Σw² of the column: the weighting's loss of precision, the same for every row. A table's is the figure's own, n divided by its design effect (svymean's deff): weighting, strata and clusters together.")
		m = append(m, NumKeyValue("Degrees of freedom", float64(d.DegF(nil)), Integer))
		add("Degrees of freedom, definition", "Primary sampling units minus strata; per group, the units and strata with respondents in it.")
		add("Variance estimation", "Taylor linearization, with-replacement between-PSU variance within strata, as R's survey package (svydesign(ids=~psu, strata=~strata, weights=~w, nest=TRUE)); single-PSU strata: "+lonelyNote(b.aopts.Lonely)+".")
		add("Intervals", fmt.Sprintf("%g%% confidence. Shares: %s interval (svyciprop). Means and differences: estimate ± t(degf)·SE.", 100*b.aopts.Level, b.aopts.CI))
		add("Significance", fmt.Sprintf("All tests two-sided at the %g%% level, design-based. Banner letters: pairwise t tests between the columns of one group. ▲/▼ (higher/lower than Total, on every banner): each column against the rest of the sample, as svyglm(y ~ in column), since the Total includes the column. Group differences in findings: Rao-Scott second-order corrected F tests (svychisq); effects: t test of the difference. Each comparison is tested separately, with no adjustment for multiple comparisons: among many columns some differences are significant by chance.", 100*b.aopts.Level))
		add("Conventions", conventionsText(b.aopts))
		add("Suppression", fmt.Sprintf("Estimates on fewer than %d respondents (unweighted) are suppressed (–), and with one hidden group a second is hidden too, so that the hidden figure cannot be worked out from the total and the other groups; fewer than %d are flagged *. Weighted bases are rounded to whole numbers. No respondent-level data appear in this report.", b.minBase, 2*b.minBase))
	}
	if b.paradoxRes != nil {
		add("Concerned", constructLabel(ds.Construct("concern"))+": "+flagWords(ds.Construct("concern"))+".")
		if c := ds.Construct(b.paradoxRes.Behaviour); c != nil {
			if b.paradoxRes.Behaviour == "sharing" {
				add("Protects", "Not "+lowerFirst(constructLabel(c))+": "+flagWords(c)+" is not met.")
			} else {
				add("Protects", constructLabel(c)+": "+flagWords(c)+".")
			}
		}
		add("Say-do gap", "Share concerned minus share protecting, over respondents who answered both, in percentage points.")
		add("Paradox rate", "Share not protecting among the concerned (base: the concerned).")
		add("Paradox share", "Share concerned and not protecting (base: everyone who answered both).")
	}
	if b.trustRes != nil || len(b.effectRes) > 0 {
		add("Effects", "Share with the outcome among flagged minus among unflagged respondents, in percentage points (svycontrast of svyby means); odds ratio from svyglm(outcome ~ factor, quasibinomial).")
	}
	if ds.Construct("westin") != nil {
		add("Westin segments", "Fundamentalist: agrees consumers have lost control and disagrees that businesses and laws protect them; unconcerned: the reverse; pragmatist: everyone else who answered all three.")
	}
	for _, c := range ds.Constructs {
		m = append(m, KeyValue{Key: constructLabel(c), Value: b.constructDefinition(c)})
	}
	for _, kv := range b.missing {
		add(kv.Key, "Not measured in this study ("+kv.Value+").")
	}
	add("Tool", "trustgap "+b.opts.Version)
	if !b.opts.RunDate.IsZero() {
		add("Run", b.opts.RunDate.UTC().Format(humanDate))
	}
	add("Data files", strings.Join(b.opts.Files, ", "))
	b.rep.Methodology = m
	b.findings()
}

// conventionsText states where trustgap keeps a convention of its own,
// each with the R call whose result it reports.
func conventionsText(o analysis.Options) string {
	method := o.CI.String()
	if o.CI == analysis.CIWald {
		method = "mean"
	}
	parts := []string{
		"Where trustgap keeps a convention of its own it names the R call (survey package) it matches.",
		"A group whose answers all sit in one cluster, or a figure the calibration fixes, has cluster totals that are exactly zero; computed, they are rounding noise (R prints an SE of about 1e-17), which is reported as an SE of 0 (a design effect of 0, the effective base n/deff undefined): R's exact values for svymean(~y, subset(design, group), deff = \"replace\"). The test is on the scale of the clusters' totals, so a genuinely small SE is kept.",
		"Group differences (Rao-Scott) are tested over the statistic's base, svychisq(~group + y, subset(design, !is.na(y)), statistic = \"F\"): a group where nobody is in the base drops out of the test.",
		fmt.Sprintf("Single-PSU strata: options(survey.lonely.psu = \"%s\"), with survey.adjust.domain.lonely = FALSE (a group never creates one); a single-PSU stratum fully enumerated by its finite population correction contributes nothing, as R's.", o.Lonely),
		fmt.Sprintf("Share intervals: svyciprop(~y, subset(design, group), method = \"%s\", df = degf(subset(design, group))).", method),
	}
	switch o.CI {
	case analysis.CILogit:
		parts = append(parts, "In a group with one degree of freedom R 4.1's logit interval is [0, not a number]; trustgap gives expit(logit p ± t(1)·SE), the logit method's own formula.")
	case analysis.CIAsin:
		parts = append(parts, "The asin limits are kept within [0, π/2] on the arcsine scale (R lets them run past and folds them back), and are left out at a share of 0 or 1 (R: not a number).")
	case analysis.CIXLogit:
		parts = append(parts, "The xlogit limits are left out at a share of 0 or 1 (R: not a number).")
	}
	parts = append(parts, "A share within a base that a flag defines (an item among the concerned, the outcome among respondents with the factor) treats everyone outside the base as missing, so its interval takes the group's degrees of freedom: svyciprop(~y, subset(design, group), df = degf(subset(design, group))).",
		"Adjusted odds ratios: svyglm(outcome ~ factor + covariates, family = quasibinomial()), intervals on summary.svyglm's residual degrees of freedom (degf − coefficients + 1).",
		"Effective bases of crosstab columns are Kish's (Σw)²/(Σw²), from the weights alone.")
	return strings.Join(parts, " ")
}

// calibrationText states how the raking converged, what it cost in
// weighting efficiency and what the standard errors make of it.
func calibrationText(c *analysis.Calibration) string {
	call := " R: rake(design, margins, population totals, control = list(maxit = 1000, epsilon = 1e-13))."
	variance := "rake()'s variance: each respondent's influence values are residualized on the margins before the between-PSU variance"
	if c.Bounds[1] > 0 {
		call = fmt.Sprintf(" R: calibrate(design, margins, population totals, calfun = \"raking\", bounds = c(%g, %g) * mean(w), bounds.const = TRUE).", c.Bounds[0], c.Bounds[1])
		variance = "calibrate()'s variance: the influence values are residualized on the margins' model matrix before the between-PSU variance"
	}
	return fmt.Sprintf("Converged in %d iterations (largest relative margin error %.2g). Weighting efficiency %s after calibration, %s before; weights %s to %s. "+
		"Every standard error, interval, test and odds ratio is computed on the calibrated design (%s; the logistic models' sandwich as svyglm on the raked design), not with the raked weights taken as fixed.",
		c.Diagnostics.Iterations, c.Diagnostics.MaxMarginError, fixed(100*c.Diagnostics.Efficiency, 1)+"%", fixed(100*c.InputEfficiency, 1)+"%",
		strconv.FormatFloat(c.Diagnostics.MinWeight, 'g', 4, 64), strconv.FormatFloat(c.Diagnostics.MaxWeight, 'g', 4, 64), variance) + call
}

// targetsText states a calibration's margins: "Raked (R: rake) to gender:
// female 51.0%, male 49.0%; age: …; weights kept within 0.3–3 times the
// mean; population total 1,000,000."
func targetsText(t *survey.WeightingDef, label func(string) string) string {
	var ms []string
	for _, m := range t.Rake {
		var ls []string
		for i, l := range m.Levels {
			if i < len(m.Shares) {
				ls = append(ls, l+" "+fixed(100*m.Shares[i], 1)+"%")
			}
		}
		ms = append(ms, lowerFirst(label(m.Column))+": "+strings.Join(ls, ", "))
	}
	out := "Raked (as R's survey::rake) to the population margins " + strings.Join(ms, "; ")
	if len(t.Bounds) == 2 {
		lo, hi := strconv.FormatFloat(t.Bounds[0], 'g', -1, 64), strconv.FormatFloat(t.Bounds[1], 'g', -1, 64)
		out = "Raked within bounds (as R's survey::calibrate with calfun = \"raking\", bounds.const = TRUE) to the population margins " + strings.Join(ms, "; ")
		out += fmt.Sprintf("; weights kept within %s–%s times the mean", lo, hi)
	}
	if t.Total > 0 {
		out += "; population total " + grouped(t.Total)
	}
	return out + "."
}

// constructDefinition says how a construct is measured, in words, with
// item labels: "Items: …; score: mean of the items; flag: …".
func (b *builder) constructDefinition(c *survey.Construct) string {
	var items []string
	for _, it := range c.Items {
		l := itemLabel(it)
		if reversed(c, it.Name) {
			l += " (reverse-scored)"
		}
		items = append(items, "“"+l+"”")
	}
	def := "Items: " + strings.Join(items, "; ") + "."
	switch c.Def.Score {
	case "count":
		def += " Score: number of items answered yes."
	case "sum":
		def += " Score: sum of the items."
	default:
		if len(c.Items) > 1 {
			def += " Score: mean of the items."
		}
	}
	if sc, ok := scaleOf(c); ok {
		def += fmt.Sprintf(" Scale: %s to %s.", sc.answer(sc.lo), sc.answer(sc.hi))
	}
	if c.Def.Flag != "" {
		def += " Flagged: " + flagWords(c) + "."
	}
	return def
}

// groupFinding words how stat differs between the regions: the highest
// and lowest when the Rao-Scott test of region × stat (analysis.Compare)
// is significant, with its p, else that they do not differ significantly.
// It says nothing when there is no test or fewer than two regions with a
// reportable base.
func (b *builder) groupFinding(stat string, rows []analysis.Row, what string) string {
	regs, _ := regionRows(rows, stat)
	hidden := b.sup.hideAll(rows) // as the tables hide them
	var ok []analysis.Row
	for _, r := range regs {
		if r.N >= b.minBase && !math.IsNaN(float64(r.Estimate)) && !hidden[r.Domain] {
			ok = append(ok, r)
		}
	}
	// The test is suppressed when a region is below the minimum base.
	if len(ok) < 2 || b.compareRes == nil || b.sup.hasSmallLevel([]string{"region"}) {
		return ""
	}
	var test *analysis.Test
	for i, t := range b.compareRes.Tests {
		if len(t.Variables) == 2 && t.Variables[0] == "region" && t.Variables[1] == stat {
			test = &b.compareRes.Tests[i]
		}
	}
	if test == nil || math.IsNaN(float64(test.P)) {
		return ""
	}
	region := lowerFirst(b.regionLabel())
	if float64(test.P) >= 1-b.aopts.Level {
		return fmt.Sprintf("%s does not differ significantly by %s (%s; Rao-Scott test, p %s).", what, region, rangeOf(ok), pEquals(float64(test.P)))
	}
	sort.SliceStable(ok, func(i, j int) bool { return ok[i].Estimate > ok[j].Estimate })
	hi, lo := ok[0], ok[len(ok)-1]
	return fmt.Sprintf("%s differs by %s (Rao-Scott test, p %s): highest in %s (%s %s), lowest in %s (%s %s).",
		what, region, pEquals(float64(test.P)), hi.Domain.Level, pct(hi.Estimate), ci(hi.CILow, hi.CIHigh), lo.Domain.Level, pct(lo.Estimate), ci(lo.CILow, lo.CIHigh))
}

// rangeOf lists the groups' shares: "DE 19.2%, GB 22.0%, US 18.0%".
func rangeOf(rows []analysis.Row) string {
	var parts []string
	for _, r := range rows {
		parts = append(parts, r.Domain.Level+" "+pct(r.Estimate))
	}
	return strings.Join(parts, ", ")
}

// effectFinding words an effect: the difference with its interval and p
// when the design-based t test finds one, else "no significant
// difference". Figures on suppressed bases are not worded.
func (b *builder) effectFinding(res *analysis.EffectResult, withStat, withoutStat, outcome, withWho, withoutWho string) string {
	tot := analysis.Domain{}
	with, ok1 := find(res.Estimates, withStat, tot)
	without, ok2 := find(res.Estimates, withoutStat, tot)
	eff, ok3 := find(res.Estimates, "effect", tot)
	if !ok1 || !ok2 || !ok3 || with.N < b.minBase || without.N < b.minBase ||
		math.IsNaN(float64(eff.Estimate)) || math.IsNaN(float64(eff.SE)) {
		return ""
	}
	p := analysis.TTestP(float64(eff.Estimate), float64(eff.SE), eff.DF)
	if math.IsNaN(p) {
		return ""
	}
	if p >= 1-b.aopts.Level {
		return fmt.Sprintf("%s shows no significant difference between %s (%s) and %s (%s; design-based t test, p %s).",
			outcome, withWho, pct(with.Estimate), withoutWho, pct(without.Estimate), pEquals(p))
	}
	dir := "higher"
	if eff.Estimate < 0 {
		dir = "lower"
	}
	return fmt.Sprintf("%s is %.1f points %s among %s than among %s (%s vs %s; %g%% interval %s, p %s).",
		outcome, math.Abs(100*float64(eff.Estimate)), dir, withWho, withoutWho, pct(with.Estimate), pct(without.Estimate), 100*b.aopts.Level, ciPoints(eff.CILow, eff.CIHigh), pEquals(p))
}

// ciPoints formats an interval of a difference in points: "[12.1, 20.9]".
func ciPoints(lo, hi analysis.Num) string {
	if math.IsNaN(float64(lo)) || math.IsNaN(float64(hi)) {
		return ""
	}
	return fmt.Sprintf("[%s, %s] points", fixed(100*float64(lo), 1), fixed(100*float64(hi), 1))
}

// pct formats a share for a sentence: "53.1%".
func pct(x analysis.Num) string { return fmt.Sprintf("%.1f%%", 100*float64(x)) }

// ci formats an interval for a sentence: "[51.8–54.4]", or nothing when
// no interval was released (differentially private reports).
func ci(lo, hi analysis.Num) string {
	if math.IsNaN(float64(lo)) || math.IsNaN(float64(hi)) {
		return ""
	}
	return fmt.Sprintf("[%.1f–%.1f]", 100*float64(lo), 100*float64(hi))
}

// findings writes the headline sentences from the results.
func (b *builder) findings() {
	var f []Finding
	// Intervals are absent from private releases: tidy the space they
	// leave before punctuation.
	tidy := strings.NewReplacer(" ,", ",", " .", ".", " ;", ";", " )", ")", "  ", " ")
	add := func(format string, a ...any) {
		f = append(f, Finding{Text: tidy.Replace(fmt.Sprintf(format, a...))})
	}
	// Findings quote only figures the tables show: none on a base below
	// the minimum, none of a domain hidden by secondary suppression.
	// In a private report they quote no share the noise makes unreliable,
	// and their brackets are noise intervals, said so.
	iv := ci
	if b.opts.Privacy != nil {
		iv = func(lo, hi analysis.Num) string {
			if math.IsNaN(float64(lo)) || math.IsNaN(float64(hi)) {
				return ""
			}
			return fmt.Sprintf("(95%% noise interval %.1f–%.1f%%)", 100*float64(lo), 100*float64(hi))
		}
	}
	shown := func(rows ...analysis.Row) bool {
		for _, r := range rows {
			if r.N < b.minBase || math.IsNaN(float64(r.Estimate)) || r.Unreliable {
				return false
			}
		}
		return true
	}
	if p := b.paradoxRes; p != nil {
		tot := analysis.Domain{}
		con, _ := find(p.Estimates, "concerned", tot)
		prot, _ := find(p.Estimates, "protects", tot)
		rate, _ := find(p.Estimates, "paradox_rate", tot)
		// The most common sharing behaviour among the concerned.
		var best *analysis.ItemShares
		for i := range p.Items {
			it := &p.Items[i]
			if it.Construct == "sharing" && it.Domain.IsTotal() && shown(it.Concerned) && (best == nil || it.Concerned.Estimate > best.Concerned.Estimate) {
				best = it
			}
		}
		switch {
		case !shown(con):
		case best != nil:
			// A label written as a behaviour ("Shared their location…")
			// completes the sentence; a question is quoted.
			what := fmt.Sprintf("answered yes to %q", best.Item)
			switch l := best.Label; {
			case strings.HasSuffix(l, "?"):
				what = fmt.Sprintf("answered yes to “%s”", l)
			case l != "":
				what = strings.ToLower(l[:1]) + l[1:]
			}
			add("%s say they are concerned about their privacy %s, yet %s of them %s %s.",
				pct(con.Estimate), iv(con.CILow, con.CIHigh), pct(best.Concerned.Estimate), what, iv(best.Concerned.CILow, best.Concerned.CIHigh))
		default:
			add("%s say they are concerned about their privacy %s.", pct(con.Estimate), iv(con.CILow, con.CIHigh))
		}
		if shown(prot, rate) {
			add("%s act to protect their data %s; %s of the concerned do not (the paradox rate) %s.",
				pct(prot.Estimate), iv(prot.CILow, prot.CIHigh), pct(rate.Estimate), iv(rate.CILow, rate.CIHigh))
		}
		if f := b.groupFinding("paradox_rate", p.Estimates, "The paradox rate"); f != "" {
			add("%s", f)
		}
		if c := p.Correlation; c != nil && !math.IsNaN(float64(c.Estimate)) && c.N >= b.minBase {
			r := float64(c.Estimate)
			how := "barely linked"
			switch {
			case math.Abs(r) >= 0.4:
				how = "clearly linked"
			case math.Abs(r) >= 0.2:
				how = "only weakly linked"
			}
			add("Concern and protective behaviour are %s: their design-based correlation is %.2f.", how, r)
		}
	}
	if t := b.trustRes; t != nil {
		if x := b.effectFinding(t, "comfort_trusting", "comfort_nontrusting", "Comfort with personalization", "consumers who trust companies with their data", "those who do not"); x != "" {
			add("%s", x)
		}
	}
	for _, e := range b.effectRes {
		if x := b.effectFinding(e.res, "with_factor", "without_factor", constructLabel(e.outcome), "respondents flagged on "+lowerFirst(constructLabel(e.factor)), "the others"); x != "" {
			add("%s", x)
		}
	}
	if p := b.opts.Privacy; p != nil && len(f) == 0 {
		add("At this privacy budget (ε = %g) the noise is too large for any headline figure to be reliable: every share's noise SD is above %g%% of it. The tables show each share with its 95%% noise interval.", p.Epsilon, 100*analysis.UnreliableNoise)
	}
	// Findings never print a figure that is not a number.
	kept := f[:0]
	for _, x := range f {
		if !strings.Contains(x.Text, "NaN") && !strings.Contains(x.Text, "Inf") {
			kept = append(kept, x)
		}
	}
	f = kept
	b.rep.Findings = f
}

// itemTable compares each behaviour item between the concerned and the
// others in the total sample: each share beside its base, and the
// Rao-Scott test of concerned × item (svychisq(~concerned + item,
// design)), so that a difference is read only where the test finds one.
func (b *builder) itemTable(res *analysis.ParadoxResult, concern *survey.Construct) (*Table, error) {
	cols := append([]Col{TextCol("Behaviour"), PercentCol("Concerned").WithCI()}, b.baseCols("Base: concerned (n)")...)
	cols = append(append(cols, PercentCol("Not concerned").WithCI()), b.baseCols("Base: not concerned (n)")...)
	t := b.newTable("Each behaviour among the concerned and the others (total sample)", append(cols, PointsCol("Difference"), PValueCol("p"))...)
	d := b.aopts.Design
	n := b.ds.N
	flag := codes01(n, concern.Flags().Read)
	itemCodes := make([]int32, n)
	buf := make([]float64, 1<<14)
	for _, it := range res.Items {
		if !it.Domain.IsTotal() {
			continue
		}
		var col *survey.Column
		for _, name := range []string{"protection", "sharing"} {
			if c := b.ds.Construct(name); c != nil && name == it.Construct {
				for _, ic := range c.Items {
					if ic.Name == it.Item {
						col = ic
					}
				}
			}
		}
		label := it.Label
		if label == "" {
			label = humanize(it.Item)
		}
		diff := Num(float64(it.Concerned.Estimate) - float64(it.Unconcerned.Estimate))
		p := Num(math.NaN())
		if col != nil {
			for from := 0; from < n; from += len(buf) {
				blk := buf[:min(len(buf), n-from)]
				col.Values().Read(blk, from)
				for i, v := range blk {
					switch {
					case math.IsNaN(v):
						itemCodes[from+i] = -1
					case v != 0:
						itemCodes[from+i] = 1
					default:
						itemCodes[from+i] = 0
					}
				}
			}
			if r, err := d.ChiSqIn(flag, itemCodes, 2, 2, nil); err == nil {
				p = Num(r.P)
			}
		}
		if it.Concerned.N < b.minBase || it.Unconcerned.N < b.minBase {
			diff, p = diff.WithSuppressed(), p.WithSuppressed()
		} else if !math.IsNaN(p.Num) && p.Num < 1-b.aopts.Level {
			diff = diff.WithMark("▲")
			if diff.Num < 0 {
				diff = diff.WithMark("▼")
			}
		}
		cells := append([]Cell{Str(label), b.rowCell(it.Concerned)}, b.baseCells(it.Concerned)...)
		cells = append(append(append(cells, b.rowCell(it.Unconcerned)), b.baseCells(it.Unconcerned)...), diff, p)
		t.AddRow(cells...)
	}
	b.basesNote(t)
	t.Notes = append(t.Notes, fmt.Sprintf("Difference: concerned minus not concerned, in percentage points; ▲/▼ where the Rao-Scott test of concern × behaviour (svychisq) finds a difference at the %g%% level, p beside it.", 100*b.aopts.Level))
	return t, nil
}

// codes01 reads a 0/1 variable block by block into codes 0, 1 and −1 for
// missing, as the tests take them.
func codes01(n int, read func(dst []float64, from int)) []int32 {
	out := make([]int32, n)
	buf := make([]float64, 1<<14)
	for from := 0; from < n; from += len(buf) {
		blk := buf[:min(len(buf), n-from)]
		read(blk, from)
		for i, v := range blk {
			switch {
			case math.IsNaN(v):
				out[from+i] = -1
			case v != 0:
				out[from+i] = 1
			default:
				out[from+i] = 0
			}
		}
	}
	return out
}

// ErrPrivateCalibrated: a differentially private report cannot calibrate
// its design, since raking to the respondents' margins uses the data
// outside the privacy mechanism. Fixed weights (taken as given, as the
// private report's Methodology says) are the way to weight one.
var ErrPrivateCalibrated = errors.New("a private report cannot calibrate its weights: raking fits them to the respondents' own answers outside the privacy budget; leave out the calibration (the private report takes the file's weights as given)")

// lonelyNote names the lonely-PSU rule for Methodology and, for average,
// says what it does to each estimate (R's options(survey.lonely.psu =
// "average")).
func lonelyNote(l analysis.LonelyPSU) string {
	if l == analysis.LonelyAverage {
		return `average (options(survey.lonely.psu = "average"): their contribution is left out and each estimate's variance multiplied by nstrat/nokstrat, over the strata holding its respondents)`
	}
	return l.String()
}
