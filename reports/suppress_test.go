package reports

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/trustgap/trustgap/analysis"
	"github.com/trustgap/trustgap/datasets"
	"github.com/trustgap/trustgap/survey"
)

// smallDomainStudy is the embedded study with k respondents moved into a
// new level "Tiny" of column col (region or gender), in two PSUs of their
// own (a stratum of their own when col is the region); weighted or not.
func smallDomainStudy(t testing.TB, col string, k int, weighted bool) *survey.Dataset {
	t.Helper()
	responses, _ := datasets.DefaultStudy()
	recs, err := csv.NewReader(responses).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	ci, pi := -1, -1
	for j, h := range recs[0] {
		switch h {
		case col:
			ci = j
		case "psu":
			pi = j
		}
	}
	if ci < 0 || pi < 0 {
		t.Fatalf("no column %q or psu in the default study", col)
	}
	for i := 1; i <= k; i++ {
		recs[i][ci] = "Tiny"
		if col == "region" {
			recs[i][pi] = fmt.Sprint(90001 + i%2)
		}
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.WriteAll(recs); err != nil {
		t.Fatal(err)
	}
	cbText := string(datasets.Codebook())
	if !weighted {
		cbText = strings.Replace(cbText, "weight: weight, ", "", 1)
	}
	cb, err := survey.ParseCodebook(strings.NewReader(cbText), "codebook.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tr, err := survey.NewCSVReader(&buf, "tiny.csv", survey.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ds, err := survey.Load(context.Background(), cb, []survey.TableReader{tr}, survey.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if (ds.Weights != nil) != weighted {
		t.Fatalf("weighted = %v, want %v", ds.Weights != nil, weighted)
	}
	return ds
}

// trueShare is the weighted share flagged by construct name among the
// respondents whose column col is level.
func trueShare(ds *survey.Dataset, name, col, level string) float64 {
	c := ds.Construct(name)
	column := ds.Region
	if col != "region" {
		column = ds.Columns[col]
	}
	var num, den float64
	for i, f := range c.Flags().All(nil) {
		k := column.Codes[i]
		if k < 0 || column.Levels[k] != level || math.IsNaN(f) {
			continue
		}
		w := 1.0
		if ds.Weights != nil {
			w = ds.Weights[i]
		}
		num += w * f
		den += w
	}
	return num / den
}

// published is what a reader sees of one statistic across one variable's
// levels: the total, each level's share (NaN when suppressed) and each
// level's weighted base, with the total's.
type published struct {
	where  string
	total  float64
	shares map[string]float64
	bases  map[string]float64
	all    float64
}

// rounding is how close a reconstruction may not come: half the last
// digit of a share as the report shows it (one decimal of a percentage).
const rounding = 0.0005

// attackSubtraction tries to get a suppressed level's share back from the
// total and the other levels: exactly when it is the only one hidden, and
// as an interval when one other level is hidden too (that level's share
// anywhere in [0, 1]). It fails the test when the value comes closer than
// the rounding or the interval is narrower than twice it.
func attackSubtraction(t *testing.T, p published, target string, truth float64) {
	t.Helper()
	if math.IsNaN(p.total) {
		return // nothing to subtract from
	}
	if !math.IsNaN(p.shares[target]) {
		t.Errorf("%s: %q published (%v), want it suppressed", p.where, target, p.shares[target])
		return
	}
	s := p.total * p.all
	var hidden []string
	for l, v := range p.shares {
		if math.IsNaN(v) {
			if l != target {
				hidden = append(hidden, l)
			}
			continue
		}
		s -= v * p.bases[l]
	}
	w := p.bases[target]
	switch len(hidden) {
	case 0:
		if got := s / w; math.Abs(got-truth) <= rounding {
			t.Errorf("%s: %q reconstructed as %.6f from the total and the other levels, true %.6f", p.where, target, got, truth)
		}
	case 1:
		wx := p.bases[hidden[0]]
		lo, hi := max(0, (s-wx)/w), min(1, s/w)
		if hi-lo <= 2*rounding {
			t.Errorf("%s: %q pinned to [%.6f, %.6f] (true %.6f) with only %q hidden beside it", p.where, target, lo, hi, truth, hidden[0])
		}
	}
}

// publishedFromTable reads column col of the rows of group (the Total row
// for the total) in a wide table, and the weighted bases from the banner
// (everyone in the level) or, with tableBases, the table's own unweighted
// bases in column col+1 (those who answered: exact in an unweighted study).
func publishedFromTable(t *testing.T, r *Report, table, group string, col int, tableBases ...bool) published {
	t.Helper()
	p := published{where: table, shares: map[string]float64{}, bases: map[string]float64{}, total: math.NaN()}
	bn := findBanner(t, r)
	for j, c := range bn.Columns {
		switch {
		case c.Label == "Total":
			p.all = bn.WeightedBase[j]
		case c.Group == group:
			p.bases[c.Label] = bn.WeightedBase[j]
		}
	}
	tab := findTable(t, r, table)
	for i := 0; i < tab.NumRows(); i++ {
		first := tab.Cell(i, 0).Text
		switch {
		case first == "Total" || (first == group && tab.Cell(i, 1).Text == ""):
			p.total = tab.Cell(i, col).Num
			if len(tableBases) > 0 {
				p.all = tab.Cell(i, col+1).Num
			}
		case first == group:
			p.shares[tab.Cell(i, 1).Text] = tab.Cell(i, col).Num
			if len(tableBases) > 0 {
				p.bases[tab.Cell(i, 1).Text] = tab.Cell(i, col+1).Num
			}
		}
	}
	return p
}

func findTable(t *testing.T, r *Report, title string) *Table {
	t.Helper()
	for _, s := range r.Sections {
		for _, tab := range s.Tables {
			if tab.Title == title {
				return tab
			}
		}
	}
	t.Fatalf("no table %q in the report", title)
	return nil
}

func findBanner(t *testing.T, r *Report) *Banner {
	t.Helper()
	for _, s := range r.Sections {
		if len(s.Banners) > 0 {
			return s.Banners[0]
		}
	}
	t.Fatal("no banner in the report")
	return nil
}

// TestSuppressionCannotBeUndone builds the report of studies with a small
// domain and, as a determined reader would, tries to get each suppressed
// share back from what the deck publishes: the total and the other levels
// with their weighted bases (the say-do gap table, the banner), and for a
// region its rest-of-sample share and difference. No attempt may come
// closer than the rounding. It also checks that the deck's cells hold no
// value where they show "–", that weighted bases are whole numbers, and
// that charts leave hidden levels out.
func TestSuppressionCannotBeUndone(t *testing.T) {
	if testing.Short() {
		t.Skip("builds several full reports")
	}
	for _, tc := range []struct {
		col      string
		group    string
		k        int
		weighted bool
	}{
		{"region", "Region", 3, true},
		{"region", "Region", 20, false},
		{"gender", "Gender", 5, false},
		{"gender", "Gender", 12, true},
	} {
		t.Run(fmt.Sprintf("%s-%d-weighted-%v", tc.col, tc.k, tc.weighted), func(t *testing.T) {
			ds := smallDomainStudy(t, tc.col, tc.k, tc.weighted)
			sr, err := BuildStudyReport(context.Background(), ds, StudyOptions{MinBase: 30})
			if err != nil {
				t.Fatal(err)
			}
			r := sr.Report
			truth := trueShare(ds, "concern", tc.col, "Tiny")

			// The concern table: column 2 is Concerned, column 3 its base
			// (those who answered: exact in an unweighted study).
			const table, col = "Concern and protective behaviour", 2
			fromBanner := publishedFromTable(t, r, table, tc.group, col)
			fromTable := publishedFromTable(t, r, table, tc.group, col, true)
			attackSubtraction(t, fromBanner, "Tiny", truth)
			attackSubtraction(t, fromTable, "Tiny", truth)

			// Every banner's concern row, total and levels, with its bases.
			attacked := 0
			for _, sec := range r.Sections {
				for _, bn := range sec.Banners {
					for _, row := range bn.Rows {
						if !strings.HasPrefix(row.Label, constructLabel(ds.Construct("concern"))+" (") {
							continue
						}
						attacked++
						p := published{where: "banner " + bn.Title, shares: map[string]float64{}, bases: map[string]float64{}}
						for j, c := range bn.Columns {
							v := row.Cells[j].Pct
							if row.Cells[j].Suppressed {
								v = math.NaN()
							}
							switch {
							case c.Label == "Total":
								p.total, p.all = v, bn.WeightedBase[j]
							case c.Group == tc.group:
								p.shares[c.Label], p.bases[c.Label] = v, bn.WeightedBase[j]
							}
						}
						attackSubtraction(t, p, "Tiny", truth)
						// The banner's shares with the answered bases of the
						// concern table.
						p.where += " with the table's bases"
						p.bases, p.all = fromTable.bases, fromTable.all
						attackSubtraction(t, p, "Tiny", truth)
					}
					// No significance letter compares a shown cell with a
					// hidden one.
					for _, row := range bn.Rows {
						for j, c := range row.Cells {
							if !c.Suppressed {
								continue
							}
							for _, other := range row.Cells {
								if strings.Contains(other.Sig, bn.Columns[j].Letter) {
									t.Errorf("banner %q row %q: letter %s of a suppressed cell marks another cell (%q)", bn.Title, row.Label, bn.Columns[j].Letter, other.Sig)
								}
							}
						}
					}
					for _, w := range append(append([]float64(nil), bn.WeightedBase...), bn.EffectiveBase...) {
						if !math.IsNaN(w) && w != math.Round(w) {
							t.Errorf("banner %q base %v published with decimals, want a whole number", bn.Title, w)
						}
					}
				}
			}
			if attacked == 0 {
				t.Fatal("no banner row of concern to attack")
			}

			// A table that sets a level against the rest of the sample
			// gives it back directly (share = rest + difference, or from
			// the total: (T·W − rest·(W − w)) / w), and a second hidden
			// level given back so would undo the pair.
			for _, sec := range r.Sections {
				for _, tab := range sec.Tables {
					rest, diff := -1, -1
					for j, c := range tab.Cols() {
						switch c.Name {
						case "Rest":
							rest = j
						case "Difference":
							diff = j
						}
					}
					if rest < 0 && diff < 0 {
						continue
					}
					for i := 0; i < tab.NumRows(); i++ {
						if tab.Cell(i, 1).Text != "Tiny" {
							continue
						}
						for _, j := range []int{rest, diff} {
							if c := tab.Cell(i, max(j, 0)); j >= 0 && (!c.Suppressed || !math.IsNaN(c.Num)) {
								t.Errorf("%s: Tiny column %d = %+v, want suppressed without a value", tab.Title, j, c)
							}
						}
					}
				}
			}

			// Rao-Scott tests that set the small level against the others.
			for _, sec := range r.Sections {
				for _, tab := range sec.Tables {
					if !strings.HasPrefix(tab.Title, "Do groups differ?") {
						continue
					}
					last := len(tab.Cols()) - 1
					for i := 0; i < tab.NumRows(); i++ {
						if strings.EqualFold(tab.Cell(i, 0).Text, tc.group) && !math.IsNaN(tab.Cell(i, last).Num) {
							t.Errorf("%s: test %q × %q published (p = %v) with a level below the minimum base", tab.Title, tab.Cell(i, 0).Text, tab.Cell(i, 1).Text, tab.Cell(i, last).Num)
						}
					}
				}
			}

			if tc.col == "region" {
				// Charts by region leave it out (a "Tiny" label would come
				// with its dot or bar); the heat map keeps the row, empty.
				for _, c := range sr.Charts {
					if c.Name == "paradox-rate-heatmap" {
						continue
					}
					if bytes.Contains(c.SVG, []byte("Tiny")) {
						t.Errorf("chart %s shows the suppressed region", c.Name)
					}
				}
			}

			// The workbook holds the share nowhere.
			var buf bytes.Buffer
			if err := WriteXLSX(&buf, r); err != nil {
				t.Fatal(err)
			}
			checkDeckHidesTiny(t, buf.Bytes(), truth)
		})
	}
}

// checkDeckHidesTiny scans every sheet of the workbook for the true share
// of the suppressed domain written at full precision or as the deck's
// percentage: it must appear nowhere.
func checkDeckHidesTiny(t *testing.T, deck []byte, truth float64) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(deck))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for i, row := range rows {
			for j, v := range row {
				var x float64
				if _, err := fmt.Sscan(v, &x); err != nil {
					continue
				}
				if x > 0 && x < 1 && math.Abs(x-truth) < 1e-9 {
					t.Errorf("sheet %q cell (%d, %d) holds %v, the suppressed share", sheet, i+1, j+1, v)
				}
			}
		}
	}
}

