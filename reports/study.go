package reports

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/trustgap/trustgap/analysis"
	"github.com/trustgap/trustgap/charts"
	"github.com/trustgap/trustgap/survey"
)

// StudyOptions configure BuildStudyReport.
type StudyOptions struct {
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
}

// StudyReport is a built report plus its charts, which the caller saves as
// files (PNG and SVG are already in Report's images; PDF is rendered on
// demand).
type StudyReport struct {
	Report *Report
	Charts []NamedChart
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
	b := &builder{ds: ds, opts: opts, minBase: opts.MinBase}
	if b.minBase <= 0 {
		b.minBase = analysis.DefaultMinBase
	}
	b.aopts = opts.Analysis
	b.aopts.MinBase = b.minBase
	b.sup = newSuppressor(ds, b.minBase)
	b.aopts.Privacy = opts.Privacy
	if b.aopts.Level == 0 {
		b.aopts.Level = 0.95
	}
	if b.aopts.Design == nil {
		d, err := analysis.StudyDesign(ds, b.aopts.Lonely)
		if err != nil {
			return nil, err
		}
		b.aopts.Design = d
	}
	title := ds.Title
	if title == "" {
		title = "Trust & privacy study"
	}
	b.rep = &Report{Title: title, Subtitle: "Privacy paradox, trust and personalization", ConfLevel: b.aopts.Level, Files: opts.Files}
	steps := []step{{build: (*builder).paradox}, {build: (*builder).trust}, {build: (*builder).segments},
		{build: (*builder).regions, afterBanner: true}, {build: (*builder).comfort, afterBanner: true},
		{build: (*builder).crosstabs, banner: true}, {build: (*builder).reliability}}
	if err := b.run(ctx, steps); err != nil {
		return nil, err
	}
	if len(b.rep.Sections) == 0 {
		return nil, errors.New("report: the codebook defines none of the constructs the report analyses (concern with protection or sharing, trust and comfort, westin)")
	}
	b.methodology()
	return &StudyReport{Report: b.rep, Charts: b.charts}, nil
}

// parallelSections is the number of respondents from which the report's
// sections are built concurrently (a variable for the tests).
var parallelSections = 50_000

