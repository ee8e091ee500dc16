package analysis

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/trustgap/trustgap/internal/leanload"
	"github.com/trustgap/trustgap/survey"
)

func westinConstruct(w1, w2, w3 []float64) *survey.Construct {
	return &survey.Construct{Name: "westin", Items: []*survey.Column{item("w1", w1), item("w2", w2), item("w3", w3)}}
}

func TestWestinSegment(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name       string
		w1, w2, w3 float64
		want       int32
	}{
		{"strongly agree lost control, both others disagree", 1, 3, 4, WestinFundamentalist},
		{"agree lost control, both others strongly disagree", 2, 4, 4, WestinFundamentalist},
		{"disagree lost control, both others agree", 3, 1, 2, WestinUnconcerned},
		{"strongly disagree lost control, both others agree", 4, 2, 2, WestinUnconcerned},
		{"agree with all three", 1, 1, 1, WestinPragmatist},
		{"disagree with all three", 4, 4, 3, WestinPragmatist},
		{"fundamentalist but trusts laws", 1, 3, 2, WestinPragmatist},
		{"unconcerned but distrusts business", 3, 3, 1, WestinPragmatist},
		{"item 1 unanswered", nan, 3, 3, -1},
		{"item 3 unanswered", 1, 3, nan, -1},
	}
	for _, tt := range tests {
		col, err := WestinSegment(westinConstruct([]float64{tt.w1}, []float64{tt.w2}, []float64{tt.w3}))
		if err != nil {
			t.Fatalf("WestinSegment(%s): %v", tt.name, err)
		}
		if got := col.Codes[0]; got != tt.want {
			t.Errorf("WestinSegment(%v, %v, %v) = %d, want %d (%s)", tt.w1, tt.w2, tt.w3, got, tt.want, tt.name)
		}
		if col.Name != "westin" || len(col.Levels) != 3 || col.Levels[WestinPragmatist] != "Pragmatist" {
			t.Errorf("WestinSegment column = %q %v, want westin [Fundamentalist Pragmatist Unconcerned]", col.Name, col.Levels)
		}
	}
}

func TestWestinSegmentErrors(t *testing.T) {
	tests := []struct {
		name string
		c    *survey.Construct
		err  string
	}{
		{"five-point item", westinConstruct([]float64{1, 2}, []float64{3, 5}, []float64{1, 1}),
			`westin: item "w2" of respondent 2 is 5, want 1 (strongly agree) to 4 (strongly disagree)`},
		{"half point", westinConstruct([]float64{1.5}, []float64{3}, []float64{1}),
			`westin: item "w1" of respondent 1 is 1.5, want 1 (strongly agree) to 4 (strongly disagree)`},
		{"two items", &survey.Construct{Name: "westin", Items: []*survey.Column{item("w1", []float64{1}), item("w2", []float64{1})}},
			`westin: construct "westin" has 2 items, want 3`},
	}
	for _, tt := range tests {
		_, err := WestinSegment(tt.c)
		if err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("WestinSegment(%s) error = %v, want %q", tt.name, err, tt.err)
		}
	}
	ds := tinyStudy()
	for _, c := range ds.Constructs {
		if c.Name == "westin" {
			c.Items[0] = item("w1", append([]float64{7}, c.Items[0].Values().All(nil)[1:]...))
		}
	}
	if _, err := Segments(ds, Options{}); err == nil || !strings.HasPrefix(err.Error(), `segments: westin: item "w1" of respondent 1 is 7`) {
		t.Errorf("Segments(tiny with w1 = 7) error = %v, want it to name the item and respondent", err)
	}
}

// TestSegmentsShareSum checks that the three shares of each domain add up
// to one: every respondent with all items answered is in one segment.
func TestSegmentsShareSum(t *testing.T) {
	res, err := Segments(tinyStudy(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	sum := map[Domain]float64{}
	for _, r := range res.Estimates {
		sum[r.Domain] += float64(r.Estimate)
	}
	if len(sum) != 5 {
		t.Errorf("Segments(tiny) reports %d domains, want 5", len(sum))
	}
	for d, s := range sum {
		if math.Abs(s-1) > 1e-12 {
			t.Errorf("Segments(tiny) shares in %s sum to %g, want 1", d, s)
		}
	}
}

// From a Compact load's codes, WestinSegment gives the segments and the
// errors it gives from the values.
func TestWestinSegmentCoded(t *testing.T) {
	const cb = "constructs:\n  westin: {items: [w1, w2, w3], score: mean}\n"
	rows := []string{"1,3,4", "3,1,2", "1,1,1", ",3,3", "2,4,4", "4,2,2", "1,3,", "2,3,1"}
	for _, tt := range []struct {
		name string
		rows []string
		err  string
	}{
		{"valid", rows, ""},
		{"an answer of 5", append(append([]string(nil), rows...), "1,,5", "1,5,2"), `westin: item "w3" of respondent 9 is 5`},
		{"after a missing answer", append(append([]string(nil), rows...), ",2.5,1"), `westin: item "w2" of respondent 9 is 2.5`},
	} {
		csv := "w1,w2,w3\n" + strings.Join(tt.rows, "\n") + "\n"
		var segs [2][]int32
		for k, compact := range []bool{false, true} {
			c, err := survey.ParseCodebook(strings.NewReader(cb), "codebook.yaml")
			if err != nil {
				t.Fatal(err)
			}
			tr, err := survey.NewCSVReader(strings.NewReader(csv), "w.csv", survey.ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			ds, err := survey.Load(leanload.With(context.Background(), leanload.Options{Compact: compact}), c, []survey.TableReader{tr}, survey.LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			w := ds.Construct("westin")
			if _, _, ok := w.Items[0].Values().Codes(); ok != compact {
				t.Fatalf("%s: items coded = %v, want %v", tt.name, ok, compact)
			}
			col, err := WestinSegment(w)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("WestinSegment(%s, compact %v) error = %v, want %q", tt.name, compact, err, tt.err)
				}
				continue
			}
			if err != nil {
				t.Fatalf("WestinSegment(%s, compact %v): %v", tt.name, compact, err)
			}
			segs[k] = col.Codes
		}
		if tt.err != "" {
			continue
		}
		want := []int32{WestinFundamentalist, WestinUnconcerned, WestinPragmatist, -1, WestinFundamentalist, WestinUnconcerned, -1, WestinPragmatist}
		for k, compact := range []bool{false, true} {
			if fmt.Sprint(segs[k]) != fmt.Sprint(want) {
				t.Errorf("WestinSegment(compact %v) = %v, want %v", compact, segs[k], want)
			}
		}
	}
}
