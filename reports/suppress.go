package reports

import (
	"math"
	"sort"
	"strings"

	"github.com/trustgap/trustgap/analysis"
	"github.com/trustgap/trustgap/survey"
)

// Secondary suppression.
//
// A share on fewer than the minimum base is suppressed (primary). That
// alone does not keep it secret: the total is the weighted average of the
// levels of a variable, so with the total, the other levels and their
// bases a reader gets the hidden share back by subtraction (and from the
// rest-of-sample share or the difference against the rest directly).
// So wherever a table or chart shows a variable's levels beside the total,
// a variable with exactly one suppressed level with respondents has a
// second level suppressed too (secondary): the published level with the
// fewest respondents, at least as many as the first, so that the two can
// only be recovered together and the pair's sum leaves the hidden share
// anywhere from 0 to 100%. The second level is chosen by the number of
// respondents in the level, not by a statistic's base, so every table
// that shows the same statistic hides the same pair. Rest-of-sample
// shares, differences, tests and significance letters of a hidden level
// are hidden with it, chart rows are left out, and key findings use only
// figures shown.

// suppressor decides which domains a report hides.
type suppressor struct {
	minBase int
	// size[var][level] is the number of respondents in the level.
	size map[string]map[string]int
}

func newSuppressor(ds *survey.Dataset, minBase int) *suppressor {
	s := &suppressor{minBase: minBase, size: map[string]map[string]int{}}
	count := func(name string, c *survey.Column) {
		if c == nil {
			return
		}
		m := map[string]int{}
		for _, k := range c.Codes {
			if k >= 0 && int(k) < len(c.Levels) {
				m[c.Levels[k]]++
			}
		}
		s.size[name] = m
	}
	count("region", ds.Region)
	for _, seg := range ds.Segments {
		count(seg.Name, seg)
	}
	return s
}

// hasSmallLevel reports whether one of the variables has a level with
// respondents but fewer than the minimum base.
func (s *suppressor) hasSmallLevel(vars []string) bool {
	for _, v := range vars {
		for _, n := range s.size[v] {
			if n > 0 && n < s.minBase {
				return true
			}
		}
	}
	return false
}

// levelSize is the number of respondents in a domain, -1 when unknown.
func (s *suppressor) levelSize(d analysis.Domain) int {
	if m, ok := s.size[d.Var]; ok {
		if n, ok := m[d.Level]; ok {
			return n
		}
	}
	return -1
}

// hide returns the domains to hide for one statistic, given the unweighted
// base of every domain shown (the total under the zero Domain) and the
// domains hidden already for a linked statistic (forced, may be nil): the
// primary ones (base below the minimum), the forced ones and the
// secondary ones (see the comment at the top of the file).
func (s *suppressor) hide(ns map[analysis.Domain]int, forced map[analysis.Domain]bool) map[analysis.Domain]bool {
	hidden := map[analysis.Domain]bool{}
	byVar := map[string][]analysis.Domain{}
	for d, n := range ns {
		if n < s.minBase || forced[d] {
			hidden[d] = true
		}
		if !d.IsTotal() {
			byVar[d.Var] = append(byVar[d.Var], d)
		}
	}
	for _, doms := range byVar {
		// Deterministic order: by level size, then name.
		sort.Slice(doms, func(i, j int) bool {
			si, sj := s.levelSize(doms[i]), s.levelSize(doms[j])
			if si != sj {
				return si < sj
			}
			return doms[i].Level < doms[j].Level
		})
		withRespondents := 0
		for _, d := range doms {
			if hidden[d] && ns[d] > 0 {
				withRespondents++
			}
		}
		if withRespondents != 1 {
			continue // none to protect, or two or more protecting each other
		}
		for _, d := range doms {
			if !hidden[d] {
				hidden[d] = true
				break
			}
		}
	}
	return hidden
}

// hideRows is hide for a table of analysis rows of one statistic.
func (s *suppressor) hideRows(rows []analysis.Row, forced map[analysis.Domain]bool) map[analysis.Domain]bool {
	ns := map[analysis.Domain]int{}
	for _, r := range rows {
		ns[r.Domain] = r.N
	}
	return s.hide(ns, forced)
}

