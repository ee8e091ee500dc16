package survey

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// causeKind is what many rows can have wrong in the same way. Loading
// reports each cause once, however many rows share it.
type causeKind uint8

const (
	causeNotNumber    causeKind = iota + 1 // an item's text answer, no values: for it
	causeNotYesNo                          // a count item's answer that is no yes/no word
	causeOutside                           // an item's number outside scale
	causeMapsOutside                       // an answer whose values: number is outside scale
	causeMissing                           // a weight, fpc, stratum or PSU missing
	causeNotFinite                         // a weight or fpc of NaN or Inf
	causeStrictText                        // a weight or fpc that is not a number
	causeDecimalComma                      // … written with a decimal comma
	causeNegative
	causeZero
)

// problemCause identifies a cause: its kind and the construct whose items
// share it; the column for a design column.
type problemCause struct {
	kind      causeKind
	construct string
	role      string // weight, fpc, stratum, psu
}

// Bounds of what a cause's problem lists.
const (
	causeRowsShown    = 5
	causeAnswersShown = 10
	causeAnswersKept  = 1000
)

// causeAgg gathers the rows of one cause.
type causeAgg struct {
	key      causeKey
	first    Problem
	rows     int
	last     rowRef
	refs     []rowRef
	answers  []string // distinct answers, first seen first (up to causeAnswersKept)
	seen     map[string]bool
	hidden   int // answers not shown: they look like e-mail addresses or phone numbers
	manyMore bool
	items    []string
	// probs are the first problems as found, reported as they are when
	// the cause is one row's.
	probs []Problem
	// itemAnswers are each item's distinct answers (their scales may
	// differ); files counts the files with rows.
	itemAnswers map[string][]string
	files       []string
}

type causeKey struct {
	cause  problemCause
	column string // design columns; "" for items (one cause per construct)
}

// causeList holds the causes in order of first occurrence.
type causeList struct {
	byKey map[causeKey]*causeAgg
	order []*causeAgg
}

// add gathers pr under its cause; it reports whether the cause is new
// (the caller keeps its place among the problems).
func (cl *causeList) add(pr Problem) (*causeAgg, bool) {
	key := causeKey{cause: pr.cause}
	if pr.cause.construct == "" {
		key.column = pr.Column
	}
	if cl.byKey == nil {
		cl.byKey = map[causeKey]*causeAgg{}
	}
	a := cl.byKey[key]
	isNew := a == nil
	if isNew {
		a = &causeAgg{key: key, first: pr, seen: map[string]bool{}, itemAnswers: map[string][]string{}}
		cl.byKey[key] = a
		cl.order = append(cl.order, a)
	}
	defer a.addAnswer(pr)
	if len(a.probs) < causeRowsShown {
		a.probs = append(a.probs, pr)
	}
	ref := rowRef{pr.File, pr.Row}
	if a.rows == 0 || ref != a.last {
		a.rows++
		a.last = ref
		if len(a.refs) < causeRowsShown {
			a.refs = append(a.refs, ref)
		}
	}
	if !slices.Contains(a.items, pr.Column) {
		a.items = append(a.items, pr.Column)
	}
	if !slices.Contains(a.files, pr.File) {
		a.files = append(a.files, pr.File)
	}
	if ia := a.itemAnswers[pr.Column]; pr.answer != "" && len(ia) < causeAnswersKept && !slices.Contains(ia, pr.answer) {
		a.itemAnswers[pr.Column] = append(ia, pr.answer)
	}
	return a, isNew
}

func (a *causeAgg) addAnswer(pr Problem) {
	switch {
	case pr.answer == "" && pr.Value == "" && pr.cause.kind != causeMissing:
		a.hidden++
	case pr.answer != "" && !a.seen[pr.answer]:
		if len(a.answers) >= causeAnswersKept {
			a.manyMore = true
			break
		}
		a.seen[pr.answer] = true
		a.answers = append(a.answers, pr.answer)
	}
}

// reportCauses turns the gathered causes into problems, each where its
// first row's problem was: one per cause, counting its rows, naming the
// first few, listing up to ten distinct answers and, for answers a
// construct cannot read, the values: block to paste.
func (l *loader) reportCauses() {
	if len(l.causes.order) == 0 {
		return
	}
	pl := &l.problems
	var list []Problem
	for _, p := range pl.list {
		a := p.placeholder
		if a == nil {
			list = append(list, p)
			continue
		}
		pr := l.causeProblem(a)
		if a.rows > 1 {
			list = append(list, pr)
			continue
		}
		// One row: its own problems say it all, the hint after the last.
		for i, q := range a.probs {
			q.cause, q.answer = problemCause{}, ""
			if i == len(a.probs)-1 {
				q.Hint = pr.Hint
			}
			list = append(list, q)
		}
	}
	if pl.limit > 0 && len(list) > pl.limit {
		pl.more += len(list) - pl.limit
		list = list[:pl.limit]
	}
	pl.list = list
	l.causes = causeList{}
}

