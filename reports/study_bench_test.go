package reports

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/trustgap/trustgap/analysis"
	"github.com/trustgap/trustgap/datasets"
	"github.com/trustgap/trustgap/internal/leanload"
	"github.com/trustgap/trustgap/survey"
)

// BenchmarkBuildStudyReport builds the report's sections (every analysis
// and chart, no files written) on the synthetic study of datasets.Generate
// (seed 1), loaded as `trustgap report` loads it: every construct,
// stored compactly, grouped by PSU. The study is generated in memory.
func BenchmarkBuildStudyReport(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			ctx := context.Background()
			var csv bytes.Buffer
			if err := datasets.Generate(ctx, datasets.GenerateOptions{N: n, Seed: 1}, &csv); err != nil {
				b.Fatal(err)
			}
			cb, err := survey.ParseCodebook(bytes.NewReader(datasets.Codebook()), "codebook.yaml")
			if err != nil {
				b.Fatal(err)
			}
			tr, err := survey.NewCSVReader(&csv, "responses.csv", survey.ReadOptions{})
			if err != nil {
				b.Fatal(err)
			}
			ds, err := survey.Load(leanload.With(ctx, leanload.All), cb, []survey.TableReader{tr}, survey.LoadOptions{})
			if err != nil {
				b.Fatal(err)
			}
			d, err := analysis.StudyDesign(ds, analysis.LonelyFail)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				sr, err := BuildStudyReport(ctx, ds, StudyOptions{Analysis: analysis.Options{Design: d}})
				if err != nil {
					b.Fatal(err)
				}
				if len(sr.Report.Sections) != 7 {
					b.Fatalf("%d sections, want 7", len(sr.Report.Sections))
				}
			}
		})
	}
}
