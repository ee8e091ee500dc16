package survey

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Condition is a comparison of a column with a value, such as
// `api00 > 875` or `region != "Europe"`. The CLI's --prop flag and the
// construct flag rules (which have no column) are conditions.
type Condition struct {
	Column string  // column name; empty in a construct's flag rule
	Op     string  // one of == != >= > <= <
	Value  string  // the value as written, without quotes
	Num    float64 // Value as a number when IsNum
	IsNum  bool    // Value parses as a finite number
}

// ParseCondition parses `COL OP VALUE` where OP is one of == != >= > <= <.
// Spaces around the operator are optional. COL and VALUE may be quoted with
// "..." or '...'; quotes are needed only when VALUE has leading or trailing
// spaces or COL contains an operator character. IsNum is set when VALUE is a
// finite number (quoted or not).
func ParseCondition(s string) (Condition, error) {
	col, rest, err := splitColumn(s)
	if err != nil {
		return Condition{}, fmt.Errorf("condition %q: %w", shortValue(s), err)
	}
	if col == "" {
		return Condition{}, fmt.Errorf("condition %q: no column before the operator (want COL OP VALUE)", shortValue(s))
	}
	c, err := parseOpValue(rest)
	if err != nil {
		return Condition{}, fmt.Errorf("condition %q: %w", shortValue(s), err)
	}
	c.Column = col
	return c, nil
}

// ParseFlag parses a construct's flag rule, `OP NUMBER` such as ">= 4"
// (ConstructDef.Flag): the one parser of flag rules, which Load and the
// analyses share.
func ParseFlag(s string) (Condition, error) {
	c, err := parseOpValue(s)
	if err != nil {
		return Condition{}, err
	}
	if !c.IsNum {
		return Condition{}, fmt.Errorf("%q is not a number (want OP NUMBER, e.g. \">= 4\")", shortValue(c.Value))
	}
	return c, nil
}

// splitColumn splits s before its operator, returning the column (unquoted,
// trimmed) and the rest starting at the operator.
func splitColumn(s string) (col, rest string, err error) {
	t := strings.TrimSpace(s)
	if t != "" && (t[0] == '"' || t[0] == '\'') {
		end := strings.IndexByte(t[1:], t[0])
		if end < 0 {
			return "", "", fmt.Errorf("unterminated quote in column name")
		}
		return strings.TrimSpace(t[1 : end+1]), t[end+2:], nil
	}
	i := strings.IndexAny(t, "=!<>")
	if i < 0 {
		return "", "", fmt.Errorf("no operator (want one of == != >= > <= <)")
	}
	return strings.TrimSpace(t[:i]), t[i:], nil
}

// parseOpValue parses `OP VALUE` (leading spaces allowed).
func parseOpValue(s string) (Condition, error) {
	t := strings.TrimSpace(s)
	var c Condition
	// Two-character operators first, so that ">=" is not read as ">".
	for _, op := range [...]string{"==", "!=", ">=", "<=", ">", "<"} {
		if strings.HasPrefix(t, op) {
			c.Op = op
			break
		}
	}
	if c.Op == "" {
		if strings.HasPrefix(t, "=") {
			return c, fmt.Errorf("operator \"=\" is not a comparison; did you mean \"==\"?")
		}
		return c, fmt.Errorf("no operator (want one of == != >= > <= <)")
	}
	v := strings.TrimSpace(t[len(c.Op):])
	if strings.HasPrefix(v, "=") {
		return c, fmt.Errorf("unknown operator %q", c.Op+"=")
	}
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') {
		if v[len(v)-1] != v[0] {
			return c, fmt.Errorf("unterminated quote in value")
		}
		v = v[1 : len(v)-1]
	} else if v != "" && (v[0] == '"' || v[0] == '\'') {
		return c, fmt.Errorf("unterminated quote in value")
	}
	if v == "" {
		return c, fmt.Errorf("no value after %q", c.Op)
	}
	c.Value = v
	c.Num, c.IsNum = parseDecimal(v, false)
	return c, nil
}

// String formats the condition so that ParseCondition reads it back,
// quoting the column or value where needed.
func (c Condition) String() string {
	v := c.Value
	if v != strings.TrimSpace(v) || strings.HasPrefix(v, "=") || strings.HasPrefix(v, "\"") || strings.HasPrefix(v, "'") {
		v = quoteCondition(v)
	}
	if c.Column == "" {
		return c.Op + " " + v
	}
	col := c.Column
	if strings.ContainsAny(col, "=!<>") || strings.HasPrefix(col, "\"") || strings.HasPrefix(col, "'") {
		col = quoteCondition(col)
	}
	return col + " " + c.Op + " " + v
}

// quoteCondition wraps s in the quote character it does not contain;
// conditions have no escapes.
func quoteCondition(s string) string {
	if strings.Contains(s, "\"") {
		return "'" + s + "'"
	}
	return "\"" + s + "\""
}

