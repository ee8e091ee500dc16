package reports

import (
	"math"
	"strconv"
	"strings"
)

// Typographic marks shared by every human-readable format.
const (
	lowBaseMark    = "*"
	suppressedMark = "–" // en dash
	rangeDash      = "–"
)

// formatNum shows x the way people read a value of kind k: "53.1%",
// "3.42", "1,234", "0.042" or "<0.001". Missing values are "".
func formatNum(k Kind, digits int, x float64) string {
	if math.IsNaN(x) {
		return ""
	}
	if math.IsInf(x, 0) {
		if x > 0 {
			return "∞"
		}
		return "-∞"
	}
	switch k {
	case Percent:
		return fixed(x*100, 1) + "%"
	case Decimal:
		return groupedFixed(x, digits)
	case Integer:
		return grouped(x)
	case PValue:
		if x < 0.001 {
			return "<0.001"
		}
		return fixed(x, 3)
	case Points:
		v := fixed(x*100, 1)
		if !strings.HasPrefix(v, "-") && strings.Trim(v, "0.") != "" {
			v = "+" + v
		}
		return v + " pts"
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// formatBound is formatNum without the percent sign, for interval bounds
// ("[51.8–54.4]" reads better than "[51.8%–54.4%]").
func formatBound(k Kind, digits int, x float64) string {
	if k == Points {
		return fixed(x*100, 1)
	}
	return strings.TrimSuffix(formatNum(k, digits, x), "%")
}

// formatCI shows an interval as "[51.8–54.4]", or "[-2.1, 0.5]" when a
// bound is negative, where a dash would read as a minus sign.
func formatCI(k Kind, digits int, lo, hi float64) string {
	l, h := formatBound(k, digits, lo), formatBound(k, digits, hi)
	if l == "" {
		l = "?"
	}
	if h == "" {
		h = "?"
	}
	sep := rangeDash
	if strings.HasPrefix(l, "-") || strings.HasPrefix(h, "-") {
		sep = ", "
	}
	return "[" + l + sep + h + "]"
}

// fixed formats x with d decimals, never showing "-0.0".
func fixed(x float64, d int) string {
	s := strconv.FormatFloat(x, 'f', d, 64)
	if strings.HasPrefix(s, "-") && strings.Trim(s, "-0.") == "" {
		return s[1:]
	}
	return s
}

// groupedFixed is fixed with thousands separated by commas, as grouped
// does for integers: a weighted base reads "3,216.0", not "3216.0".
func groupedFixed(x float64, d int) string {
	s := fixed(x, d)
	intPart, frac, _ := strings.Cut(s, ".")
	g := groupDigits(intPart)
	if frac != "" {
		return g + "." + frac
	}
	return g
}

// grouped rounds x to an integer and separates thousands with commas.
func grouped(x float64) string {
	return groupDigits(fixed(math.Round(x), 0))
}

// groupDigits puts commas between the thousands of an integer's digits.
func groupDigits(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if len(s) > 3 {
		var b strings.Builder
		lead := len(s) % 3
		if lead > 0 {
			b.WriteString(s[:lead])
		}
		for i := lead; i < len(s); i += 3 {
			if b.Len() > 0 {
				b.WriteByte(',')
			}
			b.WriteString(s[i : i+3])
		}
		s = b.String()
	}
	if neg {
		return "-" + s
	}
	return s
}

// cellParts are the pieces of a displayed cell, kept apart so HTML can
// style them; join gives the plain-text form.
type cellParts struct {
	value string // "53.1%", "–" when suppressed
	star  bool   // low base
	ci    string // "[51.8–54.4]"
	mark  string
	dash  bool // suppressed
}

func parts(col Col, c Cell) cellParts {
	if col.Kind == Text {
		return cellParts{value: c.Text, mark: c.Mark}
	}
	if c.Suppressed {
		// Significance says nothing about a value nobody may see.
		return cellParts{value: suppressedMark, dash: true}
	}
	p := cellParts{value: formatNum(col.Kind, col.Digits, c.Num), star: c.LowBase, mark: c.Mark}
	if c.HasCI && !math.IsNaN(c.Num) {
		p.ci = formatCI(col.Kind, col.Digits, c.Lo, c.Hi)
	}
	return p
}

// join renders the parts as "53.1%* [51.8–54.4] AB".
func (p cellParts) join() string {
	s := p.value
	if p.star {
		s += lowBaseMark
	}
	if p.ci != "" {
		s += " " + p.ci
	}
	if p.mark != "" {
		if s != "" {
			s += " "
		}
		s += p.mark
	}
	return s
}

// Display is the cell at row i, column j as people read it, e.g.
// "53.1% [51.8–54.4]", "12.0%*" or "–".
func (t *Table) Display(i, j int) string {
	return parts(t.cols[j], t.Cell(i, j)).join()
}

// numeric reports whether a column is right-aligned.
func (c Col) numeric() bool { return c.Kind != Text }
