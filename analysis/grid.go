package analysis

import (
	"fmt"

	"github.com/trustgap/trustgap/survey"
)

// GridResult is a statistic in every cell of a two-way split of the sample
// (e.g. region × generation): Cells[i][j] is the estimate among
// respondents with RowVar = RowLevels[i] and ColVar = ColLevels[j].
type GridResult struct {
	Statistic            string
	RowVar, ColVar       string
	RowLevels, ColLevels []string
	Cells                [][]Estimate
}

// ParadoxRateGrid estimates the paradox rate (the share not acting
// protectively among concerned respondents, see Paradox) in every cell of
// rowVar × colVar, each a domain of the whole design: svyciprop(~I(1 −
// protects), subset(design, concerned == 1 & row & col), df = degf of the
// cell's domain), with the interval of Options.CI. rowVar and colVar are
// "region" or segment names as written in the codebook.
func ParadoxRateGrid(ds *survey.Dataset, rowVar, colVar string, opts Options) (*GridResult, error) {
	if rowVar == colVar {
		return nil, fmt.Errorf("paradox grid: rows and columns must be two different variables, got %q twice", rowVar)
	}
	concern, err := flagOf(ds, "concern", "paradox grid")
	if err != nil {
		return nil, err
	}
	behaviour, err := behaviourOf(ds, "paradox grid")
	if err != nil {
		return nil, err
	}
	// A calibrated design takes each cell's Mean, whose influence values
	// are residualized on the margins.
	s, err := newStudy(ds, Options{By: []string{rowVar, colVar}, Level: opts.Level, CI: opts.CI, Lonely: opts.Lonely, Design: opts.Design, Context: opts.Context, calibrationOK: true})
	if err != nil {
		return nil, fmt.Errorf("paradox grid: %w", err)
	}
	rv, cv := s.vars[0], s.vars[1]
	nc := len(cv.levels)
	// One domain per cell, coded row·nc + col.
	cells := make([]int32, ds.N)
	for i := range cells {
		r, c := rv.codes[i], cv.codes[i]
		if r < 0 || c < 0 {
			cells[i] = -1
			continue
		}
		cells[i] = r*int32(nc) + c
	}
	level := opts.level()
	g := &GridResult{Statistic: "paradox_rate", RowVar: rowVar, ColVar: colVar, RowLevels: rv.levels, ColLevels: cv.levels}
	g.Cells = make([][]Estimate, len(rv.levels))
	if s.d.cal != nil {
		y := paradoxVec(statRate, flagVec(concern), protectsVec(behaviour)).materialize(ds.N)
		in := make([]bool, ds.N)
		for r := range g.Cells {
			g.Cells[r] = make([]Estimate, nc)
			for c := range g.Cells[r] {
				k := int32(r*nc + c)
				for i, x := range cells {
					in[i] = x == k
				}
				g.Cells[r][c] = s.d.Prop(y, in, opts.CI, level)
			}
		}
		return g, nil
	}
	// The cells as one grouping of one pass (sumVariances), each cell's df the
	// degf of its domain.
	G := len(rv.levels) * nc
	seen := make([]bool, s.d.NumPSU()*G)
	psu := s.d.PSUIndex()
	for i, c := range cells {
		if c >= 0 {
			seen[int(psu[i])*G+int(c)] = true
		}
	}
	df := make([]int, 1+G)
	for k := range G {
		df[1+k] = s.d.degfSeen(func(p int) bool { return seen[p*G+k] })
	}
	// The cells are made for this call: no key, so nothing computed from
	// them is kept in the cache.
	sums := s.e.sumVariances([]vec{paradoxVec(statRate, flagVec(concern), protectsVec(behaviour))}, [][]int32{cells}, []int{G}, nil, nil)[0]
	est := sums.estimates(s.d, df, level)[1:]
	sums.release(s.e)
	if opts.CI == CILikelihood { // each cell's weight, answered or not (see PropCI)
		for i, c := range cells {
			if c >= 0 {
				est[c].wDomain += s.d.w[i]
			}
		}
	}
	for r := range g.Cells {
		g.Cells[r] = make([]Estimate, nc)
		for c := range g.Cells[r] {
			e := est[r*nc+c]
			e.CILow, e.CIHigh = PropCI(e, opts.CI, level)
			g.Cells[r][c] = e
		}
	}
	if err := s.e.err(); err != nil {
		return nil, err
	}
	return g, nil
}
