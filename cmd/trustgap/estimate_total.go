package main

import (
	"strings"

	"github.com/trustgap/trustgap/analysis"
	"github.com/trustgap/trustgap/reports"
	"github.com/trustgap/trustgap/survey"
)

// totalSpec is one --total: a numeric column, or a condition whose
// weighted count is estimated.
type totalSpec struct {
	given  string
	column string
	cond   *survey.Condition
}

// parseTotals reads --total values: 'COL OP VALUE' is a condition, any
// other value a column name.
func parseTotals(given []string) ([]totalSpec, error) {
	out := make([]totalSpec, 0, len(given))
	for _, g := range given {
		if c, err := survey.ParseCondition(g); err == nil {
			out = append(out, totalSpec{given: g, column: c.Column, cond: &c})
			continue
		}
		col := strings.TrimSpace(g)
		if col == "" {
			return nil, usageErrorf("--total needs a column or 'COL OP VALUE'")
		}
		out = append(out, totalSpec{given: g, column: col})
	}
	return out, nil
}

// splitBy reads --by: "" (none), COL, or A*B*… for crossed domains.
func splitBy(by string) []string {
	if strings.TrimSpace(by) == "" {
		return nil
	}
	parts := strings.Split(by, "*")
	for k := range parts {
		parts[k] = strings.TrimSpace(parts[k])
	}
	return parts
}

// crossedDomain is one combination of levels and its respondents.
type crossedDomain struct {
	dom analysis.Domain
	in  []bool
}

// crossedDomains returns every combination of the columns' levels held by
// at least one respondent (svyby drops empty combinations), the first
// column's levels varying slowest, in each column's level order. One
// column gives its levels, in order, whether held or not, as before.
func crossedDomains(vars []string, cols []*survey.Column, n int) []crossedDomain {
	if len(cols) == 1 {
		out := make([]crossedDomain, 0, len(cols[0].Levels))
		for k, lvl := range cols[0].Levels {
			in := make([]bool, n)
			for i, c := range cols[0].Codes {
				in[i] = c == int32(k)
			}
			out = append(out, crossedDomain{analysis.Domain{Var: vars[0], Level: lvl}, in})
		}
		return out
	}
	// Mixed-radix key of each respondent's levels; -1 when one is missing.
	size := 1
	for _, c := range cols {
		size *= len(c.Levels)
	}
	key := make([]int, n)
	held := map[int]bool{}
	for i := range key {
		k := 0
		for _, c := range cols {
			code := c.Codes[i]
			if code < 0 {
				k = -1
				break
			}
			k = k*len(c.Levels) + int(code)
		}
		key[i] = k
		if k >= 0 {
			held[k] = true
		}
	}
	var out []crossedDomain
	for k := 0; k < size; k++ {
		if !held[k] {
			continue
		}
		levels := make([]string, len(cols))
		r := k
		for j := len(cols) - 1; j >= 0; j-- {
			L := len(cols[j].Levels)
			levels[j] = cols[j].Levels[r%L]
			r /= L
		}
		in := make([]bool, n)
		for i, v := range key {
			in[i] = v == k
		}
		out = append(out, crossedDomain{analysis.CrossDomain(vars, levels), in})
	}
	return out
}

func newCrossTestJSON(vars []string, t *analysis.ChiSqTest) *crossTestJSON {
	out := &crossTestJSON{Name: "rao_scott", Variables: vars, Method: t.Method, Statistic: analysis.Num(t.Statistic), NDF: analysis.Num(t.NDF), P: analysis.Num(t.P)}
	switch t.Method {
	case "Wald", "adjWald":
		out.Name = "wald"
	}
	if t.Method == "F" {
		f := analysis.Num(t.Statistic)
		out.F = &f
	}
	if t.Method != "Chisq" {
		ddf := analysis.Num(t.DDF)
		out.DDF = &ddf
	}
	return out
}

// crossTestTable shows crosstab's test for people.
func crossTestTable(vars []string, t *analysis.ChiSqTest) *reports.Table {
	title := map[string]string{
		"F":           "Rao-Scott test of independence (F, second-order correction)",
		"Chisq":       "Rao-Scott test of independence (χ², first-order correction)",
		"Wald":        "Design-based Wald test of independence",
		"adjWald":     "Design-based Wald test of independence (adjusted)",
		"lincom":      "Pearson's χ² against its asymptotic distribution (weighted sum of χ²s)",
		"saddlepoint": "Pearson's χ² against its asymptotic distribution (saddlepoint approximation)",
	}[t.Method]
	tab := reports.NewTable(title, reports.TextCol("Variables"), reports.DecimalCol("Statistic", 3),
		reports.DecimalCol("ndf", 2), reports.DecimalCol("ddf", 2), reports.PValueCol("p"))
	tab.AddRow(reports.Str(strings.Join(vars, " × ")), reports.Num(t.Statistic), reports.Num(t.NDF), reports.Num(t.DDF), reports.Num(t.P))
	return tab
}
