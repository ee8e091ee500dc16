package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"strings"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"github.com/trustgap/trustgap/analysis"
	"github.com/trustgap/trustgap/datasets"
	"github.com/trustgap/trustgap/internal/leanload"
	"github.com/trustgap/trustgap/survey"
)

// studyOptions are the flags that say which study to read and how its
// sample was drawn; every command that reads data shares them.
type studyOptions struct {
	Data       []string
	Codebook   string
	Sheet      string
	HeaderRows int
	Weight     string
	Strata     string
	PSU        string
	FPC        string
	LonelyPSU  string
	// Targets is --targets: population margins the design is
	// calibrated to (commands that offer it; see addTargetsFlag).
	Targets    string
	MaxUnzipMB int64
	// MaxColumns and MaxRecordMB raise the reading limits (0: defaults).
	MaxColumns  int
	MaxRecordMB int64
	// MaxLevels raises the cap on a region's or segment's levels.
	MaxLevels int
	Encoding  string
	Delimiter string
	// DecimalComma reads numbers such as 1,5 in files of any delimiter.
	DecimalComma bool

	// Quiet turns off the progress bar that reading large files shows
	// on a terminal (set by the commands' --quiet).
	Quiet bool
	// listedPII: the caller lists the columns that look like personal data
	// itself (validate), so load does not warn about them again.
	listedPII bool
	// progress is the bar while tables' files are read, else nil.
	progress *progressbar.ProgressBar
}

func addStudyFlags(cmd *cobra.Command, o *studyOptions) {
	f := cmd.Flags()
	f.StringArrayVar(&o.Data, "data", nil, "data `FILE` (CSV, TSV, XLSX, SPSS .sav/.zsav or Parquet; - for standard input); repeat to stack files (default: the embedded study)")
	f.StringVar(&o.Codebook, "codebook", "", "codebook `YAML` (default: the embedded study's when no --data is given)")
	f.StringVar(&o.Sheet, "sheet", "", "XLSX worksheet `NAME` (default: the first)")
	f.IntVar(&o.HeaderRows, "header-rows", 0, "header rows: 0 detects (Qualtrics: 3), 2 for SurveyMonkey")
	f.StringVar(&o.Weight, "weight", "", "weight `COLUMN` (overrides the codebook)")
	f.StringVar(&o.Strata, "strata", "", "strata `COLUMN` (overrides the codebook)")
	f.StringVar(&o.PSU, "psu", "", "PSU (cluster) `COLUMN` (overrides the codebook)")
	f.StringVar(&o.FPC, "fpc", "", "finite population correction `COLUMN`: stratum population size (> 1) or sampling fraction (<= 1)")
	f.StringVar(&o.LonelyPSU, "lonely-psu", "fail", "single-PSU strata: fail, adjust, remove, certainty or average (as R's survey.lonely.psu)")
	f.Int64Var(&o.MaxUnzipMB, "max-unzip-mb", 0, "refuse XLSX files that unzip to more than `MB` megabytes (default 512)")
	f.IntVar(&o.MaxColumns, "max-columns", 0, "refuse tables with more than `N` columns (default 16384, Excel's maximum)")
	f.IntVar(&o.MaxLevels, "max-levels", 0, "refuse a region or segment with more than `N` levels (default 300)")
	f.Int64Var(&o.MaxRecordMB, "max-record-mb", 0, "refuse CSV rows longer than `MB` megabytes (default 16)")
	f.StringVar(&o.Encoding, "encoding", "", "text encoding of CSV input: utf-8, utf-16le, utf-16be or windows-1252 (default: detected)")
	f.StringVar(&o.Delimiter, "delimiter", "", "CSV field separator: , ; tab or | (default: detected)")
	f.BoolVar(&o.DecimalComma, "decimal-comma", false, "numbers are written with a decimal comma (1,5): the default for ;-separated files only")
	_ = cmd.MarkFlagFilename("data", "csv", "tsv", "txt", "xlsx", "sav", "zsav", "parquet")
	_ = cmd.MarkFlagFilename("codebook", "yaml", "yml")
	_ = cmd.RegisterFlagCompletionFunc("lonely-psu", cobra.FixedCompletions([]string{"fail", "adjust", "remove", "certainty", "average"}, cobra.ShellCompDirectiveNoFileComp))
}

