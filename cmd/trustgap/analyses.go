package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/trustgap/trustgap/analysis"
	"github.com/trustgap/trustgap/datasets"
	"github.com/trustgap/trustgap/internal/leanload"
	"github.com/trustgap/trustgap/reports"
)

// AnalysisOptions holds the flags shared by describe, paradox, trust,
// effect, segments, compare and reliability.
type AnalysisOptions struct {
	IO      *IOStreams
	Study   studyOptions
	Output  outputOptions
	By      []string
	CI      string
	Level   float64
	MinBase int

	// effect
	Factor, Outcome string
	// compare
	Benchmark  string
	Benchmarks bool
}

// analysisOptions converts the flags for package analysis; ctx (the
// command's) cancels the estimation.
func (o *AnalysisOptions) analysisOptions(ctx context.Context) analysis.Options {
	ci, _ := analysis.ParseCIMethod(o.CI)
	lonely, _ := analysis.ParseLonelyPSU(o.Study.LonelyPSU)
	mb := o.MinBase
	if mb == 0 {
		mb = -1 // 0 means "flag nothing" on the command line
	}
	return analysis.Options{By: o.By, Level: o.Level, CI: ci, MinBase: mb, Lonely: lonely, Context: ctx}
}

// newAnalysisCmd builds one analysis command around run.
func newAnalysisCmd(s *IOStreams, use, short, long string, runF func(*AnalysisOptions) error,
	run func(*cobra.Command, *AnalysisOptions) error) (*cobra.Command, *AnalysisOptions) {
	opts := &AnalysisOptions{IO: s}
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Long:  long,
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := validateCommon(&opts.Study, &opts.Output, opts.CI, opts.Level); err != nil {
				return err
			}
			if opts.MinBase < 0 {
				return usageErrorf("--min-base must be 0 or more, got %d", opts.MinBase)
			}
			if runF != nil {
				return runF(opts)
			}
			return run(cmd, opts)
		},
	}
	addStudyFlags(cmd, &opts.Study)
	addTargetsFlag(cmd, &opts.Study)
	addOutputFlags(cmd, &opts.Output)
	addCIFlags(cmd, &opts.CI, &opts.Level, &opts.MinBase)
	cmd.Flags().StringSliceVar(&opts.By, "by", nil, "report these domain variables only: region and/or segment names (default: all)")
	_ = cmd.RegisterFlagCompletionFunc("by", completeNames(&opts.Study, domainNames))
	cmd.Flags().BoolVarP(&opts.Study.Quiet, "quiet", "q", false, "no progress bar while reading large files")
	return cmd, opts
}

const domainsHelp = `
Every statistic is reported for the total sample, each region and each
level of each segment (narrow with --by), with design-based standard errors
and intervals as R's survey package computes them. Bases below --min-base
are flagged *.`

// NewCmdDescribe builds `trustgap describe`.
func NewCmdDescribe(s *IOStreams, runF func(*AnalysisOptions) error) *cobra.Command {
	cmd, _ := newAnalysisCmd(s, "describe", "Construct toplines: share flagged and mean score",
		`For every construct with a flag, the weighted share of respondents whose
flag is 1 (statistic = the construct's name) and the weighted mean score
(statistic = name_score), as svyciprop and svymean.`+domainsHelp, runF, describeRun)
	return cmd
}

func describeRun(cmd *cobra.Command, opts *AnalysisOptions) error {
	st, err := opts.Study.load(cmd.Context(), opts.IO, leanLoad(nil), leanload.All)
	if err != nil {
		return err
	}
	res, err := analysis.Describe(st.DS, st.options(opts.analysisOptions(cmd.Context())))
	if err != nil {
		return err
	}
	return opts.Output.write(opts.IO, st.Inputs, result{JSON: describeJSON{res, newDesignJSON(st.Design)}, Tables: withCalibration(rowsTables("Construct toplines", res.Estimates, opts.MinBase, regionName(st.DS)), st.Design), CSV: rowsCSV(res.Estimates)})
}

// NewCmdParadox builds `trustgap paradox`.
func NewCmdParadox(s *IOStreams, runF func(*AnalysisOptions) error) *cobra.Command {
	cmd, _ := newAnalysisCmd(s, "paradox", "The privacy paradox: stated concern versus protective behaviour",
		`Per respondent, concerned is the concern flag and protects the protection
flag (or 1 − the sharing flag when the codebook has no protection construct).

  concerned      share concerned
  protects       share acting protectively
  gap            mean of concerned − protects (both answered): the say-do gap
  paradox_rate   share not protecting among the concerned
  paradox_share  share concerned and not protecting

Also: the Rao-Scott test of region × concerned, the design-based correlation
of concern and behaviour scores, and each behaviour item among concerned and
unconcerned respondents.`+domainsHelp, runF, paradoxRun)
	return cmd
}

