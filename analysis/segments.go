package analysis

import (
	"fmt"
	"math"

	"github.com/trustgap/trustgap/survey"
)

// Westin segment codes returned by WestinSegment, in Levels order.
const (
	WestinFundamentalist int32 = iota
	WestinPragmatist
	WestinUnconcerned
)

// SegmentsResult holds the Westin segment shares: {"estimates": [Row...]}
// with statistics westin_fundamentalist, westin_pragmatist and
// westin_unconcerned.
type SegmentsResult struct {
	Estimates []Row `json:"estimates"`
}

// WestinSegment classifies respondents into Westin's privacy segments from
// the three items of construct c (after value mapping; 1 = strongly agree,
// 2 = agree, 3 = disagree, 4 = strongly disagree):
//
//  1. "Consumers have lost all control over how personal information is
//     collected and used by companies."
//  2. "Most businesses handle the personal information they collect about
//     consumers in a proper and confidential way."
//  3. "Existing laws and organizational practices provide a reasonable
//     level of protection for consumer privacy today."
//
// Fundamentalists agree (1 or 2) with item 1 and disagree (3 or 4) with
// items 2 and 3; the unconcerned disagree with item 1 and agree with items
// 2 and 3; everyone else who answered all three is a pragmatist. The result
// is a categorical column named "westin" (codes WestinFundamentalist…,
// -1 when an item is unanswered). A value other than 1–4 is an error naming
// the item and respondent.
func WestinSegment(c *survey.Construct) (*survey.Column, error) {
	if len(c.Items) != 3 {
		return nil, fmt.Errorf("westin: construct %q has %d items, want 3 (lost control, businesses proper, laws adequate)", c.Name, len(c.Items))
	}
	vals := make([][]float64, len(c.Items))
	for k, it := range c.Items {
		vals[k] = it.NumValues(nil)
	}
	n := len(vals[0])
	codes := make([]int32, n)
	var agree [3]bool
	for i := 0; i < n; i++ {
		codes[i] = -1
		complete := true
		for k, it := range c.Items {
			v := vals[k][i]
			if math.IsNaN(v) {
				complete = false
				continue
			}
			if v != 1 && v != 2 && v != 3 && v != 4 {
				return nil, fmt.Errorf("westin: item %q of respondent %d is %v, want 1 (strongly agree) to 4 (strongly disagree)", it.Name, i+1, v)
			}
			agree[k] = v <= 2
		}
		if !complete {
			continue
		}
		switch {
		case agree[0] && !agree[1] && !agree[2]:
			codes[i] = WestinFundamentalist
		case !agree[0] && agree[1] && agree[2]:
			codes[i] = WestinUnconcerned
		default:
			codes[i] = WestinPragmatist
		}
	}
	return &survey.Column{Name: "westin", Codes: codes, Levels: []string{"Fundamentalist", "Pragmatist", "Unconcerned"}}, nil
}

// westinStats names the statistics of the segments, in code order.
func westinStats() []string {
	return []string{"westin_fundamentalist", "westin_pragmatist", "westin_unconcerned"}
}

// Segments reports the shares of Westin's privacy segments (see
// WestinSegment) of the codebook's "westin" construct, for the total and
// every domain: the share of each segment among respondents who answered
// all three items, with the interval of Options.CI and df = degf of the
// domain. It is an error for the codebook to have no westin construct.
func Segments(ds *survey.Dataset, opts Options) (*SegmentsResult, error) {
	c := ds.Construct("westin")
	if c == nil {
		return nil, fmt.Errorf("segments: %w: codebook has no \"westin\" construct (3 items, 1 = strongly agree … 4 = strongly disagree)", ErrMissingConstruct)
	}
	seg, err := WestinSegment(c)
	if err != nil {
		return nil, fmt.Errorf("segments: %w", err)
	}
	s, err := newStudy(ds, opts)
	if err != nil {
		return nil, fmt.Errorf("segments: %w", err)
	}
	res := &SegmentsResult{}
	var specs []rowSpec
	for code, stat := range westinStats() {
		specs = append(specs, rowSpec{stat, indicatorVec(seg.Codes, int32(code)), true})
	}
	for _, rows := range s.rowsOf(specs) {
		res.Estimates = append(res.Estimates, rows...)
	}
	return res, nil
}

// indicatorVec is 1 where codes == code, 0 at other codes and NaN where
// missing, read block by block, and coded.
func indicatorVec(codes []int32, code int32) vec {
	v := vec{fill: func(dst []float64, from int) {
		for j, c := range codes[from : from+len(dst)] {
			switch {
			case c < 0:
				dst[j] = math.NaN()
			case c == code:
				dst[j] = 1
			default:
				dst[j] = 0
			}
		}
	}}
	// Codes 0: the code, 1: another, 2: missing.
	v.coded = newCoded(func(dst []uint8, from int) []uint8 {
		for j, c := range codes[from : from+len(dst)] {
			switch {
			case c < 0:
				dst[j] = 2
			case c == code:
				dst[j] = 0
			default:
				dst[j] = 1
			}
		}
		return dst
	}, []float64{1, 0, math.NaN()})
	return v
}
