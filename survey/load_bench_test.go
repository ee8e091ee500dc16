package survey_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/trustgap/trustgap/datasets"
	"github.com/trustgap/trustgap/internal/leanload"
	"github.com/trustgap/trustgap/survey"
)

// benchStudy writes a synthetic study of n respondents (datasets.Generate,
// seed 1) to a temporary file once per size and returns its path and
// codebook. The files live until the test binary exits.
var benchStudies = struct {
	sync.Mutex
	dir   string
	paths map[int]string
}{paths: map[int]string{}}

func benchStudy(b *testing.B, n int) (string, *survey.Codebook) {
	b.Helper()
	benchStudies.Lock()
	defer benchStudies.Unlock()
	cb, err := survey.ParseCodebook(bytes.NewReader(datasets.Codebook()), "codebook.yaml")
	if err != nil {
		b.Fatal(err)
	}
	if p, ok := benchStudies.paths[n]; ok {
		return p, cb
	}
	if benchStudies.dir == "" {
		dir, err := os.MkdirTemp("", "trustgap-bench-")
		if err != nil {
			b.Fatal(err)
		}
		benchStudies.dir = dir
	}
	p := filepath.Join(benchStudies.dir, fmt.Sprintf("responses%d.csv", n))
	f, err := os.Create(p)
	if err != nil {
		b.Fatal(err)
	}
	if err := datasets.Generate(context.Background(), datasets.GenerateOptions{N: n, Seed: 1}, f); err != nil {
		f.Close()
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	benchStudies.paths[n] = p
	return p, cb
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchStudies.dir != "" {
		os.RemoveAll(benchStudies.dir)
	}
	os.Exit(code)
}

// benchLoad opens and loads the study at path with opts.
func benchLoad(b *testing.B, path string, cb *survey.Codebook, opts survey.LoadOptions, lean leanload.Options) *survey.Dataset {
	b.Helper()
	ctx := leanload.With(context.Background(), lean)
	t, err := survey.OpenTable(ctx, path, survey.ReadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer t.Close()
	ds, err := survey.Load(ctx, cb, []survey.TableReader{t}, opts)
	if err != nil {
		b.Fatal(err)
	}
	return ds
}

// BenchmarkLoad loads the synthetic study at 100,000 and 1,000,000
// respondents: "full" keeps every construct as float64s (LoadOptions{}),
// "lean" loads what the paradox command needs the way it does (three
// constructs, internal/leanload.All). bytes/op and allocs/op show
// what a respondent costs; MB/s is the file's size over the time.
func BenchmarkLoad(b *testing.B) {
	modes := []struct {
		name string
		opts survey.LoadOptions
		lean leanload.Options
	}{
		{"full", survey.LoadOptions{}, leanload.Options{}},
		{"lean", survey.LoadOptions{Constructs: []string{"concern", "protection", "sharing"}}, leanload.All},
	}
	for _, n := range []int{100_000, 1_000_000} {
		for _, m := range modes {
			b.Run(fmt.Sprintf("n=%d/%s", n, m.name), func(b *testing.B) {
				path, cb := benchStudy(b, n)
				if info, err := os.Stat(path); err == nil {
					b.SetBytes(info.Size())
				}
				b.ReportAllocs()
				b.ResetTimer()
				for b.Loop() {
					ds := benchLoad(b, path, cb, m.opts, m.lean)
					if ds.N != n {
						b.Fatalf("loaded %d respondents, want %d", ds.N, n)
					}
				}
			})
		}
	}
}
