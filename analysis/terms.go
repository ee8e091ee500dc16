package analysis

import "sort"

// Term is one coefficient of a logistic model as summary.svyglm and
// confint.svyglm report it: Term is R's name ("(Intercept)", a numeric
// predictor's name, or a factor's name followed by the level of its
// treatment contrast, "regionBrazil"), Estimate the log odds ratio with
// its linearization SE, OddsRatio = exp(Estimate), the interval
// exp(Estimate ± t(df)·SE) and P = 2·P(T_df > |Estimate/SE|), df the
// model's residual degrees of freedom.
type Term struct {
	Term      string `json:"term"`
	Estimate  Num    `json:"estimate"`
	SE        Num    `json:"se"`
	OddsRatio Num    `json:"odds_ratio"`
	CILow     Num    `json:"ci_low"`
	CIHigh    Num    `json:"ci_high"`
	P         Num    `json:"p"`
}

// residualDF is svyglm's df.residual for a survey.design2: degf(design)
// + 1 − the number of coefficients.
func residualDF(degf, coefs int) int { return degf + 1 - coefs }

// modelTerms is the fit's coefficient table; fit.DF is the residual df.
func modelTerms(fit *LogisticFit, level float64) []Term {
	out := make([]Term, len(fit.Coef))
	for j := range fit.Coef {
		or, lo, hi := fit.OddsRatio(j, level)
		out[j] = Term{Term: fit.Names[j], Estimate: Num(fit.Coef[j]), SE: Num(fit.SE[j]), OddsRatio: Num(or),
			CILow: Num(lo), CIHigh: Num(hi), P: Num(TTestP(fit.Coef[j], fit.SE[j], fit.DF))}
	}
	if len(out) > 0 && out[0].Term == "" {
		out[0].Term = "(Intercept)"
	}
	return out
}

// sortedUsedLevels returns the indices of the levels marked used, in the
// byte order of their names: R's factor() of a text column sorts its
// levels (trustgap sorts as R's C locale does), and the first is the
// reference of the treatment contrasts.
func sortedUsedLevels(levels []string, used []bool) []int {
	var out []int
	for j, ok := range used {
		if ok {
			out = append(out, j)
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return levels[out[a]] < levels[out[b]] })
	if len(out) == 0 {
		return []int{0}
	}
	return out
}
