package survey

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

func TestParseCondition(t *testing.T) {
	tests := []struct {
		in   string
		want Condition
	}{
		{"sch.wide==Yes", Condition{Column: "sch.wide", Op: "==", Value: "Yes"}},
		{"api00>875", Condition{Column: "api00", Op: ">", Value: "875", Num: 875, IsNum: true}},
		{`region != "Europe"`, Condition{Column: "region", Op: "!=", Value: "Europe"}},
		{"  age >= 18 ", Condition{Column: "age", Op: ">=", Value: "18", Num: 18, IsNum: true}},
		{"score<=-2.5", Condition{Column: "score", Op: "<=", Value: "-2.5", Num: -2.5, IsNum: true}},
		{"x < 1e3", Condition{Column: "x", Op: "<", Value: "1e3", Num: 1000, IsNum: true}},
		{"concern == Very concerned", Condition{Column: "concern", Op: "==", Value: "Very concerned"}},
		{"concern == ' padded '", Condition{Column: "concern", Op: "==", Value: " padded "}},
		{`cohort == "2"`, Condition{Column: "cohort", Op: "==", Value: "2", Num: 2, IsNum: true}},
		{`"a>b" == 1`, Condition{Column: "a>b", Op: "==", Value: "1", Num: 1, IsNum: true}},
		{"[dem] age > 30", Condition{Column: "[dem] age", Op: ">", Value: "30", Num: 30, IsNum: true}},
		{"v == NaN", Condition{Column: "v", Op: "==", Value: "NaN"}},
	}
	for _, tc := range tests {
		got, err := ParseCondition(tc.in)
		if err != nil {
			t.Errorf("ParseCondition(%q) error: %v", tc.in, err)
			continue
		}
		if got != tc.want {
			t.Errorf("ParseCondition(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
		back, err := ParseCondition(got.String())
		if err != nil || back != got {
			t.Errorf("ParseCondition(%q.String() = %q) = %+v, %v, want %+v", tc.in, got.String(), back, err, got)
		}
	}
}

func TestParseConditionErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", `condition "": no operator (want one of == != >= > <= <)`},
		{"age", `condition "age": no operator (want one of == != >= > <= <)`},
		{"age = 3", `condition "age = 3": operator "=" is not a comparison; did you mean "=="?`},
		{"== 3", `condition "== 3": no column before the operator (want COL OP VALUE)`},
		{"age >", `condition "age >": no value after ">"`},
		{"age >== 3", `condition "age >== 3": unknown operator ">=="`},
		{`region == "Europe`, `condition "region == \"Europe": unterminated quote in value`},
		{`"region == 1`, `condition "\"region == 1": unterminated quote in column name`},
		{"age ! 3", `condition "age ! 3": no operator (want one of == != >= > <= <)`},
		{"a == ''", `condition "a == ''": no value after "=="`},
	}
	for _, tc := range tests {
		_, err := ParseCondition(tc.in)
		if err == nil || err.Error() != tc.want {
			t.Errorf("ParseCondition(%q) error = %v, want %q", tc.in, err, tc.want)
		}
	}
}

func TestParseFlag(t *testing.T) {
	tests := []struct {
		in      string
		op      string
		num     float64
		wantErr string
	}{
		{">= 4", ">=", 4, ""},
		{"<2.5", "<", 2.5, ""},
		{"!= 0", "!=", 0, ""},
		{"4", "", 0, "no operator (want one of == != >= > <= <)"},
		{">= four", "", 0, `"four" is not a number (want OP NUMBER, e.g. ">= 4")`},
		{"x >= 4", "", 0, "no operator (want one of == != >= > <= <)"},
	}
	for _, tc := range tests {
		c, err := ParseFlag(tc.in)
		if tc.wantErr != "" {
			if err == nil || err.Error() != tc.wantErr {
				t.Errorf("ParseFlag(%q) error = %v, want %q", tc.in, err, tc.wantErr)
			}
			continue
		}
		if err != nil || c.Op != tc.op || c.Num != tc.num || !c.IsNum {
			t.Errorf("ParseFlag(%q) = %+v, %v, want %s %v", tc.in, c, err, tc.op, tc.num)
		}
	}
}