func paradoxRun(cmd *cobra.Command, opts *AnalysisOptions) error {
	st, err := opts.Study.load(cmd.Context(), opts.IO, leanLoad([]string{"concern", "protection", "sharing"}), leanload.All)
	if err != nil {
		return err
	}
	res, err := analysis.Paradox(st.DS, st.options(opts.analysisOptions(cmd.Context())))
	if err != nil {
		return err
	}
	tables := rowsTables("Privacy paradox", res.Estimates, opts.MinBase, regionName(st.DS))
	covered := len(tables)
	if len(res.Tests) > 0 {
		tables = append(tables, testsTable(res.Tests))
	}
	if c := res.Correlation; c != nil {
		t := reports.NewTable(fmt.Sprintf("Correlation of %s and %s (design-based)", c.X, c.Y),
			reports.TextCol("Domain"), reports.TextCol("Level"), reports.DecimalCol("r", 3), reports.IntegerCol("Base (n)"))
		for _, d := range c.Domains {
			dom, lvl := domainCells(d.Domain, regionName(st.DS))
			t.AddRow(dom, lvl, reports.Num(float64(d.Estimate)), reports.Num(float64(d.N)))
		}
		tables = append(tables, t)
	}
	if len(res.Items) > 0 {
		t := reports.NewTable(fmt.Sprintf("Behaviour item by item (%s)", res.Behaviour),
			reports.TextCol("Item"), reports.TextCol("Domain"), reports.TextCol("Level"),
			reports.PercentCol("Concerned").WithCI(), reports.PercentCol("Unconcerned").WithCI())
		t.LowBase = opts.MinBase
		for _, it := range res.Items {
			dom, lvl := domainCells(it.Domain, regionName(st.DS))
			label := it.Item
			if it.Label != "" {
				label = it.Item + " — " + it.Label
			}
			t.AddRow(reports.Str(label), dom, lvl, rowCell(it.Concerned, opts.MinBase), rowCell(it.Unconcerned, opts.MinBase))
		}
		tables = append(tables, t)
	}
	return opts.Output.write(opts.IO, st.Inputs, result{JSON: paradoxJSON{res, newDesignJSON(st.Design)}, Tables: withCalibration(tables, st.Design), CSV: rowsCSV(res.Estimates), CSVMore: tables[covered:]})
}

// NewCmdTrust builds `trustgap trust`.
func NewCmdTrust(s *IOStreams, runF func(*AnalysisOptions) error) *cobra.Command {
	cmd, _ := newAnalysisCmd(s, "trust", "Does trust buy comfort? Comfort with personalization by trust",
		`Per respondent, trusting is the trust flag and comfortable the comfort flag.

  comfort_trusting     share comfortable among trusting respondents
  comfort_nontrusting  share comfortable among the others
  effect               their difference (percentage points), linearization SE
  odds_ratio           from svyglm(comfortable ~ trusting, quasibinomial)

plus the odds ratio adjusted for region and every segment.`+domainsHelp, runF,
		func(cmd *cobra.Command, o *AnalysisOptions) error { return effectRun(cmd, o, "trust", "comfort") })
	return cmd
}

// NewCmdEffect builds `trustgap effect`.
func NewCmdEffect(s *IOStreams, runF func(*AnalysisOptions) error) *cobra.Command {
	cmd, opts := newAnalysisCmd(s, "effect --factor F --outcome O", "Effect of one construct's flag on another's",
		`The trust analysis for any two constructs with flags: the outcome's share
with and without the factor (with_factor, without_factor), their difference
(effect) and the odds ratio, e.g. benefit motives on sharing or
personalization preference on comfort.`+domainsHelp, runF,
		func(cmd *cobra.Command, o *AnalysisOptions) error { return effectRun(cmd, o, o.Factor, o.Outcome) })
	cmd.Flags().StringVar(&opts.Factor, "factor", "", "construct whose flag is the `factor`")
	cmd.Flags().StringVar(&opts.Outcome, "outcome", "", "construct whose flag is the `outcome`")
	_ = cmd.MarkFlagRequired("factor")
	_ = cmd.MarkFlagRequired("outcome")
	_ = cmd.RegisterFlagCompletionFunc("factor", completeNames(&opts.Study, flaggedNames))
	_ = cmd.RegisterFlagCompletionFunc("outcome", completeNames(&opts.Study, flaggedNames))
	return cmd
}

