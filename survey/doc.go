// Package survey reads survey exports into memory through a codebook.
//
// A codebook (YAML, see Codebook) names the columns an analysis uses, maps
// raw headers from differently-labelled files onto logical names, declares
// the sample design and defines constructs (multi-item scales scored per
// respondent and turned into 0/1 flags). Readers turn CSV/TSV in any of the
// common encodings, XLSX workbooks and Qualtrics/SurveyMonkey exports into
// rows of text (TableReader); Load stacks several files by logical column
// name into a Dataset of typed columns holding only what the codebook uses.
// Validate lists every problem in a study rather than stopping at the first.
package survey
