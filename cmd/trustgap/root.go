package main

import (
	"github.com/spf13/cobra"
)

const exitStatusHelp = `
EXIT STATUS
  0  success
  1  bad input data or codebook (the message names file, row, column or key)
  2  bad usage (unknown command or flag, invalid flag value)
  3  internal error (a bug in trustgap; please report it)
  130, 143  interrupted by SIGINT (Ctrl-C) or SIGTERM; no output file was replaced
`

// NewCmdRoot builds the whole command tree. Every call returns a fresh tree,
// so tests never see flag values left over from an earlier Execute.
func NewCmdRoot(s *IOStreams) *cobra.Command {
	root := &cobra.Command{
		Use:   "trustgap <command>",
		Short: "Trust-and-privacy survey analytics with design-based inference",
		Long: `trustgap measures the gap between stated privacy concern and actual data
sharing (the privacy paradox), the effect of trust on comfort with
personalization, Westin privacy segments and regional differences in consumer
surveys. Estimates, standard errors and intervals follow R's survey package
(weights, strata, PSUs, finite population correction).

Without --data, commands run on the embedded default study.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version(),
	}
	root.SetVersionTemplate("trustgap {{.Version}}\n")
	root.SetIn(s.In)
	root.SetOut(s.Out)
	root.SetErr(s.ErrOut)
	root.SetHelpTemplate(root.HelpTemplate() + exitStatusHelp)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &usageError{err}
	})
	root.AddCommand(
		NewCmdInit(s, nil),
		NewCmdValidate(s, nil),
		NewCmdDescribe(s, nil),
		NewCmdEstimate(s, nil),
		NewCmdCrosstab(s, nil),
		NewCmdWeight(s, nil),
		NewCmdGenerate(s, nil),
		NewCmdReport(s, nil),
	)
	addAnalysisCommands(root, s)
	return root
}

// noArgs rejects positional arguments as a usage error.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageErrorf("%s takes no arguments, got %q (flags start with --)", cmd.CommandPath(), args[0])
	}
	return nil
}
