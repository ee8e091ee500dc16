package survey

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files under testdata/")

// checkGolden compares got with the golden file, rewriting it under -update.
func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *updateGolden {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file:\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

// TestParseCodebookGolden parses every testdata/codebook/*.yaml and
// compares the codebook (as JSON) or the error with NAME.golden.
func TestParseCodebookGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "codebook", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no codebooks in testdata/codebook: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			cb, err := LoadCodebook(f)
			var out bytes.Buffer
			if err != nil {
				out.WriteString("error:\n" + err.Error() + "\n")
			}
			if cb != nil {
				out.WriteString("codebook:\n")
				enc := json.NewEncoder(&out)
				enc.SetIndent("", "  ")
				enc.SetEscapeHTML(false)
				if err := enc.Encode(cb); err != nil {
					t.Fatal(err)
				}
			}
			checkGolden(t, strings.TrimSuffix(f, ".yaml")+".golden", out.Bytes())
		})
	}
}

func TestParseCodebookOrderAndTypes(t *testing.T) {
	cb, err := LoadCodebook(filepath.Join("testdata", "codebook", "full.yaml"))
	if err != nil {
		t.Fatalf("LoadCodebook(full.yaml): %v", err)
	}
	if want := []string{"concern", "protection", "sharing", "trust", "comfort", "westin"}; !reflect.DeepEqual(cb.ConstructOrder, want) {
		t.Errorf("ConstructOrder = %v, want %v (YAML order)", cb.ConstructOrder, want)
	}
	if want := []string{"", "NA", "9", "Don't know"}; !reflect.DeepEqual(cb.Missing, want) {
		t.Errorf("Missing = %q, want %q", cb.Missing, want)
	}
	if got := cb.Columns["wt"]; !reflect.DeepEqual(got, []string{"meta.weight"}) {
		t.Errorf(`Columns["wt"] = %q, want [meta.weight]`, got)
	}
	c := cb.Constructs["concern"]
	want := ConstructDef{
		Items:    []string{"pc1", "pc2", "pc3", "pc4"},
		Values:   map[string]float64{"Not concerned at all": 1, "Very concerned": 4},
		Scale:    []float64{1, 5},
		Reverse:  []string{"pc4"},
		Score:    "mean",
		Flag:     ">= 4",
		MinItems: 4,
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf(`Constructs["concern"] = %+v, want %+v`, c, want)
	}
}

