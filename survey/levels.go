package survey

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

// levels reads `levels: {COLUMN: [LEVEL, ...]}`.
func (p *cbParser) levels(n *yaml.Node) {
	p.cb.Levels = p.listMap(n, "levels", "levels must be a mapping of column name to its levels in order, such as {generation: [Gen Z, Millennials]}")
}

// labels reads `labels: {COLUMN: "question text"}`.
func (p *cbParser) labels(n *yaml.Node) {
	if isNull(n) {
		return
	}
	if n.Kind != yaml.MappingNode {
		p.problem(n.Line, "labels must be a mapping of column name to its question text")
		return
	}
	p.cb.Labels = map[string]string{}
	p.pairs(n, "labels", func(name string, k, v *yaml.Node) {
		p.cb.lines["labels."+name] = k.Line
		p.cb.Labels[name], _ = p.str(v, fmt.Sprintf("labels: %q", name))
	})
}

// applyLevelsAndLabels orders categorical levels as the codebook's levels:
// says and sets the labels: gives. Names not loaded are ignored: a
// codebook can serve studies that lack some columns.
func (cb *Codebook) applyLevelsAndLabels(cols map[string]*Column) {
	for name, order := range cb.Levels {
		if c := cols[name]; c != nil && c.Codes != nil {
			orderLevelsAs(c, order)
		}
	}
	for name, label := range cb.Labels {
		if c := cols[name]; c != nil {
			c.Label = label
		}
	}
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
