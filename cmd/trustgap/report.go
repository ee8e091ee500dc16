package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/trustgap/trustgap/analysis"
	"github.com/trustgap/trustgap/charts"
	"github.com/trustgap/trustgap/internal/pool"
	"github.com/trustgap/trustgap/reports"
)

// ReportOptions holds the flags of `trustgap report`.
type ReportOptions struct {
	IO      *IOStreams
	Study   studyOptions
	Out     string
	CI      string
	Level   float64
	MinBase int
	PDF     bool
	Quiet   bool

	DPEpsilon     float64
	DPWeightBound float64
	DPSeed        uint64

	// beforeSection is passed to reports.StudyOptions.BeforeSection: a
	// hook for tests that inject a failure into one section.
	beforeSection func(section string)
}

// NewCmdReport builds `trustgap report`.
func NewCmdReport(s *IOStreams, runF func(*ReportOptions) error) *cobra.Command {
	opts := &ReportOptions{IO: s}
	cmd := &cobra.Command{
		Use:   "report [--data FILE]... [--codebook C] [--out DIR]",
		Short: "Write the client deliverables: Excel deck, HTML and Markdown reports, charts",
		Long: `Run every analysis and write DIR/report.xlsx (the deck: contents, summary,
paradox, trust & comfort, segments, regions, comfort by data type,
crosstabs with significance letters, reliability, methodology),
DIR/report.html (one self-contained file), DIR/report.md and DIR/charts/
(PNG at 150 dpi and SVG; PDF too with --pdf).

Every file is written atomically: a failed or interrupted run leaves the
previous report intact. The same inputs give byte-identical files. No
respondent-level data appear in any output; estimates on fewer than
--min-base respondents are suppressed.

--dp-epsilon E publishes differentially private toplines instead: weights
are clipped at --dp-weight-bound, Laplace noise calibrated to that bound is
added to the weighted counts behind every released share, and the budget E
is split over the released tables. Intervals, tests and crosstabs are then
left out.`,
		Example: "  trustgap report\n  trustgap report --data wave3.xlsx --codebook tracker.yaml --out wave3-report --pdf",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.Study.validate(); err != nil {
				return err
			}
			if _, err := analysis.ParseCIMethod(opts.CI); err != nil {
				return &usageError{fmt.Errorf("--ci: %w", err)}
			}
			if !(opts.Level > 0 && opts.Level < 1) {
				return usageErrorf("--level must be between 0 and 1 (e.g. 0.95), got %v", opts.Level)
			}
			if opts.Out == "" {
				return usageErrorf("--out must name a directory")
			}
			if opts.MinBase < 1 {
				return usageErrorf("--min-base must be at least 1, got %d", opts.MinBase)
			}
			if cmd.Flags().Changed("dp-epsilon") && !(opts.DPEpsilon > 0) {
				return usageErrorf("--dp-epsilon must be positive, got %v", opts.DPEpsilon)
			}
			if !(opts.DPWeightBound > 0) {
				return usageErrorf("--dp-weight-bound must be positive, got %v", opts.DPWeightBound)
			}
			if runF != nil {
				return runF(opts)
			}
			return reportRun(cmd, opts)
		},
	}
	addStudyFlags(cmd, &opts.Study)
	cmd.Flags().StringVar(&opts.Out, "out", "trustgap-report", "output `DIR`")
	cmd.Flags().StringVar(&opts.CI, "ci", "logit", "interval for proportions: logit, beta or wald")
	cmd.Flags().Float64Var(&opts.Level, "level", 0.95, "confidence level")
	cmd.Flags().IntVar(&opts.MinBase, "min-base", 30, "suppress estimates on fewer than `N` respondents (flag those under 2N with *)")
	cmd.Flags().BoolVar(&opts.PDF, "pdf", false, "also write the charts as PDF")
	cmd.Flags().BoolVarP(&opts.Quiet, "quiet", "q", false, "print nothing on success")
	cmd.Flags().Float64Var(&opts.DPEpsilon, "dp-epsilon", 0, "publish differentially private toplines with total privacy budget `E`")
	cmd.Flags().Float64Var(&opts.DPWeightBound, "dp-weight-bound", 5, "with --dp-epsilon: clip weights at `B` (normalise weights to mean 1 first)")
	cmd.Flags().Uint64Var(&opts.DPSeed, "dp-seed", 0, "with --dp-epsilon: fix the noise (for audits and tests only; 0 draws secure randomness)")
	return cmd
}

