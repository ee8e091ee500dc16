package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/spf13/cobra"

	"github.com/trustgap/trustgap/reports"
)

var formats = []string{"table", "json", "csv", "markdown"}

// outputOptions are the flags every analysis command shares.
type outputOptions struct {
	Format string
	Output string
}

func addOutputFlags(cmd *cobra.Command, o *outputOptions) {
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
	if o.Output == "" || o.Output == "-" {
		return emit(s.Out)
	}
	if err := reports.CheckNotInput(o.Output, inputs); err != nil {
		return err
	}
	if err := reports.WriteFileAtomic(o.Output, emit); err != nil {
		return fmt.Errorf("write %s: %w", o.Output, err)
	}
	if _, err := os.Stat(o.Output); err != nil {
		return fmt.Errorf("write %s: %w", o.Output, err)
	}
	return nil
}
