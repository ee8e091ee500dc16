# options.R writes options.json, R survey's answers on the calibration test
# panel (make.R) for svychisq(statistic = "lincom") and svyciprop(method =
# "likelihood"), with what trustgap computes exactly beside R's
# approximations. Run from this directory:
#
#   Rscript options.R
#
# The Go tests read options.json; they never need R.
suppressPackageStartupMessages({
  library(survey)
  library(jsonlite)
})
stopifnot(packageVersion("survey") >= "4.1")
options(survey.lonely.psu = "adjust", survey.adjust.domain.lonely = FALSE)

d <- read.csv("panel.csv", colClasses = "character", na.strings = c("", "Don't know"))
num <- function(x) as.numeric(x)
v <- data.frame(stratum = d$stratum, psu = num(d$psu), fpc = num(d$fpc), weight = num(d$weight),
                region = d$region, generation = d$generation, gender = d$gender, tr1 = d$tr1,
                stringsAsFactors = FALSE)
des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~weight, fpc = ~fpc, nest = TRUE, data = v)

## ---- lincom ---------------------------------------------------------------
## svychisq(statistic = "lincom") refers Pearson's X² to Σ δ_j χ²₁ over
## χ²_{d0·ν}/(d0·ν): pFsum(..., method = "integration") is
## CompQuadForm::davies(0, c(δ, −X²/ddf), c(rep(1, d), ddf)), whose
## as.integer() makes the denominator's df ⌊d0·ν⌋ (its weight keeps
## X²/(d0·ν)). Without CompQuadForm (not installed here) R falls back to
## the saddlepoint approximation (with ⌊d0·ν⌋ too). The golden p is the
## exact tail with the real d0·ν, from Imhof's formula integrated by R's
## integrate() to 1e-12; p_davies is the same with ⌊d0·ν⌋, what davies
## approximates to 1e-7; p_r_saddlepoint is what svychisq's lincom returns
## here, p_saddlepoint svychisq(statistic = "saddlepoint")'s (the same).
imhof <- function(lam, h) {
  f <- function(u) sapply(u, function(x) {
    if (x == 0) return(0)
    sin(0.5 * sum(h * atan(lam * x))) / (x * exp(sum(h / 4 * log1p(lam^2 * x^2))))
  })
  0.5 + integrate(f, 0, Inf, rel.tol = 1e-12, abs.tol = 1e-16, subdivisions = 10000L)$value / pi
}
# Delta as svychisq.survey.design forms it (its code, for the eigenvalues).
delta_of <- function(design, rows, cols) {
  rowvar <- na.omit(unique(design$variables[[rows]])); colvar <- na.omit(unique(design$variables[[cols]]))
  nr <- length(rowvar); nc <- length(colvar)
  fsat <- as.formula(paste0("~interaction(factor(", rows, "), factor(", cols, ")) - 1"))
  mm <- model.matrix(fsat, model.frame(fsat, design$variables, na.action = na.pass))
  N <- nrow(mm)
  mf1 <- expand.grid(rows = 1:nr, cols = 1:nc)
  X1 <- model.matrix(~factor(rows) + factor(cols), mf1)
  X12 <- model.matrix(~factor(rows) * factor(cols), mf1)
  mean2 <- svymean(mm, design, na.rm = TRUE)
  Cmat <- qr.resid(qr(X1), X12[, -(1:(nr + nc - 1)), drop = FALSE])
  iDmat <- diag(ifelse(mean2 == 0, 0, 1 / mean2))
  V <- attr(mean2, "var")
  denom <- t(Cmat) %*% (iDmat / N) %*% Cmat
  numr <- t(Cmat) %*% iDmat %*% V %*% iDmat %*% Cmat
  solve(denom, numr)
}
lincom <- list()
for (pair in list(c("generation", "gender"), c("tr1", "region"), c("region", "generation"))) {
  f <- as.formula(paste0("~", pair[1], "+", pair[2]))
  rf <- svychisq(f, des, statistic = "F")
  rl <- suppressWarnings(svychisq(f, des, statistic = "lincom"))
  rs <- svychisq(f, des, statistic = "saddlepoint")
  Delta <- delta_of(des, pair[1], pair[2])
  ev <- Re(eigen(Delta, only.values = TRUE)$values)
  x2 <- as.numeric(rl$statistic)
  ndf <- unname(rf$parameter[1]); ddf <- unname(rf$parameter[2])
  stopifnot(abs(x2 / sum(diag(Delta)) - rf$statistic) < 1e-10 * rf$statistic,
            abs(sum(ev)^2 / sum(ev^2) - ndf) < 1e-9 * ndf)
  lincom[[length(lincom) + 1]] <- list(rows = pair[1], cols = pair[2], statistic = x2,
    ndf = length(ev), ddf = ddf, eigenvalues = sort(ev),
    p = imhof(c(ev, -x2 / ddf), c(rep(1, length(ev)), ddf)),
    p_davies = imhof(c(ev, -x2 / ddf), c(rep(1, length(ev)), as.integer(ddf))),
    p_r_saddlepoint = as.numeric(rl$p.value), p_saddlepoint = as.numeric(rs$p.value))
}