func effectRun(cmd *cobra.Command, opts *AnalysisOptions, factor, outcome string) error {
	st, err := opts.Study.load(cmd.Context(), opts.IO, leanLoad([]string{factor, outcome}), leanload.All)
	if err != nil {
		return err
	}
	var res *analysis.EffectResult
	if factor == "trust" && outcome == "comfort" && cmd.Name() == "trust" {
		res, err = analysis.Trust(st.DS, st.options(opts.analysisOptions(cmd.Context())))
	} else {
		res, err = analysis.Effect(st.DS, factor, outcome, st.options(opts.analysisOptions(cmd.Context())))
	}
	if err != nil {
		return err
	}
	tables := rowsTables(fmt.Sprintf("%s among respondents with and without %s", outcome, factor), res.Estimates, opts.MinBase, regionName(st.DS))
	covered := len(tables)
	t := reports.NewTable("Odds ratios", reports.TextCol("Domain"), reports.TextCol("Level"),
		reports.DecimalCol("Odds ratio", 2).WithCI(), reports.DecimalCol("log OR", 4), reports.DecimalCol("SE", 4), reports.IntegerCol("Base (n)"))
	t.LowBase = opts.MinBase
	for _, o := range res.OddsRatios {
		dom, lvl := domainCells(o.Domain, regionName(st.DS))
		c := reports.NumCI(float64(o.Estimate), float64(o.CILow), float64(o.CIHigh))
		if o.N < opts.MinBase {
			c = c.WithLowBase()
		}
		t.AddRow(dom, lvl, c, reports.Num(float64(o.LogOR)), reports.Num(float64(o.LogORSE)), reports.Num(float64(o.N)))
	}
	tables = append(tables, t)
	if a := res.Adjusted; a != nil {
		at := reports.NewTable("Odds ratio adjusted for "+strings.Join(a.Covariates, ", "),
			reports.DecimalCol("Odds ratio", 2).WithCI(), reports.DecimalCol("log OR", 4), reports.DecimalCol("SE", 4), reports.IntegerCol("Base (n)"))
		at.AddRow(reports.NumCI(float64(a.OddsRatio), float64(a.CILow), float64(a.CIHigh)), reports.Num(float64(a.LogOR)), reports.Num(float64(a.LogORSE)), reports.Num(float64(a.N)))
		tables = append(tables, at)
	}
	return opts.Output.write(opts.IO, st.Inputs, result{JSON: effectJSON{res, newDesignJSON(st.Design)}, Tables: withCalibration(tables, st.Design), CSV: rowsCSV(res.Estimates), CSVMore: tables[covered:]})
}

// NewCmdSegments builds `trustgap segments`.
func NewCmdSegments(s *IOStreams, runF func(*AnalysisOptions) error) *cobra.Command {
	cmd, _ := newAnalysisCmd(s, "segments", "Westin's privacy segments: fundamentalists, pragmatists, unconcerned",
		`Westin's privacy segmentation index from the westin construct's three items
(1 = strongly agree … 4 = strongly disagree): fundamentalists agree that
consumers have lost control and disagree that businesses and laws protect
them; the unconcerned answer the opposite way; everyone else who answered
all three is a pragmatist.`+domainsHelp, runF, segmentsRun)
	return cmd
}

func segmentsRun(cmd *cobra.Command, opts *AnalysisOptions) error {
	st, err := opts.Study.load(cmd.Context(), opts.IO, leanLoad([]string{"westin"}), leanload.All)
	if err != nil {
		return err
	}
	res, err := analysis.Segments(st.DS, st.options(opts.analysisOptions(cmd.Context())))
	if err != nil {
		return err
	}
	return opts.Output.write(opts.IO, st.Inputs, result{JSON: segmentsJSON{res, newDesignJSON(st.Design)}, Tables: withCalibration(rowsTables("Westin privacy segments", res.Estimates, opts.MinBase, regionName(st.DS)), st.Design), CSV: rowsCSV(res.Estimates)})
}

