# calib.R writes calib.json, the golden values of the calibration test
# panel (make.R): R survey's answers for compare's Rao-Scott tests and a
# domain held by one PSU, the weights rake() gives for targets.yaml. Run from this directory:
#
#   Rscript calib.R
#
# The Go tests (analysis/calib_test.go) read calib.json; they never need R.
suppressPackageStartupMessages({
  library(survey)
  library(jsonlite)
})
stopifnot(packageVersion("survey") >= "4.1")
options(survey.lonely.psu = "adjust", survey.adjust.domain.lonely = FALSE)

## ---- score the constructs as the codebook defines them ------------------
d <- read.csv("panel.csv", colClasses = "character", na.strings = c("", "Don't know"))
labels <- c("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree")
num <- function(x) as.numeric(x)
items <- list(
  concern = data.frame(pc1 = num(d$pc1), pc2 = num(d$pc2), pc3 = num(d$pc3), pc4 = 6 - num(d$pc4)),
  sharing = data.frame(sh_loc = (d$sh_loc == "yes") + 0, sh_cookies = (d$sh_cookies == "yes") + 0,
                       sh_email = (d$sh_email == "yes") + 0),
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
v$concern_score <- score_mean(items$concern, 3)
v$sharing_score <- score_count(items$sharing)
v$protection_score <- score_count(items$protection)
v$trust_score <- score_mean(items$trust)
v$comfort_score <- score_mean(items$comfort)
v$concern <- (v$concern_score >= 3.5) + 0
v$sharing <- (v$sharing_score >= 2) + 0
v$protection <- (v$protection_score >= 1) + 0
v$trust <- (v$trust_score >= 4) + 0
v$comfort <- (v$comfort_score >= 4) + 0
des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~weight, fpc = ~fpc, nest = TRUE, data = v)
flags <- c("concern", "sharing", "protection", "trust", "comfort")
vars <- c("region", "generation", "gender")

## ---- compare: svychisq on subset(design, !is.na(y)) ---------------------
rao_scott <- function(ds, var, y) {
  sub <- subset(ds, !is.na(ds$variables[[y]]))
  t <- svychisq(as.formula(paste0("~", var, "+", y)), sub, statistic = "F")
  list(name = "rao_scott", variables = c(var, y), f = unname(t$statistic),
       ndf = unname(t$parameter[1]), ddf = unname(t$parameter[2]), p = unname(t$p.value),
       degf = degf(sub))
}
compare_tests <- list()
for (y in flags) for (var in vars) compare_tests[[length(compare_tests) + 1]] <- rao_scott(des, var, y)

## ---- a domain whose answers all sit in one PSU --------------------------
m <- svymean(~concern_score, subset(des, gender == "Other"), na.rm = TRUE, deff = "replace")
one_psu <- list(domain = list(gender = "Other"), estimate = unname(coef(m)),
                se = as.numeric(SE(m)), deff = as.numeric(deff(m)))

## ---- raking to targets.yaml: rake(), converged --------------------------
pop_region <- data.frame(region = c("North", "South", "West", "Island"), Freq = c(0.35, 0.3, 0.3, 0.05) * sum(weights(des)))
pop_generation <- data.frame(generation = c("Gen Z", "Millennials", "Gen X", "Boomers"),
                             Freq = c(0.22, 0.28, 0.27, 0.23) * sum(weights(des)))
raked <- rake(des, list(~region, ~generation), list(pop_region, pop_generation),
              control = list(maxit = 1000, epsilon = 1e-13))

## ---- estimates on the raked design ---------------------------------------
est_rows <- function(ds, tag) {
  rows <- list()
  add <- function(y, dom, sub) {
    prop <- y %in% flags
    m <- svymean(as.formula(paste0("~", y)), sub, na.rm = TRUE, deff = "replace")
    r <- list(design = tag, variable = y, domain = dom, estimate = unname(coef(m)),
              se = as.numeric(SE(m)), deff = as.numeric(deff(m)), df = degf(sub))
    if (prop) {
      ci <- svyciprop(as.formula(paste0("~", y)), sub, method = "logit", df = degf(sub), na.rm = TRUE)
      r$ci_low <- unname(attr(ci, "ci")[1]); r$ci_high <- unname(attr(ci, "ci")[2])
    } else {
      ci <- confint(m, df = degf(sub))
      r$ci_low <- ci[1]; r$ci_high <- ci[2]
    }
    rows[[length(rows) + 1]] <<- r
  }
  for (y in c("concern_score", "concern", "trust", "comfort_score")) {
    add(y, NULL, ds)
    for (g in c("Female", "Male")) add(y, list(gender = g), subset(ds, gender == g))
  }
  rows
}
raked_est <- est_rows(raked, "raked")
# The same raked weights taken as fixed sampling weights: larger SEs for
# what the margins explain.
fixed <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, fpc = ~fpc, nest = TRUE,
                   data = transform(v, w = weights(raked)))
