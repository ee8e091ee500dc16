package analysis

import (
	"context"
	"fmt"
	"slices"
	"sync"
)

// Cache holds what the analyses of one dataset keep between calls, so
// that the sections of a report do not repeat one another's work: each
// domain variable's cross cells with the others and its degrees of
// freedom, the sums of construct flags by PSU and domain, and reusable
// buffers. Its lifetime is the caller's: make one with NewCache for a
// dataset, pass it in Options.Cache to the analyses of that dataset, and
// drop it when done. With a nil Options.Cache, every call keeps its own
// for the call only.
//
// Entries are keyed by the identity of the objects they were computed
// from: the *Design and the *survey.Column or *survey.Construct, never by
// an address of their values, and each entry also keeps the values' slice
// it was computed from, so that a column given other values is computed
// again. A Cache assumes that the values inside those slices do not
// change while it is in use. Safe for concurrent use.
type Cache struct {
	st   *cacheStore
	sums *sumStore // nil: sums are not kept (WithoutSums, a call's own cache)
	th   thresholds
}

type cacheStore struct {
	mu    sync.Mutex
	cross map[*Design][]*crossEntry
	runs  map[*Design]int
	df    map[dfKey]dfEntry
	cells sync.Pool // *[]sumCell, see newAllSums
}

type sumStore struct {
	mu sync.Mutex
	m  map[sharedKey][]*allSums
}

// NewCache returns an empty Cache for the analyses of one dataset.
func NewCache() *Cache {
	c := newCallCache()
	c.sums = &sumStore{m: map[sharedKey][]*allSums{}}
	return c
}

// WithoutSums returns a Cache that shares c's cross cells and degrees of
// freedom but neither reads nor keeps sums of variables: analyses given
// it read every variable themselves, so that their figures do not depend,
// to the last digit, on which analysis ran first.
func (c *Cache) WithoutSums() *Cache { return &Cache{st: c.st, th: c.th} }

// newCallCache is the cache of one call: it keeps cross cells and degrees
// of freedom for the call, but no sums for later analyses.
func newCallCache() *Cache { return &Cache{st: &cacheStore{}, th: defaultThresholds()} }

// thresholds choose among the engine's paths. Every path gives the same
// figures up to rounding (TestEngineMatchesReference); they differ in
// speed and memory only. Tests change them on a Cache of their own.
type thresholds struct {
	// fusedMinRun is the mean number of respondents per run of one PSU
	// from which the engine uses cross cells: below it, adding each PSU
	// run's cross cells to the groupings would cost more than it saves.
	fusedMinRun int
	// maxCrossKeys bounds the product of the groupings' level counts
	// (plus one each, for "not in any level") for which cross cells are
	// built; beyond it the engine adds respondents grouping by grouping.
	maxCrossKeys int
	// momentsMaxPSUSize is the mean number of respondents per PSU up to
	// which sums of coded variables are kept as psuMoments. The digits that
	// expanding the squares costs grow with the PSUs' size (a PSU's
	// Σw·(y − shift) grows with its respondents, its influence total only
	// with their square root), while a row per PSU costs little when PSUs
	// are few and large.
	momentsMaxPSUSize int
	// maxCodedSlots is the number of slots (values and "missing") up to
	// which sumCoded reads a coded variable; one with more values (a mean
	// score) goes through sumCross, whose work per PSU does not grow with
	// them.
	maxCodedSlots int
	// parallelRows is the number of respondents from which rowsOf and
	// Banner run statistics in parallel.
	parallelRows int
}

func defaultThresholds() thresholds {
	return thresholds{fusedMinRun: 16, maxCrossKeys: 1 << 16, momentsMaxPSUSize: 200, maxCodedSlots: 8, parallelRows: 50_000}
}

// engine is the estimation engine for one call: the design, and the cache
// (never nil) whose entries and thresholds it uses.
//
// Every analysis gets its domain sums from one entry point, sumAllFor
// (through sumAllMulti, sumVariances, sumLevels, and sumShared when sums
// are shared through the Cache), which chooses the path by the
// thresholds: respondent by respondent, grouping by grouping (sumEach);
// through cross cells, one update per respondent (sumCross); coded
// variables by (cross cell, value) slot (sumCoded), into a row of cells
// per PSU or, for PSUs of momentsMaxPSUSize or fewer, into psuMoments
// (kept only where momentsPrecise finds their variances within 1e-9,
// else read again into rows). Each path gives the same figures:
// reference_test.go holds the plain computation (per-domain influence
// values summed by PSU, svyrecvar for one stage) and
// TestEngineMatchesReference compares every path with it on random
// designs, to 1e-9 relative.
type engine struct {
	*Design
	c   *Cache
	ctx context.Context // never nil; the passes poll it (see stopped)
}

// newEngine returns the engine of design d with cache c, a call's own
// when c is nil.
func newEngine(ctx context.Context, d *Design, c *Cache) engine {
	if c == nil {
		c = newCallCache()
	}
	if ctx == nil {
		ctx = context.Background()
	}
	return engine{d, c, ctx}
}

// err is the engine's context's error, wrapped, once it is cancelled: a
// pass stopped early leaves partial sums, so every analysis checks it
// before it returns figures.
func (e engine) err() error {
	if err := e.ctx.Err(); err != nil {
		return fmt.Errorf("analysis stopped: %w", err)
	}
	return nil
}

// crossEntry is the cross cells of a set of groupings, by their keys.
type crossEntry struct {
	keys    []any
	codes   [][]int32
	nLevels []int
	cc      *crossCells
}

// dfKey names a domain variable's levelDegF.
type dfKey struct {
	d   *Design
	key any
	G   int
}

type dfEntry struct {
	codes []int32
	df    []int
}

// cacheable reports whether every grouping has a key (the object its
// codes come from); groupings made for one call (a grid's cells) have
// none, and what is computed from them is not kept.
func cacheable(keys []any, n int) bool {
	if len(keys) != n {
		return false
	}
	for _, k := range keys {
		if k == nil {
			return false
		}
	}
	return true
}

// lookupCross returns the kept cross cells of these groupings, or nil.
func (c *Cache) lookupCross(d *Design, keys []any, codes [][]int32, nLevels []int) *crossCells {
	c.st.mu.Lock()
	defer c.st.mu.Unlock()
	for _, e := range c.st.cross[d] {
		if slices.Equal(e.keys, keys) && slices.Equal(e.nLevels, nLevels) && sameCodesAll(e.codes, codes) {
			return e.cc
		}
	}
	return nil
}

// keepCross keeps the cross cells of these groupings.
func (c *Cache) keepCross(d *Design, keys []any, codes [][]int32, nLevels []int, cc *crossCells) {
	c.st.mu.Lock()
	defer c.st.mu.Unlock()
	if c.st.cross == nil {
		c.st.cross = map[*Design][]*crossEntry{}
	}
	c.st.cross[d] = append(c.st.cross[d], &crossEntry{keys: slices.Clone(keys), codes: slices.Clone(codes), nLevels: slices.Clone(nLevels), cc: cc})
}

// sameCodesAll reports whether a[k] and b[k] are the same slices of codes.
func sameCodesAll(a, b [][]int32) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !sameCodes(a[k], b[k]) {
			return false
		}
	}
	return true
}