// NewCmdCompare builds `trustgap compare`.
func NewCmdCompare(s *IOStreams, runF func(*AnalysisOptions) error) *cobra.Command {
	cmd, opts := newAnalysisCmd(s, "compare [--benchmark FILE | --benchmarks]", "Regions and segments side by side, with significance",
		`Every region (and segment level) against the rest of the sample for each
construct flag and the paradox statistics: the difference, its interval and
a design-based t test; ▲/▼ mark differences significant at the confidence
level. Also the Rao-Scott test across all levels.

--benchmark FILE sets published toplines (YAML: toplines: [{figure,
statistic, domain, value, source}]) against the study's estimates;
--benchmarks uses the ones trustgap ships (Pew Research Center 2019,
Special Eurobarometer 431, Qualtrics consumer trends).`+domainsHelp, runF, compareRun)
	cmd.Flags().StringVar(&opts.Benchmark, "benchmark", "", "published toplines `YAML` to compare with")
	cmd.Flags().BoolVar(&opts.Benchmarks, "benchmarks", false, "compare with the published toplines trustgap ships")
	return cmd
}

func compareRun(cmd *cobra.Command, opts *AnalysisOptions) error {
	var toplines []analysis.Topline
	switch {
	case opts.Benchmark != "":
		f, err := os.Open(opts.Benchmark)
		if err != nil {
			return fmt.Errorf("benchmark: %w", err)
		}
		toplines, err = analysis.ParseBenchmarks(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("benchmark %s: %w", opts.Benchmark, err)
		}
	case opts.Benchmarks:
		var err error
		toplines, err = analysis.ParseBenchmarks(strings.NewReader(string(datasets.Benchmarks())))
		if err != nil {
			return &internalError{fmt.Errorf("shipped benchmarks: %w", err)}
		}
	}
	st, err := opts.Study.load(cmd.Context(), opts.IO, leanLoad(nil), leanload.All)
	if err != nil {
		return err
	}
	res, err := analysis.Compare(st.DS, st.options(opts.analysisOptions(cmd.Context())), toplines)
	if err != nil {
		return err
	}
	pct := 100 * opts.Level
	t := reports.NewTable("Each domain against the rest of the sample",
		reports.TextCol("Statistic"), reports.TextCol("Domain"), reports.TextCol("Level"),
		reports.PercentCol("Domain"), reports.PercentCol("Rest"), reports.PointsCol("Difference").WithCI(),
		reports.PValueCol("p"), reports.IntegerCol("Base (n)"))
	t.LowBase = opts.MinBase
	t.Notes = append(t.Notes, fmt.Sprintf("▲/▼: the domain is significantly higher/lower than the rest of the sample at %g%% (design-based t test).", pct))
	long := reports.NewTable("comparisons", reports.TextCol("statistic"), reports.TextCol("domain"), reports.TextCol("level"),
		reports.DecimalCol("estimate", 6), reports.DecimalCol("rest", 6), reports.DecimalCol("difference", 6).WithCI(),
		reports.DecimalCol("se", 6), reports.DecimalCol("t", 6), reports.DecimalCol("p", 6), reports.IntegerCol("df"),
		reports.IntegerCol("n"), reports.IntegerCol("n_rest"), reports.TextCol("significant"))
	for _, c := range res.Comparisons {
		dom, lvl := domainCells(c.Domain, regionName(st.DS))
		d := reports.NumCI(float64(c.Difference), float64(c.CILow), float64(c.CIHigh))
		if c.Significant {
			d = d.WithMark(map[string]string{"+": "▲", "-": "▼"}[c.Direction])
		}
		e := reports.Num(float64(c.Estimate))
		if c.LowBase {
			e = e.WithLowBase()
		}
		t.AddRow(reports.Str(c.Statistic), dom, lvl, e, reports.Num(float64(c.Rest)), d, reports.Num(float64(c.P)), reports.Num(float64(c.N)))
		cv, cl := domainCSV(c.Domain)
		long.AddRow(reports.Str(c.Statistic), cv, cl,
			reports.Num(float64(c.Estimate)), reports.Num(float64(c.Rest)), reports.NumCI(float64(c.Difference), float64(c.CILow), float64(c.CIHigh)),
			reports.Num(float64(c.SE)), reports.Num(float64(c.T)), reports.Num(float64(c.P)), reports.Num(float64(c.DF)),
			reports.Num(float64(c.N)), reports.Num(float64(c.NRest)), reports.Str(fmt.Sprint(c.Significant)))
	}
	tables := []*reports.Table{t}
	if len(res.Tests) > 0 {
		tables = append(tables, testsTable(res.Tests))
	}
	if len(res.Benchmarks) > 0 {
		bt := reports.NewTable("Published benchmarks", reports.TextCol("Figure"), reports.TextCol("Domain"),
			reports.PercentCol("Published"), reports.PercentCol("This study").WithCI(), reports.PointsCol("Difference"), reports.PValueCol("p"), reports.TextCol("Within CI"), reports.TextCol("Source"))
		for _, b := range res.Benchmarks {
			dom := b.Domain.String()
			within := "no"
			if b.WithinCI {
				within = "yes"
			}
			if !b.Matched {
				within = "not in study"
			}
			bt.AddRow(reports.Str(b.Figure), reports.Str(dom), reports.Num(float64(b.Published)),
				reports.NumCI(float64(b.Estimate), float64(b.CILow), float64(b.CIHigh)), reports.Num(float64(b.Difference)), reports.Num(float64(b.P)), reports.Str(within), reports.Str(b.Source))
		}
		tables = append(tables, bt)
	}
	return opts.Output.write(opts.IO, st.Inputs, result{JSON: compareOutJSON{res, newDesignJSON(st.Design)}, Tables: withCalibration(tables, st.Design), CSV: long, CSVMore: tables[1:]})
}

