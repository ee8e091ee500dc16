package survey

import (
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Keys the codebook format knows, per level, in the order the format
// documents them (used in suggestions).
func topKeys() []string {
	return []string{"title", "missing", "header_rows", "decimal_comma", "columns", "design", "region", "segments", "constructs", "levels", "labels", "bands", "allow_pii", "report", "study", "weighting"}
}

func designKeys() []string { return []string{"id", "id_scope", "weight", "strata", "psu", "fpc"} }

func constructKeys() []string {
	return []string{"items", "values", "scale", "reverse", "score", "flag", "min_items", "label"}
}

// LoadCodebook reads the YAML codebook at path; see ParseCodebook.
func LoadCodebook(path string) (*Codebook, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open codebook: %w", err)
	}
	defer f.Close()
	return ParseCodebook(f, path)
}

// ParseCodebook reads a YAML codebook and checks it against the format:
// unknown keys (with the nearest valid key suggested), values of the wrong
// type, and the construct rules (scale is two numbers min < max, reverse
// items are items and need scale, flag is `OP NUMBER`, score is
// mean|sum|count, min_items is in 1..len(items)). name is used in messages.
//
// A codebook that is not valid YAML, or not a mapping, gives a nil Codebook
// and an error. A well-formed YAML codebook that breaks the format's rules
// gives the codebook as far as it could be read together with a
// *ProblemsError listing every problem with its line, so that a caller such
// as Validate can go on to report the data's problems too; Load refuses
// such a codebook.
func ParseCodebook(r io.Reader, name string) (*Codebook, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read codebook %s: %w", name, err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("parse codebook %s: %w", name, err)
	}
	if len(doc.Content) == 0 {
		return nil, fmt.Errorf("parse codebook %s: the codebook is empty", name)
	}
	root := deref(doc.Content[0])
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("parse codebook %s: line %d: the codebook must be a mapping of keys (columns, constructs, …)", name, root.Line)
	}
	p := &cbParser{cb: &Codebook{name: name, lines: map[string]int{}}}
	p.top(root)
	if problems := p.cb.problems(); len(problems) > 0 {
		return p.cb, &ProblemsError{Problems: problems}
	}
	return p.cb, nil
}

// cbParser walks the YAML node tree. It walks by hand rather than decoding
// into the struct so that it can keep YAML order, report every unknown key
// with its line, and go on after a problem.
type cbParser struct {
	cb *Codebook
}

func (p *cbParser) problem(line int, format string, args ...any) {
	p.cb.parseProblems = append(p.cb.parseProblems, Problem{File: p.cb.fileName(), Line: line, Msg: fmt.Sprintf(format, args...)})
}

// deref follows YAML aliases (*anchor) to the node they name.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 16; i++ {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// pairs calls f for each key/value of a mapping node, reporting non-string
// and duplicate keys. where names the mapping in messages.
func (p *cbParser) pairs(n *yaml.Node, where string, f func(key string, k, v *yaml.Node)) {
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), deref(n.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			p.problem(k.Line, "%s: keys must be names, not lists or mappings", where)
			continue
		}
		if first, dup := seen[k.Value]; dup {
			p.problem(k.Line, "%s: key %q is given twice (first at line %d)", where, k.Value, first)
			continue
		}
		seen[k.Value] = k.Line
		f(k.Value, k, v)
	}
}

func (p *cbParser) unknownKey(k *yaml.Node, where string, valid []string) {
	p.problem(k.Line, "unknown key %q in %s%s", shortValue(k.Value), where, suggestKey(k.Value, valid))
}

// suggestKey returns "; did you mean "x"?" for the nearest valid key, or a
// list of the valid keys when none is close.
func suggestKey(key string, valid []string) string {
	best, bestD := "", -1
	for _, v := range valid {
		d := editDistance(strings.ToLower(key), v)
		if bestD < 0 || d < bestD {
			best, bestD = v, d
		}
	}
	if bestD >= 0 && bestD <= max(2, len([]rune(key))/2) {
		return fmt.Sprintf("; did you mean %q?", best)
	}
	return "; valid keys are " + strings.Join(valid, ", ")
}

// editDistance is the optimal string alignment distance between a and b,
// in runes: Levenshtein's insertions, deletions and substitutions plus
// the transposition of two adjacent runes, the commonest typo ("regoin"
// is one edit from "region", not two).
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1) // row i-2, for transpositions
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

