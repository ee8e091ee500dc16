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
func wrap(sty text.Style, s string, width vg.Length, maxLines int) string {
	words := strings.Fields(s)
	if len(words) == 0 {
		return ""
	}
	fits := func(t string) bool { return sty.Width(t) <= width }
	var lines []string
	cur := ""
	for _, w := range words {
		try := w
		if cur != "" {
			try = cur + " " + w
		}
		if fits(try) {
			cur = try
			continue
		}
		if cur != "" {
			lines = append(lines, cur)
		}
		// A word wider than the line is broken between characters.
		for !fits(w) {
			r := []rune(w)
			if len(r) == 1 {
				break // a single character wider than the line overflows
			}
			n := len(r) - 1
			for n > 1 && !fits(string(r[:n])) {
				n--
			}
			lines = append(lines, string(r[:n]))
			w = string(r[n:])
		}
		cur = w
	}
	lines = append(lines, cur)
	if maxLines > 0 && len(lines) > maxLines {
		lines = lines[:maxLines]
		lines[maxLines-1] = truncate(sty, lines[maxLines-1], width)
	}
	return strings.Join(lines, "\n")
}

// truncate shortens s from the end until s plus an ellipsis fits width.
func truncate(sty text.Style, s string, width vg.Length) string {
	r := []rune(strings.TrimRight(s, " "))
	for len(r) > 0 && sty.Width(string(r)+ellipsis) > width {
		r = r[:len(r)-1]
	}
	return strings.TrimRight(string(r), " ") + ellipsis
}