// TestFindingsUseOnlyShownFigures: a study of 20 respondents has every
// cell suppressed at the default minimum base, so its findings may quote
// no figure; and findings never rank a hidden region.
func TestFindingsUseOnlyShownFigures(t *testing.T) {
	var buf bytes.Buffer
	if err := datasets.Generate(context.Background(), datasets.GenerateOptions{N: 20, Seed: 7}, &buf); err != nil {
		t.Fatal(err)
	}
	cb, err := survey.ParseCodebook(bytes.NewReader(datasets.Codebook()), "codebook.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tr, err := survey.NewCSVReader(io.Reader(&buf), "small.csv", survey.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ds, err := survey.Load(context.Background(), cb, []survey.TableReader{tr}, survey.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sr, err := BuildStudyReport(context.Background(), ds, StudyOptions{Analysis: analysis.Options{Lonely: analysis.LonelyAdjust}})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range sr.Report.Findings {
		if strings.ContainsAny(f.Text, "0123456789") {
			t.Errorf("finding %q quotes a figure of a study of 20 (all suppressed)", f.Text)
		}
	}
}

func TestSuppressorHide(t *testing.T) {
	s := &suppressor{minBase: 30, size: map[string]map[string]int{"region": {"A": 500, "B": 300, "C": 3, "D": 0, "E": 40}}}
	d := func(l string) analysis.Domain { return analysis.Domain{Var: "region", Level: l} }
	tests := []struct {
		name   string
		ns     map[string]int
		forced []string
		want   string
	}{
		{"nothing small", map[string]int{"A": 500, "B": 300, "E": 40}, nil, ""},
		{"one small hides the next smallest", map[string]int{"A": 500, "B": 300, "C": 3, "E": 40}, nil, "C,E"},
		{"an empty level protects nothing", map[string]int{"A": 500, "B": 300, "C": 3, "D": 0, "E": 40}, nil, "C,D,E"},
		{"two small protect each other", map[string]int{"A": 500, "B": 300, "C": 3, "E": 20}, nil, "C,E"},
		{"forced like small", map[string]int{"A": 500, "B": 300, "E": 40}, []string{"A"}, "A,E"},
		{"only two levels", map[string]int{"A": 500, "C": 3}, nil, "A,C"},
	}
	for _, tc := range tests {
		ns := map[analysis.Domain]int{{}: 1000}
		for l, n := range tc.ns {
			ns[d(l)] = n
		}
		forced := map[analysis.Domain]bool{}
		for _, l := range tc.forced {
			forced[d(l)] = true
		}
		h := s.hide(ns, forced)
		var got []string
		for _, l := range []string{"A", "B", "C", "D", "E"} {
			if h[d(l)] {
				got = append(got, l)
			}
		}
		if h[analysis.Domain{}] {
			got = append(got, "Total")
		}
		if strings.Join(got, ",") != tc.want {
			t.Errorf("%s: hide = %v, want %s", tc.name, got, tc.want)
		}
	}
}

func TestSuppressorHideGrid(t *testing.T) {
	s := &suppressor{minBase: 30}
	n := [][]int{
		{100, 5, 80},
		{90, 60, 70},
		{40, 50, 35},
	}
	h := s.hideGrid(n)
	// Every row and column has zero or at least two hidden cells.
	for i := range n {
		k := 0
		for j := range n[i] {
			if h[i][j] {
				k++
			}
		}
		if k == 1 {
			t.Errorf("row %d has one hidden cell: %v", i, h)
		}
	}
	for j := range n[0] {
		k := 0
		for i := range n {
			if h[i][j] {
				k++
			}
		}
		if k == 1 {
			t.Errorf("column %d has one hidden cell: %v", j, h)
		}
	}
	if !h[0][1] {
		t.Errorf("hideGrid = %v, want cell (0, 1) hidden", h)
	}
}
