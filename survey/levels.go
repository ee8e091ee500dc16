package survey

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// levels reads `levels: {COLUMN: [LEVEL, ...]}`.
func (p *cbParser) levels(n *yaml.Node) {
	p.cb.Levels = p.listMap(n, "levels", "levels must be a mapping of column name to its levels in order, such as {generation: [Gen Z, Millennials]}")
}

// labels reads `labels:`: NAME: "text" gives a column its question text or
// a region/segment level its display name; COLUMN: {LEVEL: name, ...}
// names the levels of one column.
func (p *cbParser) labels(n *yaml.Node) {
	if isNull(n) {
		return
	}
	if n.Kind != yaml.MappingNode {
		p.problem(n.Line, "labels must be a mapping of column name to its question text, or of level to its name (DE: Germany)")
		return
	}
	p.cb.Labels = map[string]string{}
	p.pairs(n, "labels", func(name string, k, v *yaml.Node) {
		p.cb.lines["labels."+name] = k.Line
		if v.Kind != yaml.MappingNode {
			p.cb.Labels[name], _ = p.str(v, fmt.Sprintf("labels: %q", name))
			return
		}
		if p.cb.LevelLabels == nil {
			p.cb.LevelLabels = map[string]map[string]string{}
		}
		m := map[string]string{}
		where := fmt.Sprintf("labels: %q", name)
		p.pairs(v, where, func(level string, lk, lv *yaml.Node) {
			p.cb.lines["labels."+name+"."+level] = lk.Line
			m[level], _ = p.str(lv, fmt.Sprintf("%s: %q", where, level))
		})
		p.cb.LevelLabels[name] = m
	})
}

// bands reads `bands: {COLUMN: [LOWER BOUND, ...]}`.
func (p *cbParser) bands(n *yaml.Node) {
	if isNull(n) {
		return
	}
	if n.Kind != yaml.MappingNode {
		p.problem(n.Line, "bands must be a mapping of column name to the lower bounds of its bands, such as {age: [18, 25, 35, 45, 55, 65]}")
		return
	}
	p.cb.Bands = map[string][]float64{}
	p.pairs(n, "bands", func(name string, k, v *yaml.Node) {
		p.cb.lines["bands."+name] = k.Line
		what := fmt.Sprintf("bands: %q", name)
		if v.Kind != yaml.SequenceNode {
			p.problem(v.Line, "%s must be a list of lower bounds, such as [18, 25, 35]", what)
			p.cb.Bands[name] = []float64{}
			return
		}
		cuts := []float64{}
		for _, e := range v.Content {
			x, ok := p.number(deref(e), what)
			if !ok {
				return
			}
			cuts = append(cuts, x)
		}
		p.cb.Bands[name] = cuts
	})
}

