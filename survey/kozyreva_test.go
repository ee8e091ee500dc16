package survey

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// kozyrevaDir finds the real data beside the repository
// (../shared/realdata/kozyreva2021 from the repository root), or skips.
func kozyrevaDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("repository root not found")
		}
		dir = parent
	}
	// Beside the repository, or beside the worktrees' folder.
	for _, up := range []string{"..", filepath.Join("..", "..")} {
		data := filepath.Join(dir, up, "shared", "realdata", "kozyreva2021")
		if _, err = os.Stat(filepath.Join(data, "data_GER.csv")); err == nil {
			return data
		}
	}
	t.Skipf("real data not available: %v", err)
	return ""
}

func openKozyreva(t *testing.T, cb *Codebook) []TableReader {
	t.Helper()
	dir := kozyrevaDir(t)
	var ts []TableReader
	for _, f := range []string{"data_GER.csv", "data_GB_US.csv"} {
		tr, err := OpenTable(context.Background(), filepath.Join(dir, f), ReadOptions{HeaderRows: cb.HeaderRows})
		if err != nil {
			t.Fatalf("OpenTable(%s): %v", f, err)
		}
		t.Cleanup(func() { tr.Close() })
		ts = append(ts, tr)
	}
	return ts
}

// TestKozyreva loads both exports of Kozyreva et al. (2021) through
// testdata/kozyreva/codebook.yaml and checks the share concerned about
// data privacy per country against the paper (82% DE, 81% GB, 82% US)
// and against R's survey package (testdata/kozyreva/concern.R).
func TestKozyreva(t *testing.T) {
	cb, err := LoadCodebook(filepath.Join("testdata", "kozyreva", "codebook.yaml"))
	if err != nil {
		t.Fatalf("LoadCodebook: %v", err)
	}
	ds, err := Load(context.Background(), cb, openKozyreva(t, cb), LoadOptions{})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if ds.N != 3216 {
		t.Errorf("N = %d, want 3216", ds.N)
	}
	// The codebook's levels: order (first-seen would be DE, US, GB).
	if want := []string{"DE", "GB", "US"}; !reflect.DeepEqual(ds.Region.Levels, want) {
		t.Errorf("Region.Levels = %v, want %v", ds.Region.Levels, want)
	}
	if want := []string{"concern", "protection", "adjusted", "comfort", "accept_info", "accept_data", "left_right"}; !reflect.DeepEqual(cb.ConstructOrder, want) {
		t.Errorf("ConstructOrder = %v, want %v", cb.ConstructOrder, want)
	}

	var golden struct {
		Respondents int
		Countries   []struct {
			Country              string
			N                    int
			Unweighted, Weighted float64
		}
	}
	b, err := os.ReadFile(filepath.Join("testdata", "kozyreva", "concern.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &golden); err != nil {
		t.Fatal(err)
	}
	published := map[string]float64{"DE": 0.82, "GB": 0.81, "US": 0.82}

	flag := ds.Construct("concern").flag
	n := make([]int, len(ds.Region.Levels))
	flagged, sumW, sumWFlag := make([]float64, len(n)), make([]float64, len(n)), make([]float64, len(n))
	for i, k := range ds.Region.Codes {
		if math.IsNaN(flag[i]) {
			t.Fatalf("respondent %d has no concern flag", i+1)
		}
		n[k]++
		flagged[k] += flag[i]
		sumW[k] += ds.Weights[i]
		sumWFlag[k] += ds.Weights[i] * flag[i]
	}
	for _, g := range golden.Countries {
		k := -1
		for j, l := range ds.Region.Levels {
			if l == g.Country {
				k = j
			}
		}
		if k < 0 {
			t.Errorf("country %s missing from Region", g.Country)
			continue
		}
		unw, w := flagged[k]/float64(n[k]), sumWFlag[k]/sumW[k]
		t.Logf("%s: n = %d, concerned %.2f%% unweighted, %.2f%% weighted (published %.0f%%)", g.Country, n[k], 100*unw, 100*w, 100*published[g.Country])
		if n[k] != g.N {
			t.Errorf("%s respondents = %d, want %d", g.Country, n[k], g.N)
		}
		if math.Abs(unw-g.Unweighted) > 1e-9 || math.Abs(w-g.Weighted) > 1e-9 {
			t.Errorf("%s concerned = %.12f unweighted, %.12f weighted, want R's %.12f, %.12f (±1e-9)", g.Country, unw, w, g.Unweighted, g.Weighted)
		}
		for _, share := range []float64{unw, w} {
			if math.Abs(share-published[g.Country]) > 0.01 {
				t.Errorf("%s concerned = %.4f, want the published %.2f ± 0.01", g.Country, share, published[g.Country])
			}
		}
	}
	if golden.Respondents != ds.N {
		t.Errorf("N = %d, want R's %d", ds.N, golden.Respondents)
	}
}

// TestKozyrevaValidate: the real data pass validation without problems or
// identifier warnings (the authors removed the free-text comments).
func TestKozyrevaValidate(t *testing.T) {
	cb, err := LoadCodebook(filepath.Join("testdata", "kozyreva", "codebook.yaml"))
	if err != nil {
		t.Fatalf("LoadCodebook: %v", err)
	}
	problems, warnings, err := Validate(context.Background(), cb, openKozyreva(t, cb), LoadOptions{Extra: []string{"education", "area"}})
	if err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if len(problems) != 0 || len(warnings) != 0 {
		t.Errorf("Validate = %v, %v, want no problems and no warnings", problems, warnings)
	}
}
