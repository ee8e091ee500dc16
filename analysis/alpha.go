package analysis

import (
	"fmt"
	"math"
)

// CronbachAlpha returns Cronbach's alpha of a scale whose item j has
// answers items[j] (NaN missing), over the n respondents who answered every
// item (complete cases):
//
//	α = k/(k−1) · (1 − Σ_j C_jj / Σ_jl C_jl)
//
// with C the k×k sample covariance matrix of the items, so Σ C is the
// variance of the total score. This is psych::alpha(na.omit(x))'s raw_alpha
// (psych's default use = "pairwise" differs when answers are missing).
// Alpha describes the instrument rather than the population, so like psych
// it is unweighted. Reverse-keyed items must be reversed by the caller.
//
// It returns an error for fewer than 2 items or complete cases, an infinite
// answer, an item without variance (psych would drop it and score alpha on the rest) and a
// total score without variance; it panics when the items differ in length.
func CronbachAlpha(items [][]float64) (alpha float64, n int, err error) {
	c, n, err := itemCov(itemVecs(items))
	if err != nil {
		return math.NaN(), n, err
	}
	alpha, err = alphaFromCov(c, nil)
	return alpha, n, err
}

// AlphaIfDeleted returns, for each item, Cronbach's alpha of the scale
// without it (psych::alpha(na.omit(x))$alpha.drop$raw_alpha), computed from
// the covariance matrix of the complete cases of all items, as psych does.
// With two items the remaining "scale" is one item and psych reports
// C_12/C_22 for dropping item 1 and C_12/C_11 for item 2; so do we. Errors
// are those of CronbachAlpha.
func AlphaIfDeleted(items [][]float64) ([]float64, error) {
	c, _, err := itemCov(itemVecs(items))
	if err != nil {
		return nil, err
	}
	return alphaIfDeletedFromCov(c)
}

// alphaIfDeletedFromCov is AlphaIfDeleted from the items' covariance matrix.
func alphaIfDeletedFromCov(c [][]float64) ([]float64, error) {
	k := len(c)
	out := make([]float64, k)
	if k == 2 {
		out[0] = c[0][1] / c[1][1]
		out[1] = c[0][1] / c[0][0]
		return out, nil
	}
	for j := range out {
		a, err := alphaFromCov(c, func(l int) bool { return l == j })
		if err != nil {
			return nil, fmt.Errorf("alpha without item %d: %w", j+1, err)
		}
		out[j] = a
	}
	return out, nil
}

// itemVecs checks that the items have one length and wraps them.
func itemVecs(items [][]float64) ([]vec, int) {
	vs := make([]vec, len(items))
	for j, it := range items {
		if len(it) != len(items[0]) {
			panic("analysis: length mismatch")
		}
		vs[j] = floats(it)
	}
	n := 0
	if len(items) > 0 {
		n = len(items[0])
	}
	return vs, n
}

// alphaFromCov is k/(k−1)(1 − tr C/ΣC) over the items not dropped.
func alphaFromCov(c [][]float64, drop func(int) bool) (float64, error) {
	var tr, sum float64
	k := 0
	for j := range c {
		if drop != nil && drop(j) {
			continue
		}
		k++
		tr += c[j][j]
		for l := range c {
			if drop == nil || !drop(l) {
				sum += c[j][l]
			}
		}
	}
	if !(sum > 0) {
		return math.NaN(), fmt.Errorf("alpha: the total score has no variance")
	}
	return float64(k) / float64(k-1) * (1 - tr/sum), nil
}

