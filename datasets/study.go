package datasets

import (
	_ "embed"
	"io"
	"strings"
)

// The embedded default study: DefaultN respondents written by Generate
// with DefaultSeed, and Codebook. TestEmbedded keeps the files in step
// with the generator (go test ./datasets -run TestEmbedded -update).
const (
	DefaultN = 6000
	// DefaultSeed is the first of the seeds 1, 2, … whose sample lands
	// within a point of every headline target with North America within
	// 1.5 points of the global figures; other seeds scatter around the
	// targets by the sampling error, about ±2 points.
	DefaultSeed uint64 = 4

	// DefaultResponsesName and DefaultCodebookName name the embedded files
	// in reports and messages.
	DefaultResponsesName = "embedded:responses.csv"
	DefaultCodebookName  = "embedded:codebook.yaml"
)

// Strings, not byte slices: go:embed needs package-level variables, and
// strings cannot be modified through them.
var (
	//go:embed study/responses.csv
	studyResponses string
	//go:embed study/codebook.yaml
	studyCodebook string
)

// DefaultStudy returns readers over the embedded default study: the
// responses CSV and its codebook YAML. Each call returns fresh readers.
func DefaultStudy() (responses, codebook io.Reader) {
	return strings.NewReader(studyResponses), strings.NewReader(studyCodebook)
}
