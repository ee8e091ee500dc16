package datasets

import _ "embed"

// BenchmarksName names the embedded toplines in reports and messages.
const BenchmarksName = "embedded:toplines.yaml"

//go:embed benchmarks/toplines.yaml
var toplines string

// Benchmarks returns the embedded published toplines (YAML):
//
//	toplines:
//	  - figure: what was measured, with the question paraphrased
//	    statistic: the construct (or analysis statistic) it speaks to
//	    domain: {} for everyone, or {region: Europe}
//	    value: the published share, 0–1
//	    source: publisher, title, year, fieldwork and sample
//
// Statistic names are those of Codebook's constructs, whose flag share is
// the estimate to compare, plus "effect", the trust analysis's comfort
// difference between trusting and non-trusting respondents. The returned
// slice is the caller's.
func Benchmarks() []byte { return []byte(toplines) }
