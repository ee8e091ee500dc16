// Command trustgap measures the privacy paradox and the trust-versus-comfort
// effect in consumer surveys, with design-based inference that agrees with
// R's survey package, and writes reports and Excel decks.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/trustgap/trustgap/analysis"
	"github.com/trustgap/trustgap/internal/pool"
	"github.com/trustgap/trustgap/reports"
)

// Exit statuses, decided here and nowhere else.
const (
	exitOK       = 0
	exitData     = 1 // bad input data or codebook
	exitUsage    = 2 // bad usage: flags, arguments
	exitInternal = 3 // a bug in trustgap
	// A run ended by a signal exits 128 + the signal's number, as shells
	// report it: 130 for SIGINT (Ctrl-C), 143 for SIGTERM.
	exitSignal = 128
)

// interruptGrace is how long an interrupted command is given to stop by
// itself (removing its temporary files) before the process ends anyway.
// Every long pass polls the command's context: reading (every 16,384
// rows), building and calibrating the design, the estimation passes,
// crosstab, estimate, raking, the logistic fits, a calibrated design's
// residuals (per sweep) and the report's sections and charts; at a
// million respondents a run returns within a few hundred milliseconds
// of a signal, even on a busy machine (bench/README). The grace stays as
// a last resort for the promise of an exit within a second: a pass
// between two polls can still outlast it on an overloaded machine or a
// far larger study. Ending then loses nothing, since no output is
// replaced before the run's last check of the context; at worst a
// temporary file is left beside -o's (.NAME.tmp-*), or a report's
// temporary folder, which the next report into that folder removes.
const interruptGrace = 700 * time.Millisecond

func main() {
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := <-sigs
		cancel(&interruptedError{sig: sig})
		// A second signal ends the process at once: the user means it.
		sig = <-sigs
		os.Exit(exitCode(&interruptedError{sig: sig}))
	}()
	s := SystemStreams()
	done := make(chan int, 1)
	go func() { done <- run(ctx, s, os.Args[1:]) }()
	os.Exit(waitRun(ctx, s, done, interruptGrace))
}

// waitRun waits for the command's exit status on done. Once ctx is
// cancelled by a signal, the command has grace to stop (every write
// checks ctx before it replaces anything, so stopping early loses
// nothing); a command still busy after that (an estimation that does not
// poll ctx) is abandoned and the process ends with the signal's status.
func waitRun(ctx context.Context, s *IOStreams, done <-chan int, grace time.Duration) int {
	select {
	case code := <-done:
		return code
	case <-ctx.Done():
	}
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case code := <-done:
		return code
	case <-t.C:
	}
	err := context.Cause(ctx)
	fmt.Fprintf(s.ErrOut, "trustgap: %v\n", err)
	return exitCode(err)
}

// interruptedError is the cause of a run's cancellation by a signal.
type interruptedError struct {
	sig os.Signal
	err error // the command's own error after the cancellation, if any
}

func (e *interruptedError) Error() string {
	return fmt.Sprintf("interrupted by %s: stopped before replacing any output file", signalName(e.sig))
}

func (e *interruptedError) Unwrap() error { return e.err }

func signalName(sig os.Signal) string {
	switch sig {
	case os.Interrupt:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return sig.String()
}

// interrupted returns the error a command ended with once ctx was
// cancelled: the interruption, when a signal caused it.
func interrupted(ctx context.Context, err error) error {
	var ie *interruptedError
	if errors.As(context.Cause(ctx), &ie) {
		return &interruptedError{sig: ie.sig, err: err}
	}
	return err
}

// run executes the command line on a fresh command tree and maps its
// outcome to an exit status.
func run(ctx context.Context, s *IOStreams, args []string) int {
	return execute(ctx, s, NewCmdRoot(s), args)
}

// execute runs cmd with args and maps its outcome to an exit status. A
// panic, in this goroutine or (through internal/pool) in a worker, is an
// internal error: reported in one line (the stack only with
// TRUSTGAP_DEBUG=1), never as a raw trace.
func execute(ctx context.Context, s *IOStreams, cmd *cobra.Command, args []string) (code int) {
	defer func() {
		if r := recover(); r != nil {
			code = reportInternal(s, &pool.PanicError{Value: r, Stack: debug.Stack()})
		}
	}()
	cmd.SetArgs(args)
	entered := false
	markRun(cmd, &entered)
	ran, err := cmd.ExecuteContextC(ctx)
	if err == nil {
		return exitOK
	}
	if errors.Is(err, pool.ErrPanic) {
		return reportInternal(s, err)
	}
	if ctx.Err() != nil {
		err = interrupted(ctx, err)
	}
	err = withFlagHints(ran, err)
	if !entered {
		// cobra failed before running the command: an unknown command, a
		// bad flag or argument, a required flag not set.
		err = &usageError{err}
	}
	msg := err.Error()
	if !strings.HasSuffix(msg, "\n") {
		msg += "\n"
	}
	fmt.Fprint(s.ErrOut, "trustgap: "+msg)
	return exitCode(err)
}

// reportInternal prints a panic turned error in one line, its stack too
// with TRUSTGAP_DEBUG=1, and returns the internal-error status.
func reportInternal(s *IOStreams, err error) int {
	fmt.Fprintf(s.ErrOut, "trustgap: internal error: %s (a bug in trustgap: please report it with the command you ran)\n", oneLine(err.Error()))
	var pe *pool.PanicError
	if os.Getenv("TRUSTGAP_DEBUG") == "1" && errors.As(err, &pe) {
		s.ErrOut.Write(pe.Stack)
	}
	return exitInternal
}

// oneLine joins a message's lines, so that an internal error stays on one.
func oneLine(msg string) string {
	return strings.ReplaceAll(strings.TrimSpace(msg), "\n", " ")
}

// usageError marks a mistake in how the command was called.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// usageErrorf builds a usage error.
func usageErrorf(format string, a ...any) error {
	return &usageError{fmt.Errorf(format, a...)}
}

// internalError marks a failure that is trustgap's fault, not the input's.
type internalError struct{ err error }

func (e *internalError) Error() string { return e.err.Error() }
func (e *internalError) Unwrap() error { return e.err }

// markRun makes the RunE of cmd and of its subcommands set *entered as
// it starts. cobra returns its own errors (an unknown command, a bad flag
// or argument, a required flag not set) as plain errors, before any RunE
// runs: an error while *entered is false is therefore a usage error,
// told apart without reading its message.
func markRun(cmd *cobra.Command, entered *bool) {
	if run := cmd.RunE; run != nil {
		cmd.RunE = func(c *cobra.Command, args []string) error {
			*entered = true
			return run(c, args)
		}
	}
	for _, sub := range cmd.Commands() {
		markRun(sub, entered)
	}
}

func exitCode(err error) int {
	var ue *usageError
	var ie *internalError
	var se *interruptedError
	switch {
	case errors.Is(err, pool.ErrPanic):
		return exitInternal
	case errors.As(err, &se):
		if sig, ok := se.sig.(syscall.Signal); ok {
			return exitSignal + int(sig)
		}
		return exitSignal + int(syscall.SIGINT)
	case errors.As(err, &ue), errors.Is(err, analysis.ErrUnknownDomain), errors.Is(err, reports.ErrPrivateCalibrated):
		return exitUsage
	case errors.As(err, &ie):
		return exitInternal
	}
	// Everything else comes from reading or analysing the input.
	return exitData
}
