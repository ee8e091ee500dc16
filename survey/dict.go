package survey

// Fast lookups of categorical levels while loading: a column with few
// levels is searched directly, and levels written as plain numbers (PSU
// labels, numeric codes) through a table indexed by the number, rather
// than hashing every cell.

const (
	// linearLevels is the number of levels up to which known searches
	// the levels one by one.
	linearLevels = 8
	// maxByNumber bounds the table of levels written as numbers.
	maxByNumber = 1 << 22
)

// plainUint reads s when it is a plain decimal number that names exactly
// one integer: digits only, no sign, spaces or leading zero.
func plainUint(s string) (int, bool) {
	if len(s) == 0 || len(s) > 7 || (s[0] == '0' && len(s) > 1) {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// known returns the code of s when it is a level already seen, as
// written: the levels are trimmed and never missing, so a cell that
// matches one needs neither. It is for categorical columns (b.cat).
func (b *colBuilder) known(s string) (int32, bool) {
	if len(b.levels) <= linearLevels {
		for k, l := range b.levels {
			if l == s {
				return int32(k), true
			}
		}
		return 0, false
	}
	if n, ok := plainUint(s); ok && n < maxByNumber {
		if n < len(b.byNumber) && b.byNumber[n] >= 0 {
			return b.byNumber[n], true
		}
		return 0, false
	}
	k, ok := b.dict[s]
	return k, ok
}

// addLevel adds level t (trimmed, already cloned) as code k.
func (b *colBuilder) addLevel(t string, k int32) {
	b.dict[t] = k
	b.levels = append(b.levels, t)
	if n, ok := plainUint(t); ok && n < maxByNumber && b.cat {
		if n >= len(b.byNumber) {
			grown := make([]int32, max(n+1, 2*len(b.byNumber)))
			copy(grown, b.byNumber)
			for i := len(b.byNumber); i < len(grown); i++ {
				grown[i] = -1
			}
			b.byNumber = grown[:min(len(grown), maxByNumber)]
		}
		b.byNumber[n] = k
	}
}