// checkBands is check's part for bands: (the struct alone shows it).
func (cb *Codebook) checkBands() []Problem {
	var out []Problem
	for _, name := range sortedKeys(cb.Bands) {
		cuts := cb.Bands[name]
		add := func(format string, args ...any) {
			out = append(out, Problem{File: cb.fileName(), Line: cb.line("bands." + name), Msg: fmt.Sprintf("bands: %q: ", name) + fmt.Sprintf(format, args...)})
		}
		if len(cuts) == 0 {
			add("lists no bounds; give the lower bound of each band, such as [18, 25, 35, 45, 55, 65]")
			continue
		}
		for i, x := range cuts {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				add("bounds must be finite numbers")
				break
			}
			if i > 0 && x <= cuts[i-1] {
				add("bounds must increase: %s comes after %s", fmtNum(x), fmtNum(cuts[i-1]))
				break
			}
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// BandLabels returns the level names of the bands that start at cuts:
// "under 18" for values below the first bound, then "18–24", …, "65+".
// With whole-number bounds a band [a, b) is written a–(b−1) (one number
// when b = a+1); otherwise "a to under b".
func BandLabels(cuts []float64) []string {
	if len(cuts) == 0 {
		return nil
	}
	whole := true
	for _, c := range cuts {
		whole = whole && c == math.Trunc(c) && math.Abs(c) < 1e15
	}
	out := []string{"under " + fmtNum(cuts[0])}
	for i, lo := range cuts {
		switch {
		case i == len(cuts)-1:
			out = append(out, fmtNum(lo)+"+")
		case whole && cuts[i+1]-1 == lo:
			out = append(out, fmtNum(lo))
		case whole:
			out = append(out, fmtNum(lo)+"–"+fmtNum(cuts[i+1]-1))
		default:
			out = append(out, fmtNum(lo)+" to under "+fmtNum(cuts[i+1]))
		}
	}
	return out
}

// bandOf returns the index into BandLabels(cuts) of x.
func bandOf(x float64, cuts []float64) int {
	// The number of bounds <= x: 0 is "under cuts[0]".
	return sort.Search(len(cuts), func(i int) bool { return cuts[i] > x })
}

// applyBands recodes a categorical column of numbers into its bands,
// in band order; bands no respondent falls in are left out. Levels that
// are not numbers stay after the bands (loading reports them).
func applyBands(c *Column, cuts []float64) {
	labels := BandLabels(cuts)
	used := make([]bool, len(labels))
	bandOfLevel := make([]int, len(c.Levels))
	var other []int
	for k, l := range c.Levels {
		x, ok := parseDecimal(l, false)
		if !ok {
			bandOfLevel[k] = -1
			other = append(other, k)
			continue
		}
		bandOfLevel[k] = bandOf(x, cuts)
		used[bandOfLevel[k]] = true
	}
	newCode := make([]int32, len(labels))
	var levels []string
	for b, l := range labels {
		if used[b] {
			newCode[b] = int32(len(levels))
			levels = append(levels, l)
		}
	}
	remap := make([]int32, len(c.Levels))
	for k, b := range bandOfLevel {
		if b >= 0 {
			remap[k] = newCode[b]
		}
	}
	for _, k := range other {
		remap[k] = int32(len(levels))
		levels = append(levels, c.Levels[k])
	}
	for i, k := range c.Codes {
		if k >= 0 {
			c.Codes[i] = remap[k]
		}
	}
	c.Levels = levels
}

// applyLevelsAndLabels bands, orders and names categorical levels and sets
// item labels as the codebook says. Names not loaded are skipped: a
// codebook can serve studies whose analyses load some of its columns only
// (checkKeys reports names that match nothing).
func (cb *Codebook) applyLevelsAndLabels(cols map[string]*Column, region string, segments []string) {
	for name, cuts := range cb.Bands {
		if c := cols[name]; c != nil && c.Codes != nil && len(cuts) > 0 {
			applyBands(c, cuts)
		}
	}
	for name, order := range cb.Levels {
		if c := cols[name]; c != nil && c.Codes != nil {
			orderLevelsAs(c, order)
		}
	}
	// Level names: the column's own first, then flat ones for the region
	// and segments (a flat key that is a column is an item label).
	for name, c := range cols {
		if c.Codes == nil {
			continue
		}
		own := cb.LevelLabels[name]
		flat := name == region || slices.Contains(segments, name)
		for k, l := range c.Levels {
			if to, ok := own[l]; ok {
				c.Levels[k] = CleanLabel(to)
			} else if to, ok := cb.Labels[l]; ok && flat && cols[l] == nil && !cb.isName(l) {
				c.Levels[k] = CleanLabel(to)
			}
		}
	}
	for name, label := range cb.Labels {
		if c := cols[name]; c != nil {
			c.Label = CleanLabel(label)
		}
	}
}

// isName reports whether name is one the codebook gives a column: a
// logical column, a construct item, a design column, the region or a
// segment.
func (cb *Codebook) isName(name string) bool {
	if _, ok := cb.Columns[name]; ok {
		return true
	}
	d := cb.Design
	if name == d.ID || name == d.Weight || name == d.Strata || name == d.PSU || name == d.FPC || name == cb.Region || slices.Contains(cb.Segments, name) {
		return name != ""
	}
	for _, def := range cb.Constructs {
		if slices.Contains(def.Items, name) {
			return true
		}
	}
	return false
}

// checkKeys reports the levels:, labels: and bands: keys that match
// nothing once the files are read: a key that is no codebook name, no
// header of any file and (for labels:) no level of the region or a
// segment; a level listed for a column that has a close but different
// one (a typo); a banded column with answers that are not numbers.
func (l *loader) checkKeys() {
	cb := l.cb
	if len(cb.Levels)+len(cb.Labels)+len(cb.LevelLabels)+len(cb.Bands) == 0 {
		return
	}
	add := func(path, format string, args ...any) {
		l.problems.add(Problem{File: cb.fileName(), Line: cb.line(path), Msg: fmt.Sprintf(format, args...)})
	}
	inHeader := func(name string) bool {
		for _, h := range l.headers {
			if idx, err := resolveColumn(h, []string{name}); idx >= 0 || err != nil {
				return true
			}
		}
		return false
	}
	known := func(name string) bool { return cb.isName(name) || l.byName[name] != nil || inHeader(name) }
	// The loaded categorical columns' levels, after banding.
	levelsOf := func(name string) ([]string, bool) {
		b := l.byName[name]
		if b == nil || !b.found || b.noDict || b.skip || !(b.cat || !b.numeric) {
			return nil, false
		}
		if cuts, ok := cb.Bands[name]; ok && len(cuts) > 0 {
			c := &Column{Levels: slices.Clone(b.levels)}
			applyBands(c, cuts)
			return c.Levels, true
		}
		return b.levels, true
	}
	names := l.knownNames()

	for _, name := range sortedKeys(cb.Bands) {
		if !known(name) {
			add("bands."+name, "bands: %q matches no column%s", shortValue(name), suggestFrom(name, names))
			continue
		}
		b := l.byName[name]
		if b == nil || !b.found || b.noDict || b.skip {
			continue
		}
		var bad []string
		for _, lv := range b.levels {
			if _, ok := parseDecimal(lv, false); !ok {
				bad = append(bad, lv)
			}
		}
		if len(bad) > 0 {
			add("bands."+name, "bands: %q has answers that are not numbers (%s); list them under missing: or give the column without bands:", shortValue(name), levelList(bad))
		}
	}

	for _, name := range sortedKeys(cb.Levels) {
		if !known(name) {
			add("levels."+name, "levels: %q matches no column%s", shortValue(name), suggestFrom(name, names))
			continue
		}
		if b := l.byName[name]; b != nil && b.found && !b.cat && b.numeric && len(b.levels) > 0 {
			add("levels."+name, "levels: %q holds numbers and is not a region or segment; levels order categorical columns (bands: groups numbers)", shortValue(name))
			continue
		}
		have, ok := levelsOf(name)
		if !ok {
			continue
		}
		for _, want := range cb.Levels[name] {
			if slices.Contains(have, want) {
				continue
			}
			if near := nearestWord(want, have); near != "" {
				add("levels."+name, "levels: %q lists %q, which no respondent has; did you mean %q?", shortValue(name), shortValue(want), shortValue(near))
			}
		}
	}

	// Flat labels: a column, else a level of the region or a segment.
	flatLevels := map[string]bool{}
	var flatList []string
	for _, name := range append([]string{cb.Region}, cb.Segments...) {
		lv, _ := levelsOf(name)
		for _, x := range lv {
			if !flatLevels[x] {
				flatLevels[x] = true
				flatList = append(flatList, x)
			}
		}
	}
	for _, name := range sortedKeys(cb.Labels) {
		if _, isConstruct := cb.Constructs[name]; isConstruct && !known(name) {
			add("labels."+name, "labels: %q is a construct; name a construct with label: in its definition (%s: {label: ..., items: ...}); labels: names columns (question text) and levels of the region or a segment (DE: Germany)", shortValue(name), name)
			continue
		}
		if known(name) || flatLevels[name] {
			continue
		}
		add("labels."+name, "labels: %q is neither a column nor a level of the region or a segment%s", shortValue(name), suggestFrom(name, append(append([]string(nil), names...), flatList...)))
	}
	for _, name := range sortedKeys(cb.LevelLabels) {
		if !known(name) {
			add("labels."+name, "labels: %q matches no column%s", shortValue(name), suggestFrom(name, names))
			continue
		}
		have, ok := levelsOf(name)
		if !ok {
			if b := l.byName[name]; b != nil && b.found {
				add("labels."+name, "labels: %q holds numbers, not levels to name; give it bands: or load it as a segment", shortValue(name))
			}
			continue
		}
		renamed := map[string]string{}
		for _, lv := range have {
			to := lv
			if t, ok := cb.LevelLabels[name][lv]; ok {
				to = t
			}
			if first, dup := renamed[to]; dup {
				add("labels."+name, "labels: %q: levels %q and %q would both be called %q", shortValue(name), shortValue(first), shortValue(lv), shortValue(to))
			}
			renamed[to] = lv
		}
		for _, lv := range sortedKeys(cb.LevelLabels[name]) {
			if !slices.Contains(have, lv) {
				add("labels."+name+"."+lv, "labels: %q: no respondent has the level %q (levels: %s)%s", shortValue(name), shortValue(lv), levelList(have), suggestFrom(lv, have))
			}
		}
	}
}

// knownNames lists the names a key may take, for suggestions.
func (l *loader) knownNames() []string {
	var out []string
	for _, b := range l.cols {
		out = append(out, b.name)
	}
	out = append(out, sortedKeys(l.cb.Columns)...)
	return out
}

// suggestFrom is "; did you mean "x"?" for a close name, else "".
func suggestFrom(name string, names []string) string {
	if near := nearestWord(name, names); near != "" {
		return fmt.Sprintf("; did you mean %q?", shortValue(near)) + lookAlike(name, near)
	}
	return lookAlike(name, "")
}

// nearestWord returns the name closest to w (ignoring case) within about
// one edit in four, or "".
func nearestWord(w string, names []string) string {
	best, bestD := "", -1
	lw := strings.ToLower(strings.TrimSpace(w))
	for _, n := range names {
		d := editDistance(lw, strings.ToLower(strings.TrimSpace(n)))
		if d <= max(1, len([]rune(lw))/4) && (bestD < 0 || d < bestD) {
			best, bestD = n, d
		}
	}
	return best
}

// orderLevelsAs puts the listed levels first, in order, then the others
// in their current order.
func orderLevelsAs(c *Column, listed []string) {
	pos := make(map[string]int, len(c.Levels))
	for i, l := range c.Levels {
		pos[l] = i
	}
	used := make([]bool, len(c.Levels))
	order := make([]int, 0, len(c.Levels))
	for _, l := range listed {
		if i, ok := pos[l]; ok && !used[i] {
			used[i] = true
			order = append(order, i)
		}
	}
	for i := range c.Levels {
		if !used[i] {
			order = append(order, i)
		}
	}
	reorderLevels(c, order)
}

// label is the codebook's label for column name, else fallback.
func (cb *Codebook) label(name, fallback string) string {
	if l, ok := cb.Labels[name]; ok {
		return l
	}
	return fallback
}

// DeclaredLevels returns the levels of column name that the codebook fixes
// before any data are read, named as a loaded column names them: the
// levels listed under levels: first, in that order, then the band labels
// of bands: not listed there, each renamed by labels: as loading renames
// it. It is nil when the codebook declares no levels for the column. A
// differentially private report publishes exactly these levels, whoever
// answered, so that which levels appear does not depend on the data.
func (cb *Codebook) DeclaredLevels(name string) []string {
	listed := cb.Levels[name]
	var bands []string
	if cuts := cb.Bands[name]; len(cuts) > 0 {
		bands = BandLabels(cuts)
	}
	if len(listed) == 0 && len(bands) == 0 {
		return nil
	}
	own := cb.LevelLabels[name]
	flat := name == cb.Region || slices.Contains(cb.Segments, name)
	seen := map[string]bool{}
	var out []string
	for _, l := range slices.Concat(listed, bands) {
		l = CleanLabel(l)
		if to, ok := own[l]; ok {
			l = CleanLabel(to)
		} else if to, ok := cb.Labels[l]; ok && flat && !cb.isName(l) {
			l = CleanLabel(to)
		}
		if l != "" && !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	return out
}
