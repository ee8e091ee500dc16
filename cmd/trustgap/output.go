package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/trustgap/trustgap/reports"
)

var formats = []string{"table", "json", "csv", "markdown"}

// outputOptions are the flags every analysis command shares.
type outputOptions struct {
	Format string
	Output string

	// cmd is the command the flags belong to, whose context (cancelled
	// by SIGINT/SIGTERM) the writing checks before replacing a file.
	cmd *cobra.Command
}

func addOutputFlags(cmd *cobra.Command, o *outputOptions) {
	o.cmd = cmd
	cmd.Flags().StringVar(&o.Format, "format", "table", "output format: table, json, csv or markdown")
	cmd.Flags().StringVarP(&o.Output, "output", "o", "", "write to `FILE` (atomically) instead of standard output")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(formats, cobra.ShellCompDirectiveNoFileComp))
}

func (o *outputOptions) validate() error {
	if !slices.Contains(formats, o.Format) {
		return usageErrorf("--format: unknown format %q (want table, json, csv or markdown)", o.Format)
	}
	return nil
}

// result is what an analysis command prints: a value encoded as JSON, and
// tables for the other formats. CSV writes the first table, the long
// machine-readable one.
type result struct {
	JSON   any
	Tables []*reports.Table
	// CSV is the long table written with --format csv; nil means Tables[0].
	CSV *reports.Table
	// CSVMore are the analysis's other tables (tests, correlations, item
	// tables): --format csv -o FILE writes each beside FILE as
	// FILE-STEM-<table>.csv; on standard output they are named on
	// standard error as left out, never dropped silently.
	CSVMore []*reports.Table
}

// csvSibling is the file a further CSV table goes to: out.csv and the
// table "Do groups differ?" give out-do-groups-differ.csv.
func csvSibling(out string, t *reports.Table, k int) string {
	ext := filepath.Ext(out)
	stem := strings.TrimSuffix(out, ext)
	if ext == "" {
		ext = ".csv"
	}
	key := reports.TextCol(t.Title).MachineKey()
	if t.Title == "" || key == "col" {
		key = "table-" + strconv.Itoa(k+2)
	}
	return stem + "-" + strings.ReplaceAll(key, "_", "-") + ext
}

// write sends res to standard output or, with -o, atomically to a file
// that must not be one of the inputs.
func (o *outputOptions) write(s *IOStreams, inputs []string, res result) error {
	emit := func(w io.Writer) error {
		switch o.Format {
		case "json":
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(res.JSON)
		case "csv":
			t := res.CSV
			if t == nil && len(res.Tables) > 0 {
				t = res.Tables[0]
			}
			if t == nil {
				return nil
			}
			return reports.WriteCSV(w, t)
		case "markdown":
			return reports.WriteMarkdown(w, res.Tables...)
		default:
			return reports.WriteText(w, res.Tables...)
		}
	}
	ctx := context.Background()
	if o.cmd != nil && o.cmd.Context() != nil {
		ctx = o.cmd.Context()
	}
	// An analysis that ran on after an interrupt writes nothing.
	if err := ctx.Err(); err != nil {
		return err
	}
	more := o.Format == "csv" && len(res.CSVMore) > 0
	if o.Output == "" || o.Output == "-" {
		if err := emit(s.Out); err != nil {
			return err
		}
		if more {
			var names []string
			for _, t := range res.CSVMore {
				names = append(names, strconv.Quote(t.Title))
			}
			fmt.Fprintf(s.ErrOut, "note: standard output holds the estimates only; %s written with -o FILE.csv as FILE-<table>.csv\n", strings.Join(names, ", "))
		}
		return nil
	}
	if err := reports.CheckNotInput(o.Output, inputs); err != nil {
		return err
	}
	if more {
		for k, t := range res.CSVMore {
			path := csvSibling(o.Output, t, k)
			if err := reports.CheckNotInput(path, inputs); err != nil {
				return err
			}
			// WriteFileAtomic's errors name the path already.
			if err := reports.WriteFileAtomic(path, func(w io.Writer) error { return reports.WriteCSV(w, t) }); err != nil {
				return err
			}
		}
	}
	commit := func(w io.Writer) error {
		if err := emit(w); err != nil {
			return err
		}
		return ctx.Err() // interrupted while writing: keep the old file
	}
	return reports.WriteFileAtomic(o.Output, commit)
}