func (p *cbParser) top(root *yaml.Node) {
	cb := p.cb
	p.pairs(root, "codebook", func(key string, k, v *yaml.Node) {
		cb.lines[key] = k.Line
		switch key {
		case "title":
			cb.Title, _ = p.str(v, "title")
		case "missing":
			cb.Missing = p.strList(v, "missing")
		case "header_rows":
			cb.HeaderRows = p.integer(v, "header_rows")
		case "decimal_comma":
			cb.DecimalComma = p.boolean(v, "decimal_comma")
		case "columns":
			p.columns(v)
		case "design":
			p.design(v)
		case "region":
			cb.Region, _ = p.str(v, "region")
		case "segments":
			cb.Segments = p.strList(v, "segments")
		case "constructs":
			p.constructs(v)
		case "levels":
			p.levels(v)
		case "labels":
			p.labels(v)
		case "bands":
			p.bands(v)
		case "allow_pii":
			cb.AllowPII = p.strList(v, "allow_pii")
		case "report":
			p.report(v)
		case "study":
			p.study(v)
		case "weighting":
			p.weighting(v)
		default:
			p.unknownKey(k, "the codebook", topKeys())
		}
	})
}

// str reads a scalar as text; null is "".
func (p *cbParser) str(n *yaml.Node, what string) (string, bool) {
	if isNull(n) {
		return "", true
	}
	if n.Kind != yaml.ScalarNode {
		p.problem(n.Line, "%s must be a single name or text", what)
		return "", false
	}
	return n.Value, true
}

// strList reads a sequence of scalars; a single scalar is a one-element list.
func (p *cbParser) strList(n *yaml.Node, what string) []string {
	switch {
	case isNull(n):
		return nil
	case n.Kind == yaml.ScalarNode:
		return []string{n.Value}
	case n.Kind != yaml.SequenceNode:
		p.problem(n.Line, "%s must be a list such as [a, b]", what)
		return nil
	}
	out := make([]string, 0, len(n.Content))
	for _, e := range n.Content {
		e = deref(e)
		if e.Kind != yaml.ScalarNode || isNull(e) {
			p.problem(e.Line, "%s: each entry must be a name or text", what)
			continue
		}
		out = append(out, e.Value)
	}
	return out
}

func (p *cbParser) number(n *yaml.Node, what string) (float64, bool) {
	if n.Kind == yaml.ScalarNode {
		if x, ok := parseDecimal(n.Value, false); ok {
			return x, true
		}
	}
	p.problem(n.Line, "%s: %q is not a number", what, shortValue(n.Value))
	return math.NaN(), false
}

func (p *cbParser) integer(n *yaml.Node, what string) int {
	if isNull(n) {
		return 0
	}
	if n.Kind == yaml.ScalarNode {
		if i, err := strconv.Atoi(strings.TrimSpace(n.Value)); err == nil {
			return i
		}
	}
	p.problem(n.Line, "%s: %q is not a whole number", what, shortValue(n.Value))
	return 0
}

func (p *cbParser) boolean(n *yaml.Node, what string) bool {
	if isNull(n) {
		return false
	}
	if n.Kind == yaml.ScalarNode {
		switch strings.ToLower(strings.TrimSpace(n.Value)) {
		case "true", "yes":
			return true
		case "false", "no":
			return false
		}
	}
	p.problem(n.Line, "%s: %q is not true or false", what, shortValue(n.Value))
	return false
}

func (p *cbParser) columns(n *yaml.Node) {
	p.cb.Columns = p.listMap(n, "columns", "columns must be a mapping of logical name to raw column names")
}

// listMap reads a mapping of names to lists of strings (columns:,
// levels:), recording each key's line; shape is the message for a value
// that is not a mapping.
func (p *cbParser) listMap(n *yaml.Node, key, shape string) map[string][]string {
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		p.problem(n.Line, "%s", shape)
		return nil
	}
	m := map[string][]string{}
	p.pairs(n, key, func(name string, k, v *yaml.Node) {
		p.cb.lines[key+"."+name] = k.Line
		m[name] = p.strList(v, fmt.Sprintf("%s: %q", key, name))
	})
	return m
}

