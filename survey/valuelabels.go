package survey

// applyValueLabels names a categorical column's levels by the value
// labels its file declares (SPSS). Levels that are all numbers (codes)
// keep their numeric order, labelled or not, so a scale labelled only at
// its ends stays in order; text levels put the labelled values first, in
// the order of the labels, then the others as they were. Two
// values with the same label become one level, as they would be read from
// a file that wrote the labels out; a label equal to another value's text
// likewise.
func applyValueLabels(c *Column, labels []ValueLabel) {
	if len(labels) == 0 || len(c.Levels) == 0 {
		return
	}
	if _, numeric := numericLevels(c.Levels); numeric {
		sortLevelsNumerically(c)
		renameLevels(c, labels)
		return
	}
	pos := make(map[string]int, len(c.Levels))
	for i, l := range c.Levels {
		pos[l] = i
	}
	order := make([]int, 0, len(c.Levels))
	used := make([]bool, len(c.Levels))
	for _, vl := range labels {
		if i, ok := pos[vl.Value]; ok && !used[i] {
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
	renameLevels(c, labels)
}

// renameLevels names levels by their labels, merging levels that end up
// with the same name.
func renameLevels(c *Column, labels []ValueLabel) {
	name := make(map[string]string, len(labels))
	for _, vl := range labels {
		if vl.Label != "" {
			name[vl.Value] = vl.Label
		}
	}
	// Rename, merging levels that end up with the same name.
	remap := make([]int32, len(c.Levels))
	var levels []string
	index := map[string]int32{}
	merged := false
	for i, l := range c.Levels {
		n, ok := name[l]
		if !ok {
			n = l
		}
		k, seen := index[n]
		if !seen {
			k = int32(len(levels))
			index[n] = k
			levels = append(levels, n)
		} else {
			merged = true
		}
		remap[i] = k
	}
	if merged {
		for i, k := range c.Codes {
			if k >= 0 {
				c.Codes[i] = remap[k]
			}
		}
	}
	c.Levels = levels
}
