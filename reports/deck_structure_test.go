package reports

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/trustgap/trustgap/datasets"
	"github.com/trustgap/trustgap/internal/leanload"
	"github.com/trustgap/trustgap/survey"
	"github.com/xuri/excelize/v2"
)

// kozyreva loads the real survey of Kozyreva et al. (2021) from
// shared/realdata above the repository with its codebook, or skips.
func kozyreva(t *testing.T) (*survey.Dataset, *survey.Codebook) {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir := ""
	for up := root; ; up = filepath.Dir(up) {
		p := filepath.Join(up, "shared", "realdata", "kozyreva2021")
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			dir = p
			break
		}
		if filepath.Dir(up) == up {
			t.Skip("real data not available above the repository")
		}
	}
	cb, err := survey.LoadCodebook(filepath.Join(root, "survey", "testdata", "kozyreva", "codebook.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var tables []survey.TableReader
	for _, f := range []string{"data_GER.csv", "data_GB_US.csv"} {
		tr, err := survey.OpenTable(context.Background(), filepath.Join(dir, f), survey.ReadOptions{})
		if err != nil {
			t.Skipf("real data not available: %v", err)
		}
		t.Cleanup(func() { tr.Close() })
		tables = append(tables, tr)
	}
	ds, err := survey.Load(leanload.With(context.Background(), leanload.Options{Compact: true}), cb, tables, survey.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return ds, cb
}

// TestDeckStructure opens the deck of the default study and of the real
// Kozyreva survey as a client would and checks what makes it one to hand
// over: every banner with its three bases, points formatted as points,
// print set-up and frozen panes, a way back to Contents, and no cell
// holding an error, NaN or a raw codebook name.
func TestDeckStructure(t *testing.T) {
	if testing.Short() {
		t.Skip("renders every chart")
	}
	defCB, err := survey.ParseCodebook(bytes.NewReader(datasets.Codebook()), "codebook.yaml")
	if err != nil {
		t.Fatal(err)
	}
	studies := []struct {
		name string
		load func(t *testing.T) (*survey.Dataset, *survey.Codebook)
		// raw are codebook names that must not reach a reader.
		raw []string
		// sheets that must be there.
		sheets []string
	}{
		{"default", func(t *testing.T) (*survey.Dataset, *survey.Codebook) { return defaultStudy(t), defCB },
			[]string{"comfort_name", "benefit_money", "concern_score", "protection_score", "sh_location", "cf_overall", "pc4", "(>= 4)"},
			[]string{"Paradox", "Trust & comfort", "Comfort with personalization b", "Crosstabs", "Methodology"}},
		{"kozyreva", kozyreva,
			[]string{"concern_privacy", "acc_ads", "tool_adblock", "accept_info", "concern_score", "protection_score", "(>= 3)"},
			[]string{"Paradox", "Accepts personalized services ", "Regions & segments", "Crosstabs", "Methodology"}},
	}
	bad := regexp.MustCompile(`NaN|\bInf\b|missing construct|error|codebook has no "`)
	for _, st := range studies {
		t.Run(st.name, func(t *testing.T) {
			ds, cb := st.load(t)
			sr, err := BuildStudyReport(context.Background(), ds, StudyOptions{Report: cb.Report, Study: cb.Study, Version: "test", RunDate: time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)})
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := WriteXLSX(&buf, sr.Report); err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenReader(&buf)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			sheets := f.GetSheetList()
			for _, want := range st.sheets {
				found := false
				for _, s := range sheets {
					found = found || strings.HasPrefix(s, want)
				}
				if !found {
					t.Errorf("sheets %q: none starts with %q", sheets, want)
				}
			}
			titles := map[string]bool{}
			for _, dn := range f.GetDefinedName() {
				if dn.Name == "_xlnm.Print_Titles" {
					titles[dn.Scope] = true
				}
			}
			for _, name := range sheets {
				rows, err := f.GetRows(name)
				if err != nil {
					t.Fatal(err)
				}
				for r, row := range rows {
					for c, v := range row {
						if bad.MatchString(v) {
							t.Errorf("%s!%s = %q: error text or a non-number", name, cell(c+1, r+1), v)
						}
						for _, raw := range st.raw {
							if strings.Contains(v, raw) && !strings.HasPrefix(v, "embedded:") {
								t.Errorf("%s!%s = %q: raw codebook name %q", name, cell(c+1, r+1), v, raw)
							}
						}
					}
				}
				pl, err := f.GetPageLayout(name)
				if err != nil || pl.Orientation == nil || *pl.Orientation != "landscape" || pl.FitToWidth == nil || *pl.FitToWidth != 1 || pl.Size == nil || *pl.Size != 9 {
					t.Errorf("%s: page layout %+v, want A4 landscape fitted to the page's width", name, pl)
				}
				if p, err := f.GetPanes(name); err != nil || !p.Freeze {
					t.Errorf("%s: panes %+v, want frozen", name, p)
				}
				if name != sheetContents {
					found := false
					for _, a := range []string{"A2", "A3"} {
						if ok, target, _ := f.GetCellHyperLink(name, a); ok && target == "'Contents'!A1" {
							found = true
						}
					}
					if !found {
						t.Errorf("%s: no link back to Contents", name)
					}
				}
				if strings.HasPrefix(name, "Crosstabs") {
					if !titles[name] {
						t.Errorf("%s: no print titles", name)
					}
					// Every banner shows its three bases.
					count := map[string]int{}
					for _, row := range rows {
						if len(row) > 0 {
							count[row[0]]++
						}
					}
					n := 0
					for _, s := range sr.Report.Sections {
						if s.Name == "Crosstabs" {
							n = len(s.Banners)
						}
					}
					// Each banner's title row is tall enough to stand clear of
					// the header repeated above it on a new page.
					titles := map[string]bool{}
					for _, s := range sr.Report.Sections {
						if s.Name == "Crosstabs" {
							for _, bn := range s.Banners {
								titles[bn.Title] = true
							}
						}
					}
					for r, row := range rows {
						if len(row) > 0 && titles[row[0]] {
							if h, err := f.GetRowHeight(name, r+1); err != nil || h < 20 {
								t.Errorf("%s row %d (banner %q) is %v points high, want 20 or more", name, r+1, row[0], h)
							}
						}
					}
					for _, b := range []string{"Unweighted base", "Weighted base", "Effective base"} {
						if count[b] != n || n == 0 {
							t.Errorf("%s: %d rows %q for %d banners", name, count[b], b, n)
						}
					}
				}
			}
			// Percentage points are formatted as points.
			rows, _ := f.GetRows("Paradox (2)")
			gapCol := 0
			for r, row := range rows {
				for c, v := range row {
					if v == "Gap (points)" {
						gapCol = c + 1
						if got := numFmtOf(t, f, "Paradox (2)", cell(gapCol, r+2)); got != `+0.0" pts";-0.0" pts";0.0" pts"` {
							t.Errorf("gap format = %q, want points", got)
						}
					}
				}
			}
			if gapCol == 0 {
				t.Error(`no "Gap (points)" column on Paradox (2)`)
			}
			// Methodology states the figures as numbers.
			n := rowOf(t, f, sheetMethodology, "Respondents")
			if typ, _ := f.GetCellType(sheetMethodology, cell(2, n)); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
				t.Errorf("Methodology respondents stored as %v, want a number", typ)
			}
			for _, key := range []string{"Tool", "Run", "Weighting", "Fieldwork", "Population", "Sample"} {
				rowOf(t, f, sheetMethodology, key)
			}
		})
	}
}

func TestTargetsText(t *testing.T) {
	wd := &survey.WeightingDef{Rake: []survey.MarginDef{{Column: "region", Levels: []string{"North", "South"}, Shares: []float64{0.35, 0.65}}}, Bounds: []float64{0.3, 3}, Total: 10000}
	got := targetsText(wd, func(v string) string { return map[string]string{"region": "Country"}[v] })
	want := "Raked within bounds (as R's survey::calibrate with calfun = \"raking\", bounds.const = TRUE) to the population margins country: North 35.0%, South 65.0%; weights kept within 0.3–3 times the mean; population total 10,000."
	if got != want {
		t.Errorf("targetsText = %q, want %q", got, want)
	}
}
