package survey

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/trustgap/trustgap/internal/leanload"
)

// memTable is an in-memory TableReader so that the loader's tests do not
// depend on the file readers.
type memTable struct {
	name         string
	header       []string
	labels       []string
	rows         [][]string
	decimalComma bool
	failAt       int // Next fails on this data row (1-based); 0: never
	i            int
}

// newMemTable reads comma-separated text: a header line, then data rows.
func newMemTable(t testing.TB, name, text string) *memTable {
	t.Helper()
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("newMemTable(%s): %v", name, err)
	}
	if len(recs) == 0 {
		t.Fatalf("newMemTable(%s): no header", name)
	}
	return &memTable{name: name, header: recs[0], rows: recs[1:]}
}

func (m *memTable) Name() string       { return m.name }
func (m *memTable) Header() []string   { return m.header }
func (m *memTable) Labels() []string   { return m.labels }
func (m *memTable) DecimalComma() bool { return m.decimalComma }
func (m *memTable) Close() error       { return nil }

func (m *memTable) Next() ([]string, int, error) {
	if m.i >= len(m.rows) {
		return nil, 0, io.EOF
	}
	m.i++
	if m.i == m.failAt {
		return nil, m.i + 1, fmt.Errorf("row %d: broken quote", m.i+1)
	}
	return m.rows[m.i-1], m.i + 1, nil
}

// mustCodebook parses YAML that the test expects to be valid.
func mustCodebook(t testing.TB, yml string) *Codebook {
	t.Helper()
	cb, err := ParseCodebook(strings.NewReader(yml), "codebook.yaml")
	if err != nil {
		t.Fatalf("ParseCodebook: %v", err)
	}
	return cb
}

func tables(ts ...*memTable) []TableReader {
	out := make([]TableReader, len(ts))
	for i, t := range ts {
		out[i] = t
	}
	return out
}

// eqFloats compares with NaN equal to NaN.
func eqFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] && !(math.IsNaN(a[i]) && math.IsNaN(b[i])) {
			return false
		}
	}
	return true
}

// levelsOf returns a categorical column's values as text ("" for missing).
func levelsOf(c *Column) []string {
	out := make([]string, len(c.Codes))
	for i, k := range c.Codes {
		if k >= 0 {
			out[i] = c.Levels[k]
		}
	}
	return out
}

