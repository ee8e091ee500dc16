package analysis_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/trustgap/trustgap/internal/leanload"
	"math"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/trustgap/trustgap/analysis"
	"github.com/trustgap/trustgap/datasets"
	"github.com/trustgap/trustgap/survey"
)

// pollCtx is a context that counts how often its Err is asked and, when
// limit > 0, is cancelled at the limit-th time. The estimation passes poll
// Err every few thousand respondents, so the count measures how far an
// analysis read.
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

// cancelStudy is the generated study of 200,000 respondents, loaded as the
// command line loads it, built once for the tests of this file.
var cancelStudy = sync.OnceValues(func() (*survey.Dataset, error) {
	var buf bytes.Buffer
	if err := datasets.Generate(context.Background(), datasets.GenerateOptions{N: 200_000, Seed: 3}, &buf); err != nil {
		return nil, err
	}
	cb, err := survey.ParseCodebook(bytes.NewReader(datasets.Codebook()), "codebook.yaml")
	if err != nil {
		return nil, err
	}
	t, err := survey.NewCSVReader(&buf, "responses.csv", survey.ReadOptions{})
	if err != nil {
		return nil, err
	}
	return survey.Load(leanload.With(context.Background(), leanload.All), cb, []survey.TableReader{t}, survey.LoadOptions{})
})

// TestAnalysesStopWhenCancelled runs each analysis to the end with a
// context that counts its polls, then again with one cancelled a quarter of
// the way through those polls: the second must fail with
// context.Canceled, having polled (read) well under what the full run did,
// and a context cancelled before the call must stop it at once.
func TestAnalysesStopWhenCancelled(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a study of 200,000 respondents")
	}
	ds, err := cancelStudy()
	if err != nil {
		t.Fatal(err)
	}
	d, err := analysis.StudyDesign(ds, analysis.LonelyFail)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		run  func(analysis.Options) (any, error)
	}{
		{"Describe", func(o analysis.Options) (any, error) { return analysis.Describe(ds, o) }},
		{"Paradox", func(o analysis.Options) (any, error) { return analysis.Paradox(ds, o) }},
		{"Compare", func(o analysis.Options) (any, error) { return analysis.Compare(ds, o, nil) }},
		{"Banner", func(o analysis.Options) (any, error) {
			return analysis.Banner(ds, analysis.DefaultBannerVariables(ds), o)
		}},
		{"Trust", func(o analysis.Options) (any, error) { return analysis.Trust(ds, o) }},
		{"Segments", func(o analysis.Options) (any, error) { return analysis.Segments(ds, o) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			full := newPollCtx(0)
			want, err := tt.run(analysis.Options{Design: d, Context: full})
			if err != nil {
				t.Fatalf("%s(uncancelled) = %v, want no error", tt.name, err)
			}
			n := full.polls.Load()
			// 200,000 respondents are about 49 blocks of 4,096 a pass.
			if n < 40 {
				t.Fatalf("%s polled its context %d times, want at least 40 (once every few thousand respondents)", tt.name, n)
			}

			cut := newPollCtx(n / 4)
			got, err := tt.run(analysis.Options{Design: d, Context: cut})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("%s(cancelled after %d of %d polls) = %v, %v; want context.Canceled", tt.name, n/4, n, got, err)
			}
			if !reflect.ValueOf(got).IsNil() {
				t.Errorf("%s(cancelled) returned a result beside its error", tt.name)
			}
			m := cut.polls.Load()
			t.Logf("full run: %d polls; cancelled at poll %d: stopped after %d", n, n/4, m)
			if m > n/2 {
				t.Errorf("%s(cancelled after %d polls) polled %d times, want at most %d of the full run's %d", tt.name, n/4, m, n/2, n)
			}

			before := newPollCtx(1)
			before.cancel()
			if _, err := tt.run(analysis.Options{Design: d, Context: before}); !errors.Is(err, context.Canceled) {
				t.Fatalf("%s(context cancelled before) = %v, want context.Canceled", tt.name, err)
			}
			if m := before.polls.Load(); m > 8 {
				t.Errorf("%s(context cancelled before) polled %d times, want at most 8", tt.name, m)
			}

			// A cancelled call keeps no partial sums in a shared cache: the
			// next call with it gives the figures of a fresh cache's.
			want, err = tt.run(analysis.Options{Design: d, Cache: analysis.NewCache()})
			if err != nil {
				t.Fatal(err)
			}
			cache := analysis.NewCache()
			if _, err := tt.run(analysis.Options{Design: d, Cache: cache, Context: newPollCtx(n / 4)}); !errors.Is(err, context.Canceled) {
				t.Fatalf("%s(cancelled, shared cache) = %v, want context.Canceled", tt.name, err)
			}
			again, err := tt.run(analysis.Options{Design: d, Cache: cache})
			if err != nil {
				t.Fatal(err)
			}
			// Sums taken from the cache differ from a pass's own by rounding
			// (shared.go): 1e-12 relative.
			if path := differs(reflect.ValueOf(again), reflect.ValueOf(want), tt.name); path != "" {
				t.Errorf("%s after a cancelled call with the same cache differs from a fresh cache's at %s", tt.name, path)
			}
		})
	}
}

// differs returns the path of the first place where a and b differ, floats
// by more than 1e-12 relative (NaN equal to NaN), or "".
func differs(a, b reflect.Value, path string) string {
	if a.Kind() != b.Kind() {
		return path
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				return path
			}
			return ""
		}
		return differs(a.Elem(), b.Elem(), path)
	case reflect.Struct:
		for i := range a.NumField() {
			if p := differs(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name); p != "" {
				return p
			}
		}
	case reflect.Slice, reflect.Array:
		if a.Len() != b.Len() {
			return path + " (length)"
		}
		for i := range a.Len() {
			if p := differs(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p
			}
		}
	case reflect.Map:
		if a.Len() != b.Len() {
			return path + " (length)"
		}
		for _, k := range a.MapKeys() {
			if p := differs(a.MapIndex(k), b.MapIndex(k), fmt.Sprintf("%s[%v]", path, k)); p != "" {
				return p
			}
		}
	case reflect.Float32, reflect.Float64:
		x, y := a.Float(), b.Float()
		if x != y && !(math.IsNaN(x) && math.IsNaN(y)) && math.Abs(x-y) > 1e-12*math.Max(math.Abs(x), math.Abs(y)) {
			return fmt.Sprintf("%s: %v vs %v", path, x, y)
		}
	default:
		if a.CanInterface() && !reflect.DeepEqual(a.Interface(), b.Interface()) {
			return fmt.Sprintf("%s: %v vs %v", path, a.Interface(), b.Interface())
		}
	}
	return ""
}

// TestReliabilityContextCancelled: a cancelled context starts no
// construct's pass and the error says so.
func TestReliabilityContextCancelled(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a study of 200,000 respondents")
	}
	ds, err := cancelStudy()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := analysis.ReliabilityContext(context.Background(), ds); err != nil {
		t.Fatalf("ReliabilityContext(uncancelled) = %v, want no error", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if res, err := analysis.ReliabilityContext(ctx, ds); !errors.Is(err, context.Canceled) || res != nil {
		t.Fatalf("ReliabilityContext(cancelled) = %v, %v; want nil, context.Canceled", res, err)
	}
}
