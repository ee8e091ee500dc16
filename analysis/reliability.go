package analysis

import (
	"context"
	"fmt"
	"math"

	"github.com/trustgap/trustgap/survey"
)

// ReliabilityResult holds the internal consistency of every multi-item
// construct: {"constructs": [ConstructReliability...]}.
type ReliabilityResult struct {
	Constructs []ConstructReliability `json:"constructs"`
}

// ConstructReliability is Cronbach's alpha of one construct's items.
// Alpha and N are psych::alpha()'s raw_alpha and the number of complete
// cases it used; AlphaIfDeleted lists raw_alpha with each item left out.
// When alpha is undefined (fewer than two complete cases, no variance)
// Alpha is null and Note says why.
type ConstructReliability struct {
	Construct      string      `json:"construct"`
	Items          int         `json:"items"`
	Alpha          Num         `json:"alpha"`
	N              int         `json:"n"`
	AlphaIfDeleted []ItemAlpha `json:"alpha_if_deleted"`
	Note           string      `json:"note,omitempty"`
}

// ItemAlpha is alpha without Item.
type ItemAlpha struct {
	Item  string `json:"item"`
	Alpha Num    `json:"alpha"`
}

// Reliability computes Cronbach's alpha for every construct with at least
// two items, from the items after value mapping and reverse coding, over
// the respondents who answered every item (unweighted, as psych::alpha on
// the complete cases):
//
//	alpha = k/(k−1) · (1 − Σ var(item_j) / var(Σ item_j))
//
// It is an error for the codebook to have no multi-item construct.
func Reliability(ds *survey.Dataset) (*ReliabilityResult, error) {
	return ReliabilityContext(context.Background(), ds)
}

// ReliabilityContext is Reliability stopped by ctx: no construct is
// started once ctx is cancelled, and the error then wraps ctx.Err().
func ReliabilityContext(ctx context.Context, ds *survey.Dataset) (*ReliabilityResult, error) {
	var cons []*survey.Construct
	for _, c := range ds.Constructs {
		if len(c.Items) >= 2 {
			cons = append(cons, c)
		}
	}
	res := &ReliabilityResult{Constructs: make([]ConstructReliability, len(cons))}
	// The constructs are independent: on the available cores, each
	// reading its items block by block (a Compact load's items are never
	// decoded whole), with the covariance matrix computed once for alpha
	// and alpha if deleted.
	err := forEachCtx(ctx, len(cons), ds.N, defaultThresholds().parallelRows, func(k int) {
		c := cons[k]
		items := make([]vec, len(c.Items))
		for j, it := range c.Items {
			items[j] = numVec(it)
		}
		r := ConstructReliability{Construct: c.Name, Items: len(c.Items), Alpha: Num(math.NaN()), AlphaIfDeleted: []ItemAlpha{}}
		defer func() { res.Constructs[k] = r }()
		cov, n, err := itemCov(items, ds.N)
		r.N = n
		if err != nil {
			r.Note = err.Error()
			return
		}
		alpha, err := alphaFromCov(cov, nil)
		if err != nil {
			r.Note = err.Error()
			return
		}
		r.Alpha = Num(alpha)
		drop, err := alphaIfDeletedFromCov(cov)
		if err != nil {
			r.Note = err.Error()
		}
		for j, a := range drop {
			r.AlphaIfDeleted = append(r.AlphaIfDeleted, ItemAlpha{Item: c.Items[j].Name, Alpha: Num(a)})
		}
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("reliability stopped: %w", ctx.Err())
		}
		return nil, err
	}
	if len(res.Constructs) == 0 {
		return nil, fmt.Errorf("reliability: %w: codebook defines no construct with two or more items", ErrMissingConstruct)
	}
	return res, nil
}
