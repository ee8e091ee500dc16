package survey

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/trustgap/trustgap/internal/leanload"
	"github.com/trustgap/trustgap/internal/pool"
)

// sequential converts every record on the loading goroutine.
var sequential = parallelism{converters: 1}

// parallelCases are the ways of converting compared with sequential: from
// the first row or after some, with more converters than cores or units.
var parallelCases = []parallelism{
	{converters: 2},
	{converters: 3},
	{converters: 4, after: 1000},
	{converters: 16, after: 3 * readAheadRows},
}

// bitsDump writes everything Load put in ds, numbers as their bits, so
// that two Datasets are the same exactly when their dumps are.
func bitsDump(ds *Dataset) string {
	var w strings.Builder
	nums := func(xs []float64) string {
		if xs == nil {
			return "nil"
		}
		s := make([]string, len(xs))
		for i, x := range xs {
			s[i] = strconv.FormatUint(math.Float64bits(x), 16)
		}
		return "[" + strings.Join(s, " ") + "]"
	}
	small := func(v *smallVec) string {
		if v == nil {
			return "nil"
		}
		return fmt.Sprintf("codes %v table %s num %s", v.codes, nums(v.table), nums(v.num))
	}
	col := func(c *Column) string {
		if c == nil {
			return "nil"
		}
		return fmt.Sprintf("%q raw %q label %q num %s codes %v levels %q small %s",
			c.Name, c.Raw, c.Label, nums(c.num), c.Codes, c.Levels, small(c.small))
	}
	fmt.Fprintf(&w, "n %d files %q title %q\nweights %s\nfpc %s\n", ds.N, ds.Files, ds.Title, nums(ds.Weights), nums(ds.FPC))
	fmt.Fprintf(&w, "id %s\nstrata %s\npsu %s\nregion %s\n", col(ds.ID), col(ds.Strata), col(ds.PSU), col(ds.Region))
	for _, s := range ds.Segments {
		fmt.Fprintf(&w, "segment %s\n", col(s))
	}
	names := make([]string, 0, len(ds.Columns))
	for n := range ds.Columns {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(&w, "column %s: %s\n", n, col(ds.Columns[n]))
	}
	for _, c := range ds.Constructs {
		fmt.Fprintf(&w, "construct %q score %s flag %s small score %s small flag %s\n",
			c.Name, nums(c.score), nums(c.flag), small(c.smallScore), small(c.smallFlag))
		for _, it := range c.Items {
			fmt.Fprintf(&w, "  item %s\n", col(it))
		}
	}
	return w.String()
}

// loadResult is what a load gave: the Dataset's dump, or the problems or
// other error.
type loadResult struct {
	dump     string
	problems []Problem
	more     int
	err      string
	parallel int // rows converted in parallel
}

func loadWith(cb *Codebook, ts []TableReader, opts LoadOptions, par parallelism) loadResult {
	limit := opts.MaxProblems
	if limit <= 0 {
		limit = 50
	}
	l := newLoader(cb, opts, limit, false)
	l.par = par
	ds, err := l.load(context.Background(), ts)
	r := loadResult{parallel: l.parallelRows}
	var pe *ProblemsError
	switch {
	case errors.As(err, &pe):
		r.problems, r.more = pe.Problems, pe.More
	case err != nil:
		r.err = err.Error()
	default:
		r.dump = bitsDump(ds)
	}
	return r
}

// lintWith reads the tables as Validate does.
func lintWith(cb *Codebook, ts []TableReader, opts LoadOptions, par parallelism) loadResult {
	l := newLoader(cb, opts, 0, true)
	l.par = par
	if err := l.read(context.Background(), ts); err != nil {
		return loadResult{err: err.Error(), parallel: l.parallelRows}
	}
	return loadResult{dump: bitsDump(l.dataset()), problems: l.problems.list, parallel: l.parallelRows}
}

