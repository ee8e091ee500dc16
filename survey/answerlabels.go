package survey

import (
	"math"
	"sort"
	"strings"
)

// AnswerLabels are the texts of a construct's answer codes, on the items'
// original coding (before reverse coding), as reports show them.
type AnswerLabels struct {
	// Labels names the codes that have a text ("Strongly agree" for 5).
	Labels map[float64]string
	// FromFile is true when the texts are the items' value labels (SPSS)
	// rather than the codebook's values:.
	FromFile bool
	// Disagree lists, low to high, the codes within the scale whose items
	// label them differently; those codes have no text in Labels.
	Disagree []float64
}

// AnswerLabels returns the construct's answer texts. The codebook's
// values: come first: when given, they alone name the codes (the first
// key in sorted order where several map to one number). Without values:,
// the items' value labels (SPSS) name the whole-number codes within the
// scale: a code takes the label its labelled items share (compared
// ignoring case and spacing; the first item's spelling), and none when
// they differ, listed in Disagree. Codes outside the scale (99 = "Don't
// know") are never answers. Without a scale the file's labels are not
// used, since nothing says which codes are answers.
func (c *Construct) AnswerLabels() AnswerLabels {
	var out AnswerLabels
	d := c.Def
	if len(d.Values) > 0 {
		out.Labels = make(map[float64]string, len(d.Values))
		keys := make([]string, 0, len(d.Values))
		for k := range d.Values {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			v := d.Values[k]
			if _, dup := out.Labels[v]; !dup {
				out.Labels[v] = strings.TrimSpace(k)
			}
		}
		return out
	}
	if !validScale(d.Scale) {
		return out
	}
	lo, hi := d.Scale[0], d.Scale[1]
	label := map[float64]string{}
	disagree := map[float64]bool{}
	for _, it := range c.Items {
		for _, vl := range it.ValueLabels {
			x, ok := parseDecimal(vl.Value, false)
			l := strings.Join(strings.Fields(vl.Label), " ")
			if !ok || l == "" || x < lo || x > hi || x != math.Trunc(x) {
				continue
			}
			prev, seen := label[x]
			switch {
			case !seen:
				label[x] = l
			case !strings.EqualFold(prev, l):
				disagree[x] = true
			}
		}
	}
	if len(label) == 0 {
		return out
	}
	out.FromFile = true
	out.Labels = make(map[float64]string, len(label))
	for x, l := range label {
		if disagree[x] {
			out.Disagree = append(out.Disagree, x)
			continue
		}
		out.Labels[x] = l
	}
	sort.Float64s(out.Disagree)
	return out
}