fixed_est <- est_rows(fixed, "fixed")
one <- rake(des, list(~region), list(pop_region), control = list(maxit = 1000, epsilon = 1e-13))
one_est <- est_rows(one, "region_only")

# trustgap estimate --targets targets.yaml --mean pc1 --prop 'tr1==Agree'
# --by gender (and the same through codebook_weighting.yaml).
raked <- update(raked, pc1 = num(d$pc1), agree = ifelse(is.na(d$tr1), NA, (d$tr1 == "Agree") + 0))
cli <- list()
for (y in c("pc1", "agree")) {
  doms <- list(list(dom = NULL, ds = raked))
  for (g in c("Male", "Female", "Other"))
    doms[[length(doms) + 1]] <- list(dom = list(gender = g), ds = subset(raked, gender == g))
  for (dm in doms) {
    f <- as.formula(paste0("~", y))
    m <- svymean(f, dm$ds, na.rm = TRUE, deff = "replace")
    r <- list(variable = y, domain = dm$dom, estimate = unname(coef(m)), se = as.numeric(SE(m)), df = degf(dm$ds))
    if (y == "agree") {
      ci <- svyciprop(f, dm$ds, method = "logit", df = degf(dm$ds), na.rm = TRUE)
      r$ci_low <- unname(attr(ci, "ci")[1]); r$ci_high <- unname(attr(ci, "ci")[2])
    } else {
      ci <- confint(m, df = degf(dm$ds)); r$ci_low <- ci[1]; r$ci_high <- ci[2]
    }
    cli[[length(cli) + 1]] <- r
  }
}

# Bounded raking: calibrate(calfun = "raking", bounds = c(0.2, 4) * mean
# weight, bounds.const = TRUE) and calibrate()'s variance. R converges
# here (stopifnot below), so its weights are the solution of the equations.
bounded <- calibrate(des, list(~region, ~generation), list(pop_region, pop_generation),
                     calfun = "raking", bounds = c(0.2, 4) * mean(weights(des)), bounds.const = TRUE,
                     maxit = 1000, epsilon = 1e-12)
stopifnot(is.null(attr(bounded$prob, "failed")))
bounded_est <- est_rows(bounded, "bounded")
bounded_weights <- unname(weights(bounded))

# Totals (svytotal, deff = "replace"): a margin's level has SE 0.
totals <- list()
v$north <- (v$region == "North") + 0
raked <- update(raked, north = (region == "North") + 0)
for (y in c("concern", "concern_score", "north")) {
  t <- svytotal(as.formula(paste0("~", y)), raked, na.rm = TRUE, deff = "replace")
  totals[[length(totals) + 1]] <- list(variable = y, estimate = unname(coef(t)), se = as.numeric(SE(t)),
                                       deff = as.numeric(deff(t)))
}

## ---- estimate --mean pc1 --total pc1 --total 'tr1==Agree' --by 'region*gender'
## (unraked design): svymean/svytotal (deff = "replace") and svyby over
## region + gender, intervals ± t(degf)·SE.
des <- update(des, pc1 = num(d$pc1), agree = ifelse(is.na(d$tr1), NA, (d$tr1 == "Agree") + 0))
crossed <- list()
for (spec in list(list(y = "pc1", stat = "mean", fun = svymean), list(y = "pc1", stat = "total", fun = svytotal),
                  list(y = "agree", stat = "total", fun = svytotal))) {
  f <- as.formula(paste0("~", spec$y))
  one <- function(ds, dom) {
    e <- spec$fun(f, ds, na.rm = TRUE, deff = "replace")
    ci <- confint(e, df = degf(ds))
    list(variable = spec$y, statistic = spec$stat, domain = dom, estimate = unname(coef(e)),
         se = as.numeric(SE(e)), deff = as.numeric(deff(e)), df = degf(ds), ci_low = ci[1], ci_high = ci[2])
  }
  crossed[[length(crossed) + 1]] <- one(des, NULL)
  combos <- unique(v[!is.na(v$region) & !is.na(v$gender), c("region", "gender")])
  for (k in seq_len(nrow(combos))) {
    sub <- subset(des, region == combos$region[k] & gender == combos$gender[k])
    if (spec$stat == "mean" && sum(!is.na(sub$variables[[spec$y]])) == 0) next
    crossed[[length(crossed) + 1]] <- one(sub, list(region = combos$region[k], gender = combos$gender[k]))
  }
}
# The same domains through svyby, as a check that subset() is svyby's
# answer: both must agree before the goldens are written.
b <- svyby(~pc1, ~region + gender, des, svytotal, na.rm = TRUE, deff = "replace")
for (k in seq_len(nrow(b))) {
  hit <- Filter(function(r) r$statistic == "total" && r$variable == "pc1" && !is.null(r$domain) &&
                  r$domain$region == b$region[k] && r$domain$gender == b$gender[k], crossed)
  stopifnot(length(hit) == 1, abs(hit[[1]]$estimate - b$pc1[k]) < 1e-9, abs(hit[[1]]$se - b$se[k]) < 1e-9)
}

