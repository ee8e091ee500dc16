// Package charts draws the publication charts of a trustgap report: the
// say-do gap by region (a dumbbell of privacy concern against protective
// behaviour), the trust effect on comfort with personalisation (grouped
// bars), paradox rates by region and segment (an annotated heat map),
// Westin segments by region (100% stacked bars) and comfort by data type
// (sorted bars).
//
// The package has its own small input types (Interval, GapRow, EffectRow,
// Heatmap, StackRow, BarRow) so it does not depend on the analysis code;
// the report builder converts estimates into them. Proportions are
// fractions in [0, 1] and are shown as percentages. NaN marks a missing
// estimate: it is skipped and, where a whole row is missing, labelled "no
// data". Rows flagged LowBase are drawn hollow or pale and starred, with a
// footnote.
//
// Every chart is a *Chart: a gonum/plot data panel plus a title block,
// a legend or colour key and footnotes laid out around it, so legends
// never cover data. Colours come from the Okabe–Ito palette, which stays
// distinguishable under the common colour-vision deficiencies; text is set
// in Liberation Sans, which covers Latin, Greek and Cyrillic. Save writes
// PNG (150 dpi), SVG or PDF, byte-for-byte reproducibly.
package charts
