package analysis

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"
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
