package main

import (
	"strings"

	"github.com/trustgap/trustgap/analysis"
	"github.com/trustgap/trustgap/reports"
	"github.com/trustgap/trustgap/survey"
)

// rowsTables turns estimates into tables for people: one of shares (shown
// as percentages), one of differences of shares (in percentage points)
// and one of other estimates (means, differences of means), each
// with CI in brackets and the unweighted base; rows whose base is below
// minBase are flagged with "*".
func rowsTables(title string, rows []analysis.Row, minBase int, region string) []*reports.Table {
	var props, points, others []analysis.Row
	for _, r := range rows {
		if r.Points {
			points = append(points, r)
		} else if r.Proportion {
			props = append(props, r)
		} else {
			others = append(others, r)
		}
	}
	var out []*reports.Table
	if len(props) > 0 {
		out = append(out, estimatesTable(title, props, reports.PercentCol("Estimate").WithCI(), reports.PercentCol("SE"), 1, minBase, region))
	}
	if len(points) > 0 {
		t := title
		if len(props) > 0 {
			t = title + " — differences of shares (percentage points)"
		}
		out = append(out, estimatesTable(t, points, reports.PointsCol("Estimate").WithCI(), reports.DecimalCol("SE (pts)", 1), 100, minBase, region))
	}
	if len(others) > 0 {
		t := title
		if len(props) > 0 {
			t = title + " — means and differences"
		}
		out = append(out, estimatesTable(t, others, reports.DecimalCol("Estimate", 3).WithCI(), reports.DecimalCol("SE", 4), 1, minBase, region))
	}
	return out
}

// estimatesTable shows each row's SE times seScale (100 for an SE in
// points beside a difference of shares).
func estimatesTable(title string, rows []analysis.Row, est, se reports.Col, seScale float64, minBase int, region string) *reports.Table {
	t := reports.NewTable(title,
		reports.TextCol("Statistic"), reports.TextCol("Domain"), reports.TextCol("Level"),
		est, se, reports.IntegerCol("Base (n)"), reports.DecimalCol("Weighted base", 1))
	t.LowBase = minBase
	for _, r := range rows {
		e := reports.NumCI(float64(r.Estimate), float64(r.CILow), float64(r.CIHigh))
		if r.N < minBase {
			e = e.WithLowBase()
		}
		dom, lvl := humanDomain(r.Domain, region)
		stat := r.Statistic
		if r.Variable != "" && r.Variable != r.Statistic {
			stat = r.Variable + " " + r.Statistic
		}
		t.AddRow(reports.Str(stat), reports.Str(dom), reports.Str(lvl), e,
			reports.Num(seScale*float64(r.SE)), reports.Num(float64(r.N)), reports.Num(float64(r.WeightedN)))
	}
	return t
}

// rowsCSV is the long machine table of estimates: fractions, full
// precision, one record per statistic and domain.
func rowsCSV(rows []analysis.Row) *reports.Table {
	t := reports.NewTable("estimates",
		reports.TextCol("statistic"), reports.TextCol("variable"), reports.TextCol("domain"), reports.TextCol("level"),
		reports.DecimalCol("estimate", 6).WithCI(), reports.DecimalCol("se", 6),
		reports.IntegerCol("n"), reports.DecimalCol("weighted_n", 3), reports.IntegerCol("df"))
	for _, r := range rows {
		dv, dl := domainCSV(r.Domain)
		t.AddRow(reports.Str(r.Statistic), reports.Str(r.Variable), dv, dl,
			reports.NumCI(float64(r.Estimate), float64(r.CILow), float64(r.CIHigh)), reports.Num(float64(r.SE)),
			reports.Num(float64(r.N)), reports.Num(float64(r.WeightedN)), reports.Num(float64(r.DF)))
	}
	return t
}

// regionName is what people call the study's region in tables: the
// codebook's name for the column ("country"). The analyses' domains say
// "region", the key JSON and CSV keep.
func regionName(ds *survey.Dataset) string {
	if ds != nil && ds.Region != nil {
		return ds.Region.Name
	}
	return ""
}

// humanDomain is a domain's variable and level as a table shows them,
// the region named as the codebook names it (in crossed domains too).
func humanDomain(d analysis.Domain, region string) (variable, level string) {
	v, l := d.Label()
	if region == "" || region == "region" || d.IsTotal() {
		return v, l
	}
	parts := strings.Split(v, " × ")
	for i, p := range parts {
		if p == "region" {
			parts[i] = region
		}
	}
	return strings.Join(parts, " × "), l
}