## ---- svyciprop's methods --------------------------------------------------
## The flags by gender, and two shares at the edge: sharing among gender
## Other (all 3 flagged: p = 1) and concern at the 99% level in a small
## domain, where asin's limits can pass 0 or pi/2.
cis <- list()
for (y in c("concern", "trust", "sharing")) for (g in c(NA, "Male", "Female", "Other")) {
  sub <- if (is.na(g)) des else subset(des, gender == g)
  dom <- if (is.na(g)) NULL else list(gender = g)
  for (level in c(0.95, 0.999)) for (method in c("logit", "xlogit", "asin", "mean", "beta")) {
    ci <- suppressWarnings(svyciprop(as.formula(paste0("~", y)), sub, method = method, level = level,
                                     df = degf(sub), na.rm = TRUE))
    m <- svymean(as.formula(paste0("~", y)), sub, na.rm = TRUE)
    cis[[length(cis) + 1]] <- list(variable = y, domain = dom, method = method, level = level,
      estimate = unname(coef(m)), se = as.numeric(SE(m)), df = degf(sub),
      n_domain = nrow(sub), ci_low = unname(attr(ci, "ci")[1]), ci_high = unname(attr(ci, "ci")[2]))
  }
}

## ---- crosstab: svychisq's statistics and the cells' svytotal SEs ----------
des <- update(des, tr1 = d$tr1)
xt <- list()
for (pair in list(c("generation", "gender"), c("tr1", "region"))) {
  a <- pair[1]; b <- pair[2]
  # Levels answered together only (trustgap's convention, see README).
  sub <- des
  f <- as.formula(paste0("~", a, "+", b))
  tests <- list()
  for (st in c("F", "Chisq", "Wald", "adjWald")) {
    r <- svychisq(f, sub, statistic = st)
    tests[[st]] <- list(method = st, statistic = as.numeric(r$statistic),
      ndf = if (st == "Chisq") unname(r$parameter[1]) else unname(r$parameter[1]),
      ddf = if (st == "Chisq") NA else unname(r$parameter[2]), p = as.numeric(r$p.value))
  }
  cells <- list()
  av <- des$variables[[a]]; bv <- des$variables[[b]]
  for (i in sort(unique(na.omit(av)))) {
    for (j in c(sort(unique(na.omit(bv))), "Total")) {
      dom <- if (j == "Total") subset(des, !is.na(bv)) else subset(des, !is.na(bv) & bv == j)
      dom <- update(dom, ind = ifelse(is.na(dom$variables[[a]]), NA, (dom$variables[[a]] == i) + 0))
      t <- svytotal(~ind, dom, na.rm = TRUE)
      cells[[length(cells) + 1]] <- list(row = i, col = j, weighted_count = unname(coef(t)), weighted_count_se = as.numeric(SE(t)))
    }
  }
  xt[[length(xt) + 1]] <- list(rows = a, cols = b, tests = tests, cells = cells)
}

## ---- describe --by 'region*gender': svyciprop/svymean in every combination
## holding respondents (svyby(~y, ~region + gender)).
cross_describe <- list()
combos <- unique(v[!is.na(v$region) & !is.na(v$gender), c("region", "gender")])
for (k in seq_len(nrow(combos))) {
  sub <- subset(des, region == combos$region[k] & gender == combos$gender[k])
  for (y in c("concern", "concern_score", "trust")) {
    if (sum(!is.na(sub$variables[[y]])) == 0) next
    f <- as.formula(paste0("~", y))
    m <- svymean(f, sub, na.rm = TRUE)
    r <- list(variable = y, domain = list(region = combos$region[k], gender = combos$gender[k]),
              estimate = unname(coef(m)), se = as.numeric(SE(m)), df = degf(sub))
    if (y %in% flags) {
      ci <- svyciprop(f, sub, method = "logit", df = degf(sub), na.rm = TRUE)
      r$ci_low <- unname(attr(ci, "ci")[1]); r$ci_high <- unname(attr(ci, "ci")[2])
    } else {
      ci <- confint(m, df = degf(sub)); r$ci_low <- ci[1]; r$ci_high <- ci[2]
    }
    cross_describe[[length(cross_describe) + 1]] <- r
  }
}

