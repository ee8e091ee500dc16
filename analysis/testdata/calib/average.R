# average.R writes average.json, R survey's answers on the calibration test
# panel (make.R) under options(survey.lonely.psu = "average"): the panel's
# stratum "IS-1" has a single PSU, and R's onestage multiplies the other
# strata's summed contributions by nstrat/nokstrat, counting the strata
# that hold rows of the estimate's (subset) design. A domain without
# respondents in IS-1 gets factor 1, one with them 5/4 or (with strata
# missing) 3/2, 4/3...; a domain held by IS-1 alone is NaN. Run from this
# directory:
#
#   Rscript average.R
#
# The Go tests (cmd/trustgap/calib_test.go, analysis/average_test.go) read
# average.json; they never need R.
suppressPackageStartupMessages({
  library(survey)
  library(jsonlite)
})
stopifnot(packageVersion("survey") >= "4.1")
options(survey.lonely.psu = "average", survey.adjust.domain.lonely = FALSE)

d <- read.csv("panel.csv", colClasses = "character", na.strings = c("", "Don't know"))
num <- function(x) as.numeric(x)
v <- data.frame(stratum = d$stratum, psu = num(d$psu), fpc = num(d$fpc), weight = num(d$weight),
                region = d$region, generation = d$generation, gender = d$gender, tr1 = d$tr1,
                pc1 = num(d$pc1), agree = ifelse(is.na(d$tr1), NA, (d$tr1 == "Agree") + 0),
                stringsAsFactors = FALSE)
des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~weight, fpc = ~fpc, nest = TRUE, data = v)

## ---- estimate --mean pc1 --prop tr1==Agree --total pc1 --total tr1==Agree
## --by region*gender (and --by region): svymean/svyciprop(logit)/svytotal
## on the whole design and on subset() for every combination.
ests <- list()
specs <- list(list(y = "pc1", stat = "mean"), list(y = "agree", stat = "proportion"),
              list(y = "pc1", stat = "total"), list(y = "agree", stat = "total"))
one <- function(spec, ds, dom, by) {
  f <- as.formula(paste0("~", spec$y))
  if (sum(!is.na(ds$variables[[spec$y]])) == 0) return(NULL)
  e <- if (spec$stat == "total") svytotal(f, ds, na.rm = TRUE, deff = "replace") else
    svymean(f, ds, na.rm = TRUE, deff = "replace")
  ci <- if (spec$stat == "proportion")
    attr(suppressWarnings(svyciprop(f, ds, method = "logit", df = degf(ds), na.rm = TRUE)), "ci") else
    confint(e, df = degf(ds))
  num_or_null <- function(x) if (is.finite(x)) x else NA
  list(by = by, variable = spec$y, statistic = spec$stat, domain = dom, estimate = unname(coef(e)),
       se = num_or_null(as.numeric(SE(e))), deff = num_or_null(as.numeric(deff(e))), df = degf(ds),
       ci_low = num_or_null(unname(ci[1])), ci_high = num_or_null(unname(ci[2])))
}
for (spec in specs) {
  ests[[length(ests) + 1]] <- one(spec, des, NULL, "")
  for (r in sort(unique(v$region))) {
    x <- one(spec, subset(des, region == r), list(region = r), "region")
    if (!is.null(x)) ests[[length(ests) + 1]] <- x
  }
  combos <- unique(v[, c("region", "gender")])
  for (k in seq_len(nrow(combos))) {
    sub <- subset(des, region == combos$region[k] & gender == combos$gender[k])
    x <- one(spec, sub, list(region = combos$region[k], gender = combos$gender[k]), "region*gender")
    if (!is.null(x)) ests[[length(ests) + 1]] <- x
  }
}
# svyby is subset() per domain: its SEs must agree before the goldens are
# written (the factor is the domain's, not the design's).
for (fun in list(svymean, svytotal)) {
  b <- svyby(~pc1, ~region, des, fun, na.rm = TRUE)
  for (k in seq_len(nrow(b))) {
    s <- fun(~pc1, subset(des, region == b$region[k]), na.rm = TRUE)
    stopifnot(abs(SE(s) - b$se[k]) <= 1e-12 * SE(s))
  }
}
# The factors really differ between domains: in the whole design and
# North (respondents in IS-1) 5/4; Island (strata B and D) 1.
fac <- function(ds) {
  a <- SE(svytotal(~agree, ds, na.rm = TRUE))^2
  options(survey.lonely.psu = "remove"); on.exit(options(survey.lonely.psu = "average"))
  a / SE(svytotal(~agree, ds, na.rm = TRUE))^2
}
stopifnot(abs(fac(des) - 5 / 4) < 1e-12, abs(fac(subset(des, region == "Island")) - 1) < 1e-12,
          abs(fac(subset(des, region == "North")) - 5 / 4) < 1e-12)