// itemCov returns the sample covariance matrix of the k items (each of n
// respondents, read block by block) over the complete cases, and their
// number: one pass for the complete cases' means, one for the products of
// their deviations.
func itemCov(items []vec, n int) ([][]float64, int, error) {
	k := len(items)
	if k < 2 {
		return nil, 0, fmt.Errorf("alpha: %d items; need at least 2", k)
	}
	if counts := patternCounts(items, n); counts != nil {
		return covFromPatterns(items, counts)
	}
	bufs := make([][]float64, k)
	for j := range bufs {
		bufs[j] = make([]float64, blockRows)
	}
	blk := make([][]float64, k)
	// each calls f with every block of the items and the index of its
	// first respondent.
	each := func(f func(from, m int) error) error {
		for lo := 0; lo < n; lo += blockRows {
			m := min(blockRows, n-lo)
			for j, it := range items {
				blk[j] = it.block(lo, m, bufs[j])
			}
			if err := f(lo, m); err != nil {
				return err
			}
		}
		return nil
	}
	complete := make([]bool, n)
	mean := make([]float64, k)
	first := make([]float64, k)
	constant := make([]bool, k)
	cases := 0
	err := each(func(from, m int) error {
	rows:
		for r := 0; r < m; r++ {
			for j := range blk {
				x := blk[j][r]
				if x != x {
					continue rows
				}
				if math.IsInf(x, 0) {
					return fmt.Errorf("alpha: item %d of respondent %d is %v", j+1, from+r+1, x)
				}
			}
			complete[from+r] = true
			for j := range blk {
				x := blk[j][r]
				if cases == 0 {
					first[j], constant[j] = x, true
				}
				constant[j] = constant[j] && x == first[j]
				mean[j] += x
			}
			cases++
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	if cases < 2 {
		return nil, cases, fmt.Errorf("alpha: %d respondents answered every item; need at least 2", cases)
	}
	for j := range mean {
		if constant[j] {
			return nil, cases, fmt.Errorf("alpha: item %d has the same answer (%v) for all %d complete cases", j+1, first[j], cases)
		}
		mean[j] /= float64(cases)
	}
	c := make([][]float64, k)
	for j := range c {
		c[j] = make([]float64, k)
	}
	dev := make([]float64, k)
	each(func(from, m int) error {
		for r := 0; r < m; r++ {
			if !complete[from+r] {
				continue
			}
			for j := range blk {
				dev[j] = blk[j][r] - mean[j]
			}
			for j := range dev {
				for l := j; l < k; l++ {
					c[j][l] += dev[j] * dev[l]
				}
			}
		}
		return nil
	})
	for j := range c {
		for l := j; l < k; l++ {
			c[j][l] /= float64(cases - 1)
			c[l][j] = c[j][l]
		}
	}
	return c, cases, nil
}

// maxPatterns bounds the answer patterns (one value per item) for which
// itemCov counts complete cases by pattern.
const maxPatterns = 1 << 20

// patternCounts counts the complete cases of coded items by answer
// pattern, Σ_j slot_j·Π_{i<j} (values of item i), in one pass of a table
// lookup per item and one count per respondent. It returns nil when an
// item is not coded or has an infinite value, or when the items have more
// than maxPatterns patterns: itemCov then reads the values.
func patternCounts(items []vec, n int) []int {
	if len(items) >= math.MaxInt32/maxPatterns {
		return nil // a pattern with every item missing would overflow
	}
	radix := make([]int, len(items))
	patterns := 1
	for j, it := range items {
		if it.coded == nil {
			return nil
		}
		for _, v := range it.coded.values {
			if math.IsInf(v, 0) {
				return nil
			}
		}
		radix[j] = patterns
		patterns *= len(it.coded.values)
		if patterns > maxPatterns {
			return nil
		}
	}
	// Item j's code c adds step[j][c] to a respondent's pattern: its
	// slot·radix, or patterns for a missing answer, so that an incomplete
	// case's pattern is at least patterns (counted in the last bin, then
	// dropped) and the items are read column by column without a branch.
	step := make([][256]int32, len(items))
	for j, it := range items {
		for c, s := range it.coded.slot {
			if int(s) == len(it.coded.values) {
				step[j][c] = int32(patterns)
			} else {
				step[j][c] = int32(int(s) * radix[j])
			}
		}
	}
	counts := make([]int, patterns+1)
	buf := make([]uint8, blockRows)
	idx := make([]int32, blockRows)
	for lo := 0; lo < n; lo += blockRows {
		m := min(blockRows, n-lo)
		idx := idx[:m]
		clear(idx)
		for j, it := range items {
			st := &step[j]
			for r, c := range it.coded.codes(buf[:m], lo) {
				idx[r] += st[c]
			}
		}
		for _, x := range idx {
			counts[min(x, int32(patterns))]++
		}
	}
	return counts[:patterns]
}

// covFromPatterns is itemCov's covariance matrix from the complete cases'
// counts by pattern (see patternCounts): the means, then Σ count·(x_j −
// mean_j)(x_l − mean_l) / (cases − 1), pattern by pattern.
func covFromPatterns(items []vec, counts []int) ([][]float64, int, error) {
	k := len(items)
	value := func(p, j int) float64 {
		for _, it := range items[:j] {
			p /= len(it.coded.values)
		}
		vals := items[j].coded.values
		return vals[p%len(vals)]
	}
	cases := 0
	mean := make([]float64, k)
	seen := make([][]bool, k) // seen[j][s]: a complete case answered value s of item j
	for j, it := range items {
		seen[j] = make([]bool, len(it.coded.values))
	}
	for p, c := range counts {
		if c == 0 {
			continue
		}
		cases += c
		q := p
		for j, it := range items {
			L := len(it.coded.values)
			seen[j][q%L] = true
			mean[j] += float64(c) * it.coded.values[q%L]
			q /= L
		}
	}
	if cases < 2 {
		return nil, cases, fmt.Errorf("alpha: %d respondents answered every item; need at least 2", cases)
	}
	for j, it := range items {
		only := -1 // the one value answered, or −2 for several
		for s, ok := range seen[j] {
			switch {
			case !ok:
			case only == -1:
				only = s
			default:
				only = -2
			}
		}
		if only >= 0 {
			return nil, cases, fmt.Errorf("alpha: item %d has the same answer (%v) for all %d complete cases", j+1, it.coded.values[only], cases)
		}
		mean[j] /= float64(cases)
	}
	c := make([][]float64, k)
	for j := range c {
		c[j] = make([]float64, k)
	}
	dev := make([]float64, k)
	for p, n := range counts {
		if n == 0 {
			continue
		}
		for j := range dev {
			dev[j] = value(p, j) - mean[j]
		}
		for j := range dev {
			for l := j; l < k; l++ {
				c[j][l] += float64(n) * dev[j] * dev[l]
			}
		}
	}
	for j := range c {
		for l := j; l < k; l++ {
			c[j][l] /= float64(cases - 1)
			c[l][j] = c[j][l]
		}
	}
	return c, cases, nil
}
