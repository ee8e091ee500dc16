package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/trustgap/trustgap/analysis"
	"github.com/trustgap/trustgap/internal/leanload"
	"github.com/trustgap/trustgap/reports"
	"github.com/trustgap/trustgap/survey"
)

// EstimateOptions holds the flags of `trustgap estimate`.
type EstimateOptions struct {
	IO     *IOStreams
	Study  studyOptions
	Output outputOptions
	Means  []string
	Props  []string
	Totals []string
	By     string
	CI     string
	Level  float64
	MinBs  int
}

// NewCmdEstimate builds `trustgap estimate`.
func NewCmdEstimate(s *IOStreams, runF func(*EstimateOptions) error) *cobra.Command {
	opts := &EstimateOptions{IO: s}
	cmd := &cobra.Command{
		Use:   "estimate (--mean COL | --prop EXPR)... [--by COL]",
		Short: "Design-based means and proportions with SEs, intervals and design effects",
		Long: `Estimate weighted means (--mean COL) and proportions (--prop 'COL OP VALUE',
OP one of == != >= > <= <) for the whole sample or by the levels of --by,
with Taylor-linearization standard errors for the declared design, as R's
svymean/svyciprop/svyby. Design flags override the codebook's design.

Proportion intervals: logit (default, svyciprop method "logit"), beta
(Korn-Graubard), wald (R's mean), xlogit, asin (limits kept within
[0, π/2] on the arcsine scale) or likelihood (the exact roots of the
profile R interpolates); mean intervals and totals (--total, R's
svytotal) are estimate ± t(degf)·SE. --by 'A*B' estimates every
combination of A's and B's levels that holds respondents (svyby(~y, ~A + B)).
--targets T.yaml (or a codebook weighting: block) rakes the design as R's
rake() and every SE accounts for it.`,
		Example: `  trustgap estimate --data apistrat.csv --weight pw --strata stype --fpc fpc --mean api00 --prop 'api00>875'
  trustgap estimate --data api.csv --psu dnum --weight pw --prop sch.wide==Yes --by stype --format json`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(opts.Means)+len(opts.Props)+len(opts.Totals) == 0 {
				return usageErrorf("give at least one --mean COL, --prop EXPR or --total COL")
			}
			if err := validateCommon(&opts.Study, &opts.Output, opts.CI, opts.Level); err != nil {
				return err
			}
			for _, p := range opts.Props {
				if _, err := survey.ParseCondition(p); err != nil {
					return &usageError{fmt.Errorf("--prop: %w", err)}
				}
			}
			if runF != nil {
				return runF(opts)
			}
			return estimateRun(cmd, opts)
		},
	}
	addStudyFlags(cmd, &opts.Study)
	addTargetsFlag(cmd, &opts.Study)
	addOutputFlags(cmd, &opts.Output)
	cmd.Flags().StringArrayVar(&opts.Means, "mean", nil, "estimate the mean of `COL` (repeatable)")
	cmd.Flags().StringArrayVar(&opts.Props, "prop", nil, "estimate the proportion where `EXPR` holds, e.g. 'api00>875' (repeatable)")
	cmd.Flags().StringArrayVar(&opts.Totals, "total", nil, "estimate the population total of `COL`, or the weighted count where 'COL OP VALUE' holds (svytotal; repeatable)")
	cmd.Flags().StringVar(&opts.By, "by", "", "estimate for each level of `COL` too; 'A*B' for every combination of A's and B's levels (svyby(~y, ~A + B))")
	addCIFlags(cmd, &opts.CI, &opts.Level, &opts.MinBs)
	return cmd
}

// addCIFlags adds --ci, --level and --min-base.
func addCIFlags(cmd *cobra.Command, ci *string, level *float64, minBase *int) {
	cmd.Flags().StringVar(ci, "ci", "logit", "interval for proportions (svyciprop's method): logit, beta, wald (R's mean), xlogit, asin or likelihood")
	cmd.Flags().Float64Var(level, "level", 0.95, "confidence level")
	cmd.Flags().IntVar(minBase, "min-base", 30, "flag estimates whose unweighted base is below `N`")
	_ = cmd.RegisterFlagCompletionFunc("ci", cobra.FixedCompletions([]string{"logit", "beta", "wald", "mean", "xlogit", "asin", "likelihood"}, cobra.ShellCompDirectiveNoFileComp))
}