## ---- likelihood ------------------------------------------------------------
## svyciprop(method = "likelihood") profiles svyglm(y ~ 1, family =
## quasibinomial)'s deviance over its dispersion at nine points a side and
## interpolates the cutoff t(df)²·λ in a spline (confint_profile). The
## golden limits are the exact roots of R's own profile: the deviance of
## the glm with the intercept as offset, R's summary(m)$dispersion and
## lambda = cov.unscaled/naive.cov, solved by uniroot to 1e-14, with the
## glm converged; r_ci is what svyciprop returns.
v$sh <- ifelse(is.na(d$sh_loc), NA, (d$sh_loc == "yes") + 0)
v$agree <- ifelse(is.na(d$tr1), NA, (d$tr1 == "Agree") + 0)
des <- update(des, sh = v$sh, agree = v$agree)
exact_lik <- function(sub, y, level, df) {
  # Converged to 1e-14 (glm's default 1e-8 leaves the intercept, and so
  # the limits, about 1e-7 off).
  m <- svyglm(as.formula(paste0(y, " ~ 1")), sub, family = quasibinomial,
              control = glm.control(epsilon = 1e-14, maxit = 100))
  lam <- as.numeric(m$cov.unscaled / m$naive.cov)
  disp <- as.numeric(summary(m)$dispersion)
  dev0 <- deviance(m); B0 <- unname(coef(m)[1])
  Y <- m$y; Wt <- m$prior.weights
  z2 <- function(b) (-2 * sum(Wt * (Y * log(plogis(b)) + (1 - Y) * log(plogis(-b)))) - dev0) / disp
  cut <- qt((1 - level) / 2, df)^2 * lam
  c(plogis(uniroot(function(b) z2(b) - cut, c(B0 - 30, B0), tol = 1e-14)$root),
    plogis(uniroot(function(b) z2(b) - cut, c(B0, B0 + 30), tol = 1e-14)$root))
}
lik <- list()
for (y in c("agree", "sh")) for (g in c(NA, "Male", "Female")) for (level in c(0.95, 0.99)) {
  sub <- if (is.na(g)) des else subset(des, gender == g)
  f <- as.formula(paste0("~", y))
  r <- svyciprop(f, sub, method = "likelihood", level = level, df = degf(sub))
  m <- svymean(f, sub, na.rm = TRUE)
  ok <- !is.na(sub$variables[[y]])
  ex <- exact_lik(sub, y, level, degf(sub))
  lik[[length(lik) + 1]] <- list(variable = y, domain = if (is.na(g)) NULL else list(gender = g),
    level = level, estimate = unname(coef(m)), se = as.numeric(SE(m)), df = degf(sub),
    n = sum(ok), n_domain = nrow(sub), w = sum(weights(sub)[ok]), w_domain = sum(weights(sub)),
    ci_low = ex[1], ci_high = ex[2], r_ci_low = unname(attr(r, "ci")[1]), r_ci_high = unname(attr(r, "ci")[2]))
}
## crosstab tr1 × gender --ci likelihood: each column share is svyciprop
## of I(tr1 == level) in subset(design, gender == column) (tr1 has
## missing answers, which the rescaling of the weights counts).
lik_xt <- list()
for (j in c("Male", "Female", "Total")) for (i in c("Agree", "Disagree")) {
  sub <- if (j == "Total") subset(des, !is.na(gender)) else subset(des, gender == j)
  sub <- update(sub, ind = ifelse(is.na(tr1), NA, (tr1 == i) + 0))
  ex <- exact_lik(sub, "ind", 0.95, degf(sub))
  lik_xt[[length(lik_xt) + 1]] <- list(row = i, col = j, ci_low = ex[1], ci_high = ex[2])
}

write_json(list(note = "R survey: svychisq lincom (exact p beside R's saddlepoint fallback), svyciprop likelihood (exact roots of R's profile beside R's spline); see options.R",
                tolerance = 1e-6, lincom = lincom, likelihood = lik, likelihood_crosstab = lik_xt),
           "options.json", auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null", null = "null")