// NewCmdReliability builds `trustgap reliability`.
func NewCmdReliability(s *IOStreams, runF func(*AnalysisOptions) error) *cobra.Command {
	cmd, _ := newAnalysisCmd(s, "reliability", "Cronbach's alpha of every multi-item construct",
		`Cronbach's alpha of every construct with two or more items, after reverse
coding, over complete cases (psych::alpha's raw_alpha), with alpha if each
item is deleted.`, runF, reliabilityRun)
	return cmd
}

func reliabilityRun(cmd *cobra.Command, opts *AnalysisOptions) error {
	st, err := opts.Study.load(cmd.Context(), opts.IO, leanLoad(nil), leanload.All)
	if err != nil {
		return err
	}
	res, err := analysis.ReliabilityContext(cmd.Context(), st.DS)
	if err != nil {
		return err
	}
	t := reports.NewTable("Reliability (Cronbach's alpha)", reports.TextCol("Construct"), reports.IntegerCol("Items"),
		reports.DecimalCol("Alpha", 3), reports.IntegerCol("Complete cases"), reports.TextCol("Note"))
	d := reports.NewTable("Alpha if item deleted", reports.TextCol("Construct"), reports.TextCol("Item"), reports.DecimalCol("Alpha if deleted", 3))
	for _, c := range res.Constructs {
		t.AddRow(reports.Str(c.Construct), reports.Num(float64(c.Items)), reports.Num(float64(c.Alpha)), reports.Num(float64(c.N)), reports.Str(c.Note))
		for _, it := range c.AlphaIfDeleted {
			d.AddRow(reports.Str(c.Construct), reports.Str(it.Item), reports.Num(float64(it.Alpha)))
		}
	}
	return opts.Output.write(opts.IO, st.Inputs, result{JSON: res, Tables: []*reports.Table{t, d}})
}

// addAnalysisCommands registers the analyses of the privacy paradox and
// trust.
func addAnalysisCommands(root *cobra.Command, s *IOStreams) {
	root.AddCommand(
		NewCmdParadox(s, nil),
		NewCmdTrust(s, nil),
		NewCmdEffect(s, nil),
		NewCmdSegments(s, nil),
		NewCmdCompare(s, nil),
		NewCmdReliability(s, nil),
	)
}

// domainCells are the Domain and Level cells of a row.
func domainCells(d analysis.Domain, region string) (reports.Cell, reports.Cell) {
	v, l := humanDomain(d, region)
	return reports.Str(v), reports.Str(l)
}

// domainCSV is a domain's variable and level in a CSV row: empty for the
// total, crossed domains joined by " × ".
func domainCSV(d analysis.Domain) (reports.Cell, reports.Cell) {
	if d.IsTotal() {
		return reports.Str(""), reports.Str("")
	}
	return domainCells(d, "") // machine tables keep the JSON's "region"
}

// rowCell shows a share with its interval, flagged on a low base.
func rowCell(r analysis.Row, minBase int) reports.Cell {
	c := reports.NumCI(float64(r.Estimate), float64(r.CILow), float64(r.CIHigh))
	if r.N < minBase {
		c = c.WithLowBase()
	}
	return c
}
