package analysis_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"sync"
	"testing"

	"github.com/trustgap/trustgap/analysis"
	"github.com/trustgap/trustgap/datasets"
	"github.com/trustgap/trustgap/internal/leanload"
	"github.com/trustgap/trustgap/internal/polltest"
	"github.com/trustgap/trustgap/survey"
)

// cancelStudy is the generated study of 200,000 respondents, loaded as the
// command line loads it, built once for the tests of this file.
var cancelStudy = sync.OnceValues(func() (*survey.Dataset, error) { return generatedStudy(200_000) })

// smallCancelStudy is a study of 10,000 respondents, for the analyses of
// a calibrated design, whose every estimate residualizes N values.
var smallCancelStudy = sync.OnceValues(func() (*survey.Dataset, error) { return generatedStudy(10_000) })

// generatedStudy is the generated study of n respondents, loaded as the
// command line loads it.
func generatedStudy(n int) (*survey.Dataset, error) {
	var buf bytes.Buffer
	if err := datasets.Generate(context.Background(), datasets.GenerateOptions{N: n, Seed: 3}, &buf); err != nil {
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
}

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
			full := polltest.New(0)
			want, err := tt.run(analysis.Options{Design: d, Context: full})
			if err != nil {
				t.Fatalf("%s(uncancelled) = %v, want no error", tt.name, err)
			}
			n := full.Polls()
			// 200,000 respondents are about 49 blocks of 4,096 a pass.
			if n < 40 {
				t.Fatalf("%s polled its context %d times, want at least 40 (once every few thousand respondents)", tt.name, n)
			}

			cut := polltest.New(n / 4)
			got, err := tt.run(analysis.Options{Design: d, Context: cut})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("%s(cancelled after %d of %d polls) = %v, %v; want context.Canceled", tt.name, n/4, n, got, err)
			}
			if !reflect.ValueOf(got).IsNil() {
				t.Errorf("%s(cancelled) returned a result beside its error", tt.name)
			}
			m := cut.Polls()
			t.Logf("full run: %d polls; cancelled at poll %d: stopped after %d", n, n/4, m)
			if m > n/2 {
				t.Errorf("%s(cancelled after %d polls) polled %d times, want at most %d of the full run's %d", tt.name, n/4, m, n/2, n)
			}

			before := polltest.New(1)
			before.Cancel()
			if _, err := tt.run(analysis.Options{Design: d, Context: before}); !errors.Is(err, context.Canceled) {
				t.Fatalf("%s(context cancelled before) = %v, want context.Canceled", tt.name, err)
			}
			if m := before.Polls(); m > 8 {
				t.Errorf("%s(context cancelled before) polled %d times, want at most 8", tt.name, m)
			}

			// A cancelled call keeps no partial sums in a shared cache: the
			// next call with it gives the figures of a fresh cache's.
			want, err = tt.run(analysis.Options{Design: d, Cache: analysis.NewCache()})
			if err != nil {
				t.Fatal(err)
			}
			cache := analysis.NewCache()
			if _, err := tt.run(analysis.Options{Design: d, Cache: cache, Context: polltest.New(n / 4)}); !errors.Is(err, context.Canceled) {
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

// proportional is a margin on codes whose targets are the sample's own
// shares (unweighted): raking to them moves the weights, and every level
// has respondents.
func proportional(name string, codes []int32, levels []string) analysis.Margin {
	m := analysis.Margin{Var: name, Codes: codes, Levels: levels, Targets: make([]float64, len(levels))}
	for _, c := range codes {
		m.Targets[c]++
	}
	for l := range m.Targets {
		m.Targets[l] /= float64(len(codes))
	}
	return m
}

// TestDesignPassesStopWhenCancelled is TestAnalysesStopWhenCancelled for
// the passes outside the estimation engine: building a design, raking
// and calibrating, the crosstab and its tests on a calibrated design,
// the logistic fit (respondent by respondent: a continuous predictor)
// and the analyses of a calibrated design, which residualize every
// estimate's influence values on the margins. Each polls its context
// often enough that a cut halfway stops it, with context.Canceled, after
// a few more polls at most.
func TestDesignPassesStopWhenCancelled(t *testing.T) {
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
	region, gender := ds.Region, ds.Segments[1]
	margins := []analysis.Margin{proportional("region", region.Codes, region.Levels), proportional("gender", gender.Codes, gender.Levels)}
	margins[1].Targets[0], margins[1].Targets[1] = margins[1].Targets[0]+0.02, margins[1].Targets[1]-0.02
	cal, err := d.Calibrate(margins, analysis.CalibrationOptions{})
	if err != nil {
		t.Fatal(err)
	}
	small, err := smallCancelStudy()
	if err != nil {
		t.Fatal(err)
	}
	sd, err := analysis.StudyDesign(small, analysis.LonelyFail)
	if err != nil {
		t.Fatal(err)
	}
	smallCal, err := sd.Calibrate([]analysis.Margin{proportional("region", small.Region.Codes, small.Region.Levels)}, analysis.CalibrationOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// The outcome: the first region; the predictors: the weight (which
	// no cell collapsing can take) and the gender's first level.
	y := make([]float64, ds.N)
	x1 := make([]float64, ds.N)
	for i, c := range region.Codes {
		if c == 0 {
			y[i] = 1
		}
		if gender.Codes[i] == 0 {
			x1[i] = 1
		}
	}
	X := [][]float64{ds.Weights, x1}
	sg, sr := small.Segments[1], small.Region
	ct, err := smallCal.Crosstab(sg.Codes, sr.Codes, sg.Levels, sr.Levels, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		minPolls int64
		run      func(ctx context.Context) (any, error)
	}{
		{"NewDesignContext", 6, func(ctx context.Context) (any, error) {
			return analysis.NewDesignContext(ctx, ds.N, analysis.DesignSpec{Weights: ds.Weights, Strata: ds.Strata.Codes, PSU: ds.PSU.Codes})
		}},
		{"Rake", 4, func(ctx context.Context) (any, error) {
			w, _, err := analysis.Rake(ds.Weights, margins, analysis.RakeOptions{Tol: 1e-13, MaxIter: 1000, Context: ctx})
			return w, err
		}},
		{"Calibrate", 4, func(ctx context.Context) (any, error) {
			return d.Calibrate(margins, analysis.CalibrationOptions{Context: ctx})
		}},
		{"CalibrateBounded", 10, func(ctx context.Context) (any, error) {
			return d.CalibrateBounded(margins, [2]float64{0.1, 10}, analysis.CalibrationOptions{Context: ctx})
		}},
		{"CrosstabContext calibrated", 20, func(ctx context.Context) (any, error) {
			return smallCal.CrosstabContext(ctx, sg.Codes, sr.Codes, sg.Levels, sr.Levels, 0.95)
		}},
		{"TestWithContext calibrated Wald", 10, func(ctx context.Context) (any, error) {
			return ct.TestWithContext(ctx, smallCal, analysis.StatWald)
		}},
		{"LogisticContext", 8, func(ctx context.Context) (any, error) {
			return d.LogisticContext(ctx, y, X, []string{"weight", "female"}, nil)
		}},
		{"LogisticContext calibrated", 8, func(ctx context.Context) (any, error) {
			return cal.LogisticContext(ctx, y, X, []string{"weight", "female"}, nil)
		}},
		{"Describe calibrated", 20, func(ctx context.Context) (any, error) {
			return analysis.Describe(small, analysis.Options{Design: smallCal, Context: ctx})
		}},
		{"Trust calibrated", 20, func(ctx context.Context) (any, error) {
			return analysis.Trust(small, analysis.Options{Design: smallCal, Context: ctx})
		}},
		{"Compare calibrated", 20, func(ctx context.Context) (any, error) {
			return analysis.Compare(small, analysis.Options{Design: smallCal, Context: ctx}, nil)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			full := polltest.New(0)
			if _, err := tt.run(full); err != nil {
				t.Fatalf("%s(uncancelled) = %v, want no error", tt.name, err)
			}
			n := full.Polls()
			if n < tt.minPolls {
				t.Fatalf("%s polled its context %d times, want at least %d", tt.name, n, tt.minPolls)
			}
			cut := polltest.New(n / 2)
			got, err := tt.run(cut)
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("%s(cancelled after %d of %d polls) = %v; want context.Canceled", tt.name, n/2, n, err)
			}
			if v := reflect.ValueOf(got); v.IsValid() && !v.IsNil() {
				t.Errorf("%s(cancelled) returned a result beside its error", tt.name)
			}
			if m := cut.Polls(); m > n/2+4 {
				t.Errorf("%s(cancelled at poll %d) polled %d times, want at most %d", tt.name, n/2, m, n/2+4)
			}
			before := polltest.New(1)
			before.Cancel()
			if _, err := tt.run(before); !errors.Is(err, context.Canceled) {
				t.Fatalf("%s(context cancelled before) = %v, want context.Canceled", tt.name, err)
			}
		})
	}
}
