package reports

import (
	"bytes"
	"context"
	"errors"
	"github.com/trustgap/trustgap/internal/leanload"
	"sync/atomic"
	"testing"

	"github.com/trustgap/trustgap/analysis"
	"github.com/trustgap/trustgap/datasets"
	"github.com/trustgap/trustgap/survey"
)

// pollCtx is a context that counts how often its Err is asked and, when
// limit > 0, is cancelled at the limit-th time: the estimation passes poll
// Err every few thousand respondents, so the count measures how far a
// report's analyses read.
type pollCtx struct {
	context.Context
	cancel context.CancelFunc
	limit  int64
	polls  atomic.Int64
}

func newPollCtx(limit int64) *pollCtx {
	ctx, cancel := context.WithCancel(context.Background())
	return &pollCtx{Context: ctx, cancel: cancel, limit: limit}
}

func (c *pollCtx) Err() error {
	if n := c.polls.Add(1); c.limit > 0 && n >= c.limit {
		c.cancel()
	}
	return c.Context.Err()
}

// TestBuildStudyReportStopsWhenCancelled builds the report of a generated
// study of 200,000 respondents to the end, counting its context's polls,
// then with a context cancelled a quarter of the way through them: that
// build must fail with context.Canceled, having read well under half of
// what the full build did.
func TestBuildStudyReportStopsWhenCancelled(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a study of 200,000 respondents")
	}
	ctx := context.Background()
	var csv bytes.Buffer
	if err := datasets.Generate(ctx, datasets.GenerateOptions{N: 200_000, Seed: 3}, &csv); err != nil {
		t.Fatal(err)
	}
	cb, err := survey.ParseCodebook(bytes.NewReader(datasets.Codebook()), "codebook.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tr, err := survey.NewCSVReader(&csv, "responses.csv", survey.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ds, err := survey.Load(leanload.With(ctx, leanload.All), cb, []survey.TableReader{tr}, survey.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d, err := analysis.StudyDesign(ds, analysis.LonelyFail)
	if err != nil {
		t.Fatal(err)
	}
	opts := StudyOptions{Analysis: analysis.Options{Design: d}}

	full := newPollCtx(0)
	if _, err := BuildStudyReport(full, ds, opts); err != nil {
		t.Fatalf("BuildStudyReport(uncancelled) = %v, want no error", err)
	}
	n := full.polls.Load()
	if n < 100 {
		t.Fatalf("BuildStudyReport polled its context %d times, want at least 100 (every few thousand respondents of every pass)", n)
	}

	cut := newPollCtx(n / 4)
	sr, err := BuildStudyReport(cut, ds, opts)
	if !errors.Is(err, context.Canceled) || sr != nil {
		t.Fatalf("BuildStudyReport(cancelled after %d of %d polls) = %v, %v; want nil, context.Canceled", n/4, n, sr, err)
	}
	m := cut.polls.Load()
	t.Logf("full build: %d polls; cancelled at poll %d: stopped after %d", n, n/4, m)
	if m > n/2 {
		t.Errorf("BuildStudyReport(cancelled after %d polls) polled %d times, want at most %d of the full build's %d", n/4, m, n/2, n)
	}
}
