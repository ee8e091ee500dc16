package analysis

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/trustgap/trustgap/internal/leanload"
	"github.com/trustgap/trustgap/survey"
)

// panelDesign builds the calibration panel's design (testdata/calib) from
// its CSV with rule lonely, and returns pc1 (NaN: missing) and each
// respondent's stratum and region.
func panelDesign(t *testing.T, lonely LonelyPSU) (d *Design, pc1 []float64, stratum, region []string) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "calib", "panel.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for j, h := range recs[0] {
		col[h] = j
	}
	num := func(s string) float64 {
		if s == "" {
			return math.NaN()
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	codes := map[string]int32{}
	var spec DesignSpec
	for _, r := range recs[1:] {
		s := r[col["stratum"]]
		if _, ok := codes[s]; !ok {
			codes[s] = int32(len(codes))
		}
		spec.Strata = append(spec.Strata, codes[s])
		spec.PSU = append(spec.PSU, int32(num(r[col["psu"]])))
		spec.Weights = append(spec.Weights, num(r[col["weight"]]))
		spec.FPC = append(spec.FPC, num(r[col["fpc"]]))
		pc1 = append(pc1, num(r[col["pc1"]]))
		stratum = append(stratum, s)
		region = append(region, r[col["region"]])
	}
	spec.Lonely = lonely
	d, err = NewDesign(len(pc1), spec)
	if err != nil {
		t.Fatal(err)
	}
	return d, pc1, stratum, region
}

// TestLonelyAverageAllLonely: a domain held by the single-PSU stratum
// alone has every stratum it touches lonely: R's variance is 0·(1/0), NaN
// (average.json's is1_only), and so is trustgap's.
func TestLonelyAverageAllLonely(t *testing.T) {
	var g struct {
		IS1 struct {
			Mean  float64  `json:"mean"`
			Total float64  `json:"total"`
			SE    *float64 `json:"se"`
		} `json:"is1_only"`
	}
	b, err := os.ReadFile(filepath.Join("testdata", "calib", "average.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	d, pc1, stratum, _ := panelDesign(t, LonelyAverage)
	in := make([]bool, len(pc1))
	for i, s := range stratum {
		in[i] = s == "IS-1"
	}
	m, tot := d.Mean(pc1, in, 0.95), d.Total(pc1, in, 0.95)
	if math.Abs(m.Estimate-g.IS1.Mean) > 1e-9 || !math.IsNaN(m.SE) {
		t.Errorf("Mean(pc1 in IS-1) = %v ± %v, want R's %v ± NaN", m.Estimate, m.SE, g.IS1.Mean)
	}
	if math.Abs(tot.Estimate-g.IS1.Total) > 1e-9 || !math.IsNaN(tot.SE) {
		t.Errorf("Total(pc1 in IS-1) = %v ± %v, want R's %v ± NaN", tot.Estimate, tot.SE, g.IS1.Total)
	}
}

// TestLonelyAverageEngines: under LonelyAverage the analyses' engine
// (MeanBy: describe, banner, paradox) gives each domain the factor of its
// own strata, as Design.Mean on the domain does (tested against R in
// cmd/trustgap's TestEstimateLonelyAverage); with the factor of the
// whole design instead, the panel's Island (no respondent in IS-1) would
// be off by √(5/4).
func TestLonelyAverageEngines(t *testing.T) {
	d, pc1, _, region := panelDesign(t, LonelyAverage)
	rm, _, _, _ := panelDesign(t, LonelyRemove)
	levels := map[string]int32{}
	groups := make([]int32, len(region))
	for i, r := range region {
		if _, ok := levels[r]; !ok {
			levels[r] = int32(len(levels))
		}
		groups[i] = levels[r]
	}
	// Nobody in Island answered pc1: a variable everyone answers too.
	all := make([]float64, len(pc1))
	for i := range all {
		all[i] = float64(i % 3)
	}
	for _, y := range [][]float64{pc1, all} {
		by := d.MeanBy(y, groups, len(levels), 0.95)
		for r, g := range levels {
			in := make([]bool, len(region))
			for i := range in {
				in[i] = groups[i] == g
			}
			want := d.Mean(y, in, 0.95)
			got := by[g]
			if math.IsNaN(want.SE) != math.IsNaN(got.SE) || math.Abs(got.SE-want.SE) > 1e-12*want.SE {
				t.Errorf("MeanBy(%s).SE = %v, want Mean's %v", r, got.SE, want.SE)
			}
			// The factor: 5/4 with respondents in IS-1 (the last
			// stratum), else 1.
			base := rm.Mean(y, in, 0.95)
			f := 1.0
			for i := range in {
				if in[i] && !math.IsNaN(y[i]) && d.psuStratum[d.psu[i]] == int32(d.NumStrata()-1) {
					f = 5.0 / 4
				}
			}
			if want.N > 0 && math.Abs(want.SE*want.SE-f*base.SE*base.SE) > 1e-12*want.SE*want.SE {
				t.Errorf("Mean(%s) variance = %v, want %v × remove's %v", r, want.SE*want.SE, f, base.SE*base.SE)
			}
		}
	}
}

// TestLonelyAverageCompareTrust: under LonelyAverage, Compare's level −
// rest differences and Rao-Scott tests, and Trust by gender (shares,
// effect, log odds ratio, the adjusted model's coefficients) equal R's
// svyglm/svychisq/svymean under options(survey.lonely.psu = "average")
// (average.json), each with the factor of its own rows' strata; so do
// Describe's shares and means by region (svymean in each region).
func TestLonelyAverageCompareTrust(t *testing.T) {
	var g struct {
		Cmp   []goldenComparison `json:"compare"`
		Tests []Test             `json:"compare_tests"`
		Trust []struct {
			Statistic string            `json:"statistic"`
			Domain    map[string]string `json:"domain"`
			Estimate  Num               `json:"estimate"`
			SE        Num               `json:"se"`
		} `json:"trust"`
		Adjusted struct {
			DF    int `json:"df"`
			Terms []struct {
				Term     string `json:"term"`
				Estimate Num    `json:"estimate"`
				SE       Num    `json:"se"`
			} `json:"terms"`
		} `json:"trust_adjusted"`
		Describe []struct {
			Variable string            `json:"variable"`
			Domain   map[string]string `json:"domain"`
			Estimate Num               `json:"estimate"`
			SE       Num               `json:"se"`
		} `json:"describe"`
	}
	b, err := os.ReadFile(filepath.Join("testdata", "calib", "average.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	if len(g.Describe) != 13 || len(g.Cmp) != 13 || len(g.Tests) != 4 || len(g.Trust) != 12 || len(g.Adjusted.Terms) != 10 {
		t.Fatalf("average.json has %d comparisons, %d tests, %d trust rows, %d terms", len(g.Cmp), len(g.Tests), len(g.Trust), len(g.Adjusted.Terms))
	}
	// The lean load's grouped PSUs take the engine's other paths (sums
	// kept as moments).
	for _, compact := range []bool{false, true} {
		ds := loadPanelLean(t, survey.LoadOptions{Extra: []string{"generation"}, Categorical: []string{"generation"}}, leanload.Options{Compact: compact, GroupByPSU: compact})
		desc, err := Describe(ds, Options{Lonely: LonelyAverage, By: []string{"region"}})
		if err != nil {
			t.Fatal(err)
		}
		drows := map[string]Row{}
		for _, r := range desc.Estimates {
			drows[r.Statistic+" "+r.Domain.Level] = r
		}
		c := checker{t, fmt.Sprintf("Describe(panel, average, compact %v)", compact)}
		for _, w := range g.Describe {
			k := w.Variable + " " + w.Domain["region"]
			r, ok := drows[k]
			if !ok {
				t.Errorf("Describe(panel, average) has no row %s", k)
				continue
			}
			c.num(k, "estimate", r.Estimate, w.Estimate)
			c.num(k, "se", r.SE, w.SE)
		}
		res, err := Compare(ds, Options{Lonely: LonelyAverage, By: []string{"gender", "region"}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		c = checker{t, fmt.Sprintf("Compare(panel, average, compact %v)", compact)}
		c.comparisons(res.Comparisons, g.Cmp)
		c.testsOf(res.Tests, g.Tests)

		tr, err := Trust(ds, Options{Lonely: LonelyAverage, By: []string{"gender"}})
		if err != nil {
			t.Fatal(err)
		}
		rows := map[string][2]Num{}
		for _, r := range tr.Estimates {
			rows[r.Statistic+" "+r.Domain.Level] = [2]Num{r.Estimate, r.SE}
		}
		for _, o := range tr.OddsRatios {
			rows["log_odds_ratio "+o.Domain.Level] = [2]Num{o.LogOR, o.LogORSE}
		}
		c = checker{t, fmt.Sprintf("Trust(panel, average, compact %v)", compact)}
		for _, w := range g.Trust {
			k := w.Statistic + " " + w.Domain["gender"]
			r, ok := rows[k]
			if !ok {
				t.Errorf("Trust(panel, average) has no row %s", k)
				continue
			}
			c.num(k, "estimate", r[0], w.Estimate)
			c.num(k, "se", r[1], w.SE)
		}
		// Design.Logistic (glm.go's sandwich, respondent by respondent)
		// is the total's two-group log odds ratio too.
		d, err := StudyDesign(ds, LonelyAverage)
		if err != nil {
			t.Fatal(err)
		}
		y := flagVec(ds.Construct("comfort")).materialize(ds.N)
		x := flagVec(ds.Construct("trust")).materialize(ds.N)
		fit, err := d.Logistic(y, [][]float64{x}, []string{"trust"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range g.Trust {
			if w.Statistic == "log_odds_ratio" && w.Domain == nil {
				c.num("Logistic", "trust", Num(fit.Coef[1]), w.Estimate)
				c.num("Logistic", "trust se", Num(fit.SE[1]), w.SE)
			}
		}
		a := tr.Adjusted
		if len(a.Terms) != len(g.Adjusted.Terms) {
			t.Fatalf("Trust(panel, average) adjusted has %d terms, want %d", len(a.Terms), len(g.Adjusted.Terms))
		}
		for j, w := range g.Adjusted.Terms {
			c.num(w.Term, "estimate", a.Terms[j].Estimate, w.Estimate)
			c.num(w.Term, "se", a.Terms[j].SE, w.SE)
		}
	}
}
