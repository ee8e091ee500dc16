package reports

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/trustgap/trustgap/survey"
)

// humanize turns a codebook name into words for a reader when the
// codebook gives no label: "comfort_name" → "Comfort name".
func humanize(name string) string {
	s := strings.Join(strings.Fields(strings.NewReplacer("_", " ", ".", " ").Replace(name)), " ")
	return titleCase(s)
}

// constructLabel is the construct's label: the codebook's label:, else
// its name in words.
func constructLabel(c *survey.Construct) string {
	if c == nil {
		return ""
	}
	if c.Def.Label != "" {
		return c.Def.Label
	}
	return humanize(c.Name)
}

// itemLabel is an item's question text (codebook labels: or the file's
// label), else its name in words.
func itemLabel(col *survey.Column) string {
	if col.Label != "" {
		return col.Label
	}
	return humanize(col.Name)
}

// scaleInfo is what the report knows of a construct's answer scale: its
// end points and the text of each point (the codebook's values:, else
// the items' SPSS value labels: survey.Construct.AnswerLabels), on the
// items' original coding.
type scaleInfo struct {
	lo, hi float64
	labels map[float64]string
	// note says which answers the items' value labels name differently
	// (and are shown as numbers); "" when none.
	note string
}

// scaleOf returns the construct's scale, or ok false when it has none or
// one too long to list answer by answer (more than 11 points, or not
// whole numbers).
func scaleOf(c *survey.Construct) (s scaleInfo, ok bool) {
	d := c.Def
	if len(d.Scale) != 2 || d.Score == "count" {
		return s, false
	}
	s.lo, s.hi = d.Scale[0], d.Scale[1]
	if s.lo != math.Trunc(s.lo) || s.hi != math.Trunc(s.hi) || s.hi-s.lo < 1 || s.hi-s.lo > 10 {
		return s, false
	}
	al := c.AnswerLabels()
	s.labels = al.Labels
	if s.labels == nil {
		s.labels = map[float64]string{}
	}
	if len(al.Disagree) > 0 {
		codes := make([]string, len(al.Disagree))
		for i, x := range al.Disagree {
			codes[i] = fmtPoint(x)
		}
		s.note = fmt.Sprintf("The items' SPSS value labels differ for %s %s, shown as a number; add values: to the construct in the codebook to name it.",
			map[bool]string{true: "answer", false: "answers"}[len(codes) == 1], strings.Join(codes, ", "))
	}
	return s, true
}

// points are the scale's whole-number answers, low to high.
func (s scaleInfo) points() []float64 {
	var out []float64
	for v := s.lo; v <= s.hi; v++ {
		out = append(out, v)
	}
	return out
}

// answer is the label of one scale point: "Strongly agree (5)", or "5"
// when neither the codebook nor the file gives a text for it.
func (s scaleInfo) answer(v float64) string {
	n := fmtPoint(v)
	if l := s.labels[v]; l != "" {
		return l + " (" + n + ")"
	}
	return n
}

// nets are the scale's two-box nets: the top two points and the bottom
// two, each named by the wording of its answers ("Agree (4–5)", and
// "Agree (1–2)" on a scale where 1 = strongly agree; "Little control /
// No control (3–4)" when the two answers differ in more than degree).
// Without answer texts they are "Top-2 box (4–5)" and "Bottom-2 box
// (1–2)".
func (s scaleInfo) nets() (top, bottom string) {
	top = s.netName(s.hi-1, s.hi, "Top-2 box")
	bottom = s.netName(s.lo, s.lo+1, "Bottom-2 box")
	if strings.EqualFold(top, bottom) { // two ends named alike: say which
		top, bottom = "Top-2 box: "+top, "Bottom-2 box: "+bottom
	}
	top += " (" + fmtPoint(s.hi-1) + rangeDash + fmtPoint(s.hi) + ")"
	bottom += " (" + fmtPoint(s.lo) + rangeDash + fmtPoint(s.lo+1) + ")"
	return top, bottom
}

func (s scaleInfo) netName(a, b float64, fallback string) string {
	sa, sb := stem(s.labels[a]), stem(s.labels[b])
	switch {
	case sa == "" || sb == "":
		return fallback
	case strings.EqualFold(sa, sb):
		return sb
	}
	return sa + " / " + sb
}

// stem is an answer's wording without its degree: "Strongly agree" →
// "Agree", "Very concerned" → "Concerned", "Not concerned at all" and
// "Not very concerned" → "Not concerned".
func stem(label string) string {
	l := strings.Join(strings.Fields(label), " ")
	if l == "" {
		return ""
	}
	low := strings.ToLower(l)
	for _, p := range []string{"not at all ", "not very ", "not too ", "not so "} {
		if strings.HasPrefix(low, p) && len(l) > len(p) {
			l, low = "not "+l[len(p):], "not "+low[len(p):]
			break
		}
	}
	for _, p := range []string{"strongly ", "very ", "somewhat ", "slightly ", "completely ", "extremely ", "totally ", "definitely ", "fully ", "fairly ", "quite ", "mostly ", "rather "} {
		if strings.HasPrefix(low, p) && len(l) > len(p) {
			l, low = l[len(p):], low[len(p):]
			break
		}
	}
	for _, suf := range []string{" at all", " a lot", " a great deal"} {
		if strings.HasSuffix(low, suf) && len(l) > len(suf) {
			l = l[:len(l)-len(suf)]
			break
		}
	}
	return titleCase(strings.TrimSpace(l))
}

func fmtPoint(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// reversed reports whether item is reverse-coded in c.
func reversed(c *survey.Construct, item string) bool {
	for _, r := range c.Def.Reverse {
		if r == item {
			return true
		}
	}
	return false
}