// validate checks flag values that need no data.
func (o *studyOptions) validate() error {
	if _, err := analysis.ParseLonelyPSU(o.LonelyPSU); err != nil {
		return &usageError{fmt.Errorf("--lonely-psu: %w", err)}
	}
	if o.HeaderRows < 0 || o.HeaderRows > 3 {
		return usageErrorf("--header-rows must be 0 (detect), 1, 2 (SurveyMonkey) or 3 (Qualtrics), got %d", o.HeaderRows)
	}
	if _, err := o.delimiter(); err != nil {
		return err
	}
	switch strings.ToLower(o.Encoding) {
	case "", "utf-8", "utf8", "utf-16le", "utf-16be", "windows-1252", "cp1252", "latin1", "iso-8859-1":
	default:
		return usageErrorf("--encoding: unknown encoding %q (want utf-8, utf-16le, utf-16be or windows-1252)", o.Encoding)
	}
	if o.MaxColumns < 0 || o.MaxRecordMB < 0 || o.MaxLevels < 0 {
		return usageErrorf("--max-columns, --max-record-mb and --max-levels must be positive")
	}
	if o.MaxUnzipMB < 0 {
		return usageErrorf("--max-unzip-mb must be positive, got %d", o.MaxUnzipMB)
	}
	stdin := 0
	for _, d := range o.Data {
		if d == "-" {
			stdin++
		}
	}
	if stdin > 1 {
		return usageErrorf("--data - (standard input) can be given only once")
	}
	return nil
}

// delimiter reads --delimiter; 0 means detect.
func (o *studyOptions) delimiter() (rune, error) {
	switch o.Delimiter {
	case "":
		return 0, nil
	case ",", ";", "|":
		return rune(o.Delimiter[0]), nil
	case "tab", "TAB", "\\t", "\t":
		return '\t', nil
	}
	return 0, usageErrorf("--delimiter: %q is not one of , ; tab |", o.Delimiter)
}

// study is a loaded study with its design.
type study struct {
	CB     *survey.Codebook
	DS     *survey.Dataset
	Design *analysis.Design
	// Inputs are the files read (data and codebook), for refusing to
	// overwrite them.
	Inputs []string
	// maxLevels is --max-levels, for the analyses' options.
	maxLevels int
	// Weighting is the calibration applied (codebook weighting: or
	// --targets), nil for none; the report states its targets.
	Weighting *survey.WeightingDef
}

// codebook reads --codebook, or the embedded study's when no data is
// given, or an empty codebook for data without one.
func (o *studyOptions) codebook() (*survey.Codebook, error) {
	switch {
	case o.Codebook != "":
		return survey.LoadCodebook(o.Codebook)
	case len(o.Data) == 0:
		_, cb := datasets.DefaultStudy()
		return survey.ParseCodebook(cb, datasets.DefaultCodebookName)
	default:
		return &survey.Codebook{}, nil
	}
}

