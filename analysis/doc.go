// Package analysis holds trustgap's design-based estimators and the
// analyses built on them: the privacy paradox, trust and comfort, Westin
// segments, regional comparisons, crosstabs with significance letters and
// scale reliability.
//
// # What it estimates
//
// Every figure is a design-based estimate for a complex sample: a
// single-stage stratified cluster design with weights and an optional
// finite population correction, declared in R's survey package (Lumley) as
//
//	svydesign(ids=~psu, strata=~strata, weights=~w, fpc=~fpc, nest=TRUE)
//
// and built here by NewDesign (or StudyDesign from a survey.Dataset).
// Estimates and standard errors match that R package to 1e-6 on the same
// design; the tests compare them with golden values that R scripts under
// testdata/ computed. The estimators and the R calls they equal:
//
//	Design.Mean               svymean(~y, subset(design, in), na.rm=TRUE), deff="replace"
//	Design.Prop, PropCI       svyciprop(~y, subset(design, in), method="logit"|"xlogit"|"beta"|"asin"|"mean"|"likelihood"), or the Wald interval
//	Design.MeanBy             svyby(~y, ~g, design, svymean, na.rm=TRUE)
//	Design.Total              svytotal(~y, subset(design, in), na.rm=TRUE)
//	Design.Ratio              svyratio(~y, ~x, subset(design, in))
//	Design.DiffMeans          svycontrast(svyby(~y, ~group, design, svymean, covmat=TRUE), ...)
//	Design.Variance, Cov      svyrecvar on per-respondent influence values
//	Design.CovMatrix          svyvar(~x1 + x2 + ..., design, na.rm=TRUE)
//	Design.Correlation        cov2cor(svyvar(~x + y, design, na.rm=TRUE))
//	Design.ChiSq, ChiSqIn     svychisq(~a + b, design, statistic="F") (Rao-Scott)
//	Design.Crosstab           svytable(~a + b, design) with svymean column shares; its Test: svychisq statistic="F"|"Chisq"|"Wald"|"adjWald"|"lincom"|"saddlepoint"
//	Design.Logistic           svyglm(y ~ x1 + ..., design, family=quasibinomial())
//	Design.DegF               degf(design), the t degrees of freedom of intervals
//	Design.Calibrate          rake(design, list(~a, ~b), list(pop_a, pop_b))
//	Rake                      the raked weights of rake()
//	CronbachAlpha, Reliability psych::alpha(na.omit(x))$total$raw_alpha
//	LonelyPSU rules           options(survey.lonely.psu = "fail"|"adjust"|"remove"|"certainty"|"average")
//
// Standard errors come from Taylor linearization: every estimator builds
// an influence (estimating-function) value per respondent, and the
// variance is the with-replacement between-PSU variance of those values
// within strata (R's svyrecvar for one stage). Respondents outside a
// domain or with a missing answer get influence 0 but their PSUs stay in
// the design, as R's subset(design, ...) and na.rm=TRUE do, so a domain's
// degrees of freedom count its PSUs as degf does.
//
// # One engine
//
// The analyses are built from the estimators above, not beside them.
// Every domain mean and share (Describe, Segments, Paradox, Trust,
// Effect, Compare, Banner, ParadoxRateGrid, and Mean and MeanBy
// themselves) comes from one engine: weighted sums of each variable by
// PSU and domain, read once for every domain variable, turned into
// estimates by MeanBy's formula; it chooses among equivalent ways of
// adding up (respondent by respondent, through cross cells, by answer
// code) by thresholds it owns, and reference_test.go's plain svyrecvar
// computation checks every way on random designs to 1e-9. On a
// calibrated design the analyses call Mean, Prop and DiffMeans domain by
// domain instead, since the raking residuals are per respondent. Tests of
// independence are ChiSqIn's routine (tabulate, then the Rao-Scott
// correction) in Paradox, Compare and Crosstab (the crosstab command);
// correlations are Correlation's (Paradox keeps its sums for every domain
// in one pass); Reliability is CronbachAlpha and AlphaIfDeleted from one
// covariance matrix of the items read block by block; Effect's adjusted
// odds ratio is Logistic's Newton fit over patterns of predictors, and
// its odds ratio by domain the closed form of Logistic with one 0/1
// predictor (the tests compare both with Logistic).
//
// # Conventions of its own
//
// Where trustgap departs from R's defaults it says so at the function:
// intervals of shares are svyciprop's logit interval unless Options.CI
// asks otherwise; a row resting on fewer than Options.MinBase respondents
// (default 30) is flagged LowBase, for the caller to flag or suppress;
// Cronbach's alpha describes
// the instrument and so is unweighted, as psych computes it; a private
// release (Privacy) publishes Laplace-noised shares only, with no
// standard errors.
//
// # Data and errors
//
// Missing values are NaN in every float64 slice this package reads and -1
// in every categorical code slice. Errors are typed for errors.Is:
// ErrDesign (and ErrLonelyPSU, a *LonelyPSUError) for a design the data
// cannot support, ErrMissingConstruct for an analysis the codebook does
// not support, ErrUnknownDomain for a domain variable that does not exist,
// ErrChiSq, ErrNotConverged, ErrSeparation and ErrSingular for tests and
// models that cannot be computed, ErrBoundsInfeasible (a *BoundsError)
// for bounded raking whose bounds are too tight for its margins, ErrBudget for a privacy budget spent.
// Worker goroutines go through internal/pool: a panic in one is returned
// as an error, never a crash.
package analysis
