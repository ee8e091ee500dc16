package survey

import (
	"cmp"
	"context"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/trustgap/trustgap/internal/pool"
)

// Converting in parallel. Turning a large file's cells into columns costs
// about twice as much as parsing them, so Load shares it out between a few
// goroutines by columns, not by rows: each converter owns some columns
// and constructs (dictionaries in first-seen order, numeric detection,
// item caches, compact vectors) and converts its share of every record, in
// file order, so that each column ends up exactly as one goroutine would
// have built it. The converters work on the reader's batches, shared
// read-only; the loading goroutine hands each batch to every converter
// and, once they are all done with it, adds its problems in the order one
// goroutine would have found them and gives it back to the reader.

// parallelism says how Load converts records.
type parallelism struct {
	// converters is the number of goroutines converting a file's records
	// once it has more than after rows; below 2, or for smaller files,
	// the loading goroutine converts every record itself.
	converters int
	after      int
}

// Converting in parallel pays on more than a few thousand rows; a handful
// of converters already convert faster than one goroutine parses.
const (
	parallelAfter = 8 * readAheadRows
	maxConverters = 4
)

// defaultParallelism leaves a core to the reader when there are more than
// two: on two, the reader and two converters share them.
func defaultParallelism() parallelism {
	n := runtime.GOMAXPROCS(0)
	if n < 2 {
		return parallelism{converters: 1}
	}
	return parallelism{converters: min(max(n-1, 2), maxConverters), after: parallelAfter}
}

// convUnit is a share of a row's conversion that owns its state: a kept
// column (addCell) or a construct's items, score and flag (convertRule).
type convUnit struct {
	seq  int         // order in a row's conversion, to order problems
	col  *colBuilder // nil for a construct
	rule int         // index in loader.rules when col is nil
	cost int         // estimated work per row, to share units out
}

// convUnits lists a row's conversion in order: the kept columns, then the
// constructs. Costs are in units of a construct item's cell, as measured
// on a large study: a categorical cell (a level seen before) costs about
// two, a number to parse four, and a construct's score and flag one.
func (l *loader) convUnits() []convUnit {
	var units []convUnit
	for _, b := range l.cols {
		if b.skip {
			continue
		}
		cost := 2
		if b.strict != "" || !b.cat {
			cost = 4
		}
		units = append(units, convUnit{seq: len(units), col: b, cost: cost})
	}
	for ri := range l.rules {
		units = append(units, convUnit{seq: len(units), rule: ri, cost: len(l.items[ri]) + 1})
	}
	return units
}

// shareUnits shares units out between at most n converters with about
// the same cost each (largest first, each to the least loaded), each
// converter's units in their order. It returns fewer shares when there
// are fewer units.
func shareUnits(units []convUnit, n int) [][]convUnit {
	n = min(n, len(units))
	if n <= 0 {
		return nil
	}
	byCost := slices.Clone(units)
	slices.SortStableFunc(byCost, func(a, b convUnit) int { return cmp.Compare(b.cost, a.cost) })
	shares := make([][]convUnit, n)
	load := make([]int, n)
	for _, u := range byCost {
		w := 0
		for i := range load {
			if load[i] < load[w] {
				w = i
			}
		}
		shares[w] = append(shares[w], u)
		load[w] += u.cost
	}
	for _, s := range shares {
		slices.SortFunc(s, func(a, b convUnit) int { return cmp.Compare(a.seq, b.seq) })
	}
	return shares
}

// rowProblem is a problem found converting record k of a batch in unit
// seq: the problems of a batch, sorted by k then seq (stably), are in the
// order converting its records one by one would have found them.
type rowProblem struct {
	k, seq int
	Problem
}

// converter converts its units of a file's records.
type converter struct {
	l     *loader
	units []convUnit
	file  string
	dc    bool
	cur   []float64 // a respondent's item values while scoring
	tile  []float64 // a tile's item values (convertRuleTile)

	probs  []rowProblem // the current batch's
	k, seq int          // the record and unit being converted
}

// convert converts its units of b's records and leaves their problems in
// b.probs[w]. It goes unit by unit, so that a unit's state (dictionary,
// caches, the ends of its vectors) stays in the processor's cache.
func (c *converter) convert(b *recordBatch, w int) {
	for len(b.probs) <= w {
		b.probs = append(b.probs, nil)
	}
	c.probs = b.probs[w][:0]
	// Unit by unit over a tile of records at a time: the tile's cells
	// stay in the core's first-level cache while every unit reads them (a
	// batch's do not fit there; 3–8 % less CPU loading 42 columns of 10M
	// rows). Each unit still sees the records in order, and problems are
	// put in record order afterwards (addBatchProblems).
	for lo := 0; lo < len(b.rows); lo += convertTile {
		hi := min(lo+convertTile, len(b.rows))
		for _, u := range c.units {
			c.seq = u.seq
			if u.col == nil && c.l.compact {
				c.convertRuleTile(u.rule, b, lo, hi)
				continue
			}
			for k := lo; k < hi; k++ {
				rec := b.record(k)
				c.k = k
				if u.col != nil {
					c.addCell(u.col, rec, b.rows[k])
				} else {
					c.convertRule(u.rule, rec, b.rows[k])
				}
			}
		}
	}
	b.probs[w] = c.probs
	c.probs = nil
}