func TestLoadTyping(t *testing.T) {
	nan := math.NaN()
	cb := mustCodebook(t, `
title: Typing
missing: ["NA", " 99 "]
design: {id: rid, weight: wt, strata: stratum}
region: market
segments: [Cohort]
`)
	a := newMemTable(t, "a.csv", `rid,wt,stratum,market,cohort,age,note,score
1,1.5,10,DE,2020,31,hi,3
2,2,2,GB,2019,NA,yo,4
3,1,10, DE ,2021,99,hi,NA
4,0.5,1,US,2019,40,  ,5
`)
	ds, err := Load(context.Background(), cb, tables(a), LoadOptions{Extra: []string{"age", "note", "score"}, Categorical: []string{"score"}})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if ds.N != 4 || ds.Title != "Typing" || !reflect.DeepEqual(ds.Files, []string{"a.csv"}) {
		t.Errorf("Load: N=%d Title=%q Files=%v, want 4, Typing, [a.csv]", ds.N, ds.Title, ds.Files)
	}
	if want := []float64{1.5, 2, 1, 0.5}; !eqFloats(ds.Weights, want) {
		t.Errorf("Weights = %v, want %v", ds.Weights, want)
	}
	cats := []struct {
		col    *Column
		levels []string
		values []string
	}{
		// Levels that are all numbers sort numerically.
		{ds.Strata, []string{"1", "2", "10"}, []string{"10", "2", "10", "1"}},
		// Others keep first-seen order; values are trimmed.
		{ds.Region, []string{"DE", "GB", "US"}, []string{"DE", "GB", "DE", "US"}},
		{ds.Segments[0], []string{"2019", "2020", "2021"}, []string{"2020", "2019", "2021", "2019"}},
		{ds.ID, []string{"1", "2", "3", "4"}, []string{"1", "2", "3", "4"}},
		// Listed in Categorical although numeric; "NA" is missing.
		{ds.Columns["score"], []string{"3", "4", "5"}, []string{"3", "4", "", "5"}},
		// Text column: blank cell is missing.
		{ds.Columns["note"], []string{"hi", "yo"}, []string{"hi", "yo", "hi", ""}},
	}
	for _, c := range cats {
		if c.col == nil || c.col.IsNumeric() {
			t.Errorf("column %v is not categorical", c.col)
			continue
		}
		if !reflect.DeepEqual(c.col.Levels, c.levels) || !reflect.DeepEqual(levelsOf(c.col), c.values) {
			t.Errorf("column %q = levels %q values %q, want %q %q", c.col.Name, c.col.Levels, levelsOf(c.col), c.levels, c.values)
		}
	}
	if ds.Segments[0].Name != "Cohort" || ds.Segments[0].Raw != "cohort" {
		t.Errorf("segment Name, Raw = %q, %q, want Cohort, cohort", ds.Segments[0].Name, ds.Segments[0].Raw)
	}
	// " 99 " in missing matches "99" after trimming.
	if age := ds.Columns["age"]; !age.IsNumeric() || !eqFloats(age.num, []float64{31, nan, nan, 40}) {
		t.Errorf("age = %+v, want numeric [31 NaN NaN 40]", age)
	}
	want := []string{"Cohort", "age", "market", "note", "rid", "score", "stratum", "wt"}
	var got []string
	for name := range ds.Columns {
		got = append(got, name)
	}
	if !sameSet(got, want) {
		t.Errorf("Columns = %v, want exactly %v", got, want)
	}
	if ds.PSU != nil || ds.FPC != nil || len(ds.Constructs) != 0 {
		t.Errorf("PSU, FPC, Constructs = %v, %v, %v, want none", ds.PSU, ds.FPC, ds.Constructs)
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]int{}
	for _, x := range a {
		m[x]++
	}
	for _, x := range b {
		m[x]--
	}
	for _, v := range m {
		if v != 0 {
			return false
		}
	}
	return true
}

func TestLoadNoWeight(t *testing.T) {
	cb := mustCodebook(t, `constructs: {c: {items: [x]}}`)
	ds, err := Load(context.Background(), cb, tables(newMemTable(t, "a.csv", "x\n1\n2\n")), LoadOptions{})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if ds.Weights != nil || ds.Region != nil || ds.Segments != nil {
		t.Errorf("Weights, Region, Segments = %v, %v, %v, want nil", ds.Weights, ds.Region, ds.Segments)
	}
}

