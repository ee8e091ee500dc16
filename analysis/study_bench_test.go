package analysis_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"sync"
	"testing"

	"github.com/trustgap/trustgap/analysis"
	"github.com/trustgap/trustgap/datasets"
	"github.com/trustgap/trustgap/internal/leanload"
	"github.com/trustgap/trustgap/survey"
)

// The study benchmarks run the analyses on the synthetic study of
// datasets.Generate (seed 1) at 100,000 and 1,000,000 respondents, loaded
// as the command line loads it: only the constructs used, stored compactly,
// grouped by PSU.

var benchSizes = []int{100_000, 1_000_000}

// studyData caches the generated CSV text (one per size) for the test
// binary: the benchmarks time the analyses, not the reading.
var studyData struct {
	sync.Mutex
	csv map[int][]byte
}

func benchStudyCSV(b *testing.B, n int) []byte {
	b.Helper()
	studyData.Lock()
	defer studyData.Unlock()
	if data, ok := studyData.csv[n]; ok {
		return data
	}
	var buf bytes.Buffer
	if err := datasets.Generate(context.Background(), datasets.GenerateOptions{N: n, Seed: 1}, &buf); err != nil {
		b.Fatal(err)
	}
	if studyData.csv == nil {
		studyData.csv = map[int][]byte{}
	}
	studyData.csv[n] = buf.Bytes()
	return buf.Bytes()
}

// loadBenchStudy loads the study of n respondents with the constructs
// named (nil: all), Compact, and builds its design.
func loadBenchStudy(b *testing.B, n int, constructs []string) (*survey.Dataset, analysis.Options) {
	b.Helper()
	cb, err := survey.ParseCodebook(bytes.NewReader(datasets.Codebook()), "codebook.yaml")
	if err != nil {
		b.Fatal(err)
	}
	t, err := survey.NewCSVReader(bytes.NewReader(benchStudyCSV(b, n)), "responses.csv", survey.ReadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	ds, err := survey.Load(leanload.With(context.Background(), leanload.All), cb, []survey.TableReader{t}, survey.LoadOptions{Constructs: constructs})
	if err != nil {
		b.Fatal(err)
	}
	d, err := analysis.StudyDesign(ds, analysis.LonelyFail)
	if err != nil {
		b.Fatal(err)
	}
	// A cache without sums, as a report's sections share: the domain
	// variables' cross cells and degrees of freedom are built once, and
	// every run reads its variables itself.
	// A cancellable context, as the command line passes: the passes poll
	// it.
	ctx, cancel := context.WithCancel(context.Background())
	b.Cleanup(cancel)
	return ds, analysis.Options{Design: d, Cache: analysis.NewCache().WithoutSums(), Context: ctx}
}

func benchStudy(b *testing.B, constructs []string, run func(ds *survey.Dataset, opts analysis.Options) error) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			ds, opts := loadBenchStudy(b, n, constructs)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if err := run(ds, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkStudyParadox(b *testing.B) {
	benchStudy(b, []string{"concern", "protection", "sharing"}, func(ds *survey.Dataset, opts analysis.Options) error {
		_, err := analysis.Paradox(ds, opts)
		return err
	})
}

func BenchmarkStudyTrust(b *testing.B) {
	benchStudy(b, []string{"trust", "comfort"}, func(ds *survey.Dataset, opts analysis.Options) error {
		_, err := analysis.Trust(ds, opts)
		return err
	})
}

func BenchmarkStudyDescribe(b *testing.B) {
	benchStudy(b, nil, func(ds *survey.Dataset, opts analysis.Options) error {
		_, err := analysis.Describe(ds, opts)
		return err
	})
}

func BenchmarkStudyCompare(b *testing.B) {
	benchStudy(b, nil, func(ds *survey.Dataset, opts analysis.Options) error {
		_, err := analysis.Compare(ds, opts, nil)
		return err
	})
}

func BenchmarkStudyBanner(b *testing.B) {
	benchStudy(b, nil, func(ds *survey.Dataset, opts analysis.Options) error {
		_, err := analysis.Banner(ds, analysis.DefaultBannerVariables(ds), opts)
		return err
	})
}

// BenchmarkStudyBannerItems is the deck's Crosstabs banner: the flags,
// then every item on a scale as its full answer distribution (each scale
// point), top-2 and bottom-2 nets and mean, eight rows read from one
// item's codes.
func BenchmarkStudyBannerItems(b *testing.B) {
	benchStudy(b, nil, func(ds *survey.Dataset, opts analysis.Options) error {
		var vars []analysis.BannerVariable
		for _, c := range ds.Constructs {
			if c.Def.Flag != "" {
				vars = append(vars, analysis.FlagVariable(c.Name, c))
			}
		}
		for _, c := range ds.Constructs {
			if len(c.Def.Scale) != 2 || c.Def.Score == "count" {
				continue
			}
			lo, hi := c.Def.Scale[0], c.Def.Scale[1]
			in := func(a, z float64) func(float64) float64 {
				return func(v float64) float64 {
					if math.IsNaN(v) {
						return v
					}
					if v >= a && v <= z {
						return 1
					}
					return 0
				}
			}
			for _, it := range c.Items {
				for p := lo; p <= hi; p++ {
					vars = append(vars, analysis.ItemVariable(it.Name, it, in(p, p)))
				}
				vars = append(vars, analysis.ItemVariable(it.Name, it, in(hi-1, hi)),
					analysis.ItemVariable(it.Name, it, in(lo, lo+1)),
					analysis.ItemVariable(it.Name, it, func(v float64) float64 { return v }))
			}
		}
		_, err := analysis.Banner(ds, vars, opts)
		return err
	})
}