// tables opens every data file (or the embedded study).
func (o *studyOptions) tables(ctx context.Context, s *IOStreams, cb *survey.Codebook) ([]survey.TableReader, error) {
	delim, _ := o.delimiter()
	ro := survey.ReadOptions{Sheet: o.Sheet, HeaderRows: o.HeaderRows, Stdin: s.In, MaxUnzipBytes: o.MaxUnzipMB << 20, MaxColumns: o.MaxColumns, MaxRecordBytes: o.MaxRecordMB << 20, Encoding: strings.ToLower(o.Encoding), Delimiter: delim, DecimalComma: o.DecimalComma}
	if ro.HeaderRows == 0 {
		ro.HeaderRows = cb.HeaderRows
	}
	ro.DecimalComma = ro.DecimalComma || cb.DecimalComma
	if bar := o.newProgress(s); bar != nil {
		o.progress = bar
		// The bar counts MiB; reads come from one goroutine at a time.
		var bytes int64
		ro.Progress = func(n int64) {
			bytes += n
			if bytes >= 1<<20 {
				_ = bar.Add64(bytes >> 20)
				bytes &= 1<<20 - 1
			}
		}
	}
	if len(o.Data) == 0 {
		responses, _ := datasets.DefaultStudy()
		t, err := survey.NewCSVReader(responses, datasets.DefaultResponsesName, ro)
		if err != nil {
			return nil, &internalError{fmt.Errorf("embedded study: %w", err)}
		}
		return []survey.TableReader{t}, nil
	}
	if err := sameFileTwice(o.Data); err != nil {
		return nil, err
	}
	var out []survey.TableReader
	books := 0
	for _, p := range o.Data {
		t, err := survey.OpenTable(ctx, p, ro)
		if err != nil {
			closeAll(out)
			return nil, err
		}
		if survey.IsWorkbook(t) {
			books++
		}
		out = append(out, t)
	}
	if o.Sheet != "" && books == 0 {
		// A worksheet name with only CSV input is a mistake (the wrong file,
		// or a CSV export of the workbook): say so rather than ignore it.
		closeAll(out)
		return nil, usageErrorf("--sheet %q: none of the data files is an Excel workbook; --sheet applies to .xlsx files only", o.Sheet)
	}
	return out, nil
}

func closeAll(ts []survey.TableReader) {
	for _, t := range ts {
		t.Close()
	}
}

// maxProblems is how many data problems an analysis command lists before
// "... and N more": enough to see the pattern, short enough to read.
// `trustgap validate` lists every one.
const maxProblems = 10

// leanLoad is how the analysis commands load: only the constructs they use
// (nil: all), with leanload.All (without the id column, values stored
// compactly and respondents grouped by PSU), so that millions of
// respondents fit in memory and the design-based estimates visit each
// PSU's totals in turn.
func leanLoad(constructs []string) survey.LoadOptions {
	return survey.LoadOptions{Constructs: constructs}
}

// options passes the study's design to an analysis, so that it is not
// built twice.
func (st *study) options(o analysis.Options) analysis.Options {
	o.Design = st.Design
	o.MaxLevels = st.maxLevels
	return o
}

func (o *studyOptions) loadOptions(lo survey.LoadOptions) survey.LoadOptions {
	lo.DesignOverride = survey.DesignDef{Weight: o.Weight, Strata: o.Strata, PSU: o.PSU, FPC: o.FPC}
	if lo.MaxProblems == 0 {
		lo.MaxProblems = maxProblems
	}
	return lo
}

// inputs are the files the study is read from (data and codebook), for
// refusing outputs that would overwrite them.
func (o *studyOptions) inputs() []string {
	in := append([]string(nil), o.Data...)
	if o.Codebook != "" {
		in = append(in, o.Codebook)
	}
	return in
}

// load reads the study, storing it as lean asks (see internal/leanload),
// and builds its design.
func (o *studyOptions) load(ctx context.Context, s *IOStreams, lo survey.LoadOptions, lean leanload.Options) (*study, error) {
	gcForLargeData(o.Data)
	cb, err := o.codebook()
	if err != nil {
		return nil, capProblems(err)
	}
	wd, err := o.weighting(cb)
	if err != nil {
		return nil, err
	}
	lo = withWeighting(lo, wd)
	ts, err := o.tables(ctx, s, cb)
	if err != nil {
		return nil, limitHint(err)
	}
	defer closeAll(ts)
	ds, err := survey.Load(leanload.With(ctx, lean), cb, ts, o.loadOptions(lo))
	if o.progress != nil {
		_ = o.progress.Finish() // clears the bar
		o.progress = nil
	}
	if err != nil {
		var pe *survey.ProblemsError
		if errors.As(err, &pe) {
			if pe.More > 0 {
				err = fmt.Errorf("%w\n(trustgap validate lists every problem)", err)
			}
			return nil, err
		}
		return nil, limitHint(err)
	}
	// Every column of every file was scanned, used or not: say which look
	// like personal data, never what they hold.
	warnings := ds.Warnings
	if !o.listedPII {
		warnings = append(survey.PIIWarnings(ds.PII), warnings...)
	}
	for _, w := range warnings {
		fmt.Fprintln(s.ErrOut, "warning: "+w.String())
	}
	lonely, _ := analysis.ParseLonelyPSU(o.LonelyPSU)
	d, err := analysis.StudyDesignContext(ctx, ds, lonely)
	if err != nil {
		// The design's messages name respondents and strata, not files.
		return nil, fmt.Errorf("%s: %w", strings.Join(ds.Files, ", "), err)
	}
	if wd != nil {
		source := "weighting"
		if o.Targets != "" {
			source = "targets " + o.Targets
		}
		if d, err = calibrateDesign(ctx, d, ds, wd, source); err != nil {
			return nil, err
		}
	}
	st := &study{CB: cb, DS: ds, Design: d, maxLevels: o.MaxLevels, Weighting: wd}
	st.Inputs = append(st.Inputs, o.Data...)
	if o.Codebook != "" {
		st.Inputs = append(st.Inputs, o.Codebook)
	}
	return st, nil
}