func TestConditionEval(t *testing.T) {
	nan := math.NaN()
	num := &Column{Name: "api00", num: []float64{800, 875, 900, nan}}
	region := &Column{Name: "region", Codes: []int32{0, 1, -1, 0}, Levels: []string{"Europe", "Asia"}}
	cohort := &Column{Name: "cohort", Codes: []int32{0, 1, 2, -1}, Levels: []string{"1", "2", "10"}}
	tests := []struct {
		cond string
		col  *Column
		want []float64
	}{
		{"api00 > 875", num, []float64{0, 0, 1, nan}},
		{"api00 >= 875", num, []float64{0, 1, 1, nan}},
		{"api00 < 875", num, []float64{1, 0, 0, nan}},
		{"api00 <= 875", num, []float64{1, 1, 0, nan}},
		{"api00 == 875", num, []float64{0, 1, 0, nan}},
		{"api00 != 875", num, []float64{1, 0, 1, nan}},
		{`api00 == "875"`, num, []float64{0, 1, 0, nan}},
		{"region == Europe", region, []float64{1, 0, nan, 1}},
		{`region != "Europe"`, region, []float64{0, 1, nan, 0}},
		// Numeric levels compare as numbers, so "10" > "2".
		{"cohort > 2", cohort, []float64{0, 0, 1, nan}},
		{"cohort == 2.0", cohort, []float64{0, 1, 0, nan}},
	}
	for _, tc := range tests {
		c, err := ParseCondition(tc.cond)
		if err != nil {
			t.Fatalf("ParseCondition(%q): %v", tc.cond, err)
		}
		got, err := c.Eval(tc.col)
		if err != nil || !eqFloats(got, tc.want) {
			t.Errorf("ParseCondition(%q).Eval = %v, %v, want %v", tc.cond, got, err, tc.want)
		}
	}
}

func TestConditionEvalErrors(t *testing.T) {
	num := &Column{Name: "api00", num: []float64{800}}
	region := &Column{Name: "region", Codes: []int32{0}, Levels: []string{"Europe", "Asia"}}
	tests := []struct {
		cond string
		col  *Column
		want string
	}{
		{"api00 > high", num, `condition api00 > high: column "api00" is numeric but "high" is not a number`},
		{"region > 3", region, `condition region > 3: column "region" is categorical with levels that are not all numbers; use == or !=`},
		{"region == Eurpoe", region, `condition region == Eurpoe: "Eurpoe" is not a level of column "region" (levels: "Europe", "Asia")`},
	}
	for _, tc := range tests {
		c, err := ParseCondition(tc.cond)
		if err != nil {
			t.Fatalf("ParseCondition(%q): %v", tc.cond, err)
		}
		if _, err := c.Eval(tc.col); err == nil || err.Error() != tc.want {
			t.Errorf("ParseCondition(%q).Eval error = %v, want %q", tc.cond, err, tc.want)
		}
	}
}

func TestParseDecimal(t *testing.T) {
	tests := []struct {
		in     string
		comma  bool
		want   float64
		wantOK bool
	}{
		{"3.5", false, 3.5, true},
		{" -2 ", false, -2, true},
		{"1e3", false, 1000, true},
		{".5", false, 0.5, true},
		{"3,5", false, 0, false},
		{"3,5", true, 3.5, true},
		{"1.234", true, 1.234, true},
		{"1,234,5", true, 0, false},
		{"NaN", false, 0, false},
		{"Inf", false, 0, false},
		{"0x10", false, 0, false},
		{"1_000", false, 0, false},
		{"1e999", false, 0, false},
		{"", false, 0, false},
		{"-", false, 0, false},
	}
	for _, tc := range tests {
		got, ok := parseDecimal(tc.in, tc.comma)
		if ok != tc.wantOK || ok && got != tc.want {
			t.Errorf("parseDecimal(%q, %v) = %v, %v, want %v, %v", tc.in, tc.comma, got, ok, tc.want, tc.wantOK)
		}
	}
}