func TestParseCodebookProblems(t *testing.T) {
	tests := []struct {
		name, yml, want string
	}{
		{"unknown top key", "title: x\nsegmnts: [a]\n",
			`codebook.yaml: line 2: unknown key "segmnts" in the codebook; did you mean "segments"?`},
		{"unknown design key", "design:\n  weigth: w\n",
			`codebook.yaml: line 2: unknown key "weigth" in design; did you mean "weight"?`},
		{"unknown construct key", "constructs:\n  c:\n    items: [a]\n    flg: '>= 1'\n",
			`codebook.yaml: line 4: unknown key "flg" in construct "c"; did you mean "flag"?`},
		{"key far from all", "zzzzzzzzzz: 1\n",
			`codebook.yaml: line 1: unknown key "zzzzzzzzzz" in the codebook; valid keys are title, missing, header_rows, decimal_comma, columns, design, region, segments, constructs, levels, labels, bands, allow_pii, report, study, weighting`},
		{"upper-case key", "Title: x\n",
			`codebook.yaml: line 1: unknown key "Title" in the codebook; did you mean "title"?`},
		{"scale order", "constructs:\n  c: {items: [a], scale: [5, 1]}\n",
			`codebook.yaml: line 2: construct "c": scale must be two numbers [min, max] with min < max`},
		{"scale equal", "constructs:\n  c: {items: [a], scale: [3, 3]}\n",
			`codebook.yaml: line 2: construct "c": scale must be two numbers [min, max] with min < max`},
		{"scale three numbers", "constructs:\n  c: {items: [a], scale: [1, 2, 3]}\n",
			`codebook.yaml: line 2: construct "c": scale must be two numbers [min, max] with min < max`},
		{"reverse needs scale", "constructs:\n  c: {items: [a, b], reverse: [b]}\n",
			`codebook.yaml: line 2: construct "c": reverse needs scale: [min, max] to reverse-code items`},
		{"reverse not an item", "constructs:\n  c:\n    items: [a, b]\n    scale: [1, 4]\n    reverse: [x]\n",
			`codebook.yaml: line 5: construct "c": reverse: "x" is not one of the items`},
		{"flag", "constructs:\n  c: {items: [a], flag: '=> 4'}\n",
			`codebook.yaml: line 2: construct "c": flag "=> 4": operator "=" is not a comparison; did you mean "=="?`},
		{"flag not a number", "constructs:\n  c: {items: [a], flag: '>= high'}\n",
			`codebook.yaml: line 2: construct "c": flag ">= high": "high" is not a number (want OP NUMBER, e.g. ">= 4")`},
		{"score", "constructs:\n  c: {items: [a], score: total}\n",
			`codebook.yaml: line 2: construct "c": score "total" is not one of mean, sum, count`},
		{"score typo", "constructs:\n  c: {items: [a], score: cuont}\n",
			`codebook.yaml: line 2: construct "c": score "cuont" is not one of mean, sum, count; did you mean "count"?`},
		{"min_items too many", "constructs:\n  c: {items: [a, b], min_items: 3}\n",
			`codebook.yaml: line 2: construct "c": min_items is 3; it must be between 1 and the number of items (2)`},
		{"min_items negative", "constructs:\n  c: {items: [a], min_items: -1}\n",
			`codebook.yaml: line 2: construct "c": min_items is -1; it must be between 1 and the number of items (1)`},
		{"no items", "constructs:\n  c: {score: sum}\n",
			`codebook.yaml: line 2: construct "c": items: lists no items`},
		{"value not a number", "constructs:\n  c:\n    items: [a]\n    values: {Yes: 1, No: none}\n",
			`codebook.yaml: line 4: construct "c": values: "No": "none" is not a number`},
		{"duplicate key", "region: a\nregion: b\n",
			`codebook.yaml: line 2: codebook: key "region" is given twice (first at line 1)`},
		{"header_rows", "header_rows: 3\n",
			`codebook.yaml: line 1: header_rows must be 1 or 2, not 3`},
		{"decimal_comma", "decimal_comma: sometimes\n",
			`codebook.yaml: line 1: decimal_comma: "sometimes" is not true or false`},
		{"segments twice", "segments: [a, a]\n",
			`codebook.yaml: line 1: segments: "a" is listed twice`},
		{"construct not a mapping", "constructs:\n  c: [a, b]\n",
			`codebook.yaml: line 2: construct "c" must be a mapping with items: (and optionally values, scale, reverse, score, flag, min_items)
codebook.yaml: line 2: construct "c": items: lists no items`},
		{"empty raw list", "columns:\n  country: []\n",
			`codebook.yaml: line 2: columns: "country" lists no raw column names`},
		{"columns not a mapping", "columns: [a, b]\n",
			`codebook.yaml: line 1: columns must be a mapping of logical name to raw column names`},
		{"constructs not a mapping", "constructs: [a]\n",
			`codebook.yaml: line 1: constructs must be a mapping of construct name to its definition`},
		{"values not a mapping", "constructs:\n  c: {items: [a], values: [1, 2]}\n",
			`codebook.yaml: line 2: construct "c": values must be a mapping of answer text to number`},
		{"nested list", "segments: [[a], b]\n",
			`codebook.yaml: line 1: segments: each entry must be a name or text`},
		{"construct key not a name", "constructs:\n  c: {items: [a], [x]: 1}\n",
			`codebook.yaml: line 2: construct "c": keys must be names, not lists or mappings`},
		{"paper", "report:\n  paper: A3\n",
			`codebook.yaml: line 2: report: paper is "A3"; want a4 or letter`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cb, err := ParseCodebook(strings.NewReader(tc.yml), "codebook.yaml")
			var pe *ProblemsError
			if !errors.As(err, &pe) {
				t.Fatalf("ParseCodebook(%q) error = %v, want *ProblemsError", tc.yml, err)
			}
			if cb == nil {
				t.Errorf("ParseCodebook(%q) codebook = nil, want the codebook read so far", tc.yml)
			}
			if got := err.Error(); got != tc.want {
				t.Errorf("ParseCodebook(%q) error =\n%s\nwant\n%s", tc.yml, got, tc.want)
			}
		})
	}
}