func (p *cbParser) design(n *yaml.Node) {
	if isNull(n) {
		return
	}
	if n.Kind != yaml.MappingNode {
		p.problem(n.Line, "design must be a mapping with keys such as weight: and strata:")
		return
	}
	d := &p.cb.Design
	p.pairs(n, "design", func(key string, k, v *yaml.Node) {
		p.cb.lines["design."+key] = k.Line
		var dst *string
		switch key {
		case "id":
			dst = &d.ID
		case "weight":
			dst = &d.Weight
		case "strata":
			dst = &d.Strata
		case "psu":
			dst = &d.PSU
		case "fpc":
			dst = &d.FPC
		case "id_scope":
			s, ok := p.str(v, "design: id_scope")
			if ok && s != "" && s != "study" && s != "file" {
				p.problem(v.Line, "design: id_scope is %q; want study (ids unique across the files, the default) or file (each file numbers its respondents afresh, as waves whose ids restart at 1)", s)
				return
			}
			d.IDScope = s
			return
		default:
			p.unknownKey(k, "design", designKeys())
			return
		}
		*dst, _ = p.str(v, "design: "+key)
	})
}

func (p *cbParser) constructs(n *yaml.Node) {
	if isNull(n) {
		return
	}
	if n.Kind != yaml.MappingNode {
		p.problem(n.Line, "constructs must be a mapping of construct name to its definition")
		return
	}
	p.cb.Constructs = map[string]ConstructDef{}
	p.pairs(n, "constructs", func(name string, k, v *yaml.Node) {
		p.cb.lines["constructs."+name] = k.Line
		p.cb.ConstructOrder = append(p.cb.ConstructOrder, name)
		p.cb.Constructs[name] = p.construct(name, v)
	})
}

func (p *cbParser) construct(name string, n *yaml.Node) ConstructDef {
	var def ConstructDef
	if n.Kind != yaml.MappingNode {
		p.problem(n.Line, "construct %q must be a mapping with items: (and optionally values, scale, reverse, score, flag, min_items)", name)
		return def
	}
	where := fmt.Sprintf("construct %q", name)
	p.pairs(n, where, func(key string, k, v *yaml.Node) {
		p.cb.lines["constructs."+name+"."+key] = k.Line
		what := where + ": " + key
		switch key {
		case "items":
			def.Items = p.strList(v, what)
		case "values":
			def.Values = p.values(v, what)
		case "scale":
			if isNull(v) {
				return
			}
			if v.Kind != yaml.SequenceNode {
				p.problem(v.Line, "%s must be a list of two numbers, [min, max]", what)
				// Empty but not nil: the scale was given, and is invalid.
				def.Scale = []float64{}
				return
			}
			def.Scale = []float64{}
			ok := true
			for _, e := range v.Content {
				x, isNum := p.number(deref(e), what)
				ok = ok && isNum
				def.Scale = append(def.Scale, x)
			}
			if !ok {
				def.Scale = []float64{}
			}
		case "reverse":
			def.Reverse = p.strList(v, what)
		case "score":
			def.Score, _ = p.str(v, what)
		case "flag":
			def.Flag, _ = p.str(v, what)
		case "min_items":
			def.MinItems = p.integer(v, what)
		case "label":
			def.Label, _ = p.str(v, what)
		default:
			p.unknownKey(k, where, constructKeys())
		}
	})
	return def
}

// values reads a mapping of text answer to number.
func (p *cbParser) values(n *yaml.Node, what string) map[string]float64 {
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		p.problem(n.Line, "%s must be a mapping of answer text to number", what)
		return nil
	}
	out := map[string]float64{}
	p.pairs(n, what, func(key string, k, v *yaml.Node) {
		if x, ok := p.number(v, fmt.Sprintf("%s: %q", what, shortValue(key))); ok {
			out[key] = x
		}
	})
	return out
}

// constructNames returns the constructs in codebook order: ConstructOrder,
// then any construct it does not list (a codebook built in code) by name.
func (cb *Codebook) constructNames() []string {
	names := make([]string, 0, len(cb.Constructs))
	listed := map[string]bool{}
	for _, n := range cb.ConstructOrder {
		if _, ok := cb.Constructs[n]; ok && !listed[n] {
			names = append(names, n)
			listed[n] = true
		}
	}
	var rest []string
	for n := range cb.Constructs {
		if !listed[n] {
			rest = append(rest, n)
		}
	}
	sort.Strings(rest)
	return append(names, rest...)
}

// line returns the YAML line of a key path, or 0 for a codebook built in code.
func (cb *Codebook) line(path string) int {
	return cb.lines[path]
}

func (cb *Codebook) fileName() string {
	if cb.name == "" {
		return "codebook"
	}
	return cb.name
}

