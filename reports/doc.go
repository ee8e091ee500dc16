// Package reports turns aggregate survey results into the outputs people
// read: terminal tables, CSV and Markdown for the command line, and the
// client deliverables (an Excel deck, a self-contained HTML report and a
// Markdown report).
//
// Everything tabular flows through Table, so a figure is formatted the same
// way wherever it appears: percentages with one decimal, confidence
// intervals in brackets ("53.1% [51.8–54.4]"), "*" for a low base and "–"
// for a suppressed cell. The deliverables are built from Report, a neutral
// model holding only aggregates (tables, banner crosstabs, findings and
// chart images). The writers know nothing of how the numbers were computed
// or the charts drawn: the model is filled from analysis results and chart
// bytes (see BuildStudyReport), and no respondent-level data reaches it.
//
// Writers take an io.Writer and return errors; WriteFileAtomic puts their
// output on disk without ever leaving a half-written file behind.
package reports