// compareResults reports how got, converted as par says, differs from
// want, converted sequentially.
func compareResults(t *testing.T, what string, par parallelism, got, want loadResult) {
	t.Helper()
	if got.err != want.err {
		t.Errorf("%s %+v: error = %q, want %q", what, par, got.err, want.err)
	}
	if !reflect.DeepEqual(got.problems, want.problems) || got.more != want.more {
		t.Errorf("%s %+v: %d problems and %d more, want %d and %d", what, par, len(got.problems), got.more, len(want.problems), want.more)
		for i := 0; i < max(len(got.problems), len(want.problems)); i++ {
			var g, w Problem
			if i < len(got.problems) {
				g = got.problems[i]
			}
			if i < len(want.problems) {
				w = want.problems[i]
			}
			if g != w {
				t.Errorf("problem %d = %v, want %v", i, g, w)
				break
			}
		}
	}
	if got.dump != want.dump {
		t.Errorf("%s %+v: the Dataset differs from the sequential load's", what, par)
	}
}

const parallelCodebook = `
missing: [NA, "Don't know"]
design: {id: id, weight: w, strata: st, psu: psu}
region: reg
segments: [g]
constructs:
  c: {items: [a, b, x], values: {Very: 4, Not: 1}, scale: [1, 4], reverse: [x], min_items: 2, flag: ">= 3"}
  d: {items: [x, y], scale: [1, 5], min_items: 1, flag: ">= 3"}
  e: {items: [y, z], scale: [1, 5], score: sum}
  k: {items: [yes], score: count, flag: "== 1"}
  f: {items: [dec, a], scale: [1, 5], score: sum, min_items: 1}
`

// problemStudy writes files of the parallel codebook's study with problems
// in most columns: rows respondents in the first file, a few hundred in
// the second and none in the third.
func problemStudy(rows int) []*memTable {
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func(vals ...string) string { return vals[rng.IntN(len(vals))] }
	header := []string{"id", "w", "st", "psu", "reg", "g", "a", "b", "x", "y", "z", "yes", "num", "txt", "dec"}
	file := func(name string, n int, first int) *memTable {
		m := &memTable{name: name, header: header}
		for i := range n {
			id := first + i
			rec := []string{
				strconv.Itoa(id),
				pick("1", "2.5", "0.75", "1", "2", "-1", "0", "abc", "", "NaN"),
				pick("s1", "s2", "s3", "s1", ""),
				strconv.Itoa(rng.IntN(40)),
				pick("North", "South", " North ", "East", "NA"),
				pick("a", "b", "c", "Don't know", "d"),
				pick("1", "2", "3", "4", "Very", "not", "5", "", "NA", "huh"),
				pick("1", "2", "3", "4", "Very", "very ", "0", strings.Repeat(" ", 40)+"2"),
				pick("1", "2", "3", "4", "x?", ""),
				pick("1", "2", "3", "5", "6", "oops", "y@example.com", ""),
				pick("1", "2", "3", "4", "5", "-3"),
				pick("yes", "no", "1", "0", "maybe", "TRUE"),
				strconv.Itoa(rng.IntN(1000)),
				pick("u", "v", "w"),
				// Hundreds of different numbers: the construct's vectors
				// turn to float64s.
				pick("1", "2", "", strconv.FormatFloat(1+4*rng.Float64(), 'f', 3, 64)),
			}
			if i == n/2 {
				rec[12] = "many" // a numeric column turns categorical
			}
			if i%97 == 5 {
				rec = rec[:rng.IntN(len(rec))] // a short record
			}
			m.rows = append(m.rows, rec)
		}
		return m
	}
	return []*memTable{file("a.csv", rows, 1), file("b.csv", 300, rows+1), file("c.csv", 0, 0)}
}

// fresh returns the tables rewound, to be read again.
func fresh(ms []*memTable) []TableReader {
	out := make([]TableReader, len(ms))
	for i, m := range ms {
		c := *m
		c.i = 0
		out[i] = &c
	}
	return out
}

