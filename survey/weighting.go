package survey

import (
	"fmt"
	"io"
	"math"

	"gopkg.in/yaml.v3"
)

// WeightingDef is a calibration of the design to population margins: the
// codebook's weighting: block,
//
//	weighting:
//	  rake:                  # population shares per margin
//	    region: {North: 0.35, South: 0.3, West: 0.35}
//	    generation: {Gen Z: 0.2, Millennials: 0.3, Gen X: 0.3, Boomers: 0.2}
//	  bounds: [0.35, 12]     # optional: bounded raking, limits as multiples of the mean input weight
//
// or a targets file (ParseTargets). Margins keep the order written: R's
// rake() variance sweeps them in that order.
type WeightingDef struct {
	Rake []MarginDef
	// Bounds, when set, holds the lower and upper limits of the
	// calibrated weights as multiples of the mean input weight.
	Bounds []float64
	// Total is the population size; 0 means the sum of the input weights.
	Total float64
}

// MarginDef is one margin: a categorical column and the population share
// of each of its levels, in the order written.
type MarginDef struct {
	Column string
	Levels []string
	Shares []float64
}

// Columns names the margins' columns.
func (w *WeightingDef) Columns() []string {
	out := make([]string, 0, len(w.Rake))
	for _, m := range w.Rake {
		out = append(out, m.Column)
	}
	return out
}

// Share returns the share of level in margin m, and whether it has one.
func (m MarginDef) Share(level string) (float64, bool) {
	for k, l := range m.Levels {
		if l == level {
			return m.Shares[k], true
		}
	}
	return 0, false
}

// weighting reads the codebook's weighting: block.
func (p *cbParser) weighting(n *yaml.Node) {
	if isNull(n) {
		return
	}
	if n.Kind != yaml.MappingNode {
		p.problem(n.Line, "weighting must be a mapping with rake: (population shares per margin) and optionally bounds: [low, high]")
		return
	}
	w := &WeightingDef{}
	p.pairs(n, "weighting", func(key string, k, v *yaml.Node) {
		p.cb.lines["weighting."+key] = k.Line
		switch key {
		case "rake":
			w.Rake = p.margins(v, "weighting: rake")
		case "bounds":
			w.Bounds = p.bounds(v)
		default:
			p.unknownKey(k, "weighting", []string{"rake", "bounds"})
		}
	})
	if len(w.Rake) == 0 {
		p.problem(n.Line, "weighting: needs rake: with the population shares of at least one margin, e.g. rake: {region: {North: 0.4, South: 0.6}}")
		return
	}
	p.cb.Weighting = w
}

// margins reads {COLUMN: {LEVEL: share, ...}, ...} in the order written.
func (p *cbParser) margins(n *yaml.Node, what string) []MarginDef {
	if n.Kind != yaml.MappingNode {
		p.problem(n.Line, "%s must map each column to its levels' population shares, e.g. region: {North: 0.4, South: 0.6}", what)
		return nil
	}
	var out []MarginDef
	p.pairs(n, what, func(col string, _, v *yaml.Node) {
		if v.Kind != yaml.MappingNode {
			p.problem(v.Line, "%s: %s must map each level to its population share, e.g. {North: 0.4, South: 0.6}", what, col)
			return
		}
		m := MarginDef{Column: col}
		sum := 0.0
		p.pairs(v, what+": "+col, func(level string, _, s *yaml.Node) {
			x, ok := p.number(s, what+": "+col+": "+level)
			if !ok {
				return
			}
			if !(x >= 0) || math.IsInf(x, 0) {
				p.problem(s.Line, "%s: %s: the share of %q is %v; shares are fractions between 0 and 1", what, col, level, x)
				return
			}
			m.Levels = append(m.Levels, level)
			m.Shares = append(m.Shares, x)
			sum += x
		})
		if len(m.Levels) > 0 && math.Abs(sum-1) > 1e-6 {
			p.problem(v.Line, "%s: the shares of %s sum to %v; they must sum to 1", what, col, sum)
			return
		}
		out = append(out, m)
	})
	return out
}

// bounds reads [low, high] with 0 < low < 1 < high.
func (p *cbParser) bounds(n *yaml.Node) []float64 {
	if n.Kind != yaml.SequenceNode || len(n.Content) != 2 {
		p.problem(n.Line, "weighting: bounds must be [low, high], multiples of the mean input weight such as [0.3, 5]")
		return nil
	}
	lo, ok1 := p.number(deref(n.Content[0]), "weighting: bounds")
	hi, ok2 := p.number(deref(n.Content[1]), "weighting: bounds")
	if !ok1 || !ok2 {
		return nil
	}
	if !(lo > 0 && lo < 1 && hi > 1) || math.IsInf(hi, 0) {
		p.problem(n.Line, "weighting: bounds [%v, %v] must have 0 < low < 1 < high (multiples of the mean input weight)", lo, hi)
		return nil
	}
	return []float64{lo, hi}
}

// ParseTargets reads a targets file (the --targets of weight and of the
// analyses):
//
//	margins:
//	  region: {North: 0.35, South: 0.3, West: 0.35}
//	total: 10000   # optional population size; default the sum of the weights
//	bounds: [0.35, 12]  # optional, as the codebook's weighting: bounds
//
// The error lists every problem, each naming name and its line.
func ParseTargets(r io.Reader, name string) (*WeightingDef, error) {
	var root yaml.Node
	if err := yaml.NewDecoder(r).Decode(&root); err != nil {
		if err == io.EOF {
			return nil, fmt.Errorf("targets %s: the file is empty (want margins: {COLUMN: {LEVEL: share, ...}})", name)
		}
		return nil, fmt.Errorf("targets %s: %w", name, err)
	}
	cb := &Codebook{name: name, lines: map[string]int{}}
	p := &cbParser{cb: cb}
	doc := &root
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		doc = deref(doc.Content[0])
	}
	w := &WeightingDef{}
	if doc.Kind != yaml.MappingNode {
		p.problem(doc.Line, "a targets file is a mapping with margins: {COLUMN: {LEVEL: share, ...}}")
	} else {
		p.pairs(doc, "the targets file", func(key string, k, v *yaml.Node) {
			switch key {
			case "margins":
				w.Rake = p.margins(v, "margins")
			case "total":
				x, ok := p.number(v, "total")
				if ok && (!(x > 0) || math.IsInf(x, 0)) {
					p.problem(v.Line, "total %v must be a positive population size", x)
				}
				w.Total = x
			case "bounds":
				w.Bounds = p.bounds(v)
			default:
				p.unknownKey(k, "the targets file", []string{"margins", "total", "bounds"})
			}
		})
		if len(w.Rake) == 0 && len(cb.parseProblems) == 0 {
			p.problem(doc.Line, "no margins (want margins: {COLUMN: {LEVEL: share, ...}})")
		}
	}
	if len(cb.parseProblems) > 0 {
		return nil, &ProblemsError{Problems: cb.parseProblems}
	}
	return w, nil
}
