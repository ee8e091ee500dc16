package datasets

import (
	"context"
	_ "embed"
	"io"
	"strings"

	"github.com/trustgap/trustgap/survey"
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

// LoadDefault reads the embedded default study through the same pipeline
// as a user's files (codebook parser, CSV reader, survey.Load), with opts.
func LoadDefault(ctx context.Context, opts survey.LoadOptions) (*survey.Dataset, error) {
	responses, codebook := DefaultStudy()
	cb, err := survey.ParseCodebook(codebook, DefaultCodebookName)
	if err != nil {
		return nil, err
	}
	tr, err := survey.NewCSVReader(responses, DefaultResponsesName, survey.ReadOptions{})
	if err != nil {
		return nil, err
	}
	defer tr.Close()
	return survey.Load(ctx, cb, []survey.TableReader{tr}, opts)
}
