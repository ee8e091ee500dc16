package reports

import (
	"fmt"
	"math"
	"strings"

	"github.com/trustgap/trustgap/analysis"
	"github.com/trustgap/trustgap/survey"
)

// bannerBlock is one banner of the Crosstabs sheet: a run of the banner
// variables, with the title, kinds and notes of its rows.
type bannerBlock struct {
	title string
	notes []string
	rows  []blockRow
}

type blockRow struct {
	v         analysis.BannerVariable
	mean, net bool
}

// flagWords says in words which respondents a construct's flag counts:
// "2 or more of 4 items", "score 4 or more (scale 1–5)".
func flagWords(c *survey.Construct) string {
	cond, err := survey.ParseCondition("x " + c.Def.Flag)
	if err != nil || !cond.IsNum {
		return "flag " + c.Def.Flag
	}
	n := fmtPoint(cond.Num)
	op := map[string]string{">=": n + " or more", ">": "more than " + n, "<=": n + " or less", "<": "less than " + n, "==": "exactly " + n, "!=": "other than " + n}[cond.Op]
	if c.Def.Score == "count" {
		return fmt.Sprintf("%s of %d", op, len(c.Items))
	}
	what := "score"
	if len(c.Items) > 1 {
		what = "mean score"
		if c.Def.Score == "sum" {
			what = "total score"
		}
	}
	if len(c.Def.Scale) == 2 {
		return fmt.Sprintf("%s %s on a %s%s%s scale", what, op, fmtPoint(c.Def.Scale[0]), rangeDash, fmtPoint(c.Def.Scale[1]))
	}
	return what + " " + op
}

// bannerBlocks lays out the study's crosstabs: the flags of every
// construct, then each item on a scale with its full answer distribution,
// its top-2 and bottom-2 nets and its mean, then the items of count
// constructs (share answering yes), construct by construct.
//
// Items are shown on their own wording: a reverse-coded item's values are
// turned back (the data hold them reversed for the score), so "Agree
// (4–5)" is the share who agreed with the sentence printed.
func bannerBlocks(ds *survey.Dataset) []bannerBlock {
	var out []bannerBlock
	flags := bannerBlock{title: "Summary: share flagged on each measure"}
	for _, c := range ds.Constructs {
		if c.Def.Flag == "" {
			continue
		}
		flags.rows = append(flags.rows, blockRow{v: analysis.FlagVariable(constructLabel(c)+" ("+flagWords(c)+")", c)})
	}
	if len(flags.rows) > 0 {
		out = append(out, flags)
	}
	for _, c := range ds.Constructs {
		if c.Def.Score == "count" {
			blk := bannerBlock{title: constructLabel(c) + ": share answering yes"}
			for _, it := range c.Items {
				blk.rows = append(blk.rows, blockRow{v: analysis.ItemVariable(itemLabel(it), it, identity)})
			}
			if len(blk.rows) > 0 {
				out = append(out, blk)
			}
			continue
		}
		sc, ok := scaleOf(c)
		if !ok {
			continue
		}
		for _, it := range c.Items {
			out = append(out, itemBlock(c, it, sc))
		}
	}
	return out
}

func identity(v float64) float64 { return v }

// itemBlock is one item's banner: every answer, the two nets and the mean,
// on the item's original coding.
func itemBlock(c *survey.Construct, it *survey.Column, sc scaleInfo) bannerBlock {
	rev := reversed(c, it.Name)
	orig := func(v float64) float64 { return v }
	if rev {
		orig = func(v float64) float64 { return sc.lo + sc.hi - v }
	}
	in := func(lo, hi float64) func(float64) float64 {
		return func(v float64) float64 {
			if math.IsNaN(v) {
				return math.NaN()
			}
			if o := orig(v); o >= lo && o <= hi {
				return 1
			}
			return 0
		}
	}
	blk := bannerBlock{title: itemLabel(it)}
	if constructLabel(c) != blk.title {
		blk.title += " — " + constructLabel(c)
	}
	for _, p := range sc.points() {
		blk.rows = append(blk.rows, blockRow{v: analysis.ItemVariable(sc.answer(p), it, in(p, p))})
	}
	top, bottom := sc.nets()
	blk.rows = append(blk.rows,
		blockRow{v: analysis.ItemVariable(top, it, in(sc.hi-1, sc.hi)), net: true},
		blockRow{v: analysis.ItemVariable(bottom, it, in(sc.lo, sc.lo+1)), net: true},
		blockRow{v: analysis.ItemVariable(fmt.Sprintf("Mean (%s%s%s)", fmtPoint(sc.lo), rangeDash, fmtPoint(sc.hi)), it, orig), mean: true})
	blk.notes = append(blk.notes, "Percentages of respondents in the column who answered; the mean is of the answer codes shown, letters from the same design-based t test.")
	if sc.note != "" {
		blk.notes = append(blk.notes, sc.note)
	}
	if rev {
		blk.notes = append(blk.notes, fmt.Sprintf("Shown on the question's own wording; the item is reverse-scored (%s becomes %s) in the %s score.",
			fmtPoint(sc.hi), fmtPoint(sc.lo), strings.ToLower(constructLabel(c))))
	}
	return blk
}

