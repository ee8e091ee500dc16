package survey

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"sync/atomic"

	"github.com/trustgap/trustgap/internal/pool"
)

// groupByPSU reorders the respondents of ds so that each PSU's are
// contiguous (leanload.Options.GroupByPSU): PSUs in code order, respondents in
// file order within a PSU, respondents without a PSU last. Every
// per-respondent slice is permuted in place, so the slices that share
// memory (Weights and its column) stay shared. The error is a panic in
// a worker (a *pool.PanicError).
func groupByPSU(ctx context.Context, ds *Dataset) error {
	if ds.PSU == nil || ds.N < 2 {
		return nil
	}
	codes := ds.PSU.Codes
	if len(codes) != ds.N {
		return nil
	}
	// Counting sort: start[c] is the first new position of PSU code c;
	// code -1 goes last.
	nLevels := len(ds.PSU.Levels)
	start := make([]int, nLevels+2)
	sorted := true
	for i, c := range codes {
		start[c+2]++ // c = -1 counted at index 1, moved to the end below
		if i > 0 && c < codes[i-1] {
			sorted = false
		}
	}
	if sorted && (codes[0] >= 0 || codes[ds.N-1] < 0) {
		return nil // already grouped
	}
	missing := start[1]
	start[1] = 0
	for c := 1; c < len(start); c++ {
		start[c] += start[c-1]
	}
	// order[k] is the file position of the respondent at new position k.
	order := make([]int32, ds.N)
	next := start[1 : nLevels+1]
	last := ds.N - missing
	for i, c := range codes {
		if c < 0 {
			order[last] = int32(i)
			last++
			continue
		}
		order[next[c]] = int32(i)
		next[c]++
	}
	ds.order = order
	p := &permuter{order: order}
	for _, col := range ds.Columns {
		// Each column is a pass over every respondent: poll between them.
		// A permutation stopped halfway leaves ds unusable, which the
		// error makes the caller drop.
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("load: %w", err)
		}
		p.floats(col.num)
		permute(p, col.Codes, &p.i32)
		p.small(col.small)
	}
	for _, c := range ds.Constructs {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("load: %w", err)
		}
		p.floats(c.score)
		p.floats(c.flag)
		p.small(c.smallScore)
		p.small(c.smallFlag)
		for _, it := range c.Items {
			p.floats(it.num)
			permute(p, it.Codes, &p.i32)
			p.small(it.small)
		}
	}
	return p.flushBytes(ctx)
}

// permuter applies one permutation to many slices, with a scratch slice
// per element type.
type permuter struct {
	order []int32 // new x[k] = old x[order[k]]
	// u64 is the scratch of float64 vectors (as bits) and then of the
	// first pack of byte vectors: one 8-byte-per-respondent buffer, not
	// two, at the moment loading peaks.
	u64 []uint64
	i32 []int32
	// Compact vectors' byte codes wait in bytes to be permuted eight at a
	// time (see flushBytes).
	bytes [][]uint8
}

// permute applies p to x in place through the scratch slice *tmp (made
// on first use); x of another length (nil, or a column left empty) is
// left alone. Gathering into scratch and copying back is several times
// faster than following the permutation's cycles in place, whose every
// step waits for the memory read before it.
func permute[T any](p *permuter, x []T, tmp *[]T) {
	n := len(p.order)
	if len(x) != n {
		return
	}
	if len(*tmp) != n {
		*tmp = make([]T, n)
	}
	t := *tmp
	for k, src := range p.order {
		t[k] = x[src]
	}
	copy(x, t)
}

// floats permutes a float64 vector through p.u64.
func (p *permuter) floats(x []float64) {
	n := len(p.order)
	if len(x) != n {
		return
	}
	if len(p.u64) != n {
		p.u64 = make([]uint64, n)
	}
	t := p.u64
	for k, src := range p.order {
		t[k] = math.Float64bits(x[src])
	}
	for k, b := range t {
		x[k] = math.Float64frombits(b)
	}
}

// small permutes a compact vector: its float64s now, its byte codes with
// the next seven others.
func (p *permuter) small(v *smallVec) {
	if v == nil || v.derived {
		return // a derived vector's codes are its source's
	}
	p.floats(v.num)
	if len(v.codes) == len(p.order) {
		p.bytes = append(p.bytes, v.codes)
	}
}