## ---- crosstab: svychisq's statistics, svyby's column shares and the
## cells' svytotal SEs.
xt <- list()
for (pair in list(c("generation", "gender"), c("tr1", "region"))) {
  a <- pair[1]; b <- pair[2]
  f <- as.formula(paste0("~", a, "+", b))
  tests <- list()
  for (st in c("F", "Chisq", "Wald", "adjWald")) {
    r <- svychisq(f, des, statistic = st)
    tests[[st]] <- list(method = st, statistic = as.numeric(r$statistic), ndf = unname(r$parameter[1]),
      ddf = if (st == "Chisq") NA else unname(r$parameter[2]), p = as.numeric(r$p.value))
  }
  cells <- list()
  av <- des$variables[[a]]; bv <- des$variables[[b]]
  for (i in sort(unique(na.omit(av)))) {
    for (j in c(sort(unique(na.omit(bv))), "Total")) {
      dom <- if (j == "Total") subset(des, !is.na(bv)) else subset(des, !is.na(bv) & bv == j)
      dom <- update(dom, ind = ifelse(is.na(dom$variables[[a]]), NA, (dom$variables[[a]] == i) + 0))
      t <- svytotal(~ind, dom, na.rm = TRUE)
      m <- svymean(~ind, dom, na.rm = TRUE)
      cells[[length(cells) + 1]] <- list(row = i, col = j, weighted_count = unname(coef(t)),
        weighted_count_se = as.numeric(SE(t)), column_share = unname(coef(m)), column_share_se = as.numeric(SE(m)))
    }
  }
  xt[[length(xt) + 1]] <- list(rows = a, cols = b, tests = tests, cells = cells)
}

## ---- compare and trust: the constructs scored as the codebook defines
## them (as calib.R does), then compare's level − rest differences (the
## slope of svyglm(y ~ level), whose rows are those answering y) and its
## Rao-Scott tests (svychisq on subset(design, !is.na(y))), and trust by
## gender: comfort shares, the effect and log odds ratio (slopes of
## svyglm(comfort ~ trust)) and the adjusted model's coefficients.
labels <- c("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree")
items <- list(
  concern = data.frame(pc1 = num(d$pc1), pc2 = num(d$pc2), pc3 = num(d$pc3), pc4 = 6 - num(d$pc4)),
  trust = data.frame(tr1 = match(d$tr1, labels), tr2 = match(d$tr2, labels)),
  comfort = data.frame(cf1 = num(d$cf1)))
answered <- function(x) rowSums(!is.na(x))
score_mean <- function(x, min_items = ncol(x))
  ifelse(answered(x) >= min_items, rowMeans(x, na.rm = TRUE), NA)
des <- update(des, concern = (score_mean(items$concern, 3) >= 3.5) + 0,
              trust = (score_mean(items$trust) >= 4) + 0, comfort = (score_mean(items$comfort) >= 4) + 0)