func reportRun(cmd *cobra.Command, opts *ReportOptions) error {
	ctx := cmd.Context()
	opts.Study.Quiet = opts.Quiet
	st, err := opts.Study.load(ctx, opts.IO, leanLoad(nil))
	if err != nil {
		return err
	}
	ci, _ := analysis.ParseCIMethod(opts.CI)
	lonely, _ := analysis.ParseLonelyPSU(opts.Study.LonelyPSU)
	so := reports.StudyOptions{
		Analysis: analysis.Options{Level: opts.Level, CI: ci, Lonely: lonely, Design: st.Design},
		MinBase:  opts.MinBase,
		Files:    st.DS.Files,

		BeforeSection: opts.beforeSection,
	}
	if st.Inputs == nil {
		so.Files = append(so.Files, "embedded:codebook.yaml")
	} else if opts.Study.Codebook != "" {
		so.Files = append(so.Files, opts.Study.Codebook)
	}
	if cmd.Flags().Changed("dp-epsilon") {
		p, err := analysis.NewPrivacy(opts.DPEpsilon, opts.DPWeightBound, reports.PrivateTables(st.DS), opts.DPSeed)
		if err != nil {
			return &usageError{err}
		}
		so.Privacy = p
	}
	sr, err := reports.BuildStudyReport(ctx, st.DS, so)
	if err != nil {
		return err
	}
	if so.Privacy != nil {
		if err := so.Privacy.Err(); err != nil {
			return &internalError{fmt.Errorf("report: %w", err)}
		}
	}
	chartDir := filepath.Join(opts.Out, "charts")
	if err := os.MkdirAll(chartDir, 0o755); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	type file struct {
		path  string
		write func(io.Writer) error
	}
	files := []file{
		{filepath.Join(opts.Out, "report.xlsx"), func(w io.Writer) error { return reports.WriteXLSX(w, sr.Report) }},
		{filepath.Join(opts.Out, "report.html"), func(w io.Writer) error { return reports.WriteHTML(w, sr.Report) }},
		{filepath.Join(opts.Out, "report.md"), func(w io.Writer) error { return reports.WriteReportMarkdown(w, sr.Report) }},
	}
	formats := []charts.Format{charts.PNG, charts.SVG}
	if opts.PDF {
		formats = append(formats, charts.PDF)
	}
	for _, c := range sr.Charts {
		for _, f := range formats {
			write := func(w io.Writer) error { return charts.Save(c.Chart, w, f, 0, 0) }
			switch f { // drawn already, for the report itself
			case charts.PNG:
				write = func(w io.Writer) error { _, err := w.Write(c.PNG); return err }
			case charts.SVG:
				write = func(w io.Writer) error { _, err := w.Write(c.SVG); return err }
			}
			files = append(files, file{filepath.Join(chartDir, c.Name+"."+string(f)), write})
		}
	}
	for _, f := range files {
		if err := reports.CheckNotInput(f.path, st.Inputs); err != nil {
			return err
		}
	}
	// The files are independent (each written atomically): all are
	// written, on the available cores, and the first failure in the
	// list's order reported (a panic stops the rest).
	errs := make([]error, len(files))
	err = pool.ForEach(ctx, len(files), pool.Workers(), func(ctx context.Context, k int) error {
		if err := reports.WriteFileAtomic(files[k].path, files[k].write); err != nil {
			errs[k] = fmt.Errorf("report: %w", err) // the error names the file
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	if !opts.Quiet {
		fmt.Fprintf(opts.IO.ErrOut, "wrote %s: report.xlsx, report.html, report.md and %d chart files in charts/\n", opts.Out, len(files)-3)
	}
	return nil
}
