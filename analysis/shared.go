package analysis

// Sums shared between analyses: a construct's flag that the banner
// reads for the total, the region and every segment need not be read
// again for Compare's comparisons by region or a table of the total
// sample: the sums a pass keeps per stratum and domain (see psuMoments)
// hold every smaller set of domains, which is taken out of them.
//
// Only what a pass keeps as moments is shared (coded variables of data
// grouped by PSU), and only construct flags. Estimates read from shared
// sums equal those of a pass of their own up to rounding (a PSU's sums are
// added up in another order; about 1e-15 relative).

// sharedKey names a variable read with a design.
type sharedKey struct {
	d *Design
	y any // vec.key
}

// get returns y's sums for these groupings taken out of kept sums that
// cover them (unless full is noFull, with the full products of each), or
// nil.
func (sh *Cache) get(d *Design, y vec, codes [][]int32, nLevels []int, full fullProducts) *allSums {
	if y.key == nil {
		return nil
	}
	sh.sums.mu.Lock()
	defer sh.sums.mu.Unlock()
	for _, a := range sh.sums.m[sharedKey{d, y.key}] {
		if sub := a.subset(codes, nLevels, full); sub != nil {
			return sub
		}
	}
	return nil
}

// put keeps y's sums a when they are moments.
func (sh *Cache) put(d *Design, y vec, a *allSums) {
	if y.key == nil || a.moments == nil {
		return
	}
	sh.sums.mu.Lock()
	defer sh.sums.mu.Unlock()
	k := sharedKey{d, y.key}
	sh.sums.m[k] = append(sh.sums.m[k], a)
}

// sameCodes reports whether a and b are the same slice of codes.
func sameCodes(a, b []int32) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// subset returns the sums of the total and the groupings codes (nLevels
// levels each) taken out of a, which must be moments holding each of
// them, with their full products unless full is noFull; nil when a does
// not.
func (a *allSums) subset(codes [][]int32, nLevels []int, full fullProducts) *allSums {
	mo := a.moments
	if mo == nil {
		return nil
	}
	// from[k] is grouping k's index in a (0 the total).
	from := make([]int, 1, 1+len(codes))
	for k, c := range codes {
		found := -1
		for j, g := range a.groupings {
			if j > 0 && sameCodes(g.codes, c) && len(g.gs) == nLevels[k] {
				found = j
				break
			}
		}
		if found < 0 || (full != noFull && (len(mo.full) < found || mo.full[found-1] == nil)) {
			return nil
		}
		from = append(from, found)
	}
	out := &allSums{groupings: layoutGroups(codes, nLevels, nil), moments: &psuMoments{}}
	size, oldSize := out.groupings[0].stride, a.groupings[0].stride
	// pos[g] is new position g's old one.
	pos := make([]int, 0, size)
	for k, j := range from {
		src, dst := &a.groupings[j], &out.groupings[k]
		copy(dst.gs, src.gs)
		for l := range src.gs {
			pos = append(pos, src.off+l)
		}
		if full != noFull && k > 0 {
			out.moments.full = append(out.moments.full, mo.full[j-1])
		}
	}
	H := len(a.byStratum) / oldSize
	out.byStratum = make([]sumCell, H*size)
	out.moments.cells = make([]cellMoment, H*size)
	for h := range H {
		for g, p := range pos {
			out.byStratum[h*size+g] = a.byStratum[h*oldSize+p]
			out.moments.cells[h*size+g] = mo.cells[h*oldSize+p]
		}
	}
	return out
}

// sumShared is e.sumAllFor with moments, through the cache's sums when
// shared is set: the variables whose sums are kept there for these
// groupings are not read again, and the sums of the others are kept for
// later analyses.
func (e engine) sumShared(shared bool, ys []vec, codes [][]int32, nLevels []int, keys []any, pairs [][2]int, full fullProducts) []*allSums {
	if !shared || e.c.sums == nil {
		return e.sumAllFor(ys, codes, nLevels, keys, true, pairs, full)
	}
	d := e.Design
	out := make([]*allSums, len(ys))
	var todo []vec
	var at []int
	for v, y := range ys {
		if len(pairs) == 0 {
			out[v] = e.c.get(d, y, codes, nLevels, full)
		}
		if out[v] == nil {
			todo, at = append(todo, y), append(at, v)
		}
	}
	if len(todo) == 0 {
		return out
	}
	for j, a := range e.sumAllFor(todo, codes, nLevels, keys, true, pairs, full) {
		out[at[j]] = a
		// A cancelled pass's sums are partial: never kept.
		if e.ctx.Err() == nil {
			e.c.put(d, todo[j], a)
		}
	}
	return out
}