des <- update(des, concern_score = score_mean(items$concern, 3))
## describe --by region: svymean of the flags and a score in each region.
describe <- list()
for (y in c("concern", "concern_score", "trust")) for (r in c(NA, sort(unique(v$region)))) {
  sub <- if (is.na(r)) des else subset(des, region == r)
  if (sum(!is.na(sub$variables[[y]])) == 0) next
  m <- svymean(as.formula(paste0("~", y)), sub, na.rm = TRUE)
  describe[[length(describe) + 1]] <- list(variable = y, domain = if (is.na(r)) NULL else list(region = r),
    estimate = unname(coef(m)), se = as.numeric(SE(m)))
}
ctl <- glm.control(epsilon = 1e-14, maxit = 100)
cmp <- list(); cmp_tests <- list()
for (y in c("concern", "trust")) for (var in c("gender", "region")) {
  x <- des$variables[[var]]
  for (lv in sort(unique(na.omit(x)))) {
    if (sum(!is.na(des$variables[[y]]) & x == lv, na.rm = TRUE) == 0) next
    d2 <- update(des, g = ifelse(is.na(x), NA, x == lv))
    fit <- svyglm(as.formula(paste0(y, " ~ g")), d2, control = ctl)
    cmp[[length(cmp) + 1]] <- list(statistic = y, domain = setNames(list(lv), var),
      difference = unname(coef(fit)["gTRUE"]), se = unname(SE(fit)["gTRUE"]))
  }
  sub <- subset(des, !is.na(des$variables[[y]]))
  r <- svychisq(as.formula(paste0("~", var, "+", y)), sub, statistic = "F")
  cmp_tests[[length(cmp_tests) + 1]] <- list(name = "rao_scott", variables = c(var, y), f = unname(r$statistic),
    ndf = unname(r$parameter[1]), ddf = unname(r$parameter[2]), p = unname(r$p.value))
}
trust <- list()
for (g in c(NA, "Female", "Male")) {
  sub <- if (is.na(g)) des else subset(des, gender == g)
  dom <- if (is.na(g)) NULL else list(gender = g)
  for (f in c(1, 0)) {
    m <- svymean(~comfort, subset(sub, !is.na(trust) & trust == f), na.rm = TRUE)
    trust[[length(trust) + 1]] <- list(statistic = if (f == 1) "comfort_trusting" else "comfort_nontrusting",
      domain = dom, estimate = unname(coef(m)), se = as.numeric(SE(m)))
  }
  lin <- svyglm(comfort ~ trust, sub, control = ctl)
  trust[[length(trust) + 1]] <- list(statistic = "effect", domain = dom,
    estimate = unname(coef(lin)["trust"]), se = unname(SE(lin)["trust"]))
  lg <- svyglm(comfort ~ trust, sub, family = quasibinomial(), control = ctl)
  trust[[length(trust) + 1]] <- list(statistic = "log_odds_ratio", domain = dom,
    estimate = unname(coef(lg)["trust"]), se = unname(SE(lg)["trust"]))
}
adj <- svyglm(comfort ~ trust + region + generation + gender, des, family = quasibinomial(), control = ctl)
trust_adjusted <- list(df = adj$df.residual, terms = lapply(names(coef(adj)), function(k)
  list(term = k, estimate = unname(coef(adj)[k]), se = unname(SE(adj)[k]))))

## ---- estimate --mean pc1 --by region on the design raked to targets.yaml:
## a calibrated design's subsets keep every row (at weight 0), so every
## domain counts all 5 strata (factor 5/4).
pop_region <- data.frame(region = c("North", "South", "West", "Island"), Freq = c(0.35, 0.3, 0.3, 0.05) * sum(weights(des)))
pop_generation <- data.frame(generation = c("Gen Z", "Millennials", "Gen X", "Boomers"),
                             Freq = c(0.22, 0.28, 0.27, 0.23) * sum(weights(des)))
raked <- rake(des, list(~region, ~generation), list(pop_region, pop_generation),
              control = list(maxit = 1000, epsilon = 1e-13))
raked_est <- list()
for (r in c(NA, "North", "South", "West")) {
  sub <- if (is.na(r)) raked else subset(raked, region == r)
  m <- svymean(~pc1, sub, na.rm = TRUE)
  raked_est[[length(raked_est) + 1]] <- list(domain = if (is.na(r)) NULL else list(region = r),
    estimate = unname(coef(m)), se = as.numeric(SE(m)))
}

## ---- a domain held by the single-PSU stratum alone: every stratum it
## touches is lonely, so R's variance is 0 · 1/0, NaN.
is1 <- subset(des, stratum == "IS-1")
m <- svymean(~pc1, is1, na.rm = TRUE)
t <- svytotal(~pc1, is1, na.rm = TRUE)
stopifnot(is.nan(SE(m)), is.nan(SE(t)))
is1_only <- list(mean = unname(coef(m)), total = unname(coef(t)), se = NA)

write_json(list(note = "R survey under options(survey.lonely.psu = \"average\"); see average.R",
                tolerance = 1e-6, estimates = ests, crosstab = xt,
                is1_only = is1_only, compare = cmp, compare_tests = cmp_tests,
                trust = trust, trust_adjusted = trust_adjusted, describe = describe,
                raked = raked_est),
           "average.json", auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null", null = "null")
