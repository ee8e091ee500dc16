package reports

import (
	"context"
	"math"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/trustgap/trustgap/survey"
)

// labelledStudy loads testdata/sav/labelled.sav (written by GNU PSPP:
// make_labelled.sps beside it) with the codebook yml.
func labelledStudy(t *testing.T, yml string) *survey.Dataset {
	t.Helper()
	cb, err := survey.ParseCodebook(strings.NewReader(yml), "codebook.yaml")
	if err != nil {
		t.Fatalf("ParseCodebook: %v", err)
	}
	tr, err := survey.OpenTable(context.Background(), filepath.Join("testdata", "sav", "labelled.sav"), survey.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	ds, err := survey.Load(context.Background(), cb, []survey.TableReader{tr}, survey.LoadOptions{})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return ds
}

// crosstabBanners builds the study report and returns its crosstab
// banners by title.
func crosstabBanners(t *testing.T, ds *survey.Dataset) map[string]*Banner {
	t.Helper()
	sr, err := BuildStudyReport(context.Background(), ds, StudyOptions{MinBase: 10})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*Banner{}
	for _, s := range sr.Report.Sections {
		if s.Name != "Crosstabs" {
			continue
		}
		for _, b := range s.Banners {
			out[b.Title] = b
		}
	}
	return out
}

func rowLabels(b *Banner) []string {
	var out []string
	for _, r := range b.Rows {
		out = append(out, r.Label)
	}
	return out
}

// totalPct is the Total column's percentage on the row labelled label.
func totalPct(t *testing.T, b *Banner, label string) float64 {
	t.Helper()
	if b.Columns[0].Label != "Total" {
		t.Fatalf("first banner column = %q, want Total", b.Columns[0].Label)
	}
	for _, r := range b.Rows {
		if r.Label == label {
			return r.Cells[0].Pct
		}
	}
	t.Fatalf("banner %q has no row %q (rows %q)", b.Title, label, rowLabels(b))
	return math.NaN()
}

// share is the unweighted share of the fixture's 48 respondents (id
// 1–48, as make_labelled.sps numbers them) whose answer code(id) is in
// [lo, hi], among those answered (code not 0).
func share(code func(id int) int, lo, hi int) float64 {
	n, k := 0, 0
	for id := 1; id <= 48; id++ {
		c := code(id)
		if c == 0 {
			continue
		}
		n++
		if c >= lo && c <= hi {
			k++
		}
	}
	return float64(k) / float64(n)
}

// A study read from SPSS with no values: in the codebook shows the items'
// value labels as answers, in distributions and nets, the nets worded in
// the direction the labels run; a code the items label differently is
// shown as a number with a note; the codebook's values: still win.
func TestSAVValueLabelsInReport(t *testing.T) {
	const base = `title: SPSS labels
region: country
constructs:
  reversed: {items: [r1, r2], scale: [1, 5]}
  mixed: {items: [d1, d2], scale: [1, 5]}
`
	ds := labelledStudy(t, base+"  agreement: {items: [a1, a2], scale: [1, 5]}\n")
	banners := crosstabBanners(t, ds)

	a1 := func(id int) int { // 99 (Don't know) is user-missing
		if id == 7 {
			return 0
		}
		return 1 + id%5
	}
	r1 := func(id int) int { return 1 + 2*id%5 }
	d1 := func(id int) int { return 1 + (id+2)%5 }
	tests := []struct {
		title string
		rows  []string
		notes []string // each must be among the banner's notes
		pcts  map[string]float64
	}{
		{
			title: "Companies should ask before using my data — Agreement",
			rows:  []string{"Strongly disagree (1)", "Disagree (2)", "Neither agree nor disagree (3)", "Agree (4)", "Strongly agree (5)", "Agree (4–5)", "Disagree (1–2)", "Mean (1–5)"},
			pcts: map[string]float64{
				"Strongly agree (5)":    share(a1, 5, 5),
				"Strongly disagree (1)": share(a1, 1, 1),
				"Agree (4–5)":           share(a1, 4, 5),
				"Disagree (1–2)":        share(a1, 1, 2),
			},
		},
		{
			// 1 = Strongly agree: the top two codes are disagreement.
			title: "I trust apps with my location — Reversed",
			rows:  []string{"Strongly agree (1)", "Agree (2)", "Neither agree nor disagree (3)", "Disagree (4)", "Strongly disagree (5)", "Disagree (4–5)", "Agree (1–2)", "Mean (1–5)"},
			pcts: map[string]float64{
				"Strongly agree (1)": share(r1, 1, 1),
				"Disagree (4–5)":     share(r1, 4, 5),
				"Agree (1–2)":        share(r1, 1, 2),
			},
		},
		{
			title: "I use a VPN — Mixed",
			rows:  []string{"Strongly disagree (1)", "Disagree (2)", "3", "Agree (4)", "Strongly agree (5)", "Agree (4–5)", "Disagree (1–2)", "Mean (1–5)"},
			notes: []string{"The items' SPSS value labels differ for answer 3, shown as a number; add values: to the construct in the codebook to name it."},
			pcts:  map[string]float64{"3": share(d1, 3, 3), "Agree (4–5)": share(d1, 4, 5)},
		},
	}
	for _, tt := range tests {
		b := banners[tt.title]
		if b == nil {
			t.Errorf("no crosstab banner %q", tt.title)
			continue
		}
		if got := rowLabels(b); !reflect.DeepEqual(got, tt.rows) {
			t.Errorf("banner %q rows = %q, want %q", tt.title, got, tt.rows)
		}
		for _, n := range tt.notes {
			found := false
			for _, bn := range b.Notes {
				found = found || bn == n
			}
			if !found {
				t.Errorf("banner %q notes = %q, want %q among them", tt.title, b.Notes, n)
			}
		}
		for label, want := range tt.pcts {
			if got := totalPct(t, b, label); math.Abs(got-want) > 1e-9 {
				t.Errorf("banner %q row %q Total = %v, want %v", tt.title, label, got, want)
			}
		}
	}

	// The codebook's values: name the answers, not the file's labels.
	ds = labelledStudy(t, base+`  agreement:
    items: [a1, a2]
    scale: [1, 5]
    values: {Completely disagree: 1, Somewhat disagree: 2, Undecided: 3, Somewhat agree: 4, Completely agree: 5}
`)
	b := crosstabBanners(t, ds)["Companies should ask before using my data — Agreement"]
	if b == nil {
		t.Fatal("no crosstab banner for a1 with values:")
	}
	want := []string{"Completely disagree (1)", "Somewhat disagree (2)", "Undecided (3)", "Somewhat agree (4)", "Completely agree (5)", "Agree (4–5)", "Disagree (1–2)", "Mean (1–5)"}
	if got := rowLabels(b); !reflect.DeepEqual(got, want) {
		t.Errorf("with values:, rows = %q, want %q", got, want)
	}
	if got, want := totalPct(t, b, "Completely agree (5)"), share(a1, 5, 5); math.Abs(got-want) > 1e-9 {
		t.Errorf("with values:, Completely agree (5) Total = %v, want %v", got, want)
	}
}