func TestLoadParallelSameAsSequential(t *testing.T) {
	cb := mustCodebook(t, parallelCodebook)
	study := problemStudy(6000)
	tests := []struct {
		name string
		opts LoadOptions
	}{
		{"default", LoadOptions{}},
		{"first problems", LoadOptions{MaxProblems: 7}},
		{"every problem", LoadOptions{MaxProblems: 1 << 30}},
		{"compact", LoadOptions{MaxProblems: 1 << 30, lean: leanload.Options{Compact: true}}},
		{"lean", LoadOptions{Constructs: []string{"c", "k"}, MaxProblems: 1000, lean: leanload.Options{Compact: true, SkipID: true, GroupByPSU: true}}},
		{"raw items", LoadOptions{KeepRawItems: true, Extra: []string{"num", "txt"}, Categorical: []string{"txt"}, MaxProblems: 1 << 30}},
		{"decimal extras", LoadOptions{Extra: []string{"num"}, Categorical: []string{"g"}, Optional: []string{"txt"}, MaxProblems: 100}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := loadWith(cb, fresh(study), tt.opts, sequential)
			if len(want.problems) == 0 || want.parallel != 0 {
				t.Fatalf("sequential load: %d problems, %d rows in parallel, want problems and none", len(want.problems), want.parallel)
			}
			for _, par := range parallelCases {
				got := loadWith(cb, fresh(study), tt.opts, par)
				if got.parallel == 0 {
					t.Errorf("load %+v converted no rows in parallel", par)
				}
				compareResults(t, "load", par, got, want)
			}
		})
	}
}

// TestLoadCompactSameAsFloats checks that a Compact load, sequential or
// parallel, stores the values and finds the problems a load into float64s
// does, also where a compact vector falls back to float64s.
func TestLoadCompactSameAsFloats(t *testing.T) {
	cb := mustCodebook(t, parallelCodebook)
	study := problemStudy(6000)
	read := func(compact bool, par parallelism) (*Dataset, []Problem) {
		l := newLoader(cb, LoadOptions{lean: leanload.Options{Compact: compact}}, 0, false)
		l.par = par
		if err := l.read(context.Background(), fresh(study)); err != nil {
			t.Fatalf("read: %v", err)
		}
		return l.dataset(), l.problems.list
	}
	bits := func(xs []float64) []uint64 {
		out := make([]uint64, len(xs))
		for i, x := range xs {
			out[i] = math.Float64bits(x)
		}
		return out
	}
	want, wantProblems := read(false, sequential)
	for _, par := range []parallelism{sequential, parallelCases[0]} {
		got, gotProblems := read(true, par)
		if !reflect.DeepEqual(gotProblems, wantProblems) {
			t.Errorf("Compact load %+v: %d problems, want the %d of a float64 load", par, len(gotProblems), len(wantProblems))
		}
		for i, c := range got.Constructs {
			w := want.Constructs[i]
			if !slices.Equal(bits(c.Scores().All(nil)), bits(w.score)) || !slices.Equal(bits(c.Flags().All(nil)), bits(w.flag)) {
				t.Errorf("Compact load %+v: construct %s's scores or flags differ from a float64 load's", par, c.Name)
			}
			for k, it := range c.Items {
				if !slices.Equal(bits(it.Values().All(nil)), bits(w.Items[k].num)) {
					t.Errorf("Compact load %+v: item %s of %s differs from a float64 load's", par, it.Name, c.Name)
				}
			}
		}
		f := got.Construct("f")
		if f == nil || f.Items[0].small.num == nil {
			t.Errorf("Compact load %+v: construct f's first item is not stored as float64s, want a vector that fell back", par)
		}
	}
}

