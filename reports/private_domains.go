package reports

import (
	"fmt"
	"slices"

	"github.com/trustgap/trustgap/survey"
)

// OtherLevel names the level a private report pools the respondents into
// whose region or segment level the codebook does not declare.
const OtherLevel = "Other"

// DeclaredLevels collects, for the region and every segment of ds, the
// levels the codebook fixes before fieldwork (see
// survey.Codebook.DeclaredLevels), keyed by column name: what
// StudyOptions.DeclaredLevels wants for a private report.
func DeclaredLevels(cb *survey.Codebook, ds *survey.Dataset) map[string][]string {
	out := map[string][]string{}
	cols := slices.Clone(ds.Segments)
	if ds.Region != nil {
		cols = append(cols, ds.Region)
	}
	for _, c := range cols {
		if l := cb.DeclaredLevels(c.Name); len(l) > 0 {
			out[c.Name] = l
		}
	}
	return out
}

// privateDomains is the dataset a differentially private report analyses:
// its region and segments recoded to the levels declared before fieldwork
// (declared, by column name), in that order, every one released whether
// anyone has it or not, plus OtherLevel pooling the respondents whose
// level is not declared, always released too. So the levels a private
// report names, and how many cells it releases, do not depend on who
// answered. A column with no declared levels is left out, with the reason
// (returned for Methodology and the console). ds is not changed: the
// recoded columns are new.
func privateDomains(ds *survey.Dataset, declared map[string][]string) (*survey.Dataset, []KeyValue) {
	var out []KeyValue
	cp := *ds
	recode := func(c *survey.Column, what string) *survey.Column {
		levels := declared[c.Name]
		if len(levels) == 0 {
			out = append(out, KeyValue{Key: "Breakdown by " + c.Name, Value: fmt.Sprintf("a differentially private report publishes only levels fixed before fieldwork, and the codebook declares none for the %s column %q: list its levels under levels: (or cut it into bands:) to publish it", what, c.Name)})
			return nil
		}
		return privateColumn(c, levels)
	}
	cp.Region = nil
	if ds.Region != nil {
		cp.Region = recode(ds.Region, "region")
	}
	cp.Segments = nil
	for _, c := range ds.Segments {
		if r := recode(c, "segment"); r != nil {
			cp.Segments = append(cp.Segments, r)
		}
	}
	// Columns keeps the original columns for anything else; the report's
	// breakdowns read Region and Segments.
	return &cp, out
}

// privateColumn recodes c to the levels declared, then one pooling the
// rest (OtherLevel, or "Other (not declared)" if a declared level is
// named Other); missing answers stay missing.
func privateColumn(c *survey.Column, declared []string) *survey.Column {
	index := make(map[string]int32, len(declared))
	levels := make([]string, 0, len(declared)+1)
	for _, l := range declared {
		if _, ok := index[l]; !ok {
			index[l] = int32(len(levels))
			levels = append(levels, l)
		}
	}
	other := OtherLevel
	if _, ok := index[other]; ok {
		other = OtherLevel + " (not declared)"
	}
	otherCode := int32(len(levels))
	levels = append(levels, other)
	remap := make([]int32, len(c.Levels))
	for k, l := range c.Levels {
		if j, ok := index[l]; ok {
			remap[k] = j
		} else {
			remap[k] = otherCode
		}
	}
	codes := make([]int32, len(c.Codes))
	for i, k := range c.Codes {
		codes[i] = -1
		if k >= 0 && int(k) < len(remap) {
			codes[i] = remap[k]
		}
	}
	return &survey.Column{Name: c.Name, Raw: c.Raw, Label: c.Label, Codes: codes, Levels: levels}
}
