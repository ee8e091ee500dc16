package survey

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// constructRule turns one construct's raw answers into numbers and scores
// them. It is built from a ConstructDef that may be invalid (Validate goes
// on past codebook problems): an invalid scale is not applied, an invalid
// flag gives no flag, an invalid score is read as mean.
type constructRule struct {
	name     string
	def      ConstructDef
	count    bool
	sum      bool
	scaleOK  bool
	lo, hi   float64
	reverse  map[string]bool
	flag     *Condition
	minItems int // 0 means every item
	// folded maps trimmed, lower-cased answers to values, for answers that
	// match no values key exactly.
	folded map[string]float64
}

func newConstructRule(name string, def ConstructDef) *constructRule {
	r := &constructRule{name: name, def: def, reverse: map[string]bool{}}
	r.count = def.Score == "count"
	r.sum = def.Score == "sum"
	if validScale(def.Scale) {
		r.scaleOK, r.lo, r.hi = true, def.Scale[0], def.Scale[1]
		for _, it := range def.Reverse {
			r.reverse[it] = true
		}
	}
	if def.Flag != "" {
		if c, err := ParseFlag(def.Flag); err == nil {
			r.flag = &c
		}
	}
	if def.MinItems >= 1 && def.MinItems <= len(def.Items) {
		r.minItems = def.MinItems
	}
	if len(def.Values) > 0 {
		r.folded = make(map[string]float64, len(def.Values))
		// Sorted so that keys differing only in case resolve the same way
		// on every run.
		keys := make([]string, 0, len(def.Values))
		for k := range def.Values {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			f := strings.ToLower(strings.TrimSpace(k))
			if _, dup := r.folded[f]; !dup {
				r.folded[f] = def.Values[k]
			}
		}
	}
	return r
}

// itemValue converts one answered (non-missing) item cell to a number:
// the values mapping (exact match, then trimmed and case-insensitive), then
// for count constructs a yes/no word, else a number; then the scale check.
// Reverse coding is left to the caller, which knows the item. A non-empty
// msg says why the cell is not usable, quoting it.
func (r *constructRule) itemValue(raw string, decimalComma bool) (v float64, msg string) {
	v, _, msg = r.itemValueKind(raw, decimalComma)
	return v, msg
}

// itemValueKind is itemValue with the kind of problem (0 for none), the
// cause under which loading reports the problems of many rows together.
func (r *constructRule) itemValueKind(raw string, decimalComma bool) (v float64, kind causeKind, msg string) {
	t := strings.TrimSpace(raw)
	mapped := false
	if x, ok := r.def.Values[raw]; ok {
		v, mapped = x, true
	} else if x, ok := r.def.Values[t]; ok {
		v, mapped = x, true
	} else if x, ok := r.folded[strings.ToLower(t)]; ok {
		v, mapped = x, true
	}
	notIn := ""
	if len(r.def.Values) > 0 {
		notIn = " and not in values"
	}
	if !mapped {
		var ok bool
		if r.count {
			v, ok = truthValue(t)
			if !ok {
				return math.NaN(), causeNotYesNo, fmt.Sprintf("%q is not a yes/no answer (1, TRUE, true, yes, Yes or 0, FALSE, false, no, No)%s", shortValue(raw), notIn)
			}
		} else {
			v, ok = parseDecimal(t, decimalComma)
			if !ok {
				return math.NaN(), causeNotNumber, fmt.Sprintf("%q is not a number%s", shortValue(raw), notIn)
			}
		}
	}
	if r.scaleOK && (v < r.lo || v > r.hi) {
		if mapped {
			return math.NaN(), causeMapsOutside, fmt.Sprintf("%q maps to %s, outside the scale [%s, %s]", shortValue(raw), fmtNum(v), fmtNum(r.lo), fmtNum(r.hi))
		}
		return math.NaN(), causeOutside, fmt.Sprintf("%q is outside the scale [%s, %s]", shortValue(raw), fmtNum(r.lo), fmtNum(r.hi))
	}
	return v, 0, ""
}

// truthValue reads the yes/no answers of multiple-choice exports.
func truthValue(t string) (float64, bool) {
	switch strings.ToLower(t) {
	case "1", "true", "yes":
		return 1, true
	case "0", "false", "no":
		return 0, true
	}
	return 0, false
}

func fmtNum(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// score computes each respondent's score and flag from the processed item
// values (items[k][i] is item k of respondent i, NaN when unanswered).
//
// With a answered items out of m, the score is NaN when a < min_items
// (default m); otherwise mean = (sum of answered values)/a, sum = sum of
// answered values, count = number of answered items whose value is not 0.
// The flag is 1 where the flag rule holds for the score, 0 where it does
// not, NaN where the score is NaN or the construct has no flag.
func (r *constructRule) score(items [][]float64, n int) (score, flag []float64) {
	score = make([]float64, n)
	flag = make([]float64, n)
	x := make([]float64, len(items))
	for i := 0; i < n; i++ {
		for k, it := range items {
			x[k] = it[i]
		}
		score[i] = r.scoreOne(x)
		flag[i] = r.flagOf(score[i])
	}
	return score, flag
}

// orderLevelsByValues orders a categorical item's levels by the number the
// construct's values give them (Not at all < ... < Very), so that tables
// list answers in scale order; unmapped levels follow in first-seen order.
func orderLevelsByValues(col *Column, r *constructRule) {
	type lv struct {
		k      int
		v      float64
		mapped bool
	}
	ls := make([]lv, len(col.Levels))
	for k, l := range col.Levels {
		ls[k].k = k
		if x, msg := r.itemValue(l, false); msg == "" {
			ls[k].v, ls[k].mapped = x, true
		}
	}
	sort.SliceStable(ls, func(a, b int) bool {
		if ls[a].mapped != ls[b].mapped {
			return ls[a].mapped
		}
		return ls[a].mapped && ls[a].v < ls[b].v
	})
	order := make([]int, len(ls))
	for i, l := range ls {
		order[i] = l.k
	}
	reorderLevels(col, order)
}
