package analysis

import (
	"fmt"

	"github.com/trustgap/trustgap/survey"
)

// DescribeResult holds the construct toplines: {"estimates": [Row...]}.
type DescribeResult struct {
	Estimates []Row `json:"estimates"`
}

// Describe reports, for every construct with a flag, in the total and every
// domain (Options.By):
//
//   - statistic <construct>: the weighted share flagged among respondents
//     with a score, svyciprop(~flag, subset(design, domain),
//     df = degf(subset(design, domain))) with the interval of Options.CI;
//   - statistic <construct>_score: the weighted mean score,
//     svymean(~score, subset(design, domain), na.rm = TRUE), est ± t(df)·SE.
//
// Rows carry the design effect (deff = "replace") and effective base n/deff.
// Constructs without a flag (such as westin) are not reported. It is an
// error for the dataset to have no flagged construct.
func Describe(ds *survey.Dataset, opts Options) (*DescribeResult, error) {
	return describe(ds, opts, opts.Privacy == nil)
}

// DescribeFlags is Describe without the <construct>_score rows, for
// callers that show the flags alone.
func DescribeFlags(ds *survey.Dataset, opts Options) (*DescribeResult, error) {
	return describe(ds, opts, false)
}

func describe(ds *survey.Dataset, opts Options, scores bool) (*DescribeResult, error) {
	opts.calibrationOK = true // every row comes from rowsOf
	s, err := newStudy(ds, opts)
	if err != nil {
		return nil, fmt.Errorf("describe: %w", err)
	}
	res := &DescribeResult{}
	var specs []rowSpec
	var names []string
	for _, c := range ds.Constructs {
		if c.Def.Flag == "" {
			continue
		}
		specs = append(specs, rowSpec{c.Name, flagVec(c), true})
		names = append(names, c.Name)
		if scores {
			// Scores are not on a bounded 0–1 scale: a private release
			// publishes the flags only.
			specs = append(specs, rowSpec{c.Name + "_score", scoreVec(c), false})
			names = append(names, c.Name)
		}
	}
	all, err := s.rowsOf(specs)
	if err != nil {
		return nil, err
	}
	for k, rows := range all {
		for i := range rows {
			rows[i].Variable = names[k]
		}
		res.Estimates = append(res.Estimates, rows...)
	}
	if len(res.Estimates) == 0 {
		return nil, fmt.Errorf("describe: %w: codebook defines no construct with a flag", ErrMissingConstruct)
	}
	if err := s.e.err(); err != nil {
		return nil, err
	}
	return res, nil
}
