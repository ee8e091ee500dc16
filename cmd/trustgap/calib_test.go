package main

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The calibration panel (analysis/testdata/calib, R goldens in calib.json
// from calib.R) has a stratum with a single PSU, "IS-1".
var (
	panelDir      = filepath.Join("..", "..", "analysis", "testdata", "calib")
	panelData     = filepath.Join(panelDir, "panel.csv")
	panelCodebook = filepath.Join(panelDir, "codebook.yaml")
	panelTargets  = filepath.Join(panelDir, "targets.yaml")
)

// TestValidateNamesSinglePSUStrata: validate must not call clean a design
// every analysis refuses by default.
func TestValidateNamesSinglePSUStrata(t *testing.T) {
	code, out, errOut := runCLI(t, "validate", "--data", panelData, "--codebook", panelCodebook)
	if code != 1 || !strings.Contains(out, `stratum "IS-1" has only one PSU`) || !strings.Contains(out, "--lonely-psu") {
		t.Errorf("validate(panel) = exit %d, stdout %q, stderr %q; want 1 naming stratum IS-1 and --lonely-psu", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "validate", "--data", panelData, "--codebook", panelCodebook, "--lonely-psu", "adjust")
	if code != 0 || !strings.Contains(out, "ok: no problems found") {
		t.Errorf("validate(panel, --lonely-psu adjust) = exit %d, stdout %q, stderr %q; want 0", code, out, errOut)
	}
}

// TestWeightSinglePSUStratum: raking reads only the weights, so weight
// needs no --lonely-psu, and its weights are R's rake() weights.
func TestWeightSinglePSUStratum(t *testing.T) {
	out := filepath.Join(t.TempDir(), "raked.csv")
	code, _, errOut := runCLI(t, "weight", "--data", panelData, "--codebook", panelCodebook, "--targets", panelTargets, "-o", out)
	if code != 0 {
		t.Fatalf("weight(panel) = exit %d: %s", code, errOut)
	}
	b, err := os.ReadFile(filepath.Join(panelDir, "calib.json"))
	if err != nil {
		t.Fatal(err)
	}
	var golden struct {
		Raked []float64 `json:"raked_weights"`
	}
	if err := json.Unmarshal(b, &golden); err != nil {
		t.Fatal(err)
	}
	got := readColumn(t, out, "weight_raked")
	if len(got) != len(golden.Raked) {
		t.Fatalf("weight(panel) wrote %d weights, want %d", len(got), len(golden.Raked))
	}
	for i, w := range golden.Raked {
		if math.Abs(got[i]-w) > 1e-6*w {
			t.Errorf("weight(panel) respondent %d = %v, want R's %v", i+1, got[i], w)
		}
	}
}

// readColumn reads a numeric column of a CSV file.
func readColumn(t *testing.T, path, name string) []float64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for j, h := range recs[0] {
		if h == name {
			col = j
		}
	}
	if col < 0 {
		t.Fatalf("%s has no column %q", path, name)
	}
	out := make([]float64, 0, len(recs)-1)
	for _, r := range recs[1:] {
		v, err := strconv.ParseFloat(r[col], 64)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out = append(out, v)
	}
	return out
}

// The raked weights are written beside their own rows whatever order the
// load stores respondents in: on the panel with its rows reversed (PSUs
// out of order, which the lean load regroups), each row's weight is R's
// rake() weight of that respondent.
func TestWeightFollowsFileOrder(t *testing.T) {
	f, err := os.Open(panelData)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	pos := map[string]int{} // rid → its position in panel.csv
	for i, r := range recs[1:] {
		pos[r[0]] = i
	}
	slices.Reverse(recs[1:])
	dir := t.TempDir()
	data := filepath.Join(dir, "reversed.csv")
	var b strings.Builder
	w := csv.NewWriter(&b)
	if err := w.WriteAll(recs); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(data, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "raked.csv")
	if code, _, errOut := runCLI(t, "weight", "--data", data, "--codebook", panelCodebook, "--targets", panelTargets, "-o", out); code != 0 {
		t.Fatalf("weight(reversed panel) = exit %d: %s", code, errOut)
	}
	jb, err := os.ReadFile(filepath.Join(panelDir, "calib.json"))
	if err != nil {
		t.Fatal(err)
	}
	var golden struct {
		Raked []float64 `json:"raked_weights"`
	}
	if err := json.Unmarshal(jb, &golden); err != nil {
		t.Fatal(err)
	}
	got := readColumn(t, out, "weight_raked")
	if len(got) != len(recs)-1 {
		t.Fatalf("weight wrote %d rows, want %d", len(got), len(recs)-1)
	}
	bad := 0
	for i, r := range recs[1:] {
		want := golden.Raked[pos[r[0]]]
		if math.Abs(got[i]-want) > 1e-6*want {
			bad++
			if bad <= 3 {
				t.Errorf("weight(reversed panel) row %d (%s) = %v, want R's %v", i+1, r[0], got[i], want)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d rows have another respondent's weight", bad, len(got))
	}
}