// step builds one section of the report.
type step struct {
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
	errs := make([]error, len(steps))
	if b.opts.Privacy != nil || b.ds.N < parallelSections {
		for _, k := range order(steps) {
			if errs[k] = ctx.Err(); errs[k] == nil {
				errs[k] = steps[k].build(kids[k])
			}
			if errs[k] != nil {
				return errs[k]
			}
		}
	} else {
		slots := make(chan struct{}, runtime.GOMAXPROCS(0))
		bannerDone := make(chan struct{})
		hasBanner := false
		var wg sync.WaitGroup
		for _, k := range order(steps) {
			s := steps[k]
			hasBanner = hasBanner || s.banner
			if s.afterBanner && hasBanner {
				<-bannerDone
			}
			slots <- struct{}{} // started in order, as cores free up
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-slots }()
				if s.banner {
					defer close(bannerDone)
				}
				if errs[k] = ctx.Err(); errs[k] == nil {
					errs[k] = s.build(kids[k])
				}
			}()
		}
		wg.Wait()
	}
	for k, kid := range kids {
		if errs[k] != nil {
			return errs[k]
		}
		b.rep.Sections = append(b.rep.Sections, kid.rep.Sections...)
		b.charts = append(b.charts, kid.charts...)
		b.skipped = append(b.skipped, kid.skipped...)
		if kid.paradoxRes != nil {
			b.paradoxRes = kid.paradoxRes
		}
		if kid.trustRes != nil {
			b.trustRes = kid.trustRes
		}
		if kid.segmentsRes != nil {
			b.segmentsRes = kid.segmentsRes
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
	skipped []string
	// results kept for findings and the regions section
	paradoxRes  *analysis.ParadoxResult
	trustRes    *analysis.EffectResult
	segmentsRes *analysis.SegmentsResult
}

// skip records an analysis left out because the codebook lacks what it
// needs; any other error stops the report.
func (b *builder) skip(what string, err error) error {
	if errors.Is(err, analysis.ErrMissingConstruct) {
		b.skipped = append(b.skipped, fmt.Sprintf("%s: %v", what, err))
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
	return b.cell(float64(r.Estimate), float64(r.CILow), float64(r.CIHigh), r.N)
}

func (b *builder) newTable(title string, cols ...Col) *Table {
	t := NewTable(title, cols...)
	t.MinBase = b.minBase
	t.LowBase = 2 * b.minBase
	return t
}

// statCol is one statistic shown as a column of a wide table.
type statCol struct {
	stat, header string
}

// wideTable lays rows out with one line per domain (Total first) and one
// column per statistic, plus the unweighted base of the first statistic.
func (b *builder) wideTable(title string, rows []analysis.Row, stats []statCol) *Table {
	cols := []Col{TextCol("Group"), TextCol("Level")}
	for _, s := range stats {
		cols = append(cols, PercentCol(s.header).WithCI())
	}
	cols = append(cols, IntegerCol("Base (n)"))
	t := b.newTable(title, cols...)
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
		group, level := domainLabels(d)
		cells := []Cell{Str(group), Str(level)}
		base := -1
		for _, s := range stats {
			r, ok := m[s.stat]
			if !ok {
				cells = append(cells, Num(math.NaN()))
				continue
			}
			if base < 0 {
				base = r.N
			}
			c := b.rowCell(r)
			if hidden[d] {
				c = c.WithSuppressed()
			}
			cells = append(cells, c)
		}
		cells = append(cells, Num(float64(max(base, 0))))
		t.AddRow(cells...)
	}
	return t
}

func domainLabels(d analysis.Domain) (string, string) {
	if d.IsTotal() {
		return "Total", ""
	}
	return titleCase(d.Var), d.Level
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
	if err := charts.Save(c, &png, charts.PNG, 0, 0); err != nil {
		return fmt.Errorf("report: chart %s: %w", name, err)
	}
	if err := charts.Save(c, &svg, charts.SVG, 0, 0); err != nil {
		return fmt.Errorf("report: chart %s: %w", name, err)
	}
	// No Title: the chart draws its own, and a caption would repeat it.
	sec.Images = append(sec.Images, Image{Name: name, AltText: alt, PNG: png.Bytes(), SVG: svg.Bytes()})
	b.charts = append(b.charts, NamedChart{Name: name, Chart: c, PNG: png.Bytes(), SVG: svg.Bytes()})
	return nil
}

func (b *builder) chartOptions() charts.Options {
	return charts.Options{MinBase: 2 * b.minBase, Level: b.aopts.Level}
}

func (b *builder) paradox() error {
	opts := b.aopts
	opts.ItemsTotalOnly = true // the item table shows the total sample
	res, err := analysis.Paradox(b.ds, opts)
	if err != nil {
		return b.skip("paradox", err)
	}
	b.paradoxRes = res
	sec := Section{Name: "Paradox", Intro: fmt.Sprintf(
		"Concerned: the concern flag. Protects: the %s flag%s. Gap: concerned minus protects (percentage points; positive when more people say they care than act on it). Paradox rate: the share of concerned respondents who do not act protectively. Paradox share: the share of everyone who is concerned and does not act.",
		res.Behaviour, map[bool]string{true: " inverted (not sharing)", false: ""}[res.Behaviour == "sharing"])}
	sec.Tables = append(sec.Tables, b.wideTable("The say-do gap", res.Estimates, []statCol{
		{"concerned", "Concerned"}, {"protects", "Protects"}, {"gap", "Gap (points)"}, {"paradox_rate", "Paradox rate"}, {"paradox_share", "Paradox share"},
	}))
	if b.opts.Privacy == nil {
		if c := res.Correlation; c != nil {
			t := b.newTable("Does concern go with action? Design-based correlation", TextCol("Group"), TextCol("Level"), DecimalCol("Correlation of "+c.X+" and "+c.Y, 3), IntegerCol("Base (n)"))
			for _, d := range c.Domains {
				g, l := domainLabels(d.Domain)
				cell := Num(float64(d.Estimate))
				if d.N < b.minBase {
					cell = cell.WithSuppressed()
				}
				t.AddRow(Str(g), Str(l), cell, Num(float64(d.N)))
			}
			sec.Tables = append(sec.Tables, t)
		}
		if len(res.Items) > 0 {
			t := b.newTable("Behaviour item by item (total sample)", TextCol("Item"), PercentCol("Concerned").WithCI(), PercentCol("Not concerned").WithCI())
			for _, it := range res.Items {
				if !it.Domain.IsTotal() {
					continue
				}
				label := it.Item
				if it.Label != "" {
					label = it.Label
				}
				t.AddRow(Str(label), b.rowCell(it.Concerned), b.rowCell(it.Unconcerned))
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
				continue // suppressed in the table: no dot, no label
			}
			rows = append(rows, charts.GapRow{Region: cons[i].Domain.Level, Concern: interval(cons[i]), Protects: interval(prot[i]), LowBase: cons[i].N < 2*b.minBase})
		}
		if !hidden[analysis.Domain{}] {
			rows = append(rows, charts.GapRow{Region: "Total", Concern: interval(ctot), Protects: interval(ptot), Total: true})
		}
		if len(rows) > 0 { // every row may be suppressed
			c, err := charts.SayDoGap(rows, b.chartOptions())
			if err != nil {
				return fmt.Errorf("report: %w", err)
			}
			if err := b.addChart(&sec, "say-do-gap", "Share concerned about privacy and share acting protectively, by region, with confidence intervals", c); err != nil {
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
		h := charts.Heatmap{Rows: g.RowLevels, Cols: g.ColLevels, RowTitle: "Region", ColTitle: titleCase(seg.Name)}
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
		c, err := charts.ParadoxHeatmap(h, b.chartOptions())
		if err != nil {
			return fmt.Errorf("report: %w", err)
		}
		if err := b.addChart(&sec, "paradox-rate-heatmap", "Paradox rate by region and "+seg.Name, c); err != nil {
			return err
		}
	}
	b.rep.Sections = append(b.rep.Sections, sec)
	return nil
}

func (b *builder) testsTable(tests []analysis.Test) *Table {
	t := b.newTable("Do groups differ? Rao-Scott tests", TextCol("Variables"), DecimalCol("F", 2), DecimalCol("ndf", 2), DecimalCol("ddf", 1), PValueCol("p"))
	for _, x := range tests {
		cells := []Cell{Num(float64(x.F)), Num(float64(x.NDF)), Num(float64(x.DDF)), Num(float64(x.P))}
		if b.sup.hasSmallLevel(x.Variables) {
			// The test sets a suppressed level against the others.
			for i := range cells {
				cells[i] = cells[i].WithSuppressed()
			}
		}
		t.AddRow(append([]Cell{Str(strings.Join(x.Variables, " × "))}, cells...)...)
	}
	return t
}

func (b *builder) trust() error {
	if b.opts.Privacy != nil {
		return nil // odds ratios and differences are not part of the private release
	}
	res, err := analysis.Trust(b.ds, b.aopts)
	if err != nil {
		return b.skip("trust", err)
	}
	b.trustRes = res
	sec := Section{Name: "Trust & comfort", Intro: "Comfort with personalization among respondents who trust companies with their data and among those who do not; the effect is the difference in percentage points, with the odds ratio from a design-based logistic regression."}
	sec.Tables = append(sec.Tables, b.wideTable("Comfort with personalization by trust", res.Estimates, []statCol{
		{"comfort_trusting", "Trusting"}, {"comfort_nontrusting", "Not trusting"}, {"effect", "Effect (points)"},
	}))
	t := b.newTable("Odds ratio of comfort for trusting respondents", TextCol("Group"), TextCol("Level"), DecimalCol("Odds ratio", 2).WithCI(), IntegerCol("Base (n)"))
	for _, o := range res.OddsRatios {
		g, l := domainLabels(o.Domain)
		c := NumCI(float64(o.Estimate), float64(o.CILow), float64(o.CIHigh))
		switch {
		case o.N < b.minBase:
			c = c.WithSuppressed()
		case o.N < 2*b.minBase:
			c = c.WithLowBase()
		}
		t.AddRow(Str(g), Str(l), c, Num(float64(o.N)))
	}
	if a := res.Adjusted; a != nil {
		t.Notes = append(t.Notes, fmt.Sprintf("Adjusted for %s: odds ratio %.2f [%.2f–%.2f] (n = %d).", strings.Join(a.Covariates, ", "), float64(a.OddsRatio), float64(a.CILow), float64(a.CIHigh), a.N))
	}
	sec.Tables = append(sec.Tables, t)
	tr, ttot := regionRows(res.Estimates, "comfort_trusting")
	nt, ntot := regionRows(res.Estimates, "comfort_nontrusting")
	hidden := b.sup.hideAll(res.Estimates)
	if len(tr) > 0 && len(tr) == len(nt) {
		var rows []charts.EffectRow
		for i := range tr {
			if hidden[tr[i].Domain] {
				continue
			}
			rows = append(rows, charts.EffectRow{Region: tr[i].Domain.Level, Trusting: interval(tr[i]), NonTrusting: interval(nt[i]), LowBase: tr[i].N < 2*b.minBase || nt[i].N < 2*b.minBase})
		}
		if !hidden[analysis.Domain{}] {
			rows = append(rows, charts.EffectRow{Region: "Total", Trusting: interval(ttot), NonTrusting: interval(ntot), Total: true})
		}
		if len(rows) > 0 { // every row may be suppressed
			c, err := charts.TrustEffect(rows, b.chartOptions())
			if err != nil {
				return fmt.Errorf("report: %w", err)
			}
			if err := b.addChart(&sec, "trust-effect", "Share comfortable with personalization among trusting and non-trusting respondents by region", c); err != nil {
				return err
			}
		}
	}
	b.rep.Sections = append(b.rep.Sections, sec)
	return nil
}

func (b *builder) segments() error {
	res, err := analysis.Segments(b.ds, b.aopts)
	if err != nil {
		return b.skip("westin segments", err)
	}
	b.segmentsRes = res
	sec := Section{Name: "Segments", Intro: "Westin's privacy segmentation index: fundamentalists agree consumers have lost control and disagree that businesses and laws protect them; the unconcerned answer the opposite way; everyone else is a pragmatist."}
	stats := []statCol{{"westin_fundamentalist", "Fundamentalists"}, {"westin_pragmatist", "Pragmatists"}, {"westin_unconcerned", "Unconcerned"}}
	sec.Tables = append(sec.Tables, b.wideTable("Westin privacy segments", res.Estimates, stats))
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
			c, err := charts.WestinSegments(rows, b.chartOptions())
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

// regions compares each region with the rest of the sample and draws the
// construct flags by region as a native (editable) column chart.
func (b *builder) regions() error {
	if b.ds.Region == nil || b.opts.Privacy != nil {
		return nil
	}
	opts := b.aopts
	opts.By = []string{"region"}
	res, err := analysis.Compare(b.ds, opts, nil)
	if err != nil {
		return b.skip("regions", err)
	}
	sec := Section{Name: "Regions", Intro: fmt.Sprintf("Each region against the rest of the sample. ▲/▼ mark a region significantly higher/lower than the rest at %g%% (design-based t test).", 100*b.aopts.Level)}
	t := b.newTable("Regions against the rest of the sample", TextCol("Statistic"), TextCol("Region"), PercentCol("Region"), PercentCol("Rest"),
		PercentCol("Difference").WithCI(), PValueCol("p"), IntegerCol("Base (n)"))
	// A hidden region hides its rest-of-sample share, difference and test
	// too: the rest and the total give the region back.
	var asRows []analysis.Row
	for _, c := range res.Comparisons {
		asRows = append(asRows, analysis.Row{Statistic: c.Statistic, Domain: c.Domain, N: c.N})
	}
	hidden := b.sup.hideStats(asRows, paradoxLinks()...)
	for _, c := range res.Comparisons {
		h := hidden[c.Statistic][c.Domain]
		d := b.cell(float64(c.Difference), float64(c.CILow), float64(c.CIHigh), c.N)
		est, rest, p := Num(float64(c.Estimate)), Num(float64(c.Rest)), Num(float64(c.P))
		if h {
			d, est, rest, p = d.WithSuppressed(), est.WithSuppressed(), rest.WithSuppressed(), p.WithSuppressed()
		}
		if c.Significant && !d.Suppressed {
			d = d.WithMark(map[string]string{"+": "▲", "-": "▼"}[c.Direction])
		}
		t.AddRow(Str(c.Statistic), Str(c.Domain.Level), est, rest, d, p, Num(float64(c.N)))
	}
	sec.Tables = append(sec.Tables, t)
	// A compact table of the headline flags by region feeds the native chart.
	var flags []string
	for _, name := range []string{"concern", "trust", "comfort", "personalization", "sharing", "protection"} {
		if c := b.ds.Construct(name); c != nil && c.Def.Flag != "" {
			flags = append(flags, name)
		}
	}
	if len(flags) > 0 {
		desc, err := b.describe(flags, opts, false)
		if err != nil {
			return b.skip("regions", err)
		}
		cols := []Col{TextCol("Region")}
		for _, f := range flags {
			cols = append(cols, PercentCol(titleCase(f)))
		}
		ft := b.newTable("Headline flags by region", cols...)
		hidden := b.sup.hideStats(desc.Estimates)
		for _, lvl := range append(append([]string(nil), b.ds.Region.Levels...), "Total") {
			d := analysis.Domain{Var: "region", Level: lvl}
			if lvl == "Total" {
				d = analysis.Domain{}
			}
			cells := []Cell{Str(lvl)}
			for _, f := range flags {
				r, ok := find(desc.Estimates, f, d)
				c := Num(float64(r.Estimate))
				if !ok || r.N < b.minBase || hidden[f][d] {
					c = Num(math.NaN()).WithSuppressed()
				}
				cells = append(cells, c)
			}
			ft.AddRow(cells...)
		}
		series := make([]int, len(flags))
		for i := range series {
			series[i] = i + 1
		}
		sec.Tables = append(sec.Tables, ft)
		sec.NativeCharts = append(sec.NativeCharts, NativeChart{Title: "Headline flags by region", Type: Column, Table: ft, CategoryCol: 0, SeriesCols: series, PercentAxis: true})
	}
	if len(res.Tests) > 0 {
		sec.Tables = append(sec.Tables, b.testsTable(res.Tests))
	}
	b.rep.Sections = append(b.rep.Sections, sec)
	return nil
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
// total and once per domain variable (region and every segment).
func PrivateTables(ds *survey.Dataset) int {
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
		return nil
	}
	// Only the comfort constructs: a private release then spends budget on
	// them alone (see PrivateTables). The section shows the total sample,
	// so an exact report estimates only that; a private one releases the
	// tables PrivateTables planned.
	desc, err := b.describe(names, b.aopts, b.opts.Privacy == nil)
	if err != nil {
		return b.skip("comfort by data type", err)
	}
	sec := Section{Name: "Comfort by data type", Intro: "Share of respondents comfortable with companies using each type of personal data for personalization."}
	t := b.newTable("Comfortable with personalization using…", TextCol("Data type"), PercentCol("Comfortable").WithCI(), IntegerCol("Base (n)"))
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
	sort.SliceStable(items, func(i, j int) bool { return items[i].row.Estimate > items[j].row.Estimate })
	for _, it := range items {
		t.AddRow(Str(it.label), b.rowCell(it.row), Num(float64(it.row.N)))
		if it.row.N < b.minBase {
			continue // suppressed in the table: no bar
		}
		bars = append(bars, charts.BarRow{Label: it.label, Value: interval(it.row), LowBase: it.row.N < 2*b.minBase})
	}
	sec.Tables = append(sec.Tables, t)
	if len(bars) > 0 {
		c, err := charts.ComfortByDataType(bars, b.chartOptions())
		if err != nil {
			return fmt.Errorf("report: %w", err)
		}
		if err := b.addChart(&sec, "comfort-by-data-type", "Share comfortable with personalization by type of data, sorted", c); err != nil {
			return err
		}
	}
	b.rep.Sections = append(b.rep.Sections, sec)
	return nil
}

// crosstabs builds the market-research banner: Total, each region and each
// segment level as lettered columns; construct flags and items as rows.
func (b *builder) crosstabs() error {
	if b.opts.Privacy != nil {
		return nil
	}
	vars := analysis.DefaultBannerVariables(b.ds)
	if len(vars) == 0 {
		return nil
	}
	res, err := analysis.Banner(b.ds, vars, b.aopts)
	if err != nil {
		return err
	}
	bn := &Banner{Title: "Banner: construct flags and items", MinBase: b.minBase, LowBase: 2 * b.minBase,
		Legend: fmt.Sprintf("Letters mark a column significantly higher than the lettered column of the same group at %g%% (design-based t test on the difference of the two domain shares). Bases are unweighted respondents; cells on bases below %d are suppressed, below %d flagged *.", 100*b.aopts.Level, b.minBase, 2*b.minBase)}
	for _, c := range res.Columns {
		label := c.Domain.Level
		if c.Domain.IsTotal() {
			label = "Total"
		}
		bn.Columns = append(bn.Columns, BannerColumn{Letter: c.Letter, Group: titleCase(c.Group), Label: label})
		bn.UnweightedBase = append(bn.UnweightedBase, float64(c.Base.N))
		bn.WeightedBase = append(bn.WeightedBase, roundBase(float64(c.Base.WeightedN)))
		bn.EffectiveBase = append(bn.EffectiveBase, roundBase(float64(c.Base.EffectiveN)))
	}
	for _, r := range res.Rows {
		row := BannerRow{Label: r.Label}
		// The Total column is the margin of every group: a group with one
		// hidden cell hides a second (see suppressor).
		ns := map[analysis.Domain]int{}
		for c, cell := range r.Cells {
			ns[res.Columns[c].Domain] = min(cell.N, res.Columns[c].Base.N)
		}
		hidden := b.sup.hide(ns, nil)
		hiddenLetters := map[rune]bool{}
		for c := range r.Cells {
			if hidden[res.Columns[c].Domain] {
				for _, l := range res.Columns[c].Letter {
					hiddenLetters[l] = true
				}
			}
		}
		for c, cell := range r.Cells {
			n := res.Columns[c].Base.N
			// No letter says how a shown cell compares with a hidden one.
			sig := strings.Map(func(l rune) rune {
				if hiddenLetters[l] {
					return -1
				}
				return l
			}, cell.Sig)
			bc := BannerCell{Pct: cell.Estimate.Estimate, Sig: sig}
			switch {
			case hidden[res.Columns[c].Domain] || cell.N == 0:
				bc = BannerCell{Pct: math.NaN(), Suppressed: true}
			case n < 2*b.minBase:
				bc.LowBase = true
			}
			row.Cells = append(row.Cells, bc)
		}
		bn.Rows = append(bn.Rows, row)
	}
	b.rep.Sections = append(b.rep.Sections, Section{Name: "Crosstabs", Intro: "Column percentages: each cell is the share of the column's respondents (who answered) with the row's answer.", Banners: []*Banner{bn}})
	return nil
}

func (b *builder) reliability() error {
	if b.opts.Privacy != nil {
		return nil
	}
	res, err := analysis.Reliability(b.ds)
	if err != nil {
		return b.skip("reliability", err)
	}
	t := b.newTable("Internal consistency (Cronbach's alpha)", TextCol("Construct"), IntegerCol("Items"), DecimalCol("Alpha", 3), IntegerCol("Complete cases"), TextCol("Note"))
	for _, c := range res.Constructs {
		note := c.Note
		if float64(c.Alpha) < 0 && note == "" {
			note = "negative: the items are not coded in one direction (expected for index items such as Westin's)"
		}
		t.AddRow(Str(c.Construct), Num(float64(c.Items)), Num(float64(c.Alpha)), Num(float64(c.N)), Str(note))
	}
	b.rep.Sections = append(b.rep.Sections, Section{Name: "Reliability", Intro: "Cronbach's alpha of each multi-item construct after reverse coding, unweighted, over respondents who answered every item (psych::alpha raw_alpha).", Tables: []*Table{t}})
	return nil
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
		parts = append(parts, fmt.Sprintf("%d strata (%s)", d.NumStrata(), ds.Strata.Name))
	}
	if ds.PSU != nil {
		parts = append(parts, fmt.Sprintf("%d PSUs (%s)", d.NumPSU(), ds.PSU.Name))
	}
	if ds.FPC != nil {
		parts = append(parts, "finite population correction")
	}
	if len(parts) > 0 {
		design = strings.Join(parts, ", ")
	}
	m := []KeyValue{
		{"Study", b.rep.Title},
		{"Respondents", fmt.Sprintf("%d", ds.N)},
		{"Design", design},
		{"Degrees of freedom", fmt.Sprintf("%d (PSUs minus strata; per domain, the PSUs and strata with respondents in it)", d.DegF(nil))},
		{"Weighting efficiency", fmt.Sprintf("%.1f%% (Kish: (Σw)² / (n·Σw²))", 100*d.KishEfficiency(nil))},
		{"Variance estimation", "Taylor linearization, with-replacement between-PSU variance within strata, as R's survey package (svydesign(ids=~psu, strata=~strata, weights=~w, nest=TRUE)); single-PSU strata: " + b.aopts.Lonely.String()},
		{"Intervals", fmt.Sprintf("%g%% confidence. Shares: %s interval (svyciprop). Means and differences: estimate ± t(degf)·SE.", 100*b.aopts.Level, b.aopts.CI)},
		{"Significance", "Regions: each region against the rest of the sample, design-based t test. Crosstabs: column letters from pairwise design-based t tests within each group. Rao-Scott second-order corrected F tests for association."},
		{"Suppression", fmt.Sprintf("Estimates on fewer than %d respondents (unweighted) are suppressed (–); fewer than %d are flagged *. No respondent-level data appear in this report.", b.minBase, 2*b.minBase)},
		{"Concerned", "concern construct flag (the codebook's rule on the concern score)"},
		{"Protects", "protection construct flag, or 1 − sharing flag when there is no protection construct"},
		{"Gap", "mean of concerned − protects over respondents who answered both"},
		{"Paradox rate", "share not acting protectively among concerned respondents"},
		{"Paradox share", "share concerned and not acting protectively"},
		{"Trust effect", "comfort among trusting minus comfort among non-trusting respondents (svycontrast of svyby means); odds ratio from svyglm(comfortable ~ trusting, quasibinomial)"},
		{"Westin segments", "fundamentalist: agrees item 1 (lost control) and disagrees items 2–3; unconcerned: the reverse; pragmatist: everyone else with all three answered"},
	}
	for _, c := range ds.Constructs {
		def := "items " + strings.Join(c.Def.Items, ", ")
		if c.Def.Score != "" {
			def += "; score " + c.Def.Score
		}
		if len(c.Def.Reverse) > 0 {
			def += "; reversed " + strings.Join(c.Def.Reverse, ", ")
		}
		if c.Def.Flag != "" {
			def += "; flag score " + c.Def.Flag
		}
		m = append(m, KeyValue{"Construct " + c.Name, def})
	}
	if p := b.opts.Privacy; p != nil {
		m = append(m, KeyValue{"Differential privacy", p.Describe()})
	}
	for _, s := range b.skipped {
		m = append(m, KeyValue{"Not reported", s})
	}
	m = append(m, KeyValue{"Data files", strings.Join(b.opts.Files, ", ")})
	b.rep.Methodology = m
	b.findings()
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
	shown := func(rows ...analysis.Row) bool {
		for _, r := range rows {
			if r.N < b.minBase || math.IsNaN(float64(r.Estimate)) {
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
				pct(con.Estimate), ci(con.CILow, con.CIHigh), pct(best.Concerned.Estimate), what, ci(best.Concerned.CILow, best.Concerned.CIHigh))
		default:
			add("%s say they are concerned about their privacy %s.", pct(con.Estimate), ci(con.CILow, con.CIHigh))
		}
		if shown(prot, rate) {
			add("%s act to protect their data %s; %s of the concerned do not (the paradox rate) %s.",
				pct(prot.Estimate), ci(prot.CILow, prot.CIHigh), pct(rate.Estimate), ci(rate.CILow, rate.CIHigh))
		}
		regs, _ := regionRows(p.Estimates, "paradox_rate")
		hidden := b.sup.hideAll(p.Estimates)
		var ok []analysis.Row
		for _, r := range regs {
			if shown(r) && !hidden[r.Domain] {
				ok = append(ok, r)
			}
		}
		if len(ok) >= 2 {
			sort.SliceStable(ok, func(i, j int) bool { return ok[i].Estimate > ok[j].Estimate })
			hi, lo := ok[0], ok[len(ok)-1]
			add("The paradox is widest in %s (%s %s of the concerned do not protect themselves) and narrowest in %s (%s %s).",
				hi.Domain.Level, pct(hi.Estimate), ci(hi.CILow, hi.CIHigh), lo.Domain.Level, pct(lo.Estimate), ci(lo.CILow, lo.CIHigh))
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
		tot := analysis.Domain{}
		with, _ := find(t.Estimates, "comfort_trusting", tot)
		without, _ := find(t.Estimates, "comfort_nontrusting", tot)
		eff, _ := find(t.Estimates, "effect", tot)
		if shown(with, without, eff) {
			add("Comfort with personalization is %.1f points higher among consumers who trust companies with their data (%s vs %s; difference %s).",
				100*float64(eff.Estimate), pct(with.Estimate), pct(without.Estimate), ci(eff.CILow, eff.CIHigh))
		}
	}
	b.rep.Findings = f
}
