package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"

	"github.com/spf13/cobra"
	"github.com/trustgap/trustgap/analysis"
	"github.com/trustgap/trustgap/internal/leanload"
	"github.com/trustgap/trustgap/reports"
	"github.com/trustgap/trustgap/survey"
	"gopkg.in/yaml.v3"
)

// WeightOptions holds the flags of `trustgap weight`.
type WeightOptions struct {
	IO       *IOStreams
	Study    studyOptions
	Targets  string
	Output   string
	Name     string
	Tol      float64
	MaxIter  int
	TrimLow  float64
	TrimHigh float64
}

// NewCmdWeight builds `trustgap weight`.
func NewCmdWeight(s *IOStreams, runF func(*WeightOptions) error) *cobra.Command {
	opts := &WeightOptions{IO: s}
	cmd := &cobra.Command{
		Use:   "weight (--targets T.yaml | a codebook weighting: block) -o OUT.csv [--name weight_raked]",
		Short: "Rake weights to population margins (iterative proportional fitting)",
		Long: `Rake the design weights (or 1) to margin targets by iterative proportional
fitting, as R's rake(). T.yaml gives shares that sum to 1 per variable:

  margins:
    region: {North America: 0.3, Europe: 0.3, Asia-Pacific: 0.4}
    gender: {Female: 0.51, Male: 0.49}
  total: 10000     # optional; default: the sum of the input weights

Without --targets, the codebook's weighting: block (rake: with the same
shares, optional bounds:) gives the margins, and OUT.csv holds exactly the
weights of the calibrated design every analysis then uses. Raking reads
only the weights, so single-PSU strata need no --lonely-psu.

OUT.csv is every input column plus the new weight column. Diagnostics
(iterations, largest margin error, weighting efficiency, min/max weight) go
to standard error. A run that does not converge within --max-iter says so
and exits with status 1.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.Study.validate(); err != nil {
				return err
			}
			if opts.Output == "" {
				return usageErrorf("-o OUT.csv is required")
			}
			if opts.Tol <= 0 || opts.MaxIter <= 0 {
				return usageErrorf("--tol and --max-iter must be positive")
			}
			if runF != nil {
				return runF(opts)
			}
			return weightRun(cmd, opts)
		},
	}
	addStudyFlags(cmd, &opts.Study)
	cmd.Flags().StringVar(&opts.Targets, "targets", "", "margin targets `YAML`")
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "", "output `CSV`")
	cmd.Flags().StringVar(&opts.Name, "name", "weight_raked", "name of the new weight column")
	cmd.Flags().Float64Var(&opts.Tol, "tol", 1e-10, "convergence tolerance on the largest relative margin error")
	cmd.Flags().IntVar(&opts.MaxIter, "max-iter", 100, "maximum iterations")
	cmd.Flags().Float64Var(&opts.TrimLow, "trim-low", 0, "lower bound on raked weights relative to the mean weight (0: none)")
	cmd.Flags().Float64Var(&opts.TrimHigh, "trim-high", 0, "upper bound on raked weights relative to the mean weight (0: none)")
	return cmd
}

// targetsFile is the YAML of --targets.
type targetsFile struct {
	Margins map[string]map[string]float64 `yaml:"margins"`
	Total   float64                       `yaml:"total"`
}

func readTargets(path string) (*targetsFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("targets: %w", err)
	}
	defer f.Close()
	dec := yaml.NewDecoder(f)
	dec.KnownFields(true)
	var t targetsFile
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("targets %s: %w", path, err)
	}
	if len(t.Margins) == 0 {
		return nil, fmt.Errorf("targets %s: no margins (want margins: {COLUMN: {LEVEL: share, ...}})", path)
	}
	return &t, nil
}

func weightRun(cmd *cobra.Command, opts *WeightOptions) error {
	ctx := cmd.Context()
	if len(opts.Study.Data) == 0 {
		return usageErrorf("weight needs --data: it writes the input's rows with the new weight")
	}
	for _, d := range opts.Study.Data {
		if d == "-" {
			return usageErrorf("weight reads the data twice and cannot read standard input")
		}
	}
	if opts.Targets == "" {
		return weightFromCodebook(cmd, opts)
	}
	tg, err := readTargets(opts.Targets)
	if err != nil {
		return err
	}
	vars := make([]string, 0, len(tg.Margins))
	for v := range tg.Margins {
		vars = append(vars, v)
	}
	slices.Sort(vars)
	// Raking reads only the weights (R's rake() never asks how a
	// single-PSU stratum enters a variance): any lonely-PSU rule will do.
	so := opts.Study
	so.LonelyPSU = analysis.LonelyCertainty.String()
	// The analyses' lean load (no constructs, respondents grouped by
	// PSU): the raked weights go back to file order before they are
	// written.
	st, err := so.load(ctx, opts.IO, survey.LoadOptions{Extra: vars, Categorical: vars, Constructs: []string{}}, leanload.Options{SkipID: true, GroupByPSU: true})
	if err != nil {
		return err
	}
	margins := make([]analysis.Margin, 0, len(vars))
	for _, v := range vars {
		col, err := st.column(v)
		if err != nil {
			return err
		}
		m := analysis.Margin{Var: v, Codes: col.Codes, Levels: col.Levels}
		// Targets in the column's level order; a target level absent
		// from the data keeps its place so Rake can name it.
		m.Targets = make([]float64, len(col.Levels))
		for i := range m.Targets {
			m.Targets[i] = math.NaN()
		}
		for lvl, share := range tg.Margins[v] {
			k := slices.Index(col.Levels, lvl)
			if k < 0 {
				return fmt.Errorf("targets %s: %s level %q does not occur in the data (levels: %q)", opts.Targets, v, lvl, col.Levels)
			}
			m.Targets[k] = share
		}
		for k, t := range m.Targets {
			if math.IsNaN(t) {
				return fmt.Errorf("targets %s: %s level %q occurs in the data but has no target", opts.Targets, v, col.Levels[k])
			}
		}
		margins = append(margins, m)
	}
	w := st.Design.Weights()
	raked, diag, err := analysis.Rake(w, margins, analysis.RakeOptions{
		Tol: opts.Tol, MaxIter: opts.MaxIter, TrimLow: opts.TrimLow, TrimHigh: opts.TrimHigh, Total: tg.Total, Context: ctx,
	})
	if ctx.Err() != nil {
		return fmt.Errorf("weight: %w", err) // stopped: no diagnostics to report
	}
	fmt.Fprintf(opts.IO.ErrOut, "raking: %d iterations, largest margin error %.3g, weighting efficiency %.1f%%, weights %.4g to %.4g\n",
		diag.Iterations, diag.MaxMarginError, 100*diag.Efficiency, diag.MinWeight, diag.MaxWeight)
	if err != nil {
		return fmt.Errorf("weight: %w", err)
	}
	if err := reports.CheckNotInput(opts.Output, append(st.Inputs, opts.Targets)); err != nil {
		return err
	}
	return reports.WriteFileAtomic(opts.Output, func(out io.Writer) error {
		return writeWeighted(ctx, opts, st, raked, out)
	})
}

// weightFromCodebook writes the weights of the design the codebook's
// weighting: block calibrates: exactly those every analysis uses.
func weightFromCodebook(cmd *cobra.Command, opts *WeightOptions) error {
	ctx := cmd.Context()
	if opts.TrimLow != 0 || opts.TrimHigh != 0 {
		return usageErrorf("--trim-low and --trim-high clip and re-rake to --targets; a codebook's weighting: block takes bounds: instead")
	}
	so := opts.Study
	so.LonelyPSU = analysis.LonelyCertainty.String() // raking reads only the weights
	st, err := so.load(ctx, opts.IO, survey.LoadOptions{Constructs: []string{}}, leanload.Options{})
	if err != nil {
		return err
	}
	c, ok := st.Design.Calibrated()
	if !ok {
		return usageErrorf("--targets T.yaml is required unless the codebook has a weighting: block")
	}
	fmt.Fprintf(opts.IO.ErrOut, "raking (codebook weighting:): %d iterations, largest margin error %.3g, weighting efficiency %.1f%%, weights %.4g to %.4g\n",
		c.Diagnostics.Iterations, c.Diagnostics.MaxMarginError, 100*c.Diagnostics.Efficiency, c.Diagnostics.MinWeight, c.Diagnostics.MaxWeight)
	if err := reports.CheckNotInput(opts.Output, st.Inputs); err != nil {
		return err
	}
	return reports.WriteFileAtomic(opts.Output, func(out io.Writer) error {
		return writeWeighted(ctx, opts, st, st.Design.Weights(), out)
	})
}

// writeWeighted re-reads the input files and writes every row with the
// new weight appended, in the order Load read them.
func writeWeighted(ctx context.Context, opts *WeightOptions, st *study, raked []float64, out io.Writer) error {
	// raked follows the Dataset's order (PSU by PSU after a grouped
	// load); the rows go out in the files' order.
	raked = st.DS.InFileOrder(raked)
	cw := csv.NewWriter(out)
	ts, err := opts.Study.tables(ctx, opts.IO, st.CB)
	if err != nil {
		return err
	}
	defer closeAll(ts)
	header := append(slices.Clone(ts[0].Header()), opts.Name)
	for k := range header {
		header[k] = reports.DefuseCSV(header[k])
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	i := 0
	rec := make([]string, 0, len(header))
	for _, t := range ts {
		if len(t.Header()) != len(ts[0].Header()) {
			return fmt.Errorf("weight: %s has %d columns, %s has %d; stacked files must share their columns to be written back", t.Name(), len(t.Header()), ts[0].Name(), len(ts[0].Header()))
		}
		for {
			r, _, err := t.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return err
			}
			if i >= len(raked) {
				return fmt.Errorf("weight: %s changed while it was read", t.Name())
			}
			rec = rec[:0]
			for _, c := range r {
				if _, perr := strconv.ParseFloat(c, 64); perr == nil {
					rec = append(rec, c)
				} else {
					rec = append(rec, reports.DefuseCSV(c))
				}
			}
			rec = append(rec, strconv.FormatFloat(raked[i], 'g', -1, 64))
			if err := cw.Write(rec); err != nil {
				return err
			}
			i++
		}
	}
	cw.Flush()
	return cw.Error()
}
