# calib2.R writes calib2.json, golden values from R survey for compare's
# benchmark comparison on the calibrated panel (make.R) and for standard
# errors at and near rounding level. Run from this directory:
#
#   Rscript calib2.R
#
# The Go tests (analysis/calib2_test.go) read calib2.json; they never need R.
suppressPackageStartupMessages({
  library(survey)
  library(jsonlite)
})
stopifnot(packageVersion("survey") >= "4.1")
options(survey.lonely.psu = "adjust", survey.adjust.domain.lonely = FALSE)

## ---- score the constructs as the codebook defines them (as calib.R) -------
d <- read.csv("panel.csv", colClasses = "character", na.strings = c("", "Don't know"))
labels <- c("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree")
num <- function(x) as.numeric(x)
items <- list(
  concern = data.frame(pc1 = num(d$pc1), pc2 = num(d$pc2), pc3 = num(d$pc3), pc4 = 6 - num(d$pc4)),
  protection = data.frame(pr_adblock = num(d$pr_adblock), pr_vpn = num(d$pr_vpn)),
  trust = data.frame(tr1 = match(d$tr1, labels), tr2 = match(d$tr2, labels)),
  comfort = data.frame(cf1 = num(d$cf1)))
answered <- function(x) rowSums(!is.na(x))
score_mean <- function(x, min_items = ncol(x))
  ifelse(answered(x) >= min_items, rowMeans(x, na.rm = TRUE), NA)
score_count <- function(x) ifelse(answered(x) == ncol(x), rowSums(x), NA)
v <- data.frame(rid = d$rid, stratum = d$stratum, psu = num(d$psu), fpc = num(d$fpc),
                weight = num(d$weight), region = d$region, generation = d$generation,
                gender = d$gender, stringsAsFactors = FALSE)
v$concern <- (score_mean(items$concern, 3) >= 3.5) + 0
v$protection <- (score_count(items$protection) >= 1) + 0
v$trust <- (score_mean(items$trust) >= 4) + 0
v$comfort <- (score_mean(items$comfort) >= 4) + 0
v$paradox_rate <- ifelse(v$concern == 1, 1 - v$protection, NA)
wi <- data.frame(w1 = num(d$w1), w2 = num(d$w2), w3 = num(d$w3))
agree <- function(x) x <= 2
westin <- ifelse(rowSums(!is.na(wi)) < 3, NA,
  ifelse(agree(wi$w1) & !agree(wi$w2) & !agree(wi$w3), "fundamentalist",
  ifelse(!agree(wi$w1) & agree(wi$w2) & agree(wi$w3), "unconcerned", "pragmatist")))
v$westin_pragmatist <- ifelse(is.na(westin), NA, (westin == "pragmatist") + 0)
v$comfort_trusting <- ifelse(!is.na(v$trust) & v$trust == 1, v$comfort, NA)
des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~weight, fpc = ~fpc, nest = TRUE, data = v)

pop_region <- data.frame(region = c("North", "South", "West", "Island"), Freq = c(0.35, 0.3, 0.3, 0.05) * sum(weights(des)))
pop_generation <- data.frame(generation = c("Gen Z", "Millennials", "Gen X", "Boomers"),
                             Freq = c(0.22, 0.28, 0.27, 0.23) * sum(weights(des)))
raked <- rake(des, list(~region, ~generation), list(pop_region, pop_generation),
              control = list(maxit = 1000, epsilon = 1e-13))
bounded <- calibrate(des, list(~region, ~generation), list(pop_region, pop_generation),
                     calfun = "raking", bounds = c(0.2, 4) * mean(weights(des)), bounds.const = TRUE,
                     maxit = 1000, epsilon = 1e-12)
stopifnot(is.null(attr(bounded$prob, "failed")))

## ---- compare --benchmark benchmarks.yaml: each published value against
## svymean/svyciprop(logit) on subset(design, domain), the difference
## tested as svycontrast(m, quote(y - value)) on t(degf(subset)).
toplines <- list(
  list(statistic = "concern", var = NA, level = NA, value = 0.6),
  list(statistic = "concern", var = "region", level = "North", value = 0.5),
  list(statistic = "trust", var = "gender", level = "Female", value = 0.3),
  list(statistic = "paradox_rate", var = NA, level = NA, value = 0.4),
  list(statistic = "comfort_trusting", var = "generation", level = "Gen Z", value = 0.5),
  list(statistic = "westin_pragmatist", var = NA, level = NA, value = 0.55))
bench <- list()
for (tag in c("raked", "bounded", "none")) {
  ds <- switch(tag, raked = raked, bounded = bounded, none = des)
  for (tl in toplines) {
    sub <- if (is.na(tl$var)) ds else subset(ds, ds$variables[[tl$var]] == tl$level)
    f <- as.formula(paste0("~", tl$statistic))
    m <- svymean(f, sub, na.rm = TRUE)
    ci <- svyciprop(f, sub, method = "logit", df = degf(sub), na.rm = TRUE)
    con <- svycontrast(m, eval(bquote(quote(.(as.name(tl$statistic)) - .(tl$value)))))
    t <- unname(coef(con)) / as.numeric(SE(con))
    bench[[length(bench) + 1]] <- list(design = tag, statistic = tl$statistic,
      domain = if (is.na(tl$var)) NULL else setNames(list(tl$level), tl$var), published = tl$value,
      estimate = unname(coef(m)), se = as.numeric(SE(m)),
      ci_low = unname(attr(ci, "ci")[1]), ci_high = unname(attr(ci, "ci")[2]),
      difference = unname(coef(con)), t = t, df = degf(sub), p = 2 * pt(-abs(t), degf(sub)))
  }
}

## ---- standard errors at and near rounding level ---------------------------
## A small design generated here (tiny below): domain "near" spans two PSUs
## of one stratum whose means differ by about 1e-5, so its SE is about 1e-6
## and its deff about 2e-11, yet genuine; domain "one" sits in one PSU, so
## its PSU totals are exactly 0 (SE 0, deff 0, effective base infinite).
tiny <- data.frame(
  stratum = c(1, 1, 1, 1, 2, 2, 2, 2, 2, 2),
  psu = c(1, 1, 2, 2, 3, 3, 3, 4, 4, 5),
  w = c(1, 1, 1, 1 + 1e-5, 2.5, 0.7, 1.3, 1, 2, 3),
  y = c(0, 1, 0, 1, 0.1, 0.3, 0.7, 1, 0, 1),
  dom = c("near", "near", "near", "near", "one", "one", "one", "rest", "rest", "rest"))
tdes <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, data = tiny, nest = TRUE)
rounding <- list()
for (dm in c("near", "one")) {
  sub <- subset(tdes, dom == dm)
  m <- svymean(~y, sub, deff = "replace")
  t <- svytotal(~y, sub, deff = "replace")
  rounding[[length(rounding) + 1]] <- list(domain = dm, mean = unname(coef(m)), mean_se = as.numeric(SE(m)),
    mean_deff = as.numeric(deff(m)), total = unname(coef(t)), total_se = as.numeric(SE(t)),
    total_deff = as.numeric(deff(t)), df = degf(sub))
}

out <- list(tolerance = 1e-6, benchmarks = bench, tiny = as.list(tiny), rounding = rounding)
write_json(out, "calib2.json", auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null", na = "null")
