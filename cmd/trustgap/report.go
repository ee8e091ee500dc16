package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/trustgap/trustgap/analysis"
	"github.com/trustgap/trustgap/charts"
	"github.com/trustgap/trustgap/internal/leanload"
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
		Use:   "report [--data FILE]... [--codebook C] [-o DIR]",
		Short: "Write the client deliverables: Excel deck, HTML and Markdown reports, charts",
		Long: `Run every analysis and write DIR/report.xlsx (the deck: contents, summary,
paradox, trust & comfort, the codebook's report: effects, segments, regions &
segments as a banner, comfort by data type, crosstabs of every item with
significance letters and three bases, reliability, methodology),
DIR/report.html (one self-contained file), DIR/report.md and DIR/charts/
(PNG at 150 dpi and SVG; PDF too with --pdf). A section the study cannot
have is left out with a one-line note, in the report and on standard error.

The deck prints landscape, fitted to the page's width, a table to a sheet
with its header rows repeated; the codebook's study: block (fieldwork,
population, sample, weighting) and report: block (title, subtitle,
region_label, effects) feed Methodology and the title page.

Every file is written atomically: a failed or interrupted run leaves the
previous report intact. The same inputs give byte-identical files on the
same day (Methodology states the run date; SOURCE_DATE_EPOCH fixes it). No
respondent-level data appear in any output; estimates on fewer than
--min-base respondents are suppressed, with a second group wherever one
alone could be worked out from the total and the others.

--dp-epsilon E publishes differentially private toplines instead: weights
are normalised to mean 1 and clipped at --dp-weight-bound, Laplace noise
calibrated to that bound is added to the weighted counts behind every
released share, and the budget E is split over the released tables. Each
share shows its 95% noise interval; shares whose noise SD is above 30% of
them are marked † and kept out of the key findings. Respondent counts,
weighting efficiency, degrees of freedom, confidence intervals, tests and
crosstabs are left out. Region and segment breakdowns show exactly the
levels the codebook declares under levels: (or bands:), plus "Other" for
everyone else; a breakdown without declared levels is left out.
Methodology says what stays exact and what the release does not protect.`,
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
	addTargetsFlag(cmd, &opts.Study)
	cmd.Flags().StringVarP(&opts.Out, "out", "o", "trustgap-report", "output `DIR`")
	// --output, as the other commands spell it, names the same folder.
	cmd.Flags().StringVar(&opts.Out, "output", "trustgap-report", "output `DIR` (same as --out)")
	_ = cmd.Flags().MarkHidden("output")
	cmd.Flags().StringVar(&opts.CI, "ci", "logit", "interval for proportions (svyciprop's method): logit, beta, wald (R's mean), xlogit, asin or likelihood")
	cmd.Flags().Float64Var(&opts.Level, "level", 0.95, "confidence level")
	cmd.Flags().IntVar(&opts.MinBase, "min-base", 30, "suppress estimates on fewer than `N` respondents (flag those under 2N with *)")
	cmd.Flags().BoolVar(&opts.PDF, "pdf", false, "also write the charts as PDF")
	cmd.Flags().BoolVarP(&opts.Quiet, "quiet", "q", false, "print nothing on success")
	cmd.Flags().Float64Var(&opts.DPEpsilon, "dp-epsilon", 0, "publish differentially private toplines with total privacy budget `E`")
	cmd.Flags().Float64Var(&opts.DPWeightBound, "dp-weight-bound", 5, "with --dp-epsilon: clip weights at `B` (normalise weights to mean 1 first)")
	cmd.Flags().Uint64Var(&opts.DPSeed, "dp-seed", 0, "with --dp-epsilon: fix the noise (for audits and tests only; 0 draws secure randomness)")
	return cmd
}

// runDate is the day the report states it was run: SOURCE_DATE_EPOCH
// (seconds since 1970) when set, else today (UTC). A day, not a time, so
// that the same inputs give the same bytes all day long.
func runDate() time.Time {
	t := time.Now().UTC()
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			t = time.Unix(n, 0).UTC()
		}
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

func reportRun(cmd *cobra.Command, opts *ReportOptions) error {
	opts.Study.Quiet = opts.Quiet
	// A folder that cannot be replaced is said before the work is done.
	if err := reports.CheckNotInside(opts.Out, opts.Study.inputs()); err != nil {
		return err
	}
	if err := reports.CheckDirReplaceable(opts.Out, reportFile); err != nil {
		return err
	}
	// The whole run holds the folder's lock, so a second run into it fails
	// at once; the folder is built aside and swapped in whole (see
	// reports.WriteDirAtomic): a failure or an interrupt leaves the
	// previous report as it was.
	nCharts := 0
	err := reports.WriteDirAtomic(opts.Out, reportFile, func(root string) error {
		n, err := reportBuild(cmd, opts, root)
		nCharts = n
		return err
	})
	if err != nil {
		return err
	}
	if !opts.Quiet {
		fmt.Fprintf(opts.IO.ErrOut, "wrote %s: report.xlsx, report.html, report.md and %d chart files in charts/\n", opts.Out, nCharts)
	}
	return nil
}