func TestShortValue(t *testing.T) {
	long := strings.Repeat("é", 30) // 60 bytes
	got := shortValue(long)
	if want := strings.Repeat("é", 20) + "…"; got != want {
		t.Errorf("shortValue(30 × é) = %q, want %q", got, want)
	}
	if got := shortValue("short"); got != "short" {
		t.Errorf("shortValue(short) = %q, want short", got)
	}
}

func FuzzCondition(f *testing.F) {
	for _, s := range []string{"sch.wide==Yes", "api00>875", `region != "Europe"`, `"a b" <= '3'`, ">= 4", "a =", "x == \"", "é>é", `" "<00`} {
		f.Add(s)
	}
	region := &Column{Name: "r", Codes: []int32{0, 1, -1}, Levels: []string{"Yes", "2"}}
	num := &Column{Name: "n", num: []float64{1, math.NaN()}}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCondition(s)
		if err != nil {
			return
		}
		if c.Column == "" || c.Value == "" {
			t.Fatalf("ParseCondition(%q) = %+v with an empty column or value", s, c)
		}
		if c.IsNum && (math.IsNaN(c.Num) || math.IsInf(c.Num, 0)) {
			t.Fatalf("ParseCondition(%q).Num = %v, want finite", s, c.Num)
		}
		// Eval must not panic, whatever the condition.
		c.Eval(region)
		c.Eval(num)
		if !strings.Contains(c.Column, `"`) || !strings.Contains(c.Column, "'") {
			back, err := ParseCondition(c.String())
			if err != nil || back != c {
				t.Fatalf("ParseCondition(%q) = %+v; its String %q reads back as %+v, %v", s, c, c.String(), back, err)
			}
		}
	})
}

func FuzzParseDecimal(f *testing.F) {
	for _, s := range []string{"3.5", "3,5", " -2 ", "1e3", "NaN", "0x10", "1,234,5", ".", "1e999"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, comma bool) {
		x, ok := parseDecimal(s, comma)
		if !ok {
			return
		}
		if math.IsNaN(x) || math.IsInf(x, 0) {
			t.Fatalf("parseDecimal(%q, %v) = %v, want a finite number", s, comma, x)
		}
		// Whatever it accepts, strconv reads the same way once the decimal
		// comma is a point.
		plain := strings.TrimSpace(s)
		if comma {
			plain = strings.Replace(plain, ",", ".", 1)
		}
		if y, err := strconv.ParseFloat(plain, 64); err != nil || y != x {
			t.Fatalf("parseDecimal(%q, %v) = %v, but strconv.ParseFloat(%q) = %v, %v", s, comma, x, plain, y, err)
		}
	})
}

func TestConditionHolds(t *testing.T) {
	tests := []struct {
		flag string
		x    float64
		want bool
	}{
		{">= 4", 4, true}, {">= 4", 3.5, false}, {"> 4", 4, false}, {"> 4", 4.5, true},
		{"<= 2", 2, true}, {"< 2", 2, false}, {"== 3", 3, true}, {"== 3", 3.1, false},
		{"!= 3", 2, true}, {"!= 3", 3, false}, {">= 4", math.NaN(), false}, {"!= 3", math.NaN(), false},
	}
	for _, tt := range tests {
		c, err := ParseFlag(tt.flag)
		if err != nil {
			t.Fatalf("ParseFlag(%q): %v", tt.flag, err)
		}
		if got := c.Holds(tt.x); got != tt.want {
			t.Errorf("ParseFlag(%q).Holds(%v) = %v, want %v", tt.flag, tt.x, got, tt.want)
		}
	}
	// A condition on text holds for no number.
	if c, err := ParseCondition(`region == Europe`); err != nil || c.Holds(0) {
		t.Errorf("ParseCondition(region == Europe) = %+v, %v: want a condition holding for no number", c, err)
	}
}