## ---- crosstab generation × gender on the raked design ---------------------
rk <- update(raked, generation = v$generation, gender = v$gender)
xr <- list(tests = list(), cells = list())
for (st in c("F", "Chisq", "Wald", "adjWald")) {
  r <- svychisq(~generation + gender, rk, statistic = st)
  xr$tests[[st]] <- list(method = st, statistic = as.numeric(r$statistic), ndf = unname(r$parameter[1]),
                         ddf = if (st == "Chisq") NA else unname(r$parameter[2]), p = as.numeric(r$p.value))
}
for (i in sort(unique(v$generation))) for (j in c(sort(unique(v$gender)), "Total")) {
  dom <- if (j == "Total") subset(rk, !is.na(gender)) else subset(rk, gender == j)
  dom <- update(dom, ind = (generation == i) + 0)
  m <- svymean(~ind, dom)
  t <- svytotal(~ind, dom)
  xr$cells[[length(xr$cells) + 1]] <- list(row = i, col = j, column_share = unname(coef(m)), se = as.numeric(SE(m)),
                                         weighted_count = unname(coef(t)), weighted_count_se = as.numeric(SE(t)))
}

## ---- compare on the raked design: level − rest (svyglm(y ~ level)) and
## svychisq on subset(raked, !is.na(y)) (whose nu counts every cluster: a
## calibrated subset keeps its rows at weight 0).
rk2 <- update(rk, region = v$region, gender = v$gender, concern = v$concern, trust = v$trust)
cmp_raked <- list(); cmp_raked_tests <- list()
for (y in c("concern", "trust")) for (var in c("gender", "region")) {
  if (y == "concern" && var == "region") next # Island has no concern answers: see README
  x <- rk2$variables[[var]]
  for (lv in sort(unique(na.omit(x)))) {
    d2 <- update(rk2, g = ifelse(is.na(x), NA, x == lv))
    # svyby(covmat = TRUE) fails on a calibrated subset in survey 4.1; the
    # slope of svyglm(y ~ g) is the same contrast (checked in make.R).
    fit <- svyglm(as.formula(paste0(y, " ~ g")), d2)
    cmp_raked[[length(cmp_raked) + 1]] <- list(statistic = y, domain = setNames(list(lv), var),
      difference = unname(coef(fit)["gTRUE"]), se = unname(SE(fit)["gTRUE"]))
  }
  r <- svychisq(as.formula(paste0("~", var, "+", y)), subset(rk2, !is.na(rk2$variables[[y]])), statistic = "F")
  cmp_raked_tests[[length(cmp_raked_tests) + 1]] <- list(variables = c(var, y), f = unname(r$statistic),
    ndf = unname(r$parameter[1]), ddf = unname(r$parameter[2]), p = unname(r$p.value))
}

## ---- paradox --by gender on the raked design ------------------------------
rk3 <- update(rk2, protects = v$protection, concerned = v$concern)
rk3 <- update(rk3, gap = concerned - protects, paradox_rate = ifelse(concerned == 1, 1 - protects, NA),
              paradox_share = concerned * (1 - protects))
par_raked <- list()
for (y in c("concerned", "protects", "paradox_rate", "paradox_share", "gap")) for (g in c(NA, "Female", "Male")) {
  sub <- if (is.na(g)) rk3 else subset(rk3, gender == g)
  m <- svymean(as.formula(paste0("~", y)), sub, na.rm = TRUE)
  par_raked[[length(par_raked) + 1]] <- list(statistic = y, domain = if (is.na(g)) NULL else list(gender = g),
    estimate = unname(coef(m)), se = as.numeric(SE(m)))
}
r <- svychisq(~gender + concerned, rk3, statistic = "F")
par_raked_test <- list(variables = c("gender", "concerned"), f = unname(r$statistic),
  ndf = unname(r$parameter[1]), ddf = unname(r$parameter[2]), p = unname(r$p.value))

## ---- segments --by gender on the raked design ------------------------------
wi <- data.frame(w1 = num(d$w1), w2 = num(d$w2), w3 = num(d$w3))
agree <- function(x) x <= 2
westin <- ifelse(rowSums(!is.na(wi)) < 3, NA,
  ifelse(agree(wi$w1) & !agree(wi$w2) & !agree(wi$w3), "fundamentalist",
  ifelse(!agree(wi$w1) & agree(wi$w2) & agree(wi$w3), "unconcerned", "pragmatist")))