// convertTile is the number of records convert reads unit by unit: their
// cells (16 bytes each, 40 or so per record) fit in a first-level cache.
const convertTile = 32

// convertRule appends a respondent's processed items of rule ri and, in a
// Compact load, the score and flag.
func (c *converter) convertRule(ri int, rec []string, row int) {
	l := c.l
	rule := l.rules[ri]
	if !l.compact {
		for _, it := range l.items[ri] {
			it.vals = append(it.vals, c.itemCell(rule, it, rec, row))
		}
		return
	}
	if l.scoreIsItem(ri) {
		c.compactItem(rule, l.items[ri][0], rec, row)
		return
	}
	cur := c.cur[:0]
	for _, it := range l.items[ri] {
		cur = append(cur, c.compactItem(rule, it, rec, row))
	}
	c.cur = cur
	l.scores[ri].add(rule.scoreOne(cur))
}

// convertRuleTile is convertRule for records lo..hi−1 of b in a Compact
// load, item by item: a one-byte answer seen before without a problem
// (a scale point, "0"/"1") goes straight to its code in a loop that keeps
// the item's tables at hand, the others through compactItem. Scores
// follow record by record. Each item's problems are found in record
// order, and a record's in item order once addBatchProblems has sorted
// them by record.
func (c *converter) convertRuleTile(ri int, b *recordBatch, lo, hi int) {
	l := c.l
	rule, items := l.rules[ri], l.items[ri]
	n := hi - lo
	if cap(c.tile) < len(items)*n {
		c.tile = make([]float64, len(items)*n)
	}
	vals := c.tile[:len(items)*n] // item j's value of record lo+k at j·n + k
	for j, it := range items {
		sv, cache, idx := it.small, &it.cache, it.col.idx
		out := vals[j*n : (j+1)*n]
		for k := lo; k < hi; k++ {
			rec := b.record(k)
			if idx >= 0 && idx < len(rec) && sv.num == nil {
				if raw := rec[idx]; len(raw) == 1 && cache.codeKnown[raw[0]] {
					code := cache.code[raw[0]]
					sv.codes = append(sv.codes, code)
					out[k-lo] = sv.table[code]
					continue
				}
			}
			c.k = k
			out[k-lo] = c.compactItem(rule, it, rec, b.rows[k])
		}
	}
	if l.scoreIsItem(ri) {
		return
	}
	// A score is a function of its items' codes: the codes of up to
	// eight items, packed into a word, find it in a small cache.
	scores := l.scores[ri]
	var sc *scoreCache
	var codes [8][]uint8
	if len(items) <= len(codes) {
		sc = l.scoreCaches[ri]
		for j, it := range items {
			if it.small.num != nil {
				sc = nil // an item's values are no longer codes
				break
			}
			codes[j] = it.small.codes[len(it.small.codes)-n:]
		}
	}
	cur := c.cur[:0]
	for k := range n {
		var key, h uint64
		if sc != nil && scores.num == nil {
			for j := range items {
				key |= uint64(codes[j][k]) << (8 * j)
			}
			h = (key * 0x9E3779B97F4A7C15) >> (64 - scoreCacheBits)
			if sc.ok[h] && sc.key[h] == key {
				scores.codes = append(scores.codes, sc.code[h])
				continue
			}
		}
		cur = cur[:0]
		for j := range items {
			cur = append(cur, vals[j*n+k])
		}
		scores.add(rule.scoreOne(cur))
		if sc != nil && scores.num == nil {
			sc.key[h], sc.code[h], sc.ok[h] = key, scores.codes[len(scores.codes)-1], true
		}
	}
	c.cur = cur
}

// scoreCache remembers the score codes of a construct's recent patterns
// of item codes (see convertRuleTile), direct-mapped by a hash of the
// pattern: a construct of four items on a five-point scale has a few
// hundred patterns in practice.
type scoreCache struct {
	key  [1 << scoreCacheBits]uint64
	code [1 << scoreCacheBits]uint8
	ok   [1 << scoreCacheBits]bool
}

const scoreCacheBits = 10

// compactItem appends a respondent's answer to item it to its compact
// values and returns the value. An answer seen before without a problem
// (a one-byte answer on a scale, "1" … "5"; a blank; one of an item's
// first few longer answers, "Yes", "Agree") goes straight to its code,
// without a value lookup or a search of the codes.
func (c *converter) compactItem(rule *constructRule, it *itemBuilder, rec []string, row int) float64 {
	raw := cellAt(rec, it.col.idx)
	sv := it.small
	if sv.num == nil {
		var code uint8
		var hasCode bool
		if len(raw) == 1 { // the common case, first
			code, hasCode = it.cache.code[raw[0]], it.cache.codeKnown[raw[0]]
		} else {
			_, code, hasCode, _ = it.cache.lookup(raw)
		}
		if hasCode {
			sv.codes = append(sv.codes, code)
			return sv.table[code]
		}
	}
	v := c.itemCell(rule, it, rec, row)
	sv.add(v)
	if sv.num == nil {
		it.cache.setCode(raw, sv.codes[len(sv.codes)-1])
	}
	return v
}