// gcForLargeData makes the garbage collector run more often when the data
// files are large. By default the heap may grow to twice the live data
// before a collection, and parsing millions of rows leaves that much
// garbage; collecting is cheap here, as the columns hold no pointers.
// GOGC in the environment wins.
func gcForLargeData(paths []string) {
	if os.Getenv("GOGC") != "" {
		return
	}
	var size int64
	for _, p := range paths {
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			size += fi.Size()
		}
	}
	if size >= 64<<20 {
		debug.SetGCPercent(25)
	}
}

// progressMinBytes is the size of data from which reading shows progress.
const progressMinBytes = 32 << 20

// newProgress returns a progress bar for reading the data files when
// standard error is a terminal, --quiet is off and the files (regular
// files, not standard input) are large enough to take a while; else nil.
func (o *studyOptions) newProgress(s *IOStreams) *progressbar.ProgressBar {
	if o.Quiet || !s.IsStderrTTY() {
		return nil
	}
	var size int64
	for _, p := range o.Data {
		fi, err := os.Stat(p)
		if err != nil || !fi.Mode().IsRegular() {
			return nil
		}
		size += fi.Size()
	}
	if size < progressMinBytes {
		return nil
	}
	return newProgress(s, o.Quiet, (size+1<<20-1)>>20, "reading MiB")
}

// limitHint adds to a reading limit's error the flag that raises it.
func limitHint(err error) error {
	var le *survey.LimitError
	if !errors.As(err, &le) {
		return err
	}
	switch le.What {
	case "columns":
		return fmt.Errorf("%w\n(a file this wide is rarely a survey export; if it is, raise the limit with --max-columns)", err)
	default:
		return fmt.Errorf("%w\n(if rows this long are real, raise the limit with --max-record-mb)", err)
	}
}

// sameFileTwice refuses a data file given twice (by two names, or a link),
// which would stack every respondent twice: the id check cannot see it
// when the codebook names no id.
func sameFileTwice(paths []string) error {
	infos := make([]os.FileInfo, len(paths))
	for i, p := range paths {
		if p == "-" {
			continue
		}
		fi, err := os.Stat(p)
		if err != nil {
			continue // opening it says what is wrong
		}
		for j := range i {
			if infos[j] != nil && os.SameFile(infos[j], fi) {
				return usageErrorf("--data %s and --data %s are the same file: its respondents would be counted twice", paths[j], p)
			}
		}
		infos[i] = fi
	}
	return nil
}

// capProblems lists a codebook's problems as data problems are listed: the
// first maxProblems, then how many more (validate lists them all).
func capProblems(err error) error {
	var pe *survey.ProblemsError
	if !errors.As(err, &pe) || len(pe.Problems) <= maxProblems {
		return err
	}
	return fmt.Errorf("%w\n(trustgap validate lists every problem)", &survey.ProblemsError{Problems: pe.Problems[:maxProblems], More: pe.More + len(pe.Problems) - maxProblems})
}