func TestParseCodebookFatal(t *testing.T) {
	tests := []struct {
		name, yml, want string
	}{
		{"syntax", "title: [unclosed\n", "parse codebook codebook.yaml: yaml: line 1: did not find expected ',' or ']'"},
		{"empty", "", "parse codebook codebook.yaml: the codebook is empty"},
		{"comments only", "# nothing\n", "parse codebook codebook.yaml: the codebook is empty"},
		{"not a mapping", "- a\n- b\n", "parse codebook codebook.yaml: line 1: the codebook must be a mapping of keys (columns, constructs, …)"},
		{"unquoted flag", "constructs:\n  c: {items: [a], flag: >= 4}\n", "parse codebook codebook.yaml: yaml: line 2: found character that cannot start any token"},
	}
	for _, tc := range tests {
		cb, err := ParseCodebook(strings.NewReader(tc.yml), "codebook.yaml")
		if cb != nil || err == nil || err.Error() != tc.want {
			t.Errorf("ParseCodebook(%q) = %v, %v, want nil, %q", tc.yml, cb, err, tc.want)
		}
	}
}

func TestLoadCodebookMissingFile(t *testing.T) {
	_, err := LoadCodebook(filepath.Join("testdata", "codebook", "no-such.yaml"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("LoadCodebook(no-such.yaml) error = %v, want one wrapping os.ErrNotExist", err)
	}
}

// Sections left empty are absent, not errors.
func TestParseCodebookEmptySections(t *testing.T) {
	cb := mustCodebook(t, "title:\nmissing:\ncolumns:\ndesign:\nregion:\nsegments:\nconstructs:\n  c: {items: [a], scale: , values: , min_items: }\n")
	want := ConstructDef{Items: []string{"a"}}
	if got := cb.Constructs["c"]; !reflect.DeepEqual(got, want) {
		t.Errorf(`Constructs["c"] = %+v, want %+v`, got, want)
	}
}

// Anchors let constructs share a values mapping.
func TestParseCodebookAliases(t *testing.T) {
	cb := mustCodebook(t, "constructs:\n  a: {items: [x], values: &agree {Disagree: 1, Agree: 2}}\n  b: {items: [y], values: *agree}\n")
	want := map[string]float64{"Disagree": 1, "Agree": 2}
	if got := cb.Constructs["b"].Values; !reflect.DeepEqual(got, want) {
		t.Errorf(`Constructs["b"].Values = %v, want %v`, got, want)
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"abc", "", 3},
		{"segmnts", "segments", 1},
		{"kitten", "sitting", 3},
		{"größe", "grösse", 2},
	}
	for _, tc := range tests {
		if got := editDistance(tc.a, tc.b); got != tc.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func FuzzCodebook(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "codebook", "*.yaml"))
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("constructs: {c: {items: [a], flag: '>= 1'}}"))
	f.Add([]byte("a: &x [*x]"))
	f.Add([]byte("columns: {a: *b}"))
	f.Add([]byte("? [a]\n: b\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cb, err := ParseCodebook(bytes.NewReader(data), "fuzz.yaml")
		var pe *ProblemsError
		if err != nil && !errors.As(err, &pe) && cb != nil {
			t.Fatalf("ParseCodebook returned a codebook with a fatal error: %v", err)
		}
		if err == nil && cb == nil {
			t.Fatalf("ParseCodebook returned neither a codebook nor an error")
		}
		if cb != nil {
			// Whatever was read must survive the checks Load applies.
			_ = cb.problems()
		}
	})
}

// TestParseCodebookPaper: report: paper: takes a4 or letter in any case,
// stored in lower case; absent it is empty (the reports' A4).
func TestParseCodebookPaper(t *testing.T) {
	for _, tc := range []struct{ yml, want string }{
		{"report:\n  paper: Letter\n", "letter"},
		{"report:\n  paper: a4\n", "a4"},
		{"report:\n  paper: ' A4 '\n", "a4"},
		{"report:\n  title: x\n", ""},
	} {
		cb, err := ParseCodebook(strings.NewReader(tc.yml), "codebook.yaml")
		if err != nil {
			t.Fatalf("ParseCodebook(%q): %v", tc.yml, err)
		}
		if cb.Report.Paper != tc.want {
			t.Errorf("ParseCodebook(%q).Report.Paper = %q, want %q", tc.yml, cb.Report.Paper, tc.want)
		}
	}
}