// addProblem records a problem of the current record and unit.
func (c *converter) addProblem(pr Problem) {
	c.probs = append(c.probs, rowProblem{k: c.k, seq: c.seq, Problem: pr})
}

// addBatchProblems adds the problems the converters found in b, in the
// order converting its records one by one would have found them.
func (l *loader) addBatchProblems(b *recordBatch) {
	all := l.merged[:0]
	for _, ps := range b.probs {
		all = append(all, ps...)
	}
	if len(all) == 0 {
		return
	}
	slices.SortStableFunc(all, func(p, q rowProblem) int {
		return cmp.Or(cmp.Compare(p.k, q.k), cmp.Compare(p.seq, q.seq))
	})
	for i, p := range all {
		if i == 0 || p.k != all[i-1].k {
			l.rowProblems = l.rowProblems[:0]
		}
		l.addProblem(p.Problem)
	}
	clear(all)
	l.merged = all[:0]
}

// parallelConverter runs converters for the rest of a file.
type parallelConverter struct {
	l       *loader
	p       *readAhead
	in      []chan *recordBatch
	g       *pool.Group
	quit    atomic.Bool    // stop converting: the load failed
	pending []*recordBatch // submitted and not yet merged, oldest first
	stopped bool
	// failed holds the first panic of a converter (a *pool.PanicError),
	// which the loading goroutine returns so that it reaches Load's
	// caller as an error.
	mu     sync.Mutex
	failed error
}

// maxPending bounds the batches being converted at a time.
const maxPending = readAheadBatches

// startParallel starts converting the records of p's file in parallel.
func (l *loader) startParallel(p *readAhead, file string, dc bool) *parallelConverter {
	shares := shareUnits(l.units, l.par.converters)
	pc := &parallelConverter{l: l, p: p, in: make([]chan *recordBatch, len(shares))}
	pc.g, _ = pool.New(context.Background(), 0)
	for w, units := range shares {
		in := make(chan *recordBatch, maxPending)
		pc.in[w] = in
		c := &converter{l: l, units: units, file: file, dc: dc}
		pc.g.Go(func(context.Context) error {
			for b := range in {
				if !pc.quit.Load() {
					pc.convert(c, b, w)
				}
				b.converting.Done()
			}
			return nil
		})
	}
	return pc
}

// convert runs c on b, keeping a panic for the loading goroutine.
func (pc *parallelConverter) convert(c *converter, b *recordBatch, w int) {
	err := pool.Run(func() error { c.convert(b, w); return nil })
	if err != nil {
		pc.mu.Lock()
		if pc.failed == nil {
			pc.failed = err
		}
		pc.mu.Unlock()
		pc.quit.Store(true)
	}
}

// err returns a converter's panic as an error, after stopping the
// converters.
func (pc *parallelConverter) err() error {
	pc.mu.Lock()
	err := pc.failed
	pc.mu.Unlock()
	if err != nil {
		pc.stop()
	}
	return err
}

// submit hands b to every converter, first merging the oldest batch if
// maxPending are being converted.
func (pc *parallelConverter) submit(b *recordBatch) error {
	if len(pc.pending) == maxPending {
		if err := pc.mergeOldest(); err != nil {
			return err
		}
	}
	// Sized here, not by the converters, which share b.
	for len(b.probs) < len(pc.in) {
		b.probs = append(b.probs, nil)
	}
	pc.l.parallelRows += len(b.rows)
	b.converting.Add(len(pc.in))
	for _, in := range pc.in {
		in <- b
	}
	pc.pending = append(pc.pending, b)
	return nil
}

// mergeOldest waits for the converters to be done with the oldest batch,
// adds its problems and gives it back to the reader.
func (pc *parallelConverter) mergeOldest() error {
	b := pc.pending[0]
	b.converting.Wait()
	if err := pc.err(); err != nil {
		return err
	}
	pc.l.addBatchProblems(b)
	pc.pending = slices.Delete(pc.pending, 0, 1)
	if b.err == nil {
		pc.p.recycle(b)
	}
	return nil
}

// finish waits for every batch submitted to be converted and merged, then
// ends the converters. Converters that lag behind the reader can hold a
// few batches still to convert: ctx is polled before each.
func (pc *parallelConverter) finish(ctx context.Context) error {
	for len(pc.pending) > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := pc.mergeOldest(); err != nil {
			return err
		}
	}
	pc.stop()
	return nil
}

// stop ends the converters, abandoning the batches not converted yet, and
// waits for them. It may be called more than once.
func (pc *parallelConverter) stop() {
	if pc.stopped {
		return
	}
	pc.stopped = true
	pc.quit.Store(true)
	for _, in := range pc.in {
		close(in)
	}
	pc.g.Wait() // nil: convert keeps the converters' panics
}