func (l *loader) causeProblem(a *causeAgg) Problem {
	pr := a.first
	pr.cause, pr.answer = problemCause{}, ""
	var def ConstructDef
	if c := a.key.cause.construct; c != "" {
		def = l.cb.Constructs[c]
	}
	pr.Hint = l.causeHint(a, def)
	pr.Rows = a.rows
	if len(a.items) > 1 {
		pr.Column = ""
	}
	var rows string
	if len(a.files) == 1 {
		rows = fmt.Sprintf("%s rows (%s)", thousands(a.rows), rowList(a.refs, a.rows))
	} else {
		rows = fmt.Sprintf("%s rows (%s)", thousands(a.rows), refList(a.refs, a.rows))
	}
	in := ""
	if c := a.key.cause.construct; c != "" {
		in = fmt.Sprintf("item %q of construct %q", a.items[0], c)
		if len(a.items) > 1 {
			in = fmt.Sprintf("%d items of construct %q (%s)", len(a.items), c, levelList(a.items))
		}
	}
	answers := a.answerList()
	switch a.key.cause.kind {
	case causeNotNumber:
		if len(def.Values) > 0 {
			pr.Msg = fmt.Sprintf("%s have answers in %s that are neither in values: nor numbers: %s", rows, in, answers)
		} else {
			pr.Msg = fmt.Sprintf("%s have text answers, not numbers, in %s: %s; map them to numbers with a values: block", rows, in, answers)
		}
	case causeNotYesNo:
		pr.Msg = fmt.Sprintf("%s have answers in %s that are not yes/no answers (1, TRUE, true, yes, Yes or 0, FALSE, false, no, No): %s", rows, in, answers)
	case causeOutside:
		pr.Msg = fmt.Sprintf("%s have answers in %s outside the scale [%s]: %s", rows, in, numJoin(def.Scale), answers)
	case causeMapsOutside:
		pr.Msg = fmt.Sprintf("%s have answers in %s whose values: number lies outside the scale [%s]: %s", rows, in, numJoin(def.Scale), answers)
	case causeMissing:
		pr.Msg = fmt.Sprintf("%s in %s", strings.TrimSuffix(a.first.Msg, "; the design needs one for every respondent"), rows)
		if strings.HasSuffix(a.first.Msg, "; the design needs one for every respondent") {
			pr.Msg += "; the design needs one for every respondent"
		}
	case causeNotFinite, causeStrictText, causeDecimalComma, causeNegative, causeZero:
		what := map[causeKind]string{causeNotFinite: "that are not finite numbers", causeStrictText: "that are not numbers",
			causeDecimalComma: "written with a decimal comma", causeNegative: "that are negative", causeZero: "of zero"}[a.key.cause.kind]
		pr.Msg = fmt.Sprintf("%s have %s values %s: %s", rows, a.key.cause.role, what, answers)
		if a.key.cause.kind == causeDecimalComma {
			pr.Msg += " (" + decimalCommaHint + ")"
		}
	}
	pr.Value = ""
	return pr
}

// answerList quotes up to ten distinct answers.
func (a *causeAgg) answerList() string {
	var q []string
	for i, s := range a.answers {
		if i == causeAnswersShown {
			break
		}
		q = append(q, strconv.Quote(shortValue(s)))
	}
	more := len(a.answers) - len(q)
	var tail []string
	if more > 0 || a.manyMore {
		n := fmt.Sprintf("%d", more)
		if a.manyMore {
			n = "more than " + n
		}
		tail = append(tail, n+" more")
	}
	if a.hidden > 0 {
		tail = append(tail, fmt.Sprintf("%d not shown as they look like e-mail addresses or phone numbers", a.hidden))
	}
	if len(q) == 0 && len(tail) == 0 {
		return "none shown"
	}
	s := strings.Join(q, ", ")
	if len(tail) > 0 {
		if s != "" {
			s += ", and "
		}
		s += strings.Join(tail, ", ")
	}
	return s
}

// rowList writes the first rows of a cause in one file: "rows 2, 3, …".
func rowList(refs []rowRef, total int) string {
	nums := make([]string, len(refs))
	for i, r := range refs {
		nums[i] = strconv.Itoa(r.row)
	}
	s := "rows " + strings.Join(nums, ", ")
	if total > len(refs) {
		s += ", …"
	}
	return s
}

// refList writes the first rows of a cause, grouped by file:
// "data.csv rows 2, 3, 4, …".
func refList(refs []rowRef, total int) string {
	var parts []string
	for i := 0; i < len(refs); {
		j := i
		var nums []string
		for ; j < len(refs) && refs[j].file == refs[i].file; j++ {
			nums = append(nums, strconv.Itoa(refs[j].row))
		}
		word := "rows"
		if len(nums) == 1 {
			word = "row"
		}
		parts = append(parts, fmt.Sprintf("%s %s %s", refs[i].file, word, strings.Join(nums, ", ")))
		i = j
	}
	s := strings.Join(parts, "; ")
	if total > len(refs) {
		s += ", …"
	}
	return s
}