func TestLoadDecimalComma(t *testing.T) {
	cb := mustCodebook(t, `design: {weight: wt}`)
	tests := []struct {
		dc      bool
		text    string
		wantW   []float64
		wantX   []float64 // nil: x is categorical
		wantErr string
		comma   bool // the error is of kind ErrDecimalComma
	}{
		{true, "wt;x\n\"1,5\";\"3,5\"\n2;1.234\n", []float64{1.5, 2}, []float64{3.5, 1.234}, "", false},
		{false, "wt;x\n1.5;\"3,5\"\n2;1\n", []float64{1.5, 2}, nil, "", false},
		{false, "wt;x\n\"1,5\";1\n", nil, nil, `a.csv: row 2, column "wt": weight "1,5" is not a number (1.5 ` + decimalCommaHint + `)`, true},
		{false, "wt;x\nabc;1\n", nil, nil, `a.csv: row 2, column "wt": weight "abc" is not a number`, false},
		{true, "wt;x\nabc;1\n", nil, nil, `a.csv: row 2, column "wt": weight "abc" is not a number`, false},
	}
	for _, tc := range tests {
		m := newMemTable(t, "a.csv", strings.ReplaceAll(tc.text, ";", ","))
		m.decimalComma = tc.dc
		ds, err := Load(context.Background(), cb, tables(m), LoadOptions{Extra: []string{"x"}})
		if tc.wantErr != "" {
			if err == nil || err.Error() != tc.wantErr {
				t.Errorf("Load(%q, dc=%v) error = %v, want %q", tc.text, tc.dc, err, tc.wantErr)
			}
			if got := errors.Is(err, ErrDecimalComma); got != tc.comma {
				t.Errorf("errors.Is(Load(%q, dc=%v), ErrDecimalComma) = %v, want %v", tc.text, tc.dc, got, tc.comma)
			}
			continue
		}
		if err != nil {
			t.Errorf("Load(%q, dc=%v): %v", tc.text, tc.dc, err)
			continue
		}
		if !eqFloats(ds.Weights, tc.wantW) {
			t.Errorf("Load(%q, dc=%v) weights = %v, want %v", tc.text, tc.dc, ds.Weights, tc.wantW)
		}
		x := ds.Columns["x"]
		if tc.wantX == nil && x.IsNumeric() || tc.wantX != nil && !eqFloats(x.num, tc.wantX) {
			t.Errorf("Load(%q, dc=%v) x = %+v, want %v", tc.text, tc.dc, x, tc.wantX)
		}
	}
}

func TestLoadStacking(t *testing.T) {
	cb := mustCodebook(t, `
columns:
  country: ["dem.country_code", "[dem] country_code"]
  concern: ["question.concern_privacy", "[question] [concern_privacy] How concerned are you?"]
  w: ["meta.weight", "[meta] Weight"]
design: {weight: w}
region: country
constructs:
  worry:
    items: [concern]
    values: {"Not at all": 1, "Somewhat": 2, "Very": 3}
    flag: ">= 2"
`)
	ger := newMemTable(t, "data_GER.csv", `[dem] country_code,[meta] Weight,[question] [concern_privacy] How concerned are you?
DE,1.1,Very
DE,0.9,Not at all
`)
	ger.labels = []string{"", "", "How concerned are you, if at all?"}
	// Header spelled differently in case and spacing: matched after
	// trimming and ignoring case.
	gbus := newMemTable(t, "data_GB_US.csv", `dem.country_code,Meta.Weight ,question.concern_privacy
GB,1,somewhat
US,2,VERY
`)
	ds, err := Load(context.Background(), cb, tables(ger, gbus), LoadOptions{KeepRawItems: true})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if ds.N != 4 || !reflect.DeepEqual(ds.Files, []string{"data_GER.csv", "data_GB_US.csv"}) {
		t.Fatalf("N, Files = %d, %v, want 4, both files", ds.N, ds.Files)
	}
	if got, want := levelsOf(ds.Region), []string{"DE", "DE", "GB", "US"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Region = %q, want %q", got, want)
	}
	if !eqFloats(ds.Weights, []float64{1.1, 0.9, 1, 2}) {
		t.Errorf("Weights = %v, want [1.1 0.9 1 2]", ds.Weights)
	}
	worry := ds.Construct("worry")
	if worry == nil {
		t.Fatal(`Construct("worry") = nil`)
	}
	if !eqFloats(worry.score, []float64{3, 1, 2, 3}) || !eqFloats(worry.flag, []float64{1, 0, 1, 1}) {
		t.Errorf("worry Score, Flag = %v, %v, want [3 1 2 3], [1 0 1 1]", worry.score, worry.flag)
	}
	c := ds.Columns["concern"]
	if c.Raw != "[question] [concern_privacy] How concerned are you?" || c.Label != "How concerned are you, if at all?" {
		t.Errorf("concern Raw, Label = %q, %q, want the first file's", c.Raw, c.Label)
	}
	// The item column keeps the answers, ordered by their values.
	if want := []string{"Not at all", "somewhat", "Very", "VERY"}; !reflect.DeepEqual(c.Levels, want) {
		t.Errorf("concern Levels = %q, want %q", c.Levels, want)
	}
}