func TestValidateParallelSameAsSequential(t *testing.T) {
	cb := mustCodebook(t, parallelCodebook)
	study := problemStudy(5000)
	// Duplicate ids, reported with where each was first seen.
	for i := 100; i < len(study[0].rows); i += 211 {
		study[0].rows[i][0] = strconv.Itoa(i / 3)
	}
	for _, opts := range []LoadOptions{{}, {Extra: []string{"num", "txt"}}} {
		want := lintWith(cb, fresh(study), opts, sequential)
		for _, par := range parallelCases {
			got := lintWith(cb, fresh(study), opts, par)
			if got.parallel == 0 {
				t.Errorf("lint %+v converted no rows in parallel", par)
			}
			compareResults(t, "lint", par, got, want)
		}
	}
}

// TestLoadParallelStudies converts the golden studies of testdata/load in
// parallel from their first row.
func TestLoadParallelStudies(t *testing.T) {
	eachLoadStudy(t, func(t *testing.T, dir string, cb *Codebook, opts LoadOptions) {
		if len(cb.problems()) > 0 {
			t.Skip("Load refuses the codebook")
		}
		for _, par := range parallelCases[:2] {
			compareResults(t, "load", par, loadWith(cb, openCSVs(t, dir), opts, par), loadWith(cb, openCSVs(t, dir), opts, sequential))
			compareResults(t, "lint", par, lintWith(cb, openCSVs(t, dir), opts, par), lintWith(cb, openCSVs(t, dir), opts, sequential))
		}
	})
}

// hookTable calls hook before returning row at of the table.
type hookTable struct {
	*memTable
	at    int
	hook  func()
	calls int // Next calls, which must stop once Load returns
}

func (h *hookTable) Next() ([]string, int, error) {
	h.calls++
	if h.memTable.i+1 == h.at {
		h.hook()
	}
	return h.memTable.Next()
}

// waitGoroutines waits a little for goroutines that are exiting and
// returns how many remain.
func waitGoroutines(want int) int {
	for range 500 {
		if n := runtime.NumGoroutine(); n <= want {
			return n
		}
		time.Sleep(time.Millisecond)
	}
	return runtime.NumGoroutine()
}

func TestLoadParallelStops(t *testing.T) {
	cb := mustCodebook(t, parallelCodebook)
	base := problemStudy(0x10000 + 3*readAheadRows)[0]
	failAt := 2*parallelAfter + 7
	tests := []struct {
		name    string
		at      int  // row at which the hook runs
		cancel  bool // cancel the load there, else the reader fails
		wantErr string
		wantN   int // rows counted when Load stopped
	}{
		// The load notices every 65536 rows.
		{"cancelled early", 10, true, "load: context canceled", 0x4000},
		{"cancelled late", 0x4000 - 5, true, "load: context canceled", 0x4000},
		{"reader fails", failAt, false, fmt.Sprintf("read a.csv: row %d: broken quote", failAt+1), failAt - 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := runtime.NumGoroutine()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			m := *base
			h := &hookTable{memTable: &m, at: tt.at, hook: cancel}
			if !tt.cancel {
				m.failAt, h.hook = tt.at, func() {}
			}
			l := newLoader(cb, LoadOptions{lean: leanload.Options{Compact: true}}, 50, false)
			l.par = parallelism{converters: 2}
			_, err := l.load(ctx, []TableReader{h})
			if err == nil || err.Error() != tt.wantErr || tt.cancel && !errors.Is(err, context.Canceled) {
				t.Errorf("load = %v, want %s", err, tt.wantErr)
			}
			if l.n != tt.wantN || l.parallelRows == 0 {
				t.Errorf("load stopped after %d rows, %d of them converted in parallel, want %d, some in parallel", l.n, l.parallelRows, tt.wantN)
			}
			calls := h.calls
			if got := waitGoroutines(before); got > before {
				t.Errorf("%d goroutines after load, want %d", got, before)
			}
			if h.calls != calls {
				t.Errorf("the table was read %d times after load returned, want 0", h.calls-calls)
			}
		})
	}
}