// hideStats returns, per statistic, the domains to hide in rows holding
// several statistics; the statistics of a link group (figures that can be
// derived from one another, such as the paradox rate and share) hide each
// other's domains.
func (s *suppressor) hideStats(rows []analysis.Row, links ...[]string) map[string]map[analysis.Domain]bool {
	byStat := map[string][]analysis.Row{}
	var stats []string
	for _, r := range rows {
		if _, ok := byStat[r.Statistic]; !ok {
			stats = append(stats, r.Statistic)
		}
		byStat[r.Statistic] = append(byStat[r.Statistic], r)
	}
	out := map[string]map[analysis.Domain]bool{}
	for _, st := range stats {
		out[st] = s.hideRows(byStat[st], nil)
	}
	for _, group := range links {
		forced := map[analysis.Domain]bool{}
		for _, st := range group {
			for d, h := range out[st] {
				if h {
					forced[d] = true
				}
			}
		}
		if len(forced) == 0 {
			continue
		}
		for _, st := range group {
			if rs, ok := byStat[st]; ok {
				out[st] = s.hideRows(rs, forced)
			}
		}
	}
	return out
}

// hideAll returns the domains hidden when every statistic of the rows is
// linked to every other (one row per domain in a wide table).
func (s *suppressor) hideAll(rows []analysis.Row) map[analysis.Domain]bool {
	forced := map[analysis.Domain]bool{}
	for _, h := range s.hideStats(rows) {
		for d, x := range h {
			if x {
				forced[d] = true
			}
		}
	}
	// Complements for the union, the same for every statistic.
	ns := map[analysis.Domain]int{}
	for _, r := range rows {
		if n, ok := ns[r.Domain]; !ok || r.N < n {
			ns[r.Domain] = r.N
		}
	}
	return s.hide(ns, forced)
}

// bannerHidden is what a banner row hides: the domains of its hidden
// cells and their letters.
type bannerHidden struct {
	domains map[analysis.Domain]bool
	hidden  map[rune]bool
}

// letters drops from a cell's significance letters those of hidden
// columns: no letter says how a shown cell compares with a hidden one.
func (h bannerHidden) letters(sig string) string {
	return strings.Map(func(l rune) rune {
		if h.hidden[l] {
			return -1
		}
		return l
	}, sig)
}

// hideBanner returns, per row of a banner, the cells to hide: a cell on
// fewer answers than the minimum base, and a second one in a group with
// one such (the Total column is every group's margin).
func (s *suppressor) hideBanner(res *analysis.BannerResult) []bannerHidden {
	out := make([]bannerHidden, len(res.Rows))
	for k, r := range res.Rows {
		ns := map[analysis.Domain]int{}
		for c, cell := range r.Cells {
			ns[res.Columns[c].Domain] = min(cell.N, res.Columns[c].Base.N)
		}
		h := bannerHidden{domains: s.hide(ns, nil), hidden: map[rune]bool{}}
		for c := range r.Cells {
			if h.domains[res.Columns[c].Domain] {
				for _, l := range res.Columns[c].Letter {
					h.hidden[l] = true
				}
			}
		}
		out[k] = h
	}
	return out
}

// hideGrid returns which cells of a two-way grid to hide: cells on a base
// below the minimum, and then, until no row and no column has exactly one
// hidden cell with respondents, the smallest shown cell of such a row or
// column, so that no hidden cell is the difference between a published
// margin and published cells.
func (s *suppressor) hideGrid(n [][]int) [][]bool {
	h := make([][]bool, len(n))
	for i := range n {
		h[i] = make([]bool, len(n[i]))
		for j := range n[i] {
			h[i][j] = n[i][j] < s.minBase
		}
	}
	// lone hides the smallest shown cell of a line with exactly one hidden
	// cell with respondents; it reports whether it hid one.
	lone := func(cells [][2]int) bool {
		hiddenWith, best := 0, [2]int{-1, -1}
		for _, c := range cells {
			i, j := c[0], c[1]
			switch {
			case h[i][j] && n[i][j] > 0:
				hiddenWith++
			case !h[i][j] && (best[0] < 0 || n[i][j] < n[best[0]][best[1]]):
				best = c
			}
		}
		if hiddenWith == 1 && best[0] >= 0 {
			h[best[0]][best[1]] = true
			return true
		}
		return false
	}
	for changed := true; changed; {
		changed = false
		for i := range n {
			var line [][2]int
			for j := range n[i] {
				line = append(line, [2]int{i, j})
			}
			changed = lone(line) || changed
		}
		if len(n) == 0 {
			break
		}
		for j := range n[0] {
			var line [][2]int
			for i := range n {
				if j < len(n[i]) {
					line = append(line, [2]int{i, j})
				}
			}
			changed = lone(line) || changed
		}
	}
	return h
}

// roundBase rounds a weighted base to a whole number for publication: its
// decimals, with a suppressed share's neighbours, would say how much
// weight the hidden respondents carry.
func roundBase(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	return math.Round(x)
}
