package charts

import (
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// pct formats a fraction as a percentage with the given decimals: 0.4732
// → "47.3%" at one decimal. It never prints "-0".
func pct(x float64, decimals int) string {
	v := x * 100
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	if strings.TrimLeft(s, "-0.") == "" {
		s = strings.TrimPrefix(s, "-")
	}
	return s + "%"
}

// trimFloat prints x with at most one decimal and no trailing zero:
// 95 → "95", 99.5 → "99.5".
func trimFloat(x float64) string {
	return strconv.FormatFloat(math.Round(x*10)/10, 'f', -1, 64)
}

// ellipsis ends text cut short by wrap.
const ellipsis = "…"

// wrap breaks s into lines no wider than width in style sty, at spaces
// where it can and inside a word only when the word alone is too wide
// (as in scripts without spaces). More than maxLines lines are cut to
// maxLines, the last ending in an ellipsis; maxLines <= 0 means no limit.
// Lines are joined with "\n", which gonum/plot draws as separate lines.
//
// The work is linear in the length of s (times a logarithm): a line's
// break inside a word is found by measuring prefixes of doubling length
// and then bisecting, so no text is measured more than a few times over,
// and with maxLines the text after the last shown line is not measured.
func wrap(sty text.Style, s string, width vg.Length, maxLines int) string {
	words := strings.Fields(s)
	if len(words) == 0 {
		return ""
	}
	fits := func(t string) bool { return sty.Width(t) <= width }
	var lines []string
	full := func() bool { return maxLines > 0 && len(lines) > maxLines }
	// A line's width is kept as the sum of its words' and spaces' widths
	// (kerning across a space is nil), so that adding a word costs its
	// own length, not the line's.
	space := sty.Width(" ")
	cur, curW := "", vg.Length(0)
	for _, w := range words {
		if full() {
			break
		}
		ww := sty.Width(w)
		if cur != "" && curW+space+ww <= width {
			cur, curW = cur+" "+w, curW+space+ww
			continue
		}
		if cur != "" {
			lines = append(lines, cur)
		}
		if ww <= width {
			cur, curW = w, ww
			continue
		}
		// A word wider than the line is broken between characters.
		r := []rune(w)
		for len(r) > 1 && !full() {
			n := fitPrefix(r, fits)
			if n == len(r) {
				break
			}
			lines = append(lines, string(r[:n]))
			r = r[n:]
		}
		cur = string(r)
		curW = sty.Width(cur)
	}
	if !full() {
		lines = append(lines, cur)
	}
	if maxLines > 0 && len(lines) > maxLines {
		lines = lines[:maxLines]
		lines[maxLines-1] = truncate(sty, lines[maxLines-1], width)
	}
	return strings.Join(lines, "\n")
}

// fitPrefix returns the length of the longest prefix of r (at least one
// rune) that fits. Prefixes of doubling length are measured until one is
// too wide, then the last step is bisected: the cost is proportional to
// the prefix found, not to r.
func fitPrefix(r []rune, fits func(string) bool) int {
	lo := 1 // fits, or is the single rune that must be taken anyway
	hi := 2
	for {
		if hi >= len(r) {
			if fits(string(r)) {
				return len(r)
			}
			hi = len(r)
			break
		}
		if !fits(string(r[:hi])) {
			break
		}
		lo, hi = hi, 2*hi
	}
	// r[:lo] fits (or lo == 1); r[:hi] does not.
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if fits(string(r[:mid])) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}

// truncate shortens s from the end until s plus an ellipsis fits width.
func truncate(sty text.Style, s string, width vg.Length) string {
	r := []rune(strings.TrimRight(s, " "))
	for len(r) > 0 && sty.Width(string(r)+ellipsis) > width {
		r = r[:len(r)-1]
	}
	return strings.TrimRight(string(r), " ") + ellipsis
}