// reportBuild reads the study and writes the report into root, a new
// folder; it returns the number of chart files.
func reportBuild(cmd *cobra.Command, opts *ReportOptions, root string) (int, error) {
	ctx := cmd.Context()
	st, err := opts.Study.load(ctx, opts.IO, leanLoad(nil), leanload.All)
	if err != nil {
		return 0, err
	}
	ci, _ := analysis.ParseCIMethod(opts.CI)
	lonely, _ := analysis.ParseLonelyPSU(opts.Study.LonelyPSU)
	so := reports.StudyOptions{
		Analysis: analysis.Options{Level: opts.Level, CI: ci, Lonely: lonely, Design: st.Design, MaxLevels: opts.Study.MaxLevels},
		MinBase:  opts.MinBase,
		Files:    st.DS.Files,
		Report:   st.CB.Report,
		Study:    st.CB.Study,
		Version:  version(),
		Targets:  st.Weighting,
		RunDate:  runDate(),

		BeforeSection: opts.beforeSection,
	}
	if st.Inputs == nil {
		so.Files = append(so.Files, "embedded:codebook.yaml")
	} else if opts.Study.Codebook != "" {
		so.Files = append(so.Files, opts.Study.Codebook)
	}
	if cmd.Flags().Changed("dp-epsilon") {
		so.DeclaredLevels = reports.DeclaredLevels(st.CB, st.DS)
		p, err := analysis.NewPrivacy(opts.DPEpsilon, opts.DPWeightBound, reports.PrivateTables(st.DS, so.DeclaredLevels), opts.DPSeed)
		if err != nil {
			return 0, &usageError{err}
		}
		so.Privacy = p
	}
	sr, err := reports.BuildStudyReport(ctx, st.DS, so)
	if err != nil {
		return 0, err
	}
	if !opts.Quiet {
		for _, kv := range sr.NotMeasured {
			fmt.Fprintf(opts.IO.ErrOut, "note: %s left out: not measured in this study (%s)\n", kv.Key, kv.Value)
		}
		for _, kv := range sr.LeftOut {
			fmt.Fprintf(opts.IO.ErrOut, "note: %s left out of the private report: %s\n", kv.Key, kv.Value)
		}
	}
	if so.Privacy != nil {
		if err := so.Privacy.Err(); err != nil {
			return 0, &internalError{fmt.Errorf("report: %w", err)}
		}
	}
	type file struct {
		rel   string // path inside the report folder
		write func(io.Writer) error
	}
	files := []file{
		{"report.xlsx", func(w io.Writer) error { return reports.WriteXLSX(w, sr.Report) }},
		{"report.html", func(w io.Writer) error { return reports.WriteHTML(w, sr.Report) }},
		{"report.md", func(w io.Writer) error { return reports.WriteReportMarkdown(w, sr.Report) }},
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
			files = append(files, file{"charts/" + c.Name + "." + string(f), write})
		}
	}
	if err := os.MkdirAll(filepath.Join(root, "charts"), 0o755); err != nil {
		return 0, fmt.Errorf("report: %w", err)
	}
	// The files are independent: all are written, on the available
	// cores, and the first failure in the list's order reported (a panic
	// stops the rest).
	errs := make([]error, len(files))
	err = pool.ForEach(ctx, len(files), pool.Workers(), func(ctx context.Context, k int) error {
		if errs[k] = ctx.Err(); errs[k] != nil {
			return nil
		}
		if err := writeNew(filepath.Join(root, filepath.FromSlash(files[k].rel)), files[k].write); err != nil {
			errs[k] = fmt.Errorf("report: write %s: %w", filepath.Join(opts.Out, filepath.FromSlash(files[k].rel)), err)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, err := range errs {
		if err != nil {
			return 0, err
		}
	}
	return len(files) - 3, ctx.Err() // interrupted after the last file: keep the old report
}

// reportFile reports whether rel (slash-separated, inside a report folder)
// is a file a report of any options may write, or the litter desktops
// leave in folders: such entries of a previous report need not be in the
// new one for the folder to be replaced.
func reportFile(rel string) bool {
	switch rel {
	case "charts", "tables", ".DS_Store", "Thumbs.db", "desktop.ini":
		return true
	}
	dir, name := path.Split(rel)
	ext := path.Ext(name)
	switch dir {
	case "":
		// Not any .csv: a user's data beside the report must never go.
		return strings.HasPrefix(name, "report.")
	case "charts/":
		return ext == ".png" || ext == ".svg" || ext == ".pdf" || name == ".DS_Store" || name == "Thumbs.db"
	case "tables/":
		return ext == ".csv"
	}
	return false
}

// writeNew writes a file that does not exist yet, in a folder of the
// command's own.
func writeNew(p string, write func(io.Writer) error) error {
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
