# Golden values for Design.Logistic (glm.go): svyglm(..., family=quasibinomial)
# on synth.csv (written by make.R). Run from this directory: Rscript glm.R
# Writes glm.json. IRLS is run to epsilon=1e-12 so that R's coefficients are
# the exact weighted MLE rather than glm's default 1e-8 approximation.
suppressPackageStartupMessages({
  library(survey)
  library(jsonlite)
})
options(warn = 2) # any warning (non-convergence, separation) is fatal

d <- read.csv("synth.csv", stringsAsFactors = FALSE)
d$grp <- factor(d$grp, levels = c("North", "South", "West"))
des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, data = d, nest = TRUE)
desfpc <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, fpc = ~fpc, data = d, nest = TRUE)
level <- 0.95

fit <- function(name, formula, design, domain) {
  ctl <- glm.control(epsilon = 1e-12, maxit = 100)
  # do.call puts the values in the call svyglm evaluates in its own frame.
  f0 <- do.call(svyglm, list(formula, design = design, family = quasibinomial(), control = ctl))
  # glm.fit returns the working weights of its last iteration, computed
  # before the final update, so the sandwich lags the coefficients by one
  # step. Refitting from the converged coefficients makes that step ~1e-15:
  # the variance is then the sandwich at the MLE, which Go computes.
  refit <- function(rescale) {
    do.call(svyglm, list(formula, design = design, family = quasibinomial(),
                         start = unname(coef(f0)), rescale = rescale, control = ctl))
  }
  f <- refit(TRUE)
  # svyglm rescales the weights to mean 1; the sandwich does not depend on it.
  g <- refit(FALSE)
  stopifnot(isTRUE(all.equal(vcov(f), vcov(g), tolerance = 1e-10)))
  lag <- max(abs(vcov(f0) / vcov(f) - 1))
  b <- coef(f)
  se <- sqrt(diag(vcov(f)))
  df <- degf(design) # the domain's degf, respondents with missing answers included
  q <- qt(1 - (1 - level) / 2, df)
  list(
    name = name, formula = deparse(formula), domain = domain,
    names = names(b), coef = unname(b), se = unname(se),
    cov = unname(vcov(f)), df = df, n = nobs(f),
    or = unname(exp(b)), or_lo = unname(exp(b - q * se)), or_hi = unname(exp(b + q * se)),
    level = level,
    default_fit_cov_rel_diff = lag
  )
}

out <- list(
  fit("whole", y ~ x1 + grp, des, "all"),
  fit("domain", y ~ x1 + grp, subset(des, dom == 1), "dom == 1"),
  fit("domain_strata", y ~ x1 + grp, subset(des, stratum >= 3 & dom == 1), "stratum >= 3 & dom == 1"),
  fit("continuous", y ~ x1 + grp + s1, des, "all"),
  fit("fpc", y ~ x1 + grp, desfpc, "all")
)
write_json(out, "glm.json", digits = NA, auto_unbox = TRUE, pretty = TRUE)