// validateCommon checks the shared flags.
func validateCommon(st *studyOptions, out *outputOptions, ci string, level float64) error {
	if err := st.validate(); err != nil {
		return err
	}
	if err := out.validate(); err != nil {
		return err
	}
	if _, err := analysis.ParseCIMethod(ci); err != nil {
		return &usageError{fmt.Errorf("--ci: %w", err)}
	}
	if !(level > 0 && level < 1) {
		return usageErrorf("--level must be between 0 and 1 (e.g. 0.95), got %v", level)
	}
	return nil
}

// estimateJSON is the JSON shape of `estimate`.
type estimateJSON struct {
	Estimates []analysis.Row `json:"estimates"`
	Design    designJSON     `json:"design"`
}

type designJSON struct {
	N      int `json:"n"`
	Strata int `json:"strata"`
	PSUs   int `json:"psus"`
	DegF   int `json:"degf"`
	// Calibration states the margins of a calibrated design.
	Calibration *calibrationJSON `json:"calibration,omitempty"`
}

func newDesignJSON(d *analysis.Design) designJSON {
	return designJSON{N: d.N(), Strata: d.NumStrata(), PSUs: d.NumPSU(), DegF: d.DegF(nil), Calibration: newCalibrationJSON(d)}
}

func estimateRun(cmd *cobra.Command, opts *EstimateOptions) error {
	conds := make([]survey.Condition, len(opts.Props))
	extra := append([]string(nil), opts.Means...)
	for i, p := range opts.Props {
		conds[i], _ = survey.ParseCondition(p)
		extra = append(extra, conds[i].Column)
	}
	totals, err := parseTotals(opts.Totals)
	if err != nil {
		return err
	}
	for _, t := range totals {
		extra = append(extra, t.column)
	}
	byVars := splitBy(opts.By)
	lo := survey.LoadOptions{Extra: append(extra, byVars...), Categorical: byVars}
	st, err := opts.Study.load(cmd.Context(), opts.IO, lo, leanload.Options{})
	if err != nil {
		return err
	}
	method, _ := analysis.ParseCIMethod(opts.CI)

	doms := []crossedDomain{{}}
	if len(byVars) > 0 {
		cols := make([]*survey.Column, len(byVars))
		for k, v := range byVars {
			if cols[k], err = st.column(v); err != nil {
				return err
			}
			if st.CB != nil && v != "" && v == st.CB.Design.ID {
				// Its levels are the respondents' ids, which no output shows.
				return usageErrorf("--by %s: %q is the respondent id (design.id): a table by it would publish every id; choose a grouping column", v, v)
			}
			limit := st.maxLevels
			if limit <= 0 {
				limit = analysis.DefaultMaxLevels
			}
			if n := len(cols[k].Levels); n > limit {
				return fmt.Errorf("--by %s: %w: %d levels, more than the limit of %d; every level is a domain estimated on its own, so this is most likely not a grouping (an id or a free-text column?): band it into fewer groups (codebook bands:) or choose another column", v, analysis.ErrTooManyLevels, n, limit)
			}
		}
		doms = append(doms, crossedDomains(byVars, cols, st.DS.N)...)
	}
	// The domains after the total are disjoint (crossed levels): one
	// grouping, so that a mean or share is read once for all of them
	// (MeanBy) rather than once per domain.
	groups := make([]int32, st.DS.N)
	for i := range groups {
		groups[i] = -1
	}
	for k, dm := range doms[1:] {
		for i, ok := range dm.in {
			if ok {
				groups[i] = int32(k)
			}
		}
	}
	var rows []analysis.Row
	ctx := cmd.Context()
	// Each estimate is a pass over the respondents (on a calibrated
	// design, ten sweeps over the margins too): the context is polled
	// before each.
	stopped := func() error {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("estimate stopped: %w", err)
		}
		return nil
	}
	add := func(variable, statistic string, y []float64, prop bool) error {
		est := make([]analysis.Estimate, len(doms))
		if statistic == "total" {
			for k, dm := range doms {
				if err := stopped(); err != nil {
					return err
				}
				est[k] = st.Design.Total(y, dm.in, opts.Level)
			}
		} else {
			if err := stopped(); err != nil {
				return err
			}
			est[0] = st.Design.Mean(y, nil, opts.Level)
			if len(doms) > 1 {
				if err := stopped(); err != nil {
					return err
				}
				copy(est[1:], st.Design.MeanBy(y, groups, len(doms)-1, opts.Level))
			}
		}
		for k, dm := range doms {
			e := est[k]
			if prop {
				e.CILow, e.CIHigh = analysis.PropCI(e, method, opts.Level) // as Design.Prop
			}
			r := analysis.NewRow(statistic, dm.dom, e, prop)
			r.Variable = variable
			deff, effn := analysis.Num(e.Deff), analysis.Num(e.EffectiveN())
			r.Deff, r.EffectiveN = &deff, &effn
			r.LowBase = e.N < opts.MinBs
			rows = append(rows, r)
		}
		return nil
	}
	for _, m := range opts.Means {
		col, err := st.column(m)
		if err != nil {
			return err
		}
		if !col.IsNumeric() {
			return fmt.Errorf("--mean %s: the column holds text (levels such as %q), not numbers; use --prop '%s==LEVEL'", m, col.Levels[0], m)
		}
		if err := add(m, "mean", col.Values().All(nil), false); err != nil {
			return err
		}
	}
	for i, c := range conds {
		col, err := st.column(c.Column)
		if err != nil {
			return err
		}
		y, err := c.Eval(col)
		if err != nil {
			return fmt.Errorf("--prop %s: %w", opts.Props[i], err)
		}
		if err := add(c.String(), "proportion", y, true); err != nil {
			return err
		}
	}
	for _, tt := range totals {
		col, err := st.column(tt.column)
		if err != nil {
			return err
		}
		y := col.Values().All(nil)
		if tt.cond != nil {
			if y, err = tt.cond.Eval(col); err != nil {
				return fmt.Errorf("--total %s: %w", tt.given, err)
			}
		} else if !col.IsNumeric() {
			return fmt.Errorf("--total %s: the column holds text (levels such as %q), not numbers; use --total '%s==LEVEL' for a weighted count", tt.given, col.Levels[0], tt.given)
		}
		if err := add(tt.given, "total", y, false); err != nil {
			return err
		}
	}
	res := result{
		JSON:   estimateJSON{Estimates: rows, Design: newDesignJSON(st.Design)},
		Tables: append(rowsTables("Estimates", rows, opts.MinBs, regionName(st.DS)), designTables(st.Design)...),
		CSV:    rowsCSV(rows),
	}
	return opts.Output.write(opts.IO, st.Inputs, res)
}

// column finds a loaded column by name.
func (st *study) column(name string) (*survey.Column, error) {
	if c, ok := st.DS.Columns[name]; ok {
		return c, nil
	}
	if st.CB != nil {
		if def, ok := st.CB.Constructs[name]; ok {
			return nil, fmt.Errorf("column %q: not in the data: %q is a construct, scored from its items (%s); name an item, or see the construct's flag and score with describe", name, name, strings.Join(def.Items, ", "))
		}
	}
	return nil, fmt.Errorf("column %q: not in the data", name)
}

// designTable summarises the design for people.
func designTable(d *analysis.Design) *reports.Table {
	t := reports.NewTable("Design", reports.IntegerCol("Respondents"), reports.IntegerCol("Strata"), reports.IntegerCol("PSUs"), reports.IntegerCol("Degrees of freedom"), reports.PercentCol("Weighting efficiency"))
	t.AddRow(reports.Num(float64(d.N())), reports.Num(float64(d.NumStrata())), reports.Num(float64(d.NumPSU())), reports.Num(float64(d.DegF(nil))), reports.Num(d.KishEfficiency(nil)))
	return t
}
