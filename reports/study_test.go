package reports

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/trustgap/trustgap/analysis"
	"github.com/trustgap/trustgap/datasets"
	"github.com/trustgap/trustgap/survey"
)

// defaultStudy loads the embedded study through the real pipeline.
func defaultStudy(t testing.TB) *survey.Dataset {
	t.Helper()
	ds, err := datasets.LoadDefault(context.Background(), survey.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func TestBuildStudyReport(t *testing.T) {
	if testing.Short() {
		t.Skip("renders every chart")
	}
	ds := defaultStudy(t)
	sr, err := BuildStudyReport(context.Background(), ds, StudyOptions{Files: []string{datasets.DefaultResponsesName}})
	if err != nil {
		t.Fatal(err)
	}
	r := sr.Report
	var names []string
	for _, s := range r.Sections {
		names = append(names, s.Name)
	}
	if got, want := strings.Join(names, ","), "Paradox,Trust & comfort,Segments,Regions & segments,Comfort by data type,Crosstabs,Reliability"; got != want {
		t.Errorf("sections = %s, want %s", got, want)
	}
	if len(sr.Charts) != 5 {
		t.Errorf("%d charts, want 5 (gap, heat map, trust effect, westin, comfort)", len(sr.Charts))
	}
	// The first finding quotes the paradox analysis' own figures.
	p, err := analysis.Paradox(ds, analysis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	con := p.Estimates[0]
	if con.Statistic != "concerned" || !con.Domain.IsTotal() {
		t.Fatalf("first paradox row = %s %v, want the total's concerned", con.Statistic, con.Domain)
	}
	want := fmt.Sprintf("%.1f%% say they are concerned about their privacy [%.1f–%.1f]", 100*float64(con.Estimate), 100*float64(con.CILow), 100*float64(con.CIHigh))
	if len(r.Findings) == 0 || !strings.HasPrefix(r.Findings[0].Text, want) {
		t.Errorf("first finding = %q, want it to start %q", r.Findings[0].Text, want)
	}
	// The say-do gap table's total row holds the same estimate as a number.
	gap := r.Sections[0].Tables[0]
	if c := gap.Cell(0, 2); math.Abs(c.Num-float64(con.Estimate)) > 1e-12 || math.Abs(c.Lo-float64(con.CILow)) > 1e-12 {
		t.Errorf("say-do gap table total concerned = %v [%v], want %v [%v]", c.Num, c.Lo, con.Estimate, con.CILow)
	}
	// Methodology names the design and the suppression rule.
	var meth strings.Builder
	for _, kv := range r.Methodology {
		meth.WriteString(kv.Key + ": " + kv.Value + "\n")
	}
	for _, s := range []string{"5 strata (region)", "primary sampling units", "fewer than 30 respondents", "logit", datasets.DefaultResponsesName} {
		if !strings.Contains(meth.String(), s) {
			t.Errorf("methodology lacks %q:\n%s", s, meth.String())
		}
	}
	var md bytes.Buffer
	if err := WriteReportMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	golden(t, "study_report.md", md.Bytes())

	// Built section by section concurrently (as on a large study), the
	// report is the same.
	par, err := BuildStudyReport(context.Background(), ds, StudyOptions{Files: []string{datasets.DefaultResponsesName}, Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	var pmd bytes.Buffer
	if err := WriteReportMarkdown(&pmd, par.Report); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(pmd.Bytes(), md.Bytes()) {
		t.Errorf("BuildStudyReport with concurrent sections differs from the sequential build")
	}
	if len(par.Charts) != len(sr.Charts) {
		t.Fatalf("concurrent build: %d charts, want %d", len(par.Charts), len(sr.Charts))
	}
	for k := range par.Charts {
		if par.Charts[k].Name != sr.Charts[k].Name {
			t.Errorf("concurrent build: chart %d = %s, want %s", k, par.Charts[k].Name, sr.Charts[k].Name)
		}
	}
}

// TestBuildStudyReportSuppresses checks that estimates on bases below
// MinBase are suppressed in every table and banner of the report.
func TestBuildStudyReportSuppresses(t *testing.T) {
	if testing.Short() {
		t.Skip("renders every chart")
	}
	ds := defaultStudy(t)
	const minBase = 1000 // larger than the smallest regions and segments
	sr, err := BuildStudyReport(context.Background(), ds, StudyOptions{MinBase: minBase})
	if err != nil {
		t.Fatal(err)
	}
	// Every estimate of the paradox's wide tables sits before its base
	// (the next base column to its right).
	suppressed := 0
	for _, gap := range sr.Report.Sections[0].Tables[:3] {
		cols := gap.Cols()
		for i := 0; i < gap.NumRows(); i++ {
			for j := 2; j < len(cols); j++ {
				if cols[j].Kind != Percent && cols[j].Kind != Points {
					continue
				}
				k := j + 1
				for k < len(cols) && cols[k].Kind != Integer {
					k++
				}
				if k == len(cols) {
					t.Fatalf("%s: column %q has no base after it", gap.Title, cols[j].Name)
				}
				base := gap.Cell(i, k).Num
				c := gap.Cell(i, j)
				if c.Suppressed {
					suppressed++
				}
				if base < minBase && !c.Suppressed {
					t.Errorf("%s row %d (base %v) column %q shown, want suppressed below %d", gap.Title, i, base, cols[j].Name, minBase)
				}
			}
		}
	}
	if suppressed == 0 {
		t.Error("no cell suppressed with a minimum base of 1000")
	}
	for _, s := range sr.Report.Sections {
		for _, b := range s.Banners {
			for j, n := range b.UnweightedBase {
				if n >= minBase {
					continue
				}
				for _, row := range b.Rows {
					if c := row.Cells[j]; !c.Suppressed {
						t.Errorf("banner column %s (base %v) row %q shown, want suppressed", b.Columns[j].Letter, n, row.Label)
					}
				}
			}
		}
	}
}

// TestBuildPrivateReport checks a differentially private report: only the
// released sections, no intervals, the budget stated and not exceeded.
func TestBuildPrivateReport(t *testing.T) {
	if testing.Short() {
		t.Skip("renders every chart")
	}
	ds := defaultStudy(t)
	p, err := analysis.NewPrivacy(2, 5, PrivateTables(ds, defaultDeclared(t, ds)), 42)
	if err != nil {
		t.Fatal(err)
	}
	sr, err := BuildStudyReport(context.Background(), ds, StudyOptions{Privacy: p, DeclaredLevels: defaultDeclared(t, ds)})
	if err != nil {
		t.Fatal(err)
	}
	if p.Err() != nil {
		t.Fatalf("private report: %v", p.Err())
	}
	if p.Spent() > p.Epsilon+1e-12 || math.Abs(p.Spent()-p.Epsilon) > 1e-9 {
		t.Errorf("private report spent ε = %v, want exactly the planned %v", p.Spent(), p.Epsilon)
	}
	var names []string
	for _, s := range sr.Report.Sections {
		names = append(names, s.Name)
		for _, tb := range s.Tables {
			for i := 0; i < tb.NumRows(); i++ {
				for j, col := range tb.Cols() {
					// Every shown share carries its 95% noise interval.
					if c := tb.Cell(i, j); col.CI && !c.Suppressed && !math.IsNaN(c.Num) && (!c.HasCI || c.Lo > c.Num || c.Hi < c.Num) {
						t.Errorf("private report %s: table %q row %d: %v without a noise interval around it [%v, %v]", s.Name, tb.Title, i, c.Num, c.Lo, c.Hi)
					}
				}
			}
		}
	}
	if got := strings.Join(names, ","); got != "Paradox,Segments,Comfort by data type" {
		t.Errorf("private report sections = %s, want Paradox,Segments,Comfort by data type", got)
	}
	found := false
	for _, kv := range sr.Report.Methodology {
		if kv.Key == "Differential privacy" && strings.Contains(kv.Value, "ε = 2") {
			found = true
		}
	}
	if !found {
		t.Error("private report methodology does not state the budget ε = 2")
	}
}

// The banner's section is built first and those reading its sums last;
// the others keep their order.
func TestStepOrder(t *testing.T) {
	steps := []step{{}, {}, {}, {afterBanner: true}, {afterBanner: true}, {banner: true}, {}}
	got := order(steps)
	want := []int{5, 0, 1, 2, 6, 3, 4}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("order = %v, want %v", got, want)
	}
}

// TestPrivateReportIsPrivateThroughout: a --dp-epsilon report states no
// exact figure computed from respondents (their number, the weighting
// efficiency, degrees of freedom, PSU counts), marks the shares the noise
// makes unreliable, and its findings quote no unreliable share and
// compare none.
func TestPrivateReportIsPrivateThroughout(t *testing.T) {
	if testing.Short() {
		t.Skip("renders every chart")
	}
	ds := defaultStudy(t)
	d, err := analysis.StudyDesign(ds, analysis.LonelyFail)
	if err != nil {
		t.Fatal(err)
	}
	exact := map[string]string{
		"respondents":          grouped(float64(ds.N)),
		"respondents, plain":   fmt.Sprint(ds.N),
		"weighting efficiency": fmt.Sprintf("%.1f%%", 100*d.KishEfficiency(nil)),
		"degrees of freedom":   fmt.Sprint(d.DegF(nil)),
		"PSUs":                 fmt.Sprint(d.NumPSU()),
	}
	for _, tc := range []struct {
		eps         float64
		unreliable  bool // some share marked
		allMarked   bool // every share marked: no finding may quote one
		wantFinding string
	}{
		{2, true, false, ""},
		{200, false, false, "say they are concerned about their privacy (95% noise interval"},
		{0.05, true, true, "the noise is too large for any headline figure to be reliable"},
	} {
		p, err := analysis.NewPrivacy(tc.eps, 5, PrivateTables(ds, defaultDeclared(t, ds)), 42)
		if err != nil {
			t.Fatal(err)
		}
		sr, err := BuildStudyReport(context.Background(), ds, StudyOptions{Privacy: p, DeclaredLevels: defaultDeclared(t, ds)})
		if err != nil {
			t.Fatal(err)
		}
		r := sr.Report
		for _, kv := range r.Methodology {
			for what, v := range exact {
				if strings.Contains(" "+kv.Value+" ", " "+v+" ") || strings.Contains(kv.Value, " "+v+",") || strings.Contains(kv.Value, " "+v+")") || kv.Value == v {
					t.Errorf("ε = %g: Methodology %q states the exact %s (%s): %q", tc.eps, kv.Key, what, v, kv.Value)
				}
			}
			switch kv.Key {
			case "Degrees of freedom", "Weighting efficiency", "Variance estimation", "Intervals", "Significance":
				t.Errorf("ε = %g: Methodology has %q in a private report", tc.eps, kv.Key)
			}
		}
		var keys []string
		for _, kv := range r.Methodology {
			keys = append(keys, kv.Key)
		}
		for _, k := range []string{"Differential privacy", "Budget split", "Noise intervals", "Unreliable", "Exact", "Not protected"} {
			if !strings.Contains(strings.Join(keys, "|"), k) {
				t.Errorf("ε = %g: Methodology lacks %q", tc.eps, k)
			}
		}
		// No text calls the noise intervals confidence intervals.
		var md bytes.Buffer
		if err := WriteReportMarkdown(&md, r); err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(md.String(), "\n") {
			if strings.Contains(l, "confidence interval") && !strings.Contains(l, "not confidence intervals") && !strings.Contains(l, "Confidence intervals, tests") {
				t.Errorf("ε = %g: private report calls its brackets confidence intervals: %q", tc.eps, l)
			}
		}
		// No table ranks noisy shares: comfort by data type keeps the
		// codebook's order.
		var want []string
		for _, n := range comfortConstructs(ds) {
			want = append(want, titleCase(strings.ReplaceAll(strings.TrimPrefix(n, "comfort_"), "_", " ")))
		}
		for _, s := range r.Sections {
			for _, tb := range s.Tables {
				if !strings.HasPrefix(tb.Title, "Comfortable with personalization") {
					continue
				}
				var got []string
				for i := 0; i < tb.NumRows(); i++ {
					got = append(got, tb.Cell(i, 0).Text)
				}
				if strings.Join(got, ",") != strings.Join(want, ",") {
					t.Errorf("ε = %g: comfort rows %v, want the codebook's order %v", tc.eps, got, want)
				}
			}
		}
		marked, shares := 0, 0
		for _, s := range r.Sections {
			for _, tb := range s.Tables {
				for i := 0; i < tb.NumRows(); i++ {
					for j, col := range tb.Cols() {
						c := tb.Cell(i, j)
						if !col.CI || c.Suppressed || math.IsNaN(c.Num) {
							continue
						}
						shares++
						if c.Mark == unreliableMark {
							marked++
						}
					}
				}
			}
		}
		if tc.unreliable && marked == 0 || !tc.unreliable && 2*marked > shares {
			t.Errorf("ε = %g: %d of %d shares marked unreliable, want some: %v (else at most half)", tc.eps, marked, shares, tc.unreliable)
		}
		if tc.allMarked && marked != shares {
			t.Errorf("ε = %g: %d of %d shares marked unreliable, want all", tc.eps, marked, shares)
		}
		var text []string
		for _, f := range r.Findings {
			text = append(text, f.Text)
			for _, w := range []string{"highest", "lowest", "widest", "narrowest", "higher", "lower", "differs", " vs "} {
				if strings.Contains(f.Text, w) {
					t.Errorf("ε = %g: finding %q compares figures (%q)", tc.eps, f.Text, w)
				}
			}
			if tc.allMarked && strings.Contains(f.Text, "%  ") {
				t.Errorf("ε = %g: finding %q quotes a share though every share is unreliable", tc.eps, f.Text)
			}
		}
		if tc.wantFinding != "" && !strings.Contains(strings.Join(text, "\n"), tc.wantFinding) {
			t.Errorf("ε = %g: findings %q, want one containing %q", tc.eps, text, tc.wantFinding)
		}
		if tc.allMarked {
			for _, f := range text {
				if strings.Contains(f, "say they are concerned") || strings.Contains(f, "act to protect") {
					t.Errorf("ε = %g: finding %q quotes an unreliable share", tc.eps, f)
				}
			}
		}
	}
}

// defaultDeclared is the embedded codebook's declared region and segment
// levels, as the report command passes them.
func defaultDeclared(t testing.TB, ds *survey.Dataset) map[string][]string {
	t.Helper()
	cb, err := survey.ParseCodebook(bytes.NewReader(datasets.Codebook()), datasets.DefaultCodebookName)
	if err != nil {
		t.Fatal(err)
	}
	return DeclaredLevels(cb, ds)
}
