package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/trustgap/trustgap/reports"
	"github.com/trustgap/trustgap/survey"
)

// InitOptions holds the flags of `trustgap init`.
type InitOptions struct {
	IO      *IOStreams
	Study   studyOptions // Data and the reading flags only
	Output  string
	Force   bool
	MaxRows int
}

// NewCmdInit builds `trustgap init`.
func NewCmdInit(s *IOStreams, runF func(*InitOptions) error) *cobra.Command {
	opts := &InitOptions{IO: s}
	cmd := &cobra.Command{
		Use:   "init --data FILE... [-o codebook.yaml]",
		Short: "Draft a codebook for your data files",
		Long: `Read the data files and write a draft codebook: every column under columns:
with its question text, files whose headers differ aligned under one name,
design columns (id, weight, strata, psu) and the region and segments guessed
by name and content, numeric segments such as age banded, every text answer
scale (agreement, concern, comfort, acceptability, likelihood, trust,
frequency, yes/no, selected, TRUE/FALSE; English, German, Dutch) written as
a values: block in scale order, and constructs proposed for concern,
protection, sharing, trust, comfort and westin, each with a comment saying
why (left commented out where unsure). Columns that look like e-mail
addresses, phone numbers, names or free text are named in a comment and left
out. The draft passes validate as it is; edit it, then run report.`,
		Example: `  trustgap init --data wave1.csv -o codebook.yaml
  trustgap init --data data_GER.csv --data data_GB_US.csv -o codebook.yaml
  trustgap validate --data data_GER.csv --data data_GB_US.csv --codebook codebook.yaml`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(opts.Study.Data) == 0 {
				return usageErrorf("init needs the data files: --data FILE (repeat for files to stack)")
			}
			if opts.MaxRows < 0 {
				return usageErrorf("--max-rows must be 0 (the default, %d) or more, got %d", survey.DefaultDraftRows, opts.MaxRows)
			}
			opts.Study.LonelyPSU = "fail"
			if err := opts.Study.validate(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return initRun(cmd, opts)
		},
	}
	f := cmd.Flags()
	o := &opts.Study
	f.StringArrayVar(&o.Data, "data", nil, "data `FILE` (CSV, TSV or XLSX; - for standard input); repeat for files to stack")
	f.StringVar(&o.Sheet, "sheet", "", "XLSX worksheet `NAME` (default: the first)")
	f.IntVar(&o.HeaderRows, "header-rows", 0, "header rows: 0 detects (Qualtrics: 3), 2 for SurveyMonkey")
	f.StringVar(&o.Encoding, "encoding", "", "text encoding of CSV input: utf-8, utf-16le, utf-16be or windows-1252 (default: detected)")
	f.StringVar(&o.Delimiter, "delimiter", "", "CSV field separator: , ; tab or | (default: detected)")
	f.BoolVar(&o.DecimalComma, "decimal-comma", false, "numbers are written with a decimal comma (1,5): the default for ;-separated files only")
	f.Int64Var(&o.MaxUnzipMB, "max-unzip-mb", 0, "refuse XLSX files that unzip to more than `MB` megabytes (default 512)")
	f.StringVarP(&opts.Output, "output", "o", "", "write the codebook to `FILE` (default: standard output)")
	f.BoolVar(&opts.Force, "force", false, "replace the -o file if it exists")
	f.IntVar(&opts.MaxRows, "max-rows", 0, "read at most `N` rows of each file (default 200000)")
	_ = cmd.MarkFlagFilename("data", "csv", "tsv", "txt", "xlsx")
	_ = cmd.MarkFlagFilename("output", "yaml", "yml")
	return cmd
}

func initRun(cmd *cobra.Command, opts *InitOptions) error {
	ctx := cmd.Context()
	out := opts.Output
	if out != "" && out != "-" {
		if err := reports.CheckNotInput(out, opts.Study.Data); err != nil {
			return err
		}
		if _, err := os.Stat(out); err == nil && !opts.Force {
			return usageErrorf("%s exists; give another -o, or --force to replace it", out)
		} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("init: %w", err)
		}
	}
	ts, err := opts.Study.tables(ctx, opts.IO, &survey.Codebook{})
	if err != nil {
		return err
	}
	defer closeAll(ts)
	d, err := survey.DraftCodebook(ctx, ts, survey.DraftOptions{MaxRows: opts.MaxRows, Commands: nextCommands(opts)})
	if err != nil {
		return err
	}
	if out == "" || out == "-" {
		return d.WriteYAML(opts.IO.Out)
	}
	// WriteFileAtomic's errors name the path already.
	if err := reports.WriteFileAtomic(out, func(w io.Writer) error { return d.WriteYAML(w) }); err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.ErrOut, "wrote %s: check the comments, then run\n  %s\n", out, strings.Join(nextCommands(opts), "\n  "))
	return nil
}

// nextCommands are the commands a user runs on the draft.
func nextCommands(opts *InitOptions) []string {
	var data []string
	for _, d := range opts.Study.Data {
		data = append(data, "--data "+shellQuote(d))
	}
	cb := opts.Output
	if cb == "" || cb == "-" {
		cb = "codebook.yaml"
	}
	args := strings.Join(data, " ") + " --codebook " + shellQuote(cb)
	return []string{"trustgap validate " + args, "trustgap report " + args}
}

// shellQuote quotes a path for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./+,=") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
