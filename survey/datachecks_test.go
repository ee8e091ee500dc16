package survey

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/trustgap/trustgap/internal/leanload"
)

// loadTexts loads CSV texts (name -> content, in order) with codebook yml.
func loadTexts(t *testing.T, yml string, files ...[2]string) (*Dataset, error) {
	t.Helper()
	cb, err := ParseCodebook(strings.NewReader(yml), "codebook.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var ts []TableReader
	for _, f := range files {
		tr, err := NewCSVReader(strings.NewReader(f[1]), f[0], ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		ts = append(ts, tr)
	}
	return Load(context.Background(), cb, ts, LoadOptions{lean: leanload.Options{SkipID: true, Compact: true}})
}

// rowsCSV writes n respondents: id (from first), weight w(i) and an item.
func rowsCSV(first, n int, w func(i int) string) string {
	var b strings.Builder
	b.WriteString("rid,wt,q1\n")
	for i := range n {
		fmt.Fprintf(&b, "p%d@example.com,%s,%d\n", first+i, w(i), 1+i%5)
	}
	return b.String()
}

const checksCodebook = `design: {id: rid, weight: wt}
constructs:
  c: {items: [q1], scale: [1, 5], flag: ">= 4"}
`

func one(int) string { return "1" }

// TestIDsAcrossFiles: the same file twice, and a respondent in two files,
// are problems naming both files and the first duplicate row, and never
// the id; files with distinct ids load.
func TestIDsAcrossFiles(t *testing.T) {
	a := rowsCSV(0, 50, one)
	tests := []struct {
		name  string
		files [][2]string
		want  []string // substrings of the error; nil: no error
	}{
		{"distinct", [][2]string{{"a.csv", a}, {"b.csv", rowsCSV(50, 50, one)}}, nil},
		{"same file twice", [][2]string{{"a.csv", a}, {"a.csv", a}}, []string{"a.csv: row 2", "every respondent id is also in a.csv", "same file given twice"}},
		// b.csv's rows 2.. hold ids 40..89: its row 2 is a.csv's row 42.
		{"overlap", [][2]string{{"a.csv", a}, {"b.csv", rowsCSV(40, 50, one)}}, []string{"b.csv: row 2", "also in a.csv row 42", "10 ids"}},
		{"one shared", [][2]string{{"a.csv", a}, {"b.csv", rowsCSV(100, 9, one) + "p7@example.com,1,3\n"}}, []string{"b.csv: row 11", "also in a.csv row 9"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadTexts(t, checksCodebook, tt.files...)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Load = %v, want no error", err)
				}
				return
			}
			var pe *ProblemsError
			if !errors.As(err, &pe) {
				t.Fatalf("Load = %v, want a *ProblemsError", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Load error %q, want it to contain %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "@example.com") {
				t.Errorf("Load error %q shows an id", err)
			}
		})
	}
}

// TestIDScopeFile: waves whose ids restart at 1 are refused by default,
// with the message saying how to go on (id_scope: file); with it they
// stack, and Validate still finds a duplicate id within one file, but
// not the same id in two files.
func TestIDScopeFile(t *testing.T) {
	w1, w2 := rowsCSV(0, 50, one), rowsCSV(0, 30, one)
	_, err := loadTexts(t, checksCodebook, [2]string{"wave1.csv", w1}, [2]string{"wave2.csv", w2})
	if err == nil || !strings.Contains(err.Error(), "wave2.csv: row 2") || !strings.Contains(err.Error(), "id_scope: file") {
		t.Fatalf("Load(waves with restarting ids) = %v, want the duplicate named and id_scope: file suggested", err)
	}
	// Validate lists the same duplicates, with the same way forward.
	cbDefault, err := ParseCodebook(strings.NewReader(checksCodebook), "codebook.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var waves []TableReader
	for _, f := range [][2]string{{"wave1.csv", w1}, {"wave2.csv", w2}} {
		tr, err := NewCSVReader(strings.NewReader(f[1]), f[0], ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		waves = append(waves, tr)
	}
	probs, _, err := Validate(context.Background(), cbDefault, waves, LoadOptions{})
	if err != nil || len(probs) == 0 || !strings.Contains(probs[0].String(), "wave1.csv row 2") || !strings.Contains(probs[0].String(), "id_scope: file") {
		t.Errorf("Validate(waves with restarting ids) = %v, %v; want wave2.csv's first row as wave1.csv's row 2, with id_scope: file suggested", probs, err)
	}
	perFile := strings.Replace(checksCodebook, "{id: rid,", "{id: rid, id_scope: file,", 1)
	ds, err := loadTexts(t, perFile, [2]string{"wave1.csv", w1}, [2]string{"wave2.csv", w2})
	if err != nil || ds.N != 80 {
		t.Fatalf("Load(id_scope: file) = %v, error %v; want 80 respondents", ds, err)
	}
	cb, err := ParseCodebook(strings.NewReader(perFile), "codebook.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var ts []TableReader
	for _, f := range [][2]string{{"wave1.csv", w1}, {"wave2.csv", w2 + "p3@example.com,1,2\n"}} {
		tr, err := NewCSVReader(strings.NewReader(f[1]), f[0], ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		ts = append(ts, tr)
	}
	probs, _, err = Validate(context.Background(), cb, ts, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var dups []string
	for _, p := range probs {
		if strings.Contains(p.Msg, "duplicate id") {
			dups = append(dups, p.String())
		}
	}
	if len(dups) != 1 || !strings.Contains(dups[0], "wave2.csv: row 32") || !strings.Contains(dups[0], "same as row 5") {
		t.Errorf("Validate(id_scope: file) duplicates = %q, want wave2.csv's row 32 as the same as its row 5, alone", dups)
	}
	bad := strings.Replace(checksCodebook, "{id: rid,", "{id: rid, id_scope: wave,", 1)
	if _, err := ParseCodebook(strings.NewReader(bad), "codebook.yaml"); err == nil || !strings.Contains(err.Error(), "id_scope") {
		t.Errorf("ParseCodebook(id_scope: wave) = %v, want a problem naming id_scope", err)
	}
}

// TestWeightChecks: weights whose total overflows are an error; one
// weight holding most of the total is a warning naming its row.
func TestWeightChecks(t *testing.T) {
	_, err := loadTexts(t, checksCodebook, [2]string{"a.csv", rowsCSV(0, 40, func(int) string { return "1e308" })})
	if err == nil || !strings.Contains(err.Error(), "weights add up to more than") {
		t.Errorf("Load(all weights 1e308) = %v, want an error about the total", err)
	}
	ds, err := loadTexts(t, checksCodebook, [2]string{"a.csv", rowsCSV(0, 40, func(i int) string {
		if i == 16 {
			return "1e308"
		}
		return "1"
	})})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Warnings) != 1 || !strings.Contains(ds.Warnings[0].String(), "row 18 has 100% of the total weight") {
		t.Errorf("Load(one weight 1e308) warnings = %v, want one naming row 18", ds.Warnings)
	}
	ds, err = loadTexts(t, checksCodebook, [2]string{"a.csv", rowsCSV(0, 40, func(i int) string { return fmt.Sprint(1 + i%3) })})
	if err != nil || len(ds.Warnings) != 0 {
		t.Errorf("Load(ordinary weights) = %v, warnings %v; want neither", err, ds.Warnings)
	}
}
