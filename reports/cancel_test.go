package reports

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/trustgap/trustgap/analysis"
	"github.com/trustgap/trustgap/datasets"
	"github.com/trustgap/trustgap/internal/leanload"
	"github.com/trustgap/trustgap/internal/polltest"
	"github.com/trustgap/trustgap/survey"
)

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

	full := polltest.New(0)
	if _, err := BuildStudyReport(full, ds, opts); err != nil {
		t.Fatalf("BuildStudyReport(uncancelled) = %v, want no error", err)
	}
	n := full.Polls()
	if n < 100 {
		t.Fatalf("BuildStudyReport polled its context %d times, want at least 100 (every few thousand respondents of every pass)", n)
	}

	cut := polltest.New(n / 4)
	sr, err := BuildStudyReport(cut, ds, opts)
	if !errors.Is(err, context.Canceled) || sr != nil {
		t.Fatalf("BuildStudyReport(cancelled after %d of %d polls) = %v, %v; want nil, context.Canceled", n/4, n, sr, err)
	}
	m := cut.Polls()
	t.Logf("full build: %d polls; cancelled at poll %d: stopped after %d", n, n/4, m)
	if m > n/2 {
		t.Errorf("BuildStudyReport(cancelled after %d polls) polled %d times, want at most %d of the full build's %d", n/4, m, n/2, n)
	}
}
