package main

import (
	"errors"

	"github.com/spf13/cobra"

	"github.com/trustgap/trustgap/analysis"
	"github.com/trustgap/trustgap/survey"
)

// The library's errors name no flag; the command line adds, by the
// error's kind (errors.Is), the flag that addresses it, when the command
// that failed has that flag.
var flagHints = []struct {
	kind error
	flag string
	hint string
}{
	{survey.ErrDecimalComma, "decimal-comma", "--decimal-comma, or decimal_comma: true in the codebook, reads numbers written like 1,5"},
	{survey.ErrEncoding, "encoding", "--encoding names the file's encoding: utf-8 (to find the bad row), windows-1252, utf-16le or utf-16be"},
	{survey.ErrUnzipLimit, "max-unzip-mb", "--max-unzip-mb raises the unzip limit"},
	{analysis.ErrLonelyPSU, "lonely-psu", "--lonely-psu adjust, remove, certainty or average says how a single-PSU stratum enters variances, as R's options(survey.lonely.psu = ...)"},
	{analysis.ErrTooManyLevels, "max-levels", "--max-levels N raises the limit on a grouping's levels"},
}

// hintedError is an error with the flag hints that address it, one per
// line after its message.
type hintedError struct {
	err   error
	hints []string
}

func (e *hintedError) Error() string {
	s := e.err.Error()
	for _, h := range e.hints {
		s += "\n(" + h + ")"
	}
	return s
}

func (e *hintedError) Unwrap() error { return e.err }

// withFlagHints returns err with the hints of its kinds whose flag cmd
// has (any flag when cmd is nil).
func withFlagHints(cmd *cobra.Command, err error) error {
	var hints []string
	for _, h := range flagHints {
		if errors.Is(err, h.kind) && hasFlag(cmd, h.flag) {
			hints = append(hints, h.hint)
		}
	}
	if len(hints) == 0 {
		return err
	}
	return &hintedError{err, hints}
}

// problemHints returns the hints for a list of problems (trustgap
// validate prints them rather than failing with them).
func problemHints(cmd *cobra.Command, problems []survey.Problem) []string {
	if he, ok := withFlagHints(cmd, &survey.ProblemsError{Problems: problems}).(*hintedError); ok {
		return he.hints
	}
	return nil
}

func hasFlag(cmd *cobra.Command, name string) bool {
	return cmd == nil || cmd.Flags().Lookup(name) != nil
}
