// Package leanload lets trustgap's own commands ask survey.Load for the
// storage that suits a large study, without making that storage part of
// survey's public API: a Go caller of survey.Load gets every respondent
// in file order, every value as a float64 and the id column, and reads
// them through Column.Values, Construct.Scores and Construct.Flags; the
// commands ask, through the context they pass to Load, for the same
// figures from less memory.
//
// The request travels in the context because survey cannot import the
// commands and the commands cannot set unexported fields of
// survey.LoadOptions; it is read once, when Load starts.
package leanload

import "context"

// Options is what a command asks of survey.Load beyond its LoadOptions.
type Options struct {
	// SkipID leaves the design's id column out of the Dataset (ID nil):
	// the analyses do not use it, and a column of distinct strings is the
	// costliest to hold. The column must still be present in the files.
	SkipID bool
	// Compact stores the constructs' items, scores and flags as about a
	// byte per respondent (codes into a table of the distinct values)
	// instead of a float64; the reading methods decode them.
	Compact bool
	// GroupByPSU stores the respondents PSU by PSU (PSUs in the order of
	// their levels, respondents in file order within a PSU) when the
	// design has PSUs, so that the estimators visit each PSU's
	// respondents together. Dataset.FileRow and InFileOrder map positions
	// back to the files.
	GroupByPSU bool
}

// All is the lean load the analysis commands use: every option on.
var All = Options{SkipID: true, Compact: true, GroupByPSU: true}

type key struct{}

// With returns ctx carrying o for survey.Load.
func With(ctx context.Context, o Options) context.Context {
	return context.WithValue(ctx, key{}, o)
}

// From returns the options ctx carries (the zero Options when none).
func From(ctx context.Context) Options {
	if ctx == nil {
		return Options{}
	}
	o, _ := ctx.Value(key{}).(Options)
	return o
}
