package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"
	"github.com/trustgap/trustgap/analysis"
	"github.com/trustgap/trustgap/internal/leanload"
	"github.com/trustgap/trustgap/survey"
)

// ValidateOptions holds the flags of `trustgap validate`.
type ValidateOptions struct {
	IO    *IOStreams
	Study studyOptions
}

// errInvalid is returned when validation found problems (exit status 1);
// the problems themselves are already listed on standard output.
var errInvalid = errors.New("validate: the study has problems (listed above)")

// NewCmdValidate builds `trustgap validate`.
func NewCmdValidate(s *IOStreams, runF func(*ValidateOptions) error) *cobra.Command {
	opts := &ValidateOptions{IO: s}
	cmd := &cobra.Command{
		Use:   "validate [--data FILE]... [--codebook C]",
		Short: "Check a study and list every problem",
		Long: `Read the codebook and every data file and list every problem, not just the
first: unknown codebook keys or names, non-numeric or out-of-scale answers,
text answers absent from values, duplicate ids, negative, non-finite or
non-numeric weights, items missing for everyone. Every column of every
file, used or not, is scanned for personal data (e-mail addresses, phone
numbers, IP addresses, postal addresses, person names, free text): such
columns are listed with how many values look so, never a value. One used
as region, segment, strata or --by is a problem unless the codebook lists
it under allow_pii:. Exit status 0 when clean, 1 otherwise.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.Study.validate(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return validateRun(cmd, opts)
		},
	}
	addStudyFlags(cmd, &opts.Study)
	return cmd
}

func validateRun(cmd *cobra.Command, opts *ValidateOptions) error {
	ctx := cmd.Context()
	out := opts.IO.Out
	cb, err := opts.Study.codebook()
	var cbProblems *survey.ProblemsError
	if err != nil && !errors.As(err, &cbProblems) {
		return err
	}
	if cb == nil {
		// The codebook could not be read at all: its problems are all
		// there is to list.
		for _, p := range cbProblems.Problems {
			fmt.Fprintln(out, p.String())
		}
		return errInvalid
	}
	ts, err := opts.Study.tables(ctx, opts.IO, cb)
	if err != nil {
		return err
	}
	defer closeAll(ts)
	problems, warnings, err := survey.Validate(ctx, cb, ts, opts.Study.loadOptions(survey.LoadOptions{}))
	if err != nil {
		return err
	}
	// Columns that look like personal data are listed whether or not the
	// codebook uses them; they are not problems of the study unless they
	// would be published (then they are among the problems too).
	for _, w := range warnings {
		fmt.Fprintln(out, "personal data: "+w.String())
	}
	for _, l := range survey.ProblemLines(problems) {
		fmt.Fprintln(out, l)
	}
	if len(problems) == 0 {
		lonely, err := lonelyProblems(cmd, opts)
		if err != nil {
			return err
		}
		problems = append(problems, lonely...)
		for _, p := range lonely {
			fmt.Fprintln(out, p)
		}
	}
	if len(problems) > 0 {
		for _, h := range problemHints(cmd, problems) {
			fmt.Fprintf(out, "(%s)\n", h)
		}
		fmt.Fprintf(out, "%d problem(s)\n", len(survey.ProblemLines(problems))) // as listed: one per cause
		return errInvalid
	}
	if len(warnings) > 0 {
		fmt.Fprintf(out, "ok: no problems found, but %d column(s) look like personal data (listed above)\n", len(warnings))
		return nil
	}
	fmt.Fprintln(out, "ok: no problems found")
	return nil
}

// lonelyProblems builds the design of a study that validated cleanly and,
// when --lonely-psu is fail (every analysis's default), names each
// single-PSU stratum: the analyses would refuse the design.
func lonelyProblems(cmd *cobra.Command, opts *ValidateOptions) ([]survey.Problem, error) {
	if lonely, _ := analysis.ParseLonelyPSU(opts.Study.LonelyPSU); lonely != analysis.LonelyFail {
		return nil, nil
	}
	for _, d := range opts.Study.Data {
		if d == "-" {
			// Standard input has been read: the design cannot be built again.
			fmt.Fprintln(opts.IO.ErrOut, "warning: single-PSU strata are not checked for standard input")
			return nil, nil
		}
	}
	so := opts.Study
	so.LonelyPSU = analysis.LonelyCertainty.String()
	so.listedPII = true // listed on standard output already
	st, err := so.load(cmd.Context(), opts.IO, survey.LoadOptions{Constructs: []string{}}, leanload.Options{SkipID: true})
	if err != nil {
		return nil, err
	}
	var out []survey.Problem
	column := ""
	if st.DS.Strata != nil {
		column = st.DS.Strata.Name
	}
	for _, name := range st.Design.SinglePSUStrata() {
		out = append(out, survey.Problem{Column: column, Msg: fmt.Sprintf("stratum %s has only one PSU, so every analysis refuses the design by default; "+
			"say how it enters variances with --lonely-psu adjust, remove, certainty or average (R's options(survey.lonely.psu = ...))", name)})
	}
	return out, nil
}
