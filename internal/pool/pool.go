// Package pool is trustgap's one worker-pool helper. Every goroutine the
// module starts goes through it, so that a panic in a worker becomes an
// error returned to the caller (a *PanicError, which the CLI reports as an
// internal error) instead of ending the process with a raw trace that no
// recover in main can catch.
//
// It is a thin layer over golang.org/x/sync/errgroup: the limit and the
// cancellation on the first error are errgroup's.
package pool

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"

	"golang.org/x/sync/errgroup"
)

// ErrPanic is the kind of every *PanicError: errors.Is(err, ErrPanic)
// reports whether err comes from a recovered panic.
var ErrPanic = errors.New("panic")

// PanicError is a panic recovered in a function run by this package.
type PanicError struct {
	// Value is the value passed to panic.
	Value any
	// Stack is the panicking goroutine's stack, for debugging; the
	// message leaves it out.
	Stack []byte
}

func (e *PanicError) Error() string { return fmt.Sprintf("panic: %v", e.Value) }

// Is makes errors.Is(err, ErrPanic) true.
func (e *PanicError) Is(target error) bool { return target == ErrPanic }

// Unwrap returns the panic value when it is an error (a runtime.Error,
// say), so that errors.As can reach it.
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}

// recovered turns the value of recover() into a *PanicError.
func recovered(r any) *PanicError {
	return &PanicError{Value: r, Stack: debug.Stack()}
}

// Run calls f in the calling goroutine and returns its error, or a
// *PanicError if it panics: the serial path of a pool behaves as its
// parallel one.
func Run(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = recovered(r)
		}
	}()
	return f()
}

// Group runs functions in goroutines, at most a limit at a time, and
// cancels its context on the first error or panic. The zero Group is not
// usable: make one with New.
type Group struct {
	eg  *errgroup.Group
	ctx context.Context
}

// New returns a Group running at most limit functions at once (no limit
// if limit <= 0) and the context they receive, which is cancelled when
// ctx is or when one of them fails.
func New(ctx context.Context, limit int) (*Group, context.Context) {
	eg, gctx := errgroup.WithContext(ctx)
	if limit > 0 {
		eg.SetLimit(limit)
	}
	return &Group{eg: eg, ctx: gctx}, gctx
}

// Go runs f in a goroutine, first waiting for a free slot if the group is
// at its limit. A panic in f becomes f's error (a *PanicError).
func (g *Group) Go(f func(ctx context.Context) error) {
	g.eg.Go(func() error {
		return Run(func() error { return f(g.ctx) })
	})
}

// Wait waits for every function started with Go and returns the first
// error (or panic) among them.
func (g *Group) Wait() error {
	return g.eg.Wait()
}

// Workers is the default number of workers: the cores Go may use.
func Workers() int { return runtime.GOMAXPROCS(0) }

// ForEach calls f(ctx, k) for every k in 0..n−1 on at most workers
// goroutines (in the calling goroutine when workers <= 1 or n <= 1), the
// indices handed out in increasing order; an index handed out is always
// called. Once a call fails or panics, or ctx is cancelled, no further
// index is handed out and the ctx passed to the running calls is
// cancelled.
//
// The error returned is deterministic: that of the lowest index whose
// call failed for a reason of its own, not because a later failure
// cancelled it; ctx's error if ctx was cancelled before every index ran.
func ForEach(ctx context.Context, n, workers int, f func(ctx context.Context, k int) error) error {
	if n <= 0 {
		return ctx.Err()
	}
	errs := make([]error, n)
	if workers <= 1 || n == 1 {
		for k := range n {
			if err := ctx.Err(); err != nil {
				return err
			}
			if errs[k] = Run(func() error { return f(ctx, k) }); errs[k] != nil {
				return errs[k]
			}
		}
		return nil
	}
	g, gctx := New(ctx, 0)
	next := make(chan int)
	// The feeder stops at the first failure or cancellation: later
	// indices are never started.
	g.Go(func(gctx context.Context) error {
		defer close(next)
		for k := range n {
			if gctx.Err() != nil {
				return nil
			}
			select {
			case next <- k:
			case <-gctx.Done():
				return nil
			}
		}
		return nil
	})
	for range min(workers, n) {
		g.Go(func(gctx context.Context) error {
			for k := range next {
				if errs[k] = Run(func() error { return f(gctx, k) }); errs[k] != nil {
					return errs[k]
				}
			}
			return nil
		})
	}
	first := g.Wait()
	if first == nil {
		return ctx.Err()
	}
	if err := ctx.Err(); err != nil && errors.Is(first, err) {
		return err // the caller cancelled
	}
	for _, err := range errs {
		// A call that only reports the group's own cancellation was
		// stopped by another's failure: skip it.
		if err != nil && !(gctx.Err() != nil && errors.Is(err, context.Canceled) && ctx.Err() == nil) {
			return err
		}
	}
	return first
}
