package survey

import (
	"context"
	"math"
	"reflect"
	"strings"
	"testing"
)

func TestConstructScoring(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name      string
		construct string // YAML of constructs: c
		data      string // CSV with columns a, b, c
		items     [][]float64
		score     []float64
		flag      []float64
	}{
		{
			name:      "mean of all items by default",
			construct: `{items: [a, b, c], flag: ">= 3"}`,
			data:      "a,b,c\n1,2,3\n4,4,4\n2,,4\n",
			items:     [][]float64{{1, 4, 2}, {2, 4, nan}, {3, 4, 4}},
			score:     []float64{2, 4, nan},
			flag:      []float64{0, 1, nan},
		},
		{
			name:      "min_items uses the answered items",
			construct: `{items: [a, b, c], min_items: 2, flag: "> 2"}`,
			data:      "a,b,c\n1,,3\n,,4\n2,NA,4\n",
			items:     [][]float64{{1, nan, 2}, {nan, nan, nan}, {3, 4, 4}},
			score:     []float64{2, nan, 3},
			flag:      []float64{0, nan, 1},
		},
		{
			name:      "sum",
			construct: `{items: [a, b, c], score: sum, min_items: 1, flag: "== 5"}`,
			data:      "a,b,c\n1,1,3\n,,5\n,,\n",
			items:     [][]float64{{1, nan, nan}, {1, nan, nan}, {3, 5, nan}},
			score:     []float64{5, 5, nan},
			flag:      []float64{1, 1, nan},
		},
		{
			name:      "count of true answers",
			construct: `{items: [a, b, c], score: count, flag: ">= 1"}`,
			data:      "a,b,c\nTRUE,FALSE,true\nfalse,no,0\nYes,1,No\n",
			items:     [][]float64{{1, 0, 1}, {0, 0, 1}, {1, 0, 0}},
			score:     []float64{2, 0, 2},
			flag:      []float64{1, 0, 1},
		},
		{
			name:      "count with values for other labels",
			construct: `{items: [a, b, c], score: count, values: {Selected: 1, "Not selected": 0}}`,
			data:      "a,b,c\nSelected,not selected,TRUE\n",
			items:     [][]float64{{1}, {0}, {1}},
			score:     []float64{2},
			flag:      []float64{nan},
		},
		{
			name:      "reverse coding: min + max - value",
			construct: `{items: [a, b, c], scale: [1, 5], reverse: [b, c]}`,
			data:      "a,b,c\n5,1,2\n1,5,3\n",
			items:     [][]float64{{5, 1}, {5, 1}, {4, 3}},
			score:     []float64{14.0 / 3, 5.0 / 3},
			flag:      []float64{nan, nan},
		},
		{
			name:      "values: exact, then trimmed and case-insensitive, numbers still allowed",
			construct: `{items: [a, b, c], values: {"Not at all": 1, "very": 4, " Odd ": 3}, scale: [1, 4], flag: "!= 4"}`,
			data:      "a,b,c\nNot at all,VERY ,2\n odd,very,Not At All\n",
			items:     [][]float64{{1, 3}, {4, 4}, {2, 1}},
			score:     []float64{7.0 / 3, 8.0 / 3},
			flag:      []float64{1, 1},
		},
		{
			name:      "values map onto reversed scale",
			construct: `{items: [a, b, c], values: {Agree: 1, Neutral: 2, Disagree: 3}, scale: [1, 3], reverse: [a]}`,
			data:      "a,b,c\nAgree,Agree,Disagree\n",
			items:     [][]float64{{3}, {1}, {3}},
			score:     []float64{7.0 / 3},
			flag:      []float64{nan},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cb := mustCodebook(t, "missing: [NA]\nconstructs:\n  c: "+tc.construct+"\n")
			ds, err := Load(context.Background(), cb, tables(newMemTable(t, "d.csv", tc.data)), LoadOptions{})
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			c := ds.Construct("c")
			for k, it := range c.Items {
				if !eqFloats(it.num, tc.items[k]) {
					t.Errorf("item %s = %v, want %v", it.Name, it.num, tc.items[k])
				}
			}
			if !eqFloats(c.score, tc.score) {
				t.Errorf("Score = %v, want %v", c.score, tc.score)
			}
			if !eqFloats(c.flag, tc.flag) {
				t.Errorf("Flag = %v, want %v", c.flag, tc.flag)
			}
		})
	}
}