func TestShareUnits(t *testing.T) {
	units := func(costs ...int) []convUnit {
		us := make([]convUnit, len(costs))
		for i, c := range costs {
			us[i] = convUnit{seq: i, cost: c}
		}
		return us
	}
	tests := []struct {
		costs []int
		n     int
		want  [][]int // seqs of each share
	}{
		{nil, 2, nil},
		{[]int{2}, 4, [][]int{{0}}},
		{[]int{2, 2, 5, 1}, 1, [][]int{{0, 1, 2, 3}}},
		{[]int{2, 2, 5, 1}, 2, [][]int{{2}, {0, 1, 3}}},
		{[]int{2, 2, 2, 2, 5, 2, 2, 2}, 2, [][]int{{3, 4, 6}, {0, 1, 2, 5, 7}}},
		{[]int{1, 1, 1, 1, 1, 1}, 3, [][]int{{0, 3}, {1, 4}, {2, 5}}},
	}
	for _, tt := range tests {
		var got [][]int
		for _, s := range shareUnits(units(tt.costs...), tt.n) {
			var seqs []int
			for _, u := range s {
				seqs = append(seqs, u.seq)
			}
			got = append(got, seqs)
		}
		if !slices.EqualFunc(got, tt.want, slices.Equal) {
			t.Errorf("shareUnits(%v, %d) = %v, want %v", tt.costs, tt.n, got, tt.want)
		}
	}
}

// A panic in a converter (a bug) reaches Load's caller as an error (a
// *pool.PanicError), which the command line reports as an internal error,
// instead of ending the process from the converter's goroutine; no
// goroutine is left behind.
func TestLoadParallelPanicReachesCaller(t *testing.T) {
	cb := mustCodebook(t, parallelCodebook)
	m := problemStudy(3 * readAheadRows)[0]
	before := runtime.NumGoroutine()
	l := newLoader(cb, LoadOptions{lean: leanload.Options{Compact: true}}, 50, false)
	l.par = parallelism{converters: 2}
	// A unit no converter can run: its construct does not exist.
	l.units = append(l.units, convUnit{seq: len(l.units), rule: len(l.rules) + 1, cost: 1})
	_, err := l.load(context.Background(), []TableReader{m})
	if !errors.Is(err, pool.ErrPanic) {
		t.Errorf("load with a failing converter = %v, want a *pool.PanicError", err)
	}
	if l.parallelRows == 0 {
		t.Errorf("no row converted in parallel; the test does not exercise the converters")
	}
	if got := waitGoroutines(before); got > before {
		t.Errorf("%d goroutines after load, want %d", got, before)
	}
}

// panicTable is a reader with a bug: Next panics on data row panicAt.
type panicTable struct {
	*memTable
	panicAt int
}

func (p *panicTable) Next() ([]string, int, error) {
	if p.i+1 == p.panicAt {
		panic("reader bug")
	}
	return p.memTable.Next()
}

// A panic in a reader's Next, which runs in the read-ahead goroutine,
// reaches Load's caller as an error, in order or in parallel, and leaves
// no goroutine behind.
func TestLoadReaderPanicReachesCaller(t *testing.T) {
	cb := mustCodebook(t, parallelCodebook)
	for _, converters := range []int{1, 2} {
		before := runtime.NumGoroutine()
		m := problemStudy(3 * readAheadRows)[0]
		l := newLoader(cb, LoadOptions{}, 50, false)
		l.par = parallelism{converters: converters}
		_, err := l.load(context.Background(), []TableReader{&panicTable{m, 2*readAheadRows + 7}})
		var pe *pool.PanicError
		if !errors.As(err, &pe) || pe.Value != "reader bug" {
			t.Errorf("converters %d: load with a panicking reader = %v, want its panic as an error", converters, err)
		}
		if got := waitGoroutines(before); got > before {
			t.Errorf("converters %d: %d goroutines after load, want %d", converters, got, before)
		}
	}
}
