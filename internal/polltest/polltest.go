// Package polltest gives tests a context that counts how often its Err is
// asked and cancels itself at a chosen count. The library's passes poll
// Err every few thousand respondents, so a full run's count measures how
// far it read, and a cut at each count tests that check.
package polltest

import (
	"context"
	"sync/atomic"
)

// Ctx is a context cancelled at the limit-th call of Err (never when the
// limit is 0), with cause as its cause (context.Canceled when nil).
type Ctx struct {
	context.Context
	cancel context.CancelCauseFunc
	limit  int64
	cause  error
	polls  atomic.Int64
}

// New returns a Ctx cancelled at the limit-th poll.
func New(limit int64) *Ctx { return NewCause(limit, nil) }

// NewCause returns a Ctx cancelled at the limit-th poll with cause.
func NewCause(limit int64, cause error) *Ctx {
	ctx, cancel := context.WithCancelCause(context.Background())
	return &Ctx{Context: ctx, cancel: cancel, limit: limit, cause: cause}
}

// Err counts the poll, cancelling the context at the limit.
func (c *Ctx) Err() error {
	if n := c.polls.Add(1); c.limit > 0 && n >= c.limit {
		c.cancel(c.cause)
	}
	return c.Context.Err()
}

// Polls is how often Err has been asked.
func (c *Ctx) Polls() int64 { return c.polls.Load() }

// Cancel cancels the context now.
func (c *Ctx) Cancel() { c.cancel(c.cause) }