// Eval applies the condition to every respondent of col, returning 1 where
// it holds, 0 where it does not and NaN where the value is missing.
//
// Numeric columns are compared numerically (Value must be a number).
// Categorical columns are compared by level: == and != compare the level
// text with Value, except that when every level and Value are numbers
// (codes such as "1".."5") all operators compare numerically. Ordering
// operators on other categorical columns are an error, and so is an == or
// != whose Value is no level of the column: such a comparison would be
// silently all 0 (or all 1), which is almost always a typo.
func (c Condition) Eval(col *Column) ([]float64, error) {
	if col == nil {
		panic("survey: Condition.Eval on nil column")
	}
	if col.IsNumeric() {
		if !c.IsNum {
			return nil, fmt.Errorf("condition %s: column %q is numeric but %q is not a number", c, col.Name, shortValue(c.Value))
		}
		out := make([]float64, len(col.num))
		for i, x := range col.num {
			out[i] = compareOp(c.Op, x, c.Num)
		}
		return out, nil
	}
	out := make([]float64, len(col.Codes))
	levelNums, allNum := numericLevels(col.Levels)
	if allNum && c.IsNum {
		for i, k := range col.Codes {
			if k < 0 {
				out[i] = math.NaN()
				continue
			}
			out[i] = compareOp(c.Op, levelNums[k], c.Num)
		}
		return out, nil
	}
	if c.Op != "==" && c.Op != "!=" {
		return nil, fmt.Errorf("condition %s: column %q is categorical with levels that are not all numbers; use == or !=", c, col.Name)
	}
	match := int32(-1)
	for k, l := range col.Levels {
		if l == c.Value {
			match = int32(k)
			break
		}
	}
	if match < 0 {
		return nil, fmt.Errorf("condition %s: %q is not a level of column %q (levels: %s)", c, shortValue(c.Value), col.Name, levelList(col.Levels))
	}
	for i, k := range col.Codes {
		switch {
		case k < 0:
			out[i] = math.NaN()
		case (k == match) == (c.Op == "=="):
			out[i] = 1
		default:
			out[i] = 0
		}
	}
	return out, nil
}

// Holds reports whether x satisfies a numeric condition (x OP Num), as a
// flag rule does for a score; false for NaN or a condition that is not
// numeric.
func (c Condition) Holds(x float64) bool {
	return c.IsNum && compareOp(c.Op, x, c.Num) == 1
}

// compareOp returns 1 when x OP y holds, 0 when not, NaN when x is NaN.
func compareOp(op string, x, y float64) float64 {
	if math.IsNaN(x) {
		return math.NaN()
	}
	var ok bool
	switch op {
	case "==":
		ok = x == y
	case "!=":
		ok = x != y
	case ">=":
		ok = x >= y
	case ">":
		ok = x > y
	case "<=":
		ok = x <= y
	case "<":
		ok = x < y
	default:
		panic("survey: unknown operator " + op)
	}
	if ok {
		return 1
	}
	return 0
}

// numericLevels parses every level as a number; ok is false when one is not.
func numericLevels(levels []string) ([]float64, bool) {
	nums := make([]float64, len(levels))
	for i, l := range levels {
		x, ok := parseDecimal(l, false)
		if !ok {
			return nil, false
		}
		nums[i] = x
	}
	return nums, true
}

// levelList quotes up to ten levels for a message.
func levelList(levels []string) string {
	const max = 10
	q := make([]string, 0, max+1)
	for i, l := range levels {
		if i == max {
			q = append(q, fmt.Sprintf("and %d more", len(levels)-max))
			break
		}
		q = append(q, strconv.Quote(shortValue(l)))
	}
	if len(q) == 0 {
		return "none"
	}
	return strings.Join(q, ", ")
}

// parseDecimal reads a plain decimal number: optional sign, digits with an
// optional decimal point, optional exponent. Unlike strconv.ParseFloat it
// rejects "NaN", "Inf", hexadecimal and underscores, which are text in a
// survey export. With decimalComma, a single comma and no point is read as
// the decimal separator ("3,5" is 3.5); "1.234" still reads as 1.234.
func parseDecimal(s string, decimalComma bool) (float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	if decimalComma && strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	digits := 0
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch >= '0' && ch <= '9':
			digits++
		case ch == '.' || ch == '+' || ch == '-' || ch == 'e' || ch == 'E':
		default:
			return 0, false
		}
	}
	if digits == 0 {
		return 0, false
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(x, 0) {
		return 0, false
	}
	return x, true
}

// sortLevelsNumerically reorders a categorical column whose levels are all
// numbers into numeric order, remapping its codes.
func sortLevelsNumerically(col *Column) {
	nums, ok := numericLevels(col.Levels)
	if !ok || len(col.Levels) < 2 {
		return
	}
	order := make([]int, len(col.Levels))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return nums[order[a]] < nums[order[b]] })
	reorderLevels(col, order)
}

// reorderLevels makes order[k] the old index of new level k.
func reorderLevels(col *Column, order []int) {
	remap := make([]int32, len(order))
	levels := make([]string, len(order))
	for newK, oldK := range order {
		remap[oldK] = int32(newK)
		levels[newK] = col.Levels[oldK]
	}
	for i, k := range col.Codes {
		if k >= 0 {
			col.Codes[i] = remap[k]
		}
	}
	col.Levels = levels
}

// shortValue shortens a value echoed in a message to about 40 characters,
// cutting at a rune boundary.
func shortValue(s string) string {
	const max = 40
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