// loadErr loads and returns the error text, failing the test on success.
func loadErr(t *testing.T, cb *Codebook, opts LoadOptions, ts ...*memTable) string {
	t.Helper()
	_, err := Load(context.Background(), cb, tables(ts...), opts)
	if err == nil {
		t.Fatalf("Load succeeded, want an error")
	}
	return err.Error()
}

func TestLoadProblems(t *testing.T) {
	tests := []struct {
		name  string
		cb    string
		files []string // name, text, name, text...
		opts  LoadOptions
		want  string
	}{
		{
			name:  "weights",
			cb:    `design: {weight: wt}`,
			files: []string{"w.csv", "wt\n1\n-2\n0\nNaN\nInf\nabc\nNA\n\"\"\n3\n"},
			want: `w.csv: row 3, column "wt": weight "-2" is negative
w.csv: row 4, column "wt": weight "0" is zero
w.csv: column "wt": 2 rows (rows 5, 6) have weight values that are not finite numbers: "NaN", "Inf"
w.csv: column "wt": 2 rows (rows 7, 8) have weight values that are not numbers: "abc", "NA"
w.csv: row 9, column "wt": weight is missing`,
		},
		{
			name:  "fpc",
			cb:    `design: {fpc: N}`,
			files: []string{"f.csv", "N\n100\n-1\nInf\n0\n-Inf\nNaN\n"},
			// Inf (a count) and 0 (a fraction) say the population is
			// infinite, as in R's svydesign(fpc=): read, not refused.
			want: `f.csv: row 3, column "N": fpc "-1" is negative
f.csv: column "N": 2 rows (rows 6, 7) have fpc values that are not finite numbers: "-Inf", "NaN"`,
		},
		{
			name: "items",
			cb: `constructs:
  concern: {items: [pc1, pc2], values: {"Not concerned": 1, "Very concerned": 4}, scale: [1, 4]}
  trust: {items: [tr1], scale: [1, 5]}`,
			files: []string{"data.csv", "pc1,pc2,tr1\nNot concerned,very concerned ,5\nVery much,3,6\n7,2,x\n"},
			want: `data.csv: row 3, column "pc1": "Very much" is not a number and not in values
data.csv: row 3, column "tr1": "6" is outside the scale [1, 5]
data.csv: row 4, column "pc1": "7" is outside the scale [1, 4]
data.csv: row 4, column "tr1": "x" is not a number`,
		},
		{
			name:  "mapped value outside scale",
			cb:    `constructs: {c: {items: [a], values: {"Extremely": 9}, scale: [1, 5]}}`,
			files: []string{"d.csv", "a\nExtremely\n"},
			want:  `d.csv: row 2, column "a": "Extremely" maps to 9, outside the scale [1, 5]`,
		},
		{
			name:  "count values",
			cb:    `constructs: {tools: {items: [t1, t2], score: count}}`,
			files: []string{"d.csv", "t1,t2\nTRUE,no\nmaybe,2\n"},
			want: `d.csv: row 3, column "t1": "maybe" is not a yes/no answer (1, TRUE, true, yes, Yes or 0, FALSE, false, no, No)
d.csv: row 3, column "t2": "2" is not a yes/no answer (1, TRUE, true, yes, Yes or 0, FALSE, false, no, No)`,
		},
		{
			name: "column missing from one file",
			cb: `columns: {country: [dem.country_code, "[dem] country_code"]}
region: country
segments: [sex]`,
			files: []string{"a.csv", "dem.country_code,sex\nDE,f\n", "b.csv", "country,Sex\nGB,m\n"},
			want:  `b.csv: column "country": no column of the header matches any raw name of "country" ("dem.country_code", "[dem] country_code"); the header has a close name, "country"`,
		},
		{
			name:  "raw name not in header, with suggestion",
			cb:    `segments: [gender]`,
			files: []string{"a.csv", "gendr,age\nf,3\n"},
			want:  `a.csv: column "gender": no column "gender" in the header or under columns:; did you mean "gendr"?`,
		},
		{
			name:  "typo of a logical name under columns:",
			cb:    `{columns: {gender: ["[dem] gender"]}, segments: [gendr]}`,
			files: []string{"a.csv", "[dem] gender,age\nf,3\n"},
			want:  `a.csv: column "gendr": no column "gendr" in the header or under columns:; did you mean "gender"?`,
		},
		{
			name:  "a construct named where a column is wanted",
			cb:    `{segments: [concern], constructs: {concern: {items: [c1, c2]}}}`,
			files: []string{"a.csv", "c1,c2\n1,2\n"},
			want:  `a.csv: column "concern": no column "concern" in the header or under columns:; "concern" is a construct, scored from its items (c1, c2): name an item, or see the construct's flag and score with describe`,
		},
		{
			name:  "ambiguous header",
			cb:    `segments: [sex]`,
			files: []string{"a.csv", "Sex,SEX \nf,f\n"},
			want:  `a.csv: column "sex": "sex" is ambiguous: it matches header columns 1, 2`,
		},
		{
			name:  "value echo is truncated",
			cb:    `constructs: {c: {items: [a]}}`,
			files: []string{"d.csv", "a\n" + strings.Repeat("x", 60) + "\n"},
			want:  `d.csv: row 2, column "a": "` + strings.Repeat("x", 40) + `…" is not a number`,
		},
		{
			name:  "max problems",
			cb:    `constructs: {c1: {items: [a]}, c2: {items: [b]}, c3: {items: [c]}, c4: {items: [d]}}`,
			files: []string{"d.csv", "a,b,c,d\nx,y,z,w\n"},
			opts:  LoadOptions{MaxProblems: 2},
			want: `d.csv: row 2, column "a": "x" is not a number
d.csv: row 2, column "b": "y" is not a number
... and 2 more`,
		},
		{
			name:  "codebook problems stop loading",
			cb:    `constructs: {c: {items: [a], reverse: [a]}}`,
			files: []string{"d.csv", "a\nx\n"},
			want:  `codebook.yaml: line 1: construct "c": reverse needs scale: [min, max] to reverse-code items`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cb, _ := ParseCodebook(strings.NewReader(tc.cb), "codebook.yaml")
			if cb == nil {
				t.Fatalf("ParseCodebook(%q) = nil", tc.cb)
			}
			var ts []*memTable
			for i := 0; i < len(tc.files); i += 2 {
				ts = append(ts, newMemTable(t, tc.files[i], tc.files[i+1]))
			}
			got := loadErr(t, cb, tc.opts, ts...)
			if got != tc.want {
				t.Errorf("Load error =\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestLoadProblemsErrorType(t *testing.T) {
	cb := mustCodebook(t, `constructs: {c: {items: [a]}}`)
	_, err := Load(context.Background(), cb, tables(newMemTable(t, "d.csv", "a\nbad\n")), LoadOptions{})
	var pe *ProblemsError
	if !errors.As(err, &pe) {
		t.Fatalf("Load error = %v (%T), want *ProblemsError", err, err)
	}
	want := Problem{File: "d.csv", Row: 2, Column: "a", Value: "bad", Msg: `"bad" is not a number`}
	if len(pe.Problems) != 1 || pe.Problems[0] != want {
		t.Errorf("Problems = %+v, want [%+v]", pe.Problems, want)
	}
}

func TestLoadOptional(t *testing.T) {
	cb := mustCodebook(t, `segments: [sex, edu]`)
	a := newMemTable(t, "a.csv", "sex,edu\nf,high\n")
	b := newMemTable(t, "b.csv", "sex\nm\n")
	ds, err := Load(context.Background(), cb, tables(a, b), LoadOptions{Optional: []string{"edu"}})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if got := levelsOf(ds.Columns["edu"]); !reflect.DeepEqual(got, []string{"high", ""}) {
		t.Errorf("edu = %q, want [high \"\"]", got)
	}
}

func TestLoadDesignOverride(t *testing.T) {
	cb := mustCodebook(t, `design: {weight: w1, strata: s1}`)
	a := newMemTable(t, "a.csv", "w1,w2,s1,s2,cl\n1,2,a,x,1\n1,4,b,y,2\n")
	ds, err := Load(context.Background(), cb, tables(a), LoadOptions{DesignOverride: DesignDef{Weight: "w2", PSU: "cl"}})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if !eqFloats(ds.Weights, []float64{2, 4}) {
		t.Errorf("Weights = %v, want [2 4] from the override", ds.Weights)
	}
	if ds.Strata == nil || ds.Strata.Name != "s1" || ds.PSU == nil || ds.PSU.Name != "cl" {
		t.Errorf("Strata, PSU = %+v, %+v, want s1 (codebook) and cl (override)", ds.Strata, ds.PSU)
	}
	if _, loaded := ds.Columns["w1"]; loaded {
		t.Errorf("Columns has w1, which the override replaced")
	}
}

func TestLoadExtraSkipsConstructs(t *testing.T) {
	cb := mustCodebook(t, `constructs: {trust: {items: [t1]}}`)
	ds, err := Load(context.Background(), cb, tables(newMemTable(t, "a.csv", "t1\n2\n")), LoadOptions{Extra: []string{"trust", "t1"}})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if _, ok := ds.Columns["trust"]; ok {
		t.Errorf(`Columns["trust"] exists; a construct named in Extra should be skipped`)
	}
}

func TestLoadReaderError(t *testing.T) {
	cb := mustCodebook(t, `segments: [a]`)
	m := newMemTable(t, "a.csv", "a\n1\n2\n3\n")
	m.failAt = 2
	_, err := Load(context.Background(), cb, tables(m), LoadOptions{})
	if err == nil || err.Error() != "read a.csv: row 3: broken quote" {
		t.Errorf("Load error = %v, want %q", err, "read a.csv: row 3: broken quote")
	}
}

func TestLoadCancelled(t *testing.T) {
	cb := mustCodebook(t, `segments: [a]`)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Load(ctx, cb, tables(newMemTable(t, "a.csv", "a\n1\n")), LoadOptions{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Load(cancelled) error = %v, want context.Canceled", err)
	}
}

func TestLoadCancelledMidFile(t *testing.T) {
	cb := mustCodebook(t, `segments: [a]`)
	ctx, cancel := context.WithCancel(context.Background())
	m := &memTable{name: "big.csv", header: []string{"a"}}
	for i := 0; i < 0x10000+10; i++ {
		m.rows = append(m.rows, []string{"x"})
	}
	cancel()
	// Files are checked before reading; call the reader loop directly to
	// see that a long file notices cancellation too.
	l := newLoader(cb, LoadOptions{}, 0, false)
	err := l.readTable(ctx, m)
	if !errors.Is(err, context.Canceled) || l.n != 0x4000 {
		t.Errorf("readTable(cancelled) = %v after %d rows, want context.Canceled after 16384", err, l.n)
	}
}

func TestLoadNoFiles(t *testing.T) {
	cb := mustCodebook(t, `segments: [a]`)
	if _, err := Load(context.Background(), cb, nil, LoadOptions{}); err == nil {
		t.Errorf("Load(no files) succeeded, want an error")
	}
}

func TestLoadManyNumbersThenText(t *testing.T) {
	cb := mustCodebook(t, `title: big`)
	m := &memTable{name: "big.csv", header: []string{"x"}}
	for i := 0; i <= maxDictNumeric+1; i++ {
		m.rows = append(m.rows, []string{fmt.Sprint(i)})
	}
	m.rows = append(m.rows, []string{"oops"})
	got := loadErr(t, cb, LoadOptions{Extra: []string{"x"}}, m)
	want := fmt.Sprintf(`big.csv: row %d, column "x": "oops" is not a number, but more than %d different numbers came before it; load the column as categorical`, len(m.rows)+1, maxDictNumeric)
	if got != want {
		t.Errorf("Load error = %q, want %q", got, want)
	}
}

// TestLoadGolden runs Load and Validate on each study in testdata/load:
// a directory with codebook.yaml, data files *.csv (read in name order
// through NewCSVReader) and optionally options.json (LoadOptions). The
// dataset or error, then Validate's report, are compared with want.golden.
func TestLoadGolden(t *testing.T) {
	eachLoadStudy(t, func(t *testing.T, dir string, cb *Codebook, opts LoadOptions) {
		var out bytes.Buffer
		out.WriteString("== load ==\n")
		ds, err := Load(context.Background(), cb, openCSVs(t, dir), opts)
		if err != nil {
			out.WriteString(err.Error() + "\n")
		} else {
			dumpDataset(&out, ds)
		}
		out.WriteString("== validate ==\n")
		problems, warnings, err := Validate(context.Background(), cb, openCSVs(t, dir), opts)
		if err != nil {
			t.Fatalf("Validate: %v", err)
		}
		for _, p := range problems {
			out.WriteString(p.String() + "\n")
		}
		for _, w := range warnings {
			out.WriteString("warning: " + w.String() + "\n")
		}
		checkGolden(t, filepath.Join(dir, "want.golden"), out.Bytes())
	})
}

// eachLoadStudy runs f, as a subtest, on each study in testdata/load with
// its codebook and its options (options.json, else KeepRawItems: the
// goldens show the raw item columns too).
func eachLoadStudy(t *testing.T, f func(t *testing.T, dir string, cb *Codebook, opts LoadOptions)) {
	dirs, err := filepath.Glob(filepath.Join("testdata", "load", "*"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no studies in testdata/load: %v", err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			cb, err := LoadCodebook(filepath.Join(dir, "codebook.yaml"))
			if cb == nil {
				t.Fatalf("LoadCodebook: %v", err)
			}
			opts := LoadOptions{KeepRawItems: true}
			if b, err := os.ReadFile(filepath.Join(dir, "options.json")); err == nil {
				if err := json.Unmarshal(b, &opts); err != nil {
					t.Fatalf("options.json: %v", err)
				}
			}
			f(t, dir, cb, opts)
		})
	}
}

// openCSVs opens a study's data files with the package's CSV reader.
func openCSVs(t *testing.T, dir string) []TableReader {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.csv"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	var ts []TableReader
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { fh.Close() })
		tr, err := NewCSVReader(fh, filepath.Base(f), ReadOptions{})
		if err != nil {
			t.Fatalf("NewCSVReader(%s): %v", f, err)
		}
		ts = append(ts, tr)
	}
	return ts
}

// dumpDataset writes a Dataset as text for golden files.
func dumpDataset(w io.Writer, ds *Dataset) {
	name := func(c *Column) string {
		if c == nil {
			return "-"
		}
		return c.Name
	}
	nums := func(xs []float64) string {
		s := make([]string, len(xs))
		for i, x := range xs {
			s[i] = strconv.FormatFloat(x, 'g', 6, 64)
		}
		return strings.Join(s, " ")
	}
	fmt.Fprintf(w, "title: %s\nrespondents: %d\nfiles: %s\n", ds.Title, ds.N, strings.Join(ds.Files, ", "))
	fmt.Fprintf(w, "weights: %s\nfpc: %s\n", nums(ds.Weights), nums(ds.FPC))
	fmt.Fprintf(w, "id: %s, strata: %s, psu: %s, region: %s, segments:", name(ds.ID), name(ds.Strata), name(ds.PSU), name(ds.Region))
	for _, s := range ds.Segments {
		fmt.Fprintf(w, " %s", s.Name)
	}
	fmt.Fprintln(w)
	var names []string
	for n := range ds.Columns {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		c := ds.Columns[n]
		if c.IsNumeric() {
			fmt.Fprintf(w, "column %q (raw %q): numeric: %s\n", n, c.Raw, nums(c.num))
			continue
		}
		vals := levelsOf(c)
		for i, k := range c.Codes {
			if k < 0 {
				vals[i] = "NA"
			}
		}
		fmt.Fprintf(w, "column %q (raw %q): levels %q: %s\n", n, c.Raw, c.Levels, strings.Join(vals, " | "))
	}
	for _, c := range ds.Constructs {
		fmt.Fprintf(w, "construct %q: score %s; flag %s\n", c.Name, nums(c.score), nums(c.flag))
		for _, it := range c.Items {
			fmt.Fprintf(w, "  item %q: %s\n", it.Name, nums(it.num))
		}
	}
}

func FuzzLoad(f *testing.F) {
	f.Add("1", "Very", "TRUE", "3,5", "x")
	f.Add("-1", "", "maybe", "NA", "")
	f.Add("0", " very ", "1", "1e999", "a@b.cd")
	f.Add("NaN", "7", "yes", "4", "+49 170 1234567")
	cb := mustCodebook(f, `
missing: [NA]
design: {id: id, weight: w}
segments: [g]
constructs:
  c: {items: [a, x], values: {Very: 4, Not: 1}, scale: [1, 4], reverse: [x], min_items: 1, flag: ">= 3"}
  k: {items: [b], score: count, flag: "== 1"}
`)
	f.Fuzz(func(t *testing.T, w, a, b, x, g string) {
		for _, dc := range []bool{false, true} {
			table := func() *memTable {
				return &memTable{name: "f.csv", header: []string{"id", "w", "a", "b", "x", "g"}, decimalComma: dc,
					rows: [][]string{{"1", w, a, b, x, g}, {"2", "1", x, b, a, w}, {"2", w}, {"3", "1", a, b, x, g}}}
			}
			ds, err := Load(context.Background(), cb, tables(table()), LoadOptions{Extra: []string{"x", "a"}})
			// A Compact load finds the same problems and the same values.
			compact, cerr := Load(context.Background(), cb, tables(table()), LoadOptions{Extra: []string{"x", "a"}, lean: leanload.Options{Compact: true}})
			if fmt.Sprint(cerr) != fmt.Sprint(err) {
				t.Fatalf("Load error = %v, Compact load error = %v", err, cerr)
			}
			if err != nil {
				var pe *ProblemsError
				if !errors.As(err, &pe) || len(pe.Problems) == 0 {
					t.Fatalf("Load error = %v, want a *ProblemsError with problems", err)
				}
				continue
			}
			same := func(what string, got, want []float64) {
				for i := range want {
					if !(got[i] == want[i] || math.IsNaN(got[i]) && math.IsNaN(want[i])) {
						t.Fatalf("Compact load: %s of respondent %d = %v, want %v", what, i, got[i], want[i])
					}
				}
			}
			for k, c := range ds.Constructs {
				cc := compact.Constructs[k]
				same(c.Name+" score", cc.Scores().All(nil), c.score)
				same(c.Name+" flag", cc.Flags().All(nil), c.flag)
				for j, it := range c.Items {
					same(it.Name, cc.Items[j].Values().All(nil), it.num)
				}
			}
			if ds.N != 4 || len(ds.Weights) != 4 {
				t.Fatalf("Load: N = %d, %d weights, want 4", ds.N, len(ds.Weights))
			}
			for name, c := range ds.Columns {
				if len(c.num)+len(c.Codes) != 4 || c.num != nil && c.Codes != nil {
					t.Fatalf("column %s has %d numbers and %d codes, want 4 of one kind", name, len(c.num), len(c.Codes))
				}
			}
			for _, c := range ds.Constructs {
				for i, s := range c.score {
					if math.IsNaN(s) != math.IsNaN(c.flag[i]) && c.Def.Flag != "" {
						t.Fatalf("construct %s respondent %d: score %v, flag %v", c.Name, i, s, c.flag[i])
					}
				}
			}
		}
	})
}
