package survey_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/trustgap/trustgap/datasets"
	"github.com/trustgap/trustgap/internal/leanload"
	"github.com/trustgap/trustgap/internal/polltest"
	"github.com/trustgap/trustgap/survey"
)

// TestLoadStopsAtEveryCheck loads a generated study as the analyses do
// (constructs scored, respondents grouped by PSU) and as crosstab does
// (every item kept as numbers), counting the context's checks, then
// again cancelled at each of them in turn: reserving memory, reading,
// the converters' backlog, scoring each construct, grouping each column
// by PSU. Every cut must end Load with context.Canceled and no Dataset.
func TestLoadStopsAtEveryCheck(t *testing.T) {
	var data bytes.Buffer
	if err := datasets.Generate(context.Background(), datasets.GenerateOptions{N: 20_000, Seed: 5}, &data); err != nil {
		t.Fatal(err)
	}
	cb, err := survey.ParseCodebook(bytes.NewReader(datasets.Codebook()), "codebook.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		lean leanload.Options
	}{
		{"analyses' load", leanload.All},
		{"every item as numbers", leanload.Options{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			load := func(ctx *polltest.Ctx) (*survey.Dataset, error) {
				r, err := survey.NewCSVReader(bytes.NewReader(data.Bytes()), "responses.csv", survey.ReadOptions{})
				if err != nil {
					t.Fatal(err)
				}
				return survey.Load(leanload.With(ctx, tt.lean), cb, []survey.TableReader{r}, survey.LoadOptions{})
			}
			full := polltest.New(0)
			if _, err := load(full); err != nil {
				t.Fatalf("Load(uncancelled) = %v", err)
			}
			n := full.Polls()
			t.Logf("Load polled its context %d times", n)
			if n < 10 {
				t.Fatalf("Load polled its context %d times, want at least 10", n)
			}
			// Every check after the reading, where the passes over the
			// whole study are, and every seventh before.
			for k := int64(1); k <= n; k++ {
				if k < n-48 && k%7 != 1 {
					continue
				}
				ds, err := load(polltest.New(k))
				if !errors.Is(err, context.Canceled) || ds != nil {
					t.Errorf("Load(cancelled at check %d of %d) = %v, %v; want no Dataset, context.Canceled", k, n, ds, err)
				}
			}
		})
	}
}