// An item shared by two constructs is processed by each construct's rules,
// reported once per cell, and loaded once as a column.
func TestConstructSharedItem(t *testing.T) {
	cb := mustCodebook(t, `
constructs:
  trust: {items: [t1, t2], scale: [1, 5]}
  distrust: {items: [t1], scale: [1, 5], reverse: [t1]}
`)
	ds, err := Load(context.Background(), cb, tables(newMemTable(t, "d.csv", "t1,t2\n1,2\n5,4\n")), LoadOptions{KeepRawItems: true})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if got := ds.Construct("distrust").score; !eqFloats(got, []float64{5, 1}) {
		t.Errorf("distrust Score = %v, want [5 1]", got)
	}
	if got := ds.Columns["t1"].num; !eqFloats(got, []float64{1, 5}) {
		t.Errorf(`Columns["t1"] = %v, want the answers as given, [1 5]`, got)
	}
	if got := ds.Constructs[0].Name + "," + ds.Constructs[1].Name; got != "trust,distrust" {
		t.Errorf("Constructs order = %s, want trust,distrust (codebook order)", got)
	}

	_, err = Load(context.Background(), cb, tables(newMemTable(t, "d.csv", "t1,t2\n9,2\n")), LoadOptions{})
	want := `d.csv: row 2, column "t1": "9" is outside the scale [1, 5]`
	if err == nil || err.Error() != want {
		t.Errorf("Load(t1 = 9) error = %v, want %q once", err, want)
	}
}

func TestConstructItemLevelsInScaleOrder(t *testing.T) {
	cb := mustCodebook(t, `
constructs:
  concern: {items: [q], values: {"Not at all": 1, "Somewhat": 2, "Very": 3}}
  tools: {items: [u], score: count}
`)
	ds, err := Load(context.Background(), cb, tables(newMemTable(t, "d.csv", "q,u\nVery,TRUE\nSomewhat,FALSE\nNot at all,TRUE\n")), LoadOptions{KeepRawItems: true})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	for _, tc := range []struct {
		col  string
		want []string
	}{
		{"q", []string{"Not at all", "Somewhat", "Very"}},
		{"u", []string{"FALSE", "TRUE"}},
	} {
		if got := ds.Columns[tc.col].Levels; !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s Levels = %q, want %q", tc.col, got, tc.want)
		}
	}
	if got := levelsOf(ds.Columns["q"]); !reflect.DeepEqual(got, []string{"Very", "Somewhat", "Not at all"}) {
		t.Errorf("q values = %q, want them unchanged by the reordering", got)
	}
}

func TestConstructFromCode(t *testing.T) {
	// A codebook built in code, without ConstructOrder, loads its
	// constructs in name order and is checked like a parsed one.
	cb := &Codebook{Constructs: map[string]ConstructDef{
		"b": {Items: []string{"x"}},
		"a": {Items: []string{"x"}, Flag: ">= 2"},
	}}
	ds, err := Load(context.Background(), cb, tables(newMemTable(t, "d.csv", "x\n1\n3\n")), LoadOptions{})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if ds.Constructs[0].Name != "a" || !eqFloats(ds.Constructs[0].flag, []float64{0, 1}) {
		t.Errorf("Constructs[0] = %s %v, want a [0 1]", ds.Constructs[0].Name, ds.Constructs[0].flag)
	}
	cb.Constructs["a"] = ConstructDef{Items: []string{"x"}, Score: "median"}
	_, err = Load(context.Background(), cb, tables(newMemTable(t, "d.csv", "x\n1\n")), LoadOptions{})
	if want := `codebook: construct "a": score "median" is not one of mean, sum, count`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Load(score median) error = %v, want %q", err, want)
	}
}
