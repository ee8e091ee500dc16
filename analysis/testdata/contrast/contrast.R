# Golden values for Design.DiffMeans and TTestP (contrast.go): differences of
# two domain means from svyby(..., covmat=TRUE) + svycontrast, on
# ../glm/synth.csv. Run from this directory: Rscript contrast.R
# (writes contrast.json).
suppressPackageStartupMessages({
  library(survey)
  library(jsonlite)
})
options(warn = 2)

d <- read.csv("../glm/synth.csv", stringsAsFactors = FALSE)
d$grp[d$grp == ""] <- NA
des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, data = d, nest = TRUE)
level <- 0.95

# group: 1 in domain 1, 0 in domain 2 and NA elsewhere. NA becomes a third
# group (svyby's covmat cannot take an NA by-variable); it does not enter the
# contrast.
contrast <- function(name, outcome, group, desc) {
  des <- update(des, g = ifelse(is.na(group), 2, group))
  # svyby(covmat=TRUE) cannot drop missing outcomes itself (the influence
  # matrix comes back short), so drop them first; the subset keeps every
  # PSU in the variance, as na.rm=TRUE would.
  answered <- subset(des, !is.na(get(outcome)))
  b <- svyby(reformulate(outcome), ~g, answered, svymean, covmat = TRUE)
  con <- svycontrast(b, c("1" = 1, "0" = -1))
  est <- as.numeric(coef(con))
  se <- as.numeric(SE(con))
  union <- subset(des, g != 2)
  df <- degf(union) # respondents with a missing outcome included
  # The same difference is the slope of a linear svyglm on the union.
  glmfit <- svyglm(reformulate("g", outcome), design = subset(answered, g != 2))
  stopifnot(isTRUE(all.equal(as.numeric(coef(glmfit)["g"]), est, tolerance = 1e-10)))
  stopifnot(isTRUE(all.equal(as.numeric(SE(glmfit)["g"]), se, tolerance = 1e-10)))
  q <- qt(1 - (1 - level) / 2, df)
  list(name = name, outcome = outcome, domains = desc, estimate = est, se = se, df = df,
       ci_low = est - q * se, ci_high = est + q * se, level = level,
       p = 2 * pt(-abs(est / se), df))
}

g1 <- ifelse(d$grp == "North", 1, ifelse(d$grp == "South", 0, NA))
g2 <- ifelse(d$grp == "North", 1, 0) # NA where grp is missing
g3 <- ifelse(d$stratum == 1, 1, ifelse(d$stratum == 2 & d$psu <= 4, 0, NA))
contrasts <- list(
  contrast("north_south_s1", "s1", g1, "grp == North vs grp == South"),
  contrast("dom_y", "y", d$dom, "dom == 1 vs dom == 0"),
  contrast("north_rest_y", "y", g2, "grp == North vs grp in (South, West)"),
  contrast("strata_s2", "s2", g3, "stratum == 1 vs stratum == 2 & psu <= 4") # degf 8
)
# Two-sided t-test p-values for TTestP, including far tails.
tt <- expand.grid(t = c(0, 0.5, -1.96, 2.5, 8, -40), df = c(1, 5, 32, 1000))
tt$p <- 2 * pt(-abs(tt$t), tt$df)
out <- list(contrasts = contrasts, ttest = tt)
write_json(out, "contrast.json", digits = NA, auto_unbox = TRUE, pretty = TRUE)