// crosstabs builds the market-research banners: Total, each region and
// each segment level as lettered columns; the construct flags, then every
// item (see bannerBlocks), one banner each.
func (b *builder) crosstabs() error {
	if b.opts.Privacy != nil {
		return nil
	}
	blocks := bannerBlocks(b.ds)
	var all []analysis.BannerVariable
	for _, blk := range blocks {
		for _, r := range blk.rows {
			all = append(all, r.v)
		}
	}
	if len(all) == 0 {
		return nil
	}
	res, err := analysis.Banner(b.ds, all, b.aopts)
	if err != nil {
		return err
	}
	legend := bannerLegend(b.aopts.Level, b.minBase)
	var cols []BannerColumn
	var ub, wb, eb []float64
	for _, c := range res.Columns {
		label := c.Domain.Level
		group := b.varLabel(c.Group)
		if c.Domain.IsTotal() {
			label, group = "Total", "Total"
		}
		cols = append(cols, BannerColumn{Letter: c.Letter, Group: group, Label: label})
		ub = append(ub, float64(c.Base.N))
		wb = append(wb, roundBase(float64(c.Base.WeightedN)))
		eb = append(eb, roundBase(float64(c.Base.EffectiveN)))
	}
	hiddenRows := b.sup.hideBanner(res)
	var banners []*Banner
	k := 0
	for _, blk := range blocks {
		bn := &Banner{Title: blk.title, Columns: cols, UnweightedBase: ub, WeightedBase: wb, EffectiveBase: eb,
			MinBase: b.minBase, LowBase: 2 * b.minBase, Legend: legend, Notes: blk.notes}
		for _, br := range blk.rows {
			r, hidden := res.Rows[k], hiddenRows[k]
			k++
			row := BannerRow{Label: br.v.Label, Mean: br.mean, Net: br.net}
			for c, cell := range r.Cells {
				n := res.Columns[c].Base.N
				bc := BannerCell{Pct: cell.Estimate.Estimate, Sig: withArrow(cell, hidden.letters(cell.Sig))}
				switch {
				case hidden.domains[res.Columns[c].Domain] || cell.N == 0:
					bc = BannerCell{Pct: math.NaN(), Suppressed: true}
				case n < 2*b.minBase:
					bc.LowBase = true
				}
				row.Cells = append(row.Cells, bc)
			}
			bn.Rows = append(bn.Rows, row)
		}
		banners = append(banners, bn)
	}
	b.rep.Sections = append(b.rep.Sections, Section{Name: "Crosstabs", Intro: "Column percentages: each cell is the share of the column's respondents who answered the question. Bases: unweighted respondents, weighted respondents and the effective base (Kish) of each column. Marks: ▲/▼ where a column is significantly higher/lower than Total, letters where it is significantly higher than the lettered column of its group (each table's note gives the tests).", Banners: banners})
	return nil
}

// bannerLegend explains a banner's marks: ▲/▼ against Total, letters
// between the columns of a group, the level, the multiple comparisons
// and the bases.
func bannerLegend(level float64, minBase int) string {
	return fmt.Sprintf("▲/▼: significantly higher/lower than Total. The Total includes the column itself, so the column is tested against the rest of the sample (the respondents in the other columns of its group; design-based t test, svyglm(y ~ in column) in R). "+
		"Letters: significantly higher than the lettered column of the same group (design-based t test of the difference of the two columns). "+
		"Both at the %g%% level, two-sided, each comparison tested separately with no adjustment for multiple comparisons: with many columns and rows, some marks are expected by chance. "+
		"Cells on unweighted bases below %d are suppressed (–), below %d flagged *.", 100*level, minBase, 2*minBase)
}

// withArrow puts ▲/▼ before a cell's letters when the engine's test of
// the column against the rest of the sample (analysis.RestTest) finds it
// higher/lower.
func withArrow(cell analysis.BannerCell, letters string) string {
	a := map[string]string{"+": "▲", "-": "▼"}[cell.Rest.Direction]
	return strings.TrimSpace(a + " " + letters)
}

// varLabel names a domain variable for readers: the region's label
// (report: region_label, else the region column's name, "Country"), a
// segment's name in words.
func (b *builder) varLabel(v string) string {
	if v == "region" {
		return b.regionLabel()
	}
	return humanize(v)
}

// regionLabel is what the study calls its regions.
func (b *builder) regionLabel() string {
	if l := b.opts.Report.RegionLabel; l != "" {
		return l
	}
	if b.ds.Region != nil && b.ds.Region.Name != "" {
		return humanize(b.ds.Region.Name)
	}
	return "Region"
}
