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
	// Each item's answers as states (westinState), block by block: from
	// a Compact load's codes through a table, without decoding them.
	type item struct {
		states func(dst []uint8, from int)
		value  func(i int) float64
	}
	items := make([]item, 3)
	n := 0
	for k, it := range c.Items {
		if codes, table, ok := it.Values().Codes(); ok {
			var lut [256]uint8
			for code, v := range table {
				lut[code] = westinState(v)
			}
			items[k] = item{func(dst []uint8, from int) {
				for j, code := range codes[from : from+len(dst)] {
					dst[j] = lut[code]
				}
			}, func(i int) float64 { return table[codes[i]] }}
			n = len(codes)
			continue
		}
		vals := it.Values().All(nil)
		items[k] = item{func(dst []uint8, from int) {
			for j, v := range vals[from : from+len(dst)] {
				dst[j] = westinState(v)
			}
		}, func(i int) float64 { return vals[i] }}
		n = len(vals)
	}
	// The segment of each combination of states s₀ + 4s₁ + 16s₂: −1 when
	// an item is unanswered, westinInvalid when one is not 1–4.
	var segment [64]int32
	for key := range segment {
		var agree [3]bool
		invalid, missing := false, false
		for k, sk := range [3]int{key % 4, key / 4 % 4, key / 16} {
			invalid = invalid || sk == westinInvalid
			missing = missing || sk == westinMissing
			agree[k] = sk == westinAgree
		}
		switch {
		case invalid:
			segment[key] = westinInvalid
		case missing:
			segment[key] = -1
		case agree[0] && !agree[1] && !agree[2]:
			segment[key] = WestinFundamentalist
		case !agree[0] && agree[1] && agree[2]:
			segment[key] = WestinUnconcerned
		default:
			segment[key] = WestinPragmatist
		}
	}
	codes := make([]int32, n)
	buf := make([]uint8, 3*blockRows)
	for lo := 0; lo < n; lo += blockRows {
		m := min(blockRows, n-lo)
		s0, s1, s2 := buf[:m], buf[blockRows:blockRows+m], buf[2*blockRows:2*blockRows+m]
		items[0].states(s0, lo)
		items[1].states(s1, lo)
		items[2].states(s2, lo)
		out := codes[lo : lo+m]
		for j := range out {
			out[j] = segment[int(s0[j])+4*int(s1[j])+16*int(s2[j])]
		}
		for j, code := range out {
			if code != westinInvalid {
				continue
			}
			i := lo + j
			for k, it := range items {
				if v := it.value(i); westinState(v) == westinInvalid {
					return nil, fmt.Errorf("westin: item %q of respondent %d is %v, want 1 (strongly agree) to 4 (strongly disagree)", c.Items[k].Name, i+1, v)
				}
			}
		}
	}
	return &survey.Column{Name: "westin", Codes: codes, Levels: []string{"Fundamentalist", "Pragmatist", "Unconcerned"}}, nil
}

// The states of a Westin item's answer.
const (
	westinMissing = iota
	westinAgree
	westinDisagree
	westinInvalid // not 1–4; also WestinSegment's code of a respondent with such an answer
)

// westinState classifies an answer: NaN is missing, 1–2 agree, 3–4
// disagree.
func westinState(v float64) uint8 {
	switch {
	case math.IsNaN(v):
		return westinMissing
	case v == 1 || v == 2:
		return westinAgree
	case v == 3 || v == 4:
		return westinDisagree
	}
	return westinInvalid
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
	opts.calibrationOK = true // every row comes from rowsOf
	s, err := newStudy(ds, opts)
	if err != nil {
		return nil, fmt.Errorf("segments: %w", err)
	}
	res := &SegmentsResult{}
	var specs []rowSpec
	for code, stat := range westinStats() {
		specs = append(specs, rowSpec{stat, indicatorVec(seg.Codes, int32(code)), true})
	}
	all, err := s.rowsOf(specs)
	if err != nil {
		return nil, err
	}
	for _, rows := range all {
		res.Estimates = append(res.Estimates, rows...)
	}
	if err := s.e.err(); err != nil {
		return nil, err
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
