package main

import (
	"fmt"

	"github.com/spf13/cobra"
	"github.com/trustgap/trustgap/analysis"
	"github.com/trustgap/trustgap/internal/leanload"
	"github.com/trustgap/trustgap/reports"
	"github.com/trustgap/trustgap/survey"
)

// CrosstabOptions holds the flags of `trustgap crosstab`.
type CrosstabOptions struct {
	IO      *IOStreams
	Study   studyOptions
	Output  outputOptions
	Rows    string
	Cols    string
	CI      string
	Level   float64
	MinBase int
	// Statistic is svychisq's statistic: F, Chisq, Wald or adjWald.
	Statistic string
}

// NewCmdCrosstab builds `trustgap crosstab`.
func NewCmdCrosstab(s *IOStreams, runF func(*CrosstabOptions) error) *cobra.Command {
	opts := &CrosstabOptions{IO: s}
	cmd := &cobra.Command{
		Use:   "crosstab --rows A --cols B",
		Short: "Weighted crosstab with column percentages, bases and the Rao-Scott test",
		Long: `Tabulate A (rows) by B (columns): weighted counts, column percentages with
intervals, unweighted, weighted and effective bases, and the Rao-Scott
second-order corrected chi-square test of independence (R's svychisq,
statistic "F"; --statistic Chisq, Wald, adjWald, lincom or saddlepoint for
svychisq's others; lincom's p is the exact tail of its weighted sum of
χ²s, saddlepoint's R's approximation of it).
Every cell carries the SE of its weighted count (svytotal of the cell in
its column's domain); the JSON includes the Total column.`,
		Example: "  trustgap crosstab --data api.csv --psu dnum --weight pw --rows sch.wide --cols stype",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Rows == "" || opts.Cols == "" {
				return usageErrorf("--rows and --cols are required")
			}
			if err := validateCommon(&opts.Study, &opts.Output, opts.CI, opts.Level); err != nil {
				return err
			}
			if _, err := analysis.ParseChiSqStatistic(opts.Statistic); err != nil {
				return &usageError{fmt.Errorf("--statistic: %w", err)}
			}
			if runF != nil {
				return runF(opts)
			}
			return crosstabRun(cmd, opts)
		},
	}
	addStudyFlags(cmd, &opts.Study)
	addTargetsFlag(cmd, &opts.Study)
	addOutputFlags(cmd, &opts.Output)
	cmd.Flags().StringVar(&opts.Rows, "rows", "", "row variable `A`")
	cmd.Flags().StringVar(&opts.Cols, "cols", "", "column variable `B`")
	_ = cmd.RegisterFlagCompletionFunc("rows", completeNames(&opts.Study, variableNames))
	_ = cmd.RegisterFlagCompletionFunc("cols", completeNames(&opts.Study, variableNames))
	addCIFlags(cmd, &opts.CI, &opts.Level, &opts.MinBase)
	cmd.Flags().StringVar(&opts.Statistic, "statistic", "F", "test of independence, svychisq's statistic: F, Chisq, Wald, adjWald, lincom or saddlepoint")
	_ = cmd.RegisterFlagCompletionFunc("statistic", cobra.FixedCompletions([]string{"F", "Chisq", "Wald", "adjWald", "lincom", "saddlepoint"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

type crosstabJSON struct {
	Rows  string         `json:"rows"`
	Cols  string         `json:"cols"`
	Cells []crossCell    `json:"cells"`
	Bases []crossBase    `json:"bases"`
	Test  *crossTestJSON `json:"test"`
	// Design is the design the table ran on (see describeJSON).
	Design designJSON `json:"design"`
}

// crossTestJSON is crosstab's test: svychisq's method, statistic and
// degrees of freedom (f repeats the statistic for F; Chisq has no ddf).
type crossTestJSON struct {
	Name      string        `json:"name"`
	Variables []string      `json:"variables"`
	Method    string        `json:"method"`
	Statistic analysis.Num  `json:"statistic"`
	F         *analysis.Num `json:"f,omitempty"`
	NDF       analysis.Num  `json:"ndf"`
	DDF       *analysis.Num `json:"ddf,omitempty"`
	P         analysis.Num  `json:"p"`
}

type crossCell struct {
	Row         string       `json:"row"`
	Col         string       `json:"col"`
	WeightedN   analysis.Num `json:"weighted_count"`
	WeightedSE  analysis.Num `json:"weighted_count_se"`
	ColumnShare analysis.Num `json:"column_share"`
	SE          analysis.Num `json:"se"`
	CILow       analysis.Num `json:"ci_low"`
	CIHigh      analysis.Num `json:"ci_high"`
}

type crossBase struct {
	Col        string       `json:"col"`
	N          int          `json:"n"`
	WeightedN  analysis.Num `json:"weighted_n"`
	EffectiveN analysis.Num `json:"effective_n"`
	LowBase    bool         `json:"low_base,omitempty"`
}

func crosstabRun(cmd *cobra.Command, opts *CrosstabOptions) error {
	vars := []string{opts.Rows, opts.Cols}
	st, err := opts.Study.load(cmd.Context(), opts.IO, survey.LoadOptions{Extra: vars, Categorical: vars}, leanload.Options{})
	if err != nil {
		return err
	}
	a, err := st.column(opts.Rows)
	if err != nil {
		return err
	}
	b, err := st.column(opts.Cols)
	if err != nil {
		return err
	}
	ctx := cmd.Context()
	ct, err := st.Design.CrosstabContext(ctx, a.Codes, b.Codes, a.Levels, b.Levels, opts.Level)
	if err != nil {
		return fmt.Errorf("crosstab: %w", err)
	}
	method, _ := analysis.ParseCIMethod(opts.CI)
	out := crosstabJSON{Rows: opts.Rows, Cols: opts.Cols, Design: newDesignJSON(st.Design)}
	cols := []reports.Col{reports.TextCol(opts.Rows)}
	for _, l := range b.Levels {
		cols = append(cols, reports.PercentCol(l).WithCI())
	}
	cols = append(cols, reports.PercentCol("Total").WithCI())
	pct := reports.NewTable(fmt.Sprintf("%s by %s: column percentages", opts.Rows, opts.Cols), cols...)
	pct.LowBase = opts.MinBase
	long := reports.NewTable("crosstab", reports.TextCol("row"), reports.TextCol("col"),
		reports.DecimalCol("weighted_count", 6), reports.DecimalCol("column_share", 6).WithCI(), reports.DecimalCol("se", 6))
	for i, al := range a.Levels {
		cells := []reports.Cell{reports.Str(al)}
		for j, bl := range b.Levels {
			e := ct.Pct[i][j]
			e.CILow, e.CIHigh = analysis.PropCI(e, method, opts.Level)
			c := reports.NumCI(e.Estimate, e.CILow, e.CIHigh)
			if ct.Bases[j].N < opts.MinBase {
				c = c.WithLowBase()
			}
			cells = append(cells, c)
			out.Cells = append(out.Cells, crossCell{Row: al, Col: bl, WeightedN: analysis.Num(ct.Counts[i][j]), WeightedSE: analysis.Num(ct.CountSE[i][j]),
				ColumnShare: analysis.Num(e.Estimate), SE: analysis.Num(e.SE), CILow: analysis.Num(e.CILow), CIHigh: analysis.Num(e.CIHigh)})
			long.AddRow(reports.Str(al), reports.Str(bl), reports.Num(ct.Counts[i][j]), reports.NumCI(e.Estimate, e.CILow, e.CIHigh), reports.Num(e.SE))
		}
		e := ct.TotalPct[i]
		e.CILow, e.CIHigh = analysis.PropCI(e, method, opts.Level)
		cells = append(cells, reports.NumCI(e.Estimate, e.CILow, e.CIHigh))
		out.Cells = append(out.Cells, crossCell{Row: al, Col: "Total", WeightedN: analysis.Num(ct.TotalCounts[i]), WeightedSE: analysis.Num(ct.TotalCountSE[i]),
			ColumnShare: analysis.Num(e.Estimate), SE: analysis.Num(e.SE), CILow: analysis.Num(e.CILow), CIHigh: analysis.Num(e.CIHigh)})
		pct.AddRow(cells...)
	}
	bases := []reports.Col{reports.TextCol("Base")}
	for _, l := range b.Levels {
		bases = append(bases, reports.DecimalCol(l, 1))
	}
	bases = append(bases, reports.DecimalCol("Total", 1))
	bt := reports.NewTable("Bases", bases...)
	addBase := func(label string, f func(analysis.CrosstabBase) float64) {
		cells := []reports.Cell{reports.Str(label)}
		for j := range b.Levels {
			cells = append(cells, reports.Num(f(ct.Bases[j])))
		}
		bt.AddRow(append(cells, reports.Num(f(ct.TotalBase)))...)
	}
	addBase("Unweighted", func(b analysis.CrosstabBase) float64 { return float64(b.N) })
	addBase("Weighted", func(b analysis.CrosstabBase) float64 { return b.WeightedN })
	addBase("Effective", func(b analysis.CrosstabBase) float64 { return b.EffectiveN })
	for j, l := range b.Levels {
		bs := ct.Bases[j]
		out.Bases = append(out.Bases, crossBase{Col: l, N: bs.N, WeightedN: analysis.Num(bs.WeightedN), EffectiveN: analysis.Num(bs.EffectiveN), LowBase: bs.N < opts.MinBase})
	}
	tb := ct.TotalBase
	out.Bases = append(out.Bases, crossBase{Col: "Total", N: tb.N, WeightedN: analysis.Num(tb.WeightedN), EffectiveN: analysis.Num(tb.EffectiveN), LowBase: tb.N < opts.MinBase})
	tables := []*reports.Table{pct, bt}
	stat, _ := analysis.ParseChiSqStatistic(opts.Statistic)
	test, err := ct.TestWithContext(ctx, st.Design, stat)
	if err != nil {
		return fmt.Errorf("crosstab: %w", err)
	}
	if test != nil {
		out.Test = newCrossTestJSON(vars, test)
		tables = append(tables, crossTestTable(vars, test))
	}
	return opts.Output.write(opts.IO, st.Inputs, result{JSON: out, Tables: withCalibration(tables, st.Design), CSV: long})
}

// testsTable lists tests of independence for people.
func testsTable(tests []analysis.Test) *reports.Table {
	t := reports.NewTable("Rao-Scott tests of independence", reports.TextCol("Variables"),
		reports.DecimalCol("F", 3), reports.DecimalCol("ndf", 2), reports.DecimalCol("ddf", 2), reports.PValueCol("p"))
	for _, x := range tests {
		v := ""
		for i, s := range x.Variables {
			if i > 0 {
				v += " × "
			}
			v += s
		}
		t.AddRow(reports.Str(v), reports.Num(float64(x.F)), reports.Num(float64(x.NDF)), reports.Num(float64(x.DDF)), reports.Num(float64(x.P)))
	}
	return t
}
