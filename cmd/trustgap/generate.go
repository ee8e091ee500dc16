package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/trustgap/trustgap/datasets"
	"github.com/trustgap/trustgap/reports"
)

// GenerateOptions holds the flags of `trustgap generate`.
type GenerateOptions struct {
	IO    *IOStreams
	N     int
	Seed  uint64
	Out   string
	Quiet bool
}

// NewCmdGenerate builds `trustgap generate`.
func NewCmdGenerate(s *IOStreams, runF func(*GenerateOptions) error) *cobra.Command {
	opts := &GenerateOptions{IO: s}
	cmd := &cobra.Command{
		Use:   "generate --n N --seed S --out DIR",
		Short: "Write a synthetic study (responses.csv and codebook.yaml)",
		Long: `Write DIR/responses.csv and DIR/codebook.yaml: a synthetic consumer privacy
survey of N respondents, stratified by region with clustered PSUs and unequal
weights, generated from SEED (the same N and SEED give the same bytes). It
streams, so memory does not grow with N.`,
		Example: "  trustgap generate --n 1000000 --seed 7 --out study1m",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.N < 0 {
				return usageErrorf("--n must be 0 or more, got %d", opts.N)
			}
			if opts.Out == "" {
				return usageErrorf("--out DIR is required")
			}
			if runF != nil {
				return runF(opts)
			}
			return generateRun(cmd, opts)
		},
	}
	cmd.Flags().IntVar(&opts.N, "n", datasets.DefaultN, "number of respondents")
	cmd.Flags().Uint64Var(&opts.Seed, "seed", datasets.DefaultSeed, "random seed")
	cmd.Flags().StringVar(&opts.Out, "out", "", "output `DIR` (created if needed)")
	cmd.Flags().BoolVarP(&opts.Quiet, "quiet", "q", false, "no progress bar")
	return cmd
}

func generateRun(cmd *cobra.Command, opts *GenerateOptions) error {
	if err := os.MkdirAll(opts.Out, 0o755); err != nil {
		return fmt.Errorf("generate: %w", err)
	}
	bar := newProgress(opts.IO, opts.Quiet, int64(opts.N), "generating")
	gen := datasets.GenerateOptions{N: opts.N, Seed: opts.Seed}
	if bar != nil {
		gen.Progress = func(rows int) { _ = bar.Set(rows) }
	}
	err := reports.WriteFileAtomic(filepath.Join(opts.Out, "responses.csv"), func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<20)
		if err := datasets.Generate(cmd.Context(), gen, bw); err != nil {
			return err
		}
		return bw.Flush()
	})
	if bar != nil {
		_ = bar.Finish()
		fmt.Fprintln(opts.IO.ErrOut)
	}
	if err != nil {
		return fmt.Errorf("generate: %w", err)
	}
	err = reports.WriteFileAtomic(filepath.Join(opts.Out, "codebook.yaml"), func(w io.Writer) error {
		_, err := w.Write(datasets.Codebook())
		return err
	})
	if err != nil {
		return fmt.Errorf("generate: %w", err)
	}
	fmt.Fprintf(opts.IO.ErrOut, "wrote %s and %s (%d respondents)\n",
		filepath.Join(opts.Out, "responses.csv"), filepath.Join(opts.Out, "codebook.yaml"), opts.N)
	return nil
}

// newProgress returns a progress bar on standard error when it is a
// terminal and quiet is off, else nil: progress never pollutes pipes or
// CI logs.
func newProgress(s *IOStreams, quiet bool, max int64, what string) *progressbar.ProgressBar {
	if quiet || !s.IsStderrTTY() {
		return nil
	}
	return progressbar.NewOptions64(max,
		progressbar.OptionSetWriter(s.ErrOut),
		progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(),
		progressbar.OptionThrottle(100_000_000),
		progressbar.OptionClearOnFinish(),
	)
}