// causeHint is the codebook text that fixes an item cause: the values:
// block in scale order for text answers (the construct's own values kept
// when the answers do not make a known scale), missing: for answers such
// as "Don't know", a wider scale: for numbers outside it.
func (l *loader) causeHint(a *causeAgg, def ConstructDef) string {
	name := a.key.cause.construct
	if name == "" || len(a.answers) == 0 {
		return ""
	}
	switch a.key.cause.kind {
	case causeNotNumber, causeNotYesNo:
	case causeOutside:
		// Codes such as 99 or -9 for "don't know" belong under missing:.
		var codes []string
		for _, s := range a.answers {
			if x, ok := parseDecimal(s, false); ok && (x < 0 || x >= 90) && x == math.Trunc(x) {
				codes = append(codes, s)
			}
		}
		if len(codes) == 0 || len(def.Scale) != 2 {
			return ""
		}
		return fmt.Sprintf("  if %s mean \"don't know\" or \"refused\", read them as missing: add to missing: %s", levelList(codes), flowList(codes))
	default:
		return ""
	}
	if a.manyMore {
		return "" // hundreds of different answers: free text, not a scale
	}
	// Every answer the construct must read: its values: keys and the new
	// ones.
	all := sortedKeys(def.Values)
	sort.SliceStable(all, func(i, j int) bool { return def.Values[all[i]] < def.Values[all[j]] })
	all = append(all, a.answers...)
	var b strings.Builder
	var nonSubst []string
	if blocks, ok := itemScales(a, def); ok {
		fmt.Fprintf(&b, "  paste into construct %q (%s, lowest first):\n    values:\n", name, blocks.families)
		b.WriteString(blocks.text)
		nonSubst = blocks.nonSubst
	} else if a.key.cause.kind == causeNotYesNo || len(a.answers) < 2 || len(a.answers) > 12 {
		return "" // one answer, or too many to be a scale
	} else {
		// No known scale: the construct's values as they are, the new
		// answers numbered after them, for the user to put in order.
		next := 1.0
		for _, k := range sortedKeys(def.Values) {
			next = max(next, def.Values[k]+1)
		}
		fmt.Fprintf(&b, "  paste into construct %q and put the numbers in scale order:\n    values:\n", name)
		for _, k := range all[:len(def.Values)] {
			fmt.Fprintf(&b, "      %s: %s\n", yamlString(k), fmtNum(def.Values[k]))
		}
		for _, s := range a.answers {
			if isNonSubstantive(s) {
				nonSubst = append(nonSubst, s)
				continue
			}
			fmt.Fprintf(&b, "      %s: %s\n", yamlString(s), fmtNum(next))
			next++
		}
	}
	if len(nonSubst) > 0 {
		fmt.Fprintf(&b, "  and read %s as missing: add to missing: %s\n", levelList(nonSubst), flowList(nonSubst))
	}
	return b.String()
}

type scaleBlocks struct {
	families string
	text     string
	nonSubst []string
}

// itemScales recognises the answer scale of each item of a cause (with
// the construct's values: keys), and returns the values: lines of them
// all, each scale once: items of one construct may use differently worded
// scales. ok is false when some item's answers follow no known scale.
func itemScales(a *causeAgg, def ConstructDef) (scaleBlocks, bool) {
	var out scaleBlocks
	keys := sortedKeys(def.Values)
	sort.SliceStable(keys, func(i, j int) bool { return def.Values[keys[i]] < def.Values[keys[j]] })
	written := map[string]bool{}
	var families []string
	var b strings.Builder
	for _, item := range a.items {
		answers := a.itemAnswers[item]
		if len(answers) == 0 {
			continue
		}
		s := RecognizeScale(append(slices.Clone(keys), answers...))
		if s == nil || (a.key.cause.kind == causeNotYesNo && !s.Binary()) {
			return out, false
		}
		id := s.Family + "|" + strings.Join(s.Answers, "|")
		if !written[id] {
			written[id] = true
			families = append(families, "the "+s.Family+" scale")
			b.WriteString(s.ValuesBlock("      "))
		}
		for _, ns := range s.NonSubstantive {
			if !slices.Contains(out.nonSubst, ns) {
				out.nonSubst = append(out.nonSubst, ns)
			}
		}
	}
	if len(families) == 0 {
		return out, false
	}
	out.families = strings.Join(families, " and ")
	out.text = b.String()
	return out, true
}

func numJoin(xs []float64) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = fmtNum(x)
	}
	return strings.Join(q, ", ")
}
