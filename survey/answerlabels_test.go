package survey

import (
	"fmt"
	"reflect"
	"testing"
)

func TestAnswerLabels(t *testing.T) {
	agree := []ValueLabel{{"1", "Strongly disagree"}, {"2", "Disagree"}, {"3", "Neither"}, {"4", "Agree"}, {"5", "Strongly agree"}, {"99", "Don't know"}}
	tests := []struct {
		name string
		def  ConstructDef
		vls  [][]ValueLabel
		want AnswerLabels
	}{
		{
			name: "file labels within the scale",
			def:  ConstructDef{Scale: []float64{1, 5}},
			vls:  [][]ValueLabel{agree, agree},
			want: AnswerLabels{Labels: map[float64]string{1: "Strongly disagree", 2: "Disagree", 3: "Neither", 4: "Agree", 5: "Strongly agree"}, FromFile: true},
		},
		{
			name: "one item unlabelled, one labelled only at the ends",
			def:  ConstructDef{Scale: []float64{1, 5}},
			vls:  [][]ValueLabel{nil, {{"1", "Not at all"}, {"5", "  Very   much "}}},
			want: AnswerLabels{Labels: map[float64]string{1: "Not at all", 5: "Very much"}, FromFile: true},
		},
		{
			name: "items disagree at one code",
			def:  ConstructDef{Scale: []float64{1, 5}},
			vls:  [][]ValueLabel{agree, {{"1", "strongly DISAGREE"}, {"3", "Neutral"}, {"5", "Strongly agree"}}},
			want: AnswerLabels{Labels: map[float64]string{1: "Strongly disagree", 2: "Disagree", 4: "Agree", 5: "Strongly agree"}, FromFile: true, Disagree: []float64{3}},
		},
		{
			name: "values: wins over the file",
			def:  ConstructDef{Scale: []float64{1, 5}, Values: map[string]float64{"Completely agree": 5, "agree": 4, "Agree": 4}},
			vls:  [][]ValueLabel{agree},
			want: AnswerLabels{Labels: map[float64]string{5: "Completely agree", 4: "Agree"}},
		},
		{
			name: "no scale: file labels unused",
			vls:  [][]ValueLabel{agree},
			want: AnswerLabels{},
		},
		{
			name: "labels outside the scale or not whole codes only",
			def:  ConstructDef{Scale: []float64{1, 5}},
			vls:  [][]ValueLabel{{{"0", "None"}, {"2.5", "Half"}, {"99", "Refused"}, {"x", "Text"}}},
			want: AnswerLabels{},
		},
	}
	for _, tt := range tests {
		c := &Construct{Name: "c", Def: tt.def}
		for i, v := range tt.vls {
			c.Items = append(c.Items, &Column{Name: string(rune('a' + i)), ValueLabels: v})
		}
		if got := c.AnswerLabels(); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: AnswerLabels() = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

// A construct whose codebook has no values: takes its answer texts from
// the items' SPSS value labels, within the scale; 99 (Don't know) is not
// an answer.
func ExampleConstruct_AnswerLabels() {
	labels := []ValueLabel{{"1", "Strongly disagree"}, {"5", "Strongly agree"}, {"99", "Don't know"}}
	c := &Construct{
		Name:  "concern",
		Def:   ConstructDef{Items: []string{"q1"}, Scale: []float64{1, 5}},
		Items: []*Column{{Name: "q1", ValueLabels: labels}},
	}
	al := c.AnswerLabels()
	for x := 1.0; x <= 5; x++ {
		fmt.Printf("%g %q\n", x, al.Labels[x])
	}
	fmt.Println("from the file:", al.FromFile)
	// Output:
	// 1 "Strongly disagree"
	// 2 ""
	// 3 ""
	// 4 ""
	// 5 "Strongly agree"
	// from the file: true
}