seg_raked <- list()
for (sgm in c("fundamentalist", "pragmatist", "unconcerned")) {
  rk4 <- update(rk2, seg = ifelse(is.na(westin), NA, (westin == sgm) + 0))
  for (g in c(NA, "Female", "Male")) {
    sub <- if (is.na(g)) rk4 else subset(rk4, gender == g)
    m <- svymean(~seg, sub, na.rm = TRUE)
    ci <- svyciprop(~seg, sub, method = "logit", df = degf(sub), na.rm = TRUE)
    seg_raked[[length(seg_raked) + 1]] <- list(statistic = paste0("westin_", sgm),
      domain = if (is.na(g)) NULL else list(gender = g), estimate = unname(coef(m)), se = as.numeric(SE(m)),
      ci_low = unname(attr(ci, "ci")[1]), ci_high = unname(attr(ci, "ci")[2]))
  }
}

## ---- trust (comfort by trust) --by gender on the raked design -------------
## Shares: svymean in each factor group; effect: the slope of svyglm(comfort
## ~ trust) (the svycontrast of the two means, see compare above); odds
## ratio: the slope of svyglm(quasibinomial); adjusted: region and both
## segments as covariates, the whole coefficient table. glm's tolerance is
## tightened so that R's sandwich is taken at the converged coefficients.
rk5 <- update(rk2, comfort = v$comfort)
ctl <- glm.control(epsilon = 1e-14, maxit = 100)
trust_raked <- list()
for (g in c(NA, "Female", "Male")) {
  sub <- if (is.na(g)) rk5 else subset(rk5, gender == g)
  dom <- if (is.na(g)) NULL else list(gender = g)
  for (f in c(1, 0)) {
    m <- svymean(~comfort, subset(sub, !is.na(trust) & trust == f), na.rm = TRUE)
    trust_raked[[length(trust_raked) + 1]] <- list(statistic = if (f == 1) "comfort_trusting" else "comfort_nontrusting",
      domain = dom, estimate = unname(coef(m)), se = as.numeric(SE(m)))
  }
  lin <- svyglm(comfort ~ trust, sub, control = ctl)
  trust_raked[[length(trust_raked) + 1]] <- list(statistic = "effect", domain = dom,
    estimate = unname(coef(lin)["trust"]), se = unname(SE(lin)["trust"]))
  lg <- svyglm(comfort ~ trust, sub, family = quasibinomial(), control = ctl)
  trust_raked[[length(trust_raked) + 1]] <- list(statistic = "log_odds_ratio", domain = dom,
    estimate = unname(coef(lg)["trust"]), se = unname(SE(lg)["trust"]))
}
adj <- svyglm(comfort ~ trust + region + generation + gender, rk5, family = quasibinomial(), control = ctl)
trust_raked_adjusted <- list(df = adj$df.residual, terms = lapply(names(coef(adj)), function(k)
  list(term = k, estimate = unname(coef(adj)[k]), se = unname(SE(adj)[k]))))

## ---- the paradox rate by region x generation on the raked design (the
## report's heatmap): svymean in each cell's domain.
grid_raked <- list()
for (r in sort(unique(v$region))) for (g in sort(unique(v$generation))) {
  sub <- subset(rk3, region == r & generation == g)
  if (sum(!is.na(sub$variables$paradox_rate) & weights(sub) > 0) == 0) next
  m <- svymean(~paradox_rate, sub, na.rm = TRUE)
  grid_raked[[length(grid_raked) + 1]] <- list(region = r, generation = g,
    estimate = unname(coef(m)), se = as.numeric(SE(m)))
}

out <- list(tolerance = 1e-6, compare_tests = compare_tests, one_psu = one_psu,
            raked_weights = unname(weights(raked)),
            raked_estimates = c(raked_est, fixed_est, one_est, bounded_est), raked_totals = totals,
            bounded_weights = bounded_weights, cli_estimates = cli,
            crossed = crossed, ci_methods = cis,
            crosstab = xt, cross_describe = cross_describe,
            crosstab_raked = xr, compare_raked = cmp_raked, compare_raked_tests = cmp_raked_tests,
            paradox_raked = par_raked, paradox_raked_test = par_raked_test,
            segments_raked = seg_raked, trust_raked = trust_raked, trust_raked_adjusted = trust_raked_adjusted,
            grid_raked = grid_raked)
write_json(out, "calib.json", auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null", na = "null")