// check applies the format's rules that the struct alone shows, so that a
// codebook built or changed in code is checked as strictly as a parsed one.
func (cb *Codebook) check() []Problem {
	var out []Problem
	add := func(path, format string, args ...any) {
		out = append(out, Problem{File: cb.fileName(), Line: cb.line(path), Msg: fmt.Sprintf(format, args...)})
	}
	if cb.HeaderRows < 0 || cb.HeaderRows > 2 {
		add("header_rows", "header_rows must be 1 or 2, not %d", cb.HeaderRows)
	}
	logical := make([]string, 0, len(cb.Columns))
	for name := range cb.Columns {
		logical = append(logical, name)
	}
	sort.Strings(logical)
	for _, name := range logical {
		path := "columns." + name
		if strings.TrimSpace(name) == "" {
			add(path, "columns: a logical name is empty")
		}
		raws := cb.Columns[name]
		if len(raws) == 0 {
			add(path, "columns: %q lists no raw column names", name)
		}
		for _, r := range raws {
			if strings.TrimSpace(r) == "" {
				add(path, "columns: %q lists an empty raw column name", name)
			}
		}
	}
	seenSeg := map[string]bool{}
	for _, s := range cb.Segments {
		if strings.TrimSpace(s) == "" {
			add("segments", "segments: a segment name is empty")
		} else if seenSeg[s] {
			add("segments", "segments: %q is listed twice", s)
		}
		seenSeg[s] = true
	}
	for _, name := range cb.constructNames() {
		out = append(out, cb.checkConstruct(name, cb.Constructs[name])...)
	}
	out = append(out, cb.checkBands()...)
	return append(out, cb.checkReport()...)
}

func (cb *Codebook) checkConstruct(name string, def ConstructDef) []Problem {
	var out []Problem
	base := "constructs." + name
	add := func(key, format string, args ...any) {
		line := cb.line(base + "." + key)
		if line == 0 {
			line = cb.line(base)
		}
		msg := fmt.Sprintf("construct %q: ", name) + fmt.Sprintf(format, args...)
		out = append(out, Problem{File: cb.fileName(), Line: line, Msg: msg})
	}
	if strings.TrimSpace(name) == "" {
		add("", "a construct name is empty")
	}
	if len(def.Items) == 0 {
		add("items", "items: lists no items")
	}
	isItem := map[string]bool{}
	for _, it := range def.Items {
		switch {
		case strings.TrimSpace(it) == "":
			add("items", "items: an item name is empty")
		case isItem[it]:
			add("items", "items: %q is listed twice", it)
		}
		isItem[it] = true
	}
	for answer, x := range def.Values {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			add("values", "values: %q maps to %v; values must be finite numbers", shortValue(answer), x)
		}
	}
	scaleOK := validScale(def.Scale)
	if def.Scale != nil && !scaleOK {
		add("scale", "scale must be two numbers [min, max] with min < max")
	}
	if len(def.Reverse) > 0 && def.Scale == nil {
		add("reverse", "reverse needs scale: [min, max] to reverse-code items")
	}
	for _, r := range def.Reverse {
		if !isItem[r] {
			add("reverse", "reverse: %q is not one of the items", r)
		}
	}
	switch def.Score {
	case "", "mean", "sum", "count":
	default:
		add("score", "score %q is not one of mean, sum, count%s", shortValue(def.Score), suggestWord(def.Score, []string{"mean", "sum", "count"}))
	}
	if def.Flag != "" {
		if _, err := ParseFlag(def.Flag); err != nil {
			add("flag", "flag %q: %v", shortValue(def.Flag), err)
		}
	}
	if def.MinItems != 0 && (def.MinItems < 1 || def.MinItems > len(def.Items)) {
		add("min_items", "min_items is %d; it must be between 1 and the number of items (%d)", def.MinItems, len(def.Items))
	}
	return out
}

func validScale(s []float64) bool {
	return len(s) == 2 && !math.IsNaN(s[0]) && !math.IsNaN(s[1]) &&
		!math.IsInf(s[0], 0) && !math.IsInf(s[1], 0) && s[0] < s[1]
}

// suggestWord is suggestKey for a value rather than a key.
func suggestWord(w string, valid []string) string {
	s := suggestKey(w, valid)
	if strings.HasPrefix(s, "; did you mean") {
		return s
	}
	return ""
}

// problems returns every problem of cb: those found while parsing
// its YAML and those its content shows.
// They are in line order, so that a listing reads top to bottom.
func (cb *Codebook) problems() []Problem {
	out := append(append([]Problem(nil), cb.parseProblems...), cb.check()...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	// One cause found twice (an item listed three times) is said once.
	seen := map[Problem]bool{}
	kept := out[:0]
	for _, p := range out {
		if !seen[p] {
			seen[p] = true
			kept = append(kept, p)
		}
	}
	return kept
}
