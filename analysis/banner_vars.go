package analysis

import "github.com/trustgap/trustgap/survey"

// ItemVariable is a banner row made from an item's values by f (NaN for
// not answered, else usually 0 or 1; a mean row keeps the value): the
// share answering "Agree (4–5)" is f(v) = 1 when v ≥ 4. Banner reads it
// block by block, so that a compactly loaded item is never expanded into
// a column of float64 per row.
func ItemVariable(label string, col *survey.Column, f func(float64) float64) BannerVariable {
	return BannerVariable{Label: label, src: mapValues(numVec(col), f)}
}

// FlagVariable is a banner row of a construct's flag.
func FlagVariable(label string, c *survey.Construct) BannerVariable {
	return BannerVariable{Label: label, src: flagVec(c)}
}

// NumericVariable is a banner row of y, one value per respondent in the
// Dataset's order (NaN for not answered, else usually 0 or 1). Banner
// panics when y is not as long as the Dataset.
func NumericVariable(label string, y []float64) BannerVariable {
	return BannerVariable{Label: label, src: floats(y)}
}