// flushBytes permutes the byte vectors waiting in p.bytes in packs of
// eight: each respondent's bytes are packed into one word, the words
// gathered in the new order and unpacked in place. A large study's
// respondents come in no useful order, so each gathered element is a
// cache miss; one miss for eight vectors makes grouping a study of tens
// of millions of respondents several times faster than one per vector.
// With many packs (a load of every construct) two goroutines share them,
// each with its own 8-byte-per-respondent scratch; with few (an analysis
// loading a few constructs) one does, to keep the peak memory down.
func (p *permuter) flushBytes(ctx context.Context) error {
	var packs [][][]uint8
	for xs := p.bytes; len(xs) > 0; {
		k := min(8, len(xs))
		packs = append(packs, xs[:k])
		xs = xs[k:]
	}
	p.bytes = nil
	p.i32 = nil // no longer needed: let the collector have it
	workers := 1
	if len(packs) >= 4 && pool.Workers() > 1 {
		workers = 2
	}
	var next atomic.Int64
	g, _ := pool.New(context.Background(), workers)
	for w := range workers {
		g.Go(func(context.Context) error {
			var packed []uint64
			if w == 0 {
				packed = p.u64 // the float64s' scratch, or nil
			}
			for {
				k := int(next.Add(1)) - 1
				if k >= len(packs) {
					return nil
				}
				if err := ctx.Err(); err != nil {
					return fmt.Errorf("load: %w", err) // a pack is a pass over every respondent
				}
				if len(packed) != len(p.order) {
					packed = make([]uint64, len(p.order))
				}
				permutePack(p.order, packs[k], packed)
			}
		})
	}
	return g.Wait()
}

// permutePack permutes up to eight byte vectors through packed (len n).
// Packing and unpacking go eight respondents at a time, as an 8 × 8
// matrix of bytes transposed in registers (transpose8): one 8-byte load
// or store per vector instead of eight 1-byte ones, about 2.5 times
// faster than byte by byte (measured at 10M respondents).
func permutePack(order []int32, xs [][]uint8, packed []uint64) {
	n := len(order)
	n8 := n &^ 7
	// Pack: word i holds respondent i's byte of vector j at bits 8j…
	for i := 0; i < n8; i += 8 {
		var r [8]uint64
		for j, x := range xs {
			r[j] = binary.LittleEndian.Uint64(x[i : i+8])
		}
		transpose8(&r)
		copy(packed[i:i+8], r[:])
	}
	for i := n8; i < n; i++ {
		var w uint64
		for j, x := range xs {
			w |= uint64(x[i]) << (8 * uint(j))
		}
		packed[i] = w
	}
	// Gather a chunk, then unpack it: a loop doing nothing but the gather
	// keeps many of its cache misses in flight at once, which the unpacking
	// in the same loop would prevent.
	var chunk [4096]uint64
	for lo := 0; lo < n; lo += len(chunk) {
		ord := order[lo:min(lo+len(chunk), n)]
		c := chunk[:len(ord)]
		for k, src := range ord {
			c[k] = packed[src]
		}
		k := 0
		for ; k+8 <= len(c); k += 8 {
			var r [8]uint64
			copy(r[:], c[k:k+8])
			transpose8(&r)
			for j, x := range xs {
				binary.LittleEndian.PutUint64(x[lo+k:lo+k+8], r[j])
			}
		}
		for ; k < len(c); k++ {
			for j, x := range xs {
				x[lo+k] = byte(c[k] >> (8 * uint(j)))
			}
		}
	}
}

// transpose8 transposes the 8 × 8 matrix of bytes whose row i is r[i]
// (byte j of a row at bits 8j…): afterwards byte i of r[j] is what byte
// j of r[i] was. Three rounds swap 4 × 4, 2 × 2 and 1 × 1 blocks
// (Hacker's Delight's transpose8, on bytes instead of bits); written by
// hand, as nothing in the standard library or x/ packages does it.
func transpose8(r *[8]uint64) {
	for i := 0; i < 4; i++ {
		t := (r[i]>>32 ^ r[i+4]) & 0x00000000FFFFFFFF
		r[i] ^= t << 32
		r[i+4] ^= t
	}
	for _, i := range [4]int{0, 1, 4, 5} {
		t := (r[i]>>16 ^ r[i+2]) & 0x0000FFFF0000FFFF
		r[i] ^= t << 16
		r[i+2] ^= t
	}
	for _, i := range [4]int{0, 2, 4, 6} {
		t := (r[i]>>8 ^ r[i+1]) & 0x00FF00FF00FF00FF
		r[i] ^= t << 8
		r[i+1] ^= t
	}
}
