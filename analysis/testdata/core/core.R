# core.R writes the golden values for analysis/design.go, estimate.go,
# ci.go, chisq.go and crosstab.go. Run from this directory:
#
#   Rscript core.R
#
# It exports R survey's api data (apistrat, apiclus1, apiclus2) to CSV,
# generates a synthetic stratified, clustered, weighted sample with missing
# answers, a stratum with a finite population correction and (in
# lonely.csv) a stratum with a single PSU, and writes core.json: one record
# per case with the design, the statistic and R's answer. The Go tests read
# the CSVs and core.json; they never need R.
suppressMessages({
  library(survey)
  library(jsonlite)
})
stopifnot(packageVersion("survey") >= "4.1")
options(survey.lonely.psu = "fail", survey.adjust.domain.lonely = FALSE)

data(api)
keep <- c("stype", "dnum", "snum", "api00", "api99", "enroll", "api.stu",
          "meals", "sch.wide", "comp.imp", "awards", "both", "yr.rnd",
          "avg.ed", "acs.k3", "fpc", "pw")
write.csv(apistrat[, keep], "apistrat.csv", row.names = FALSE, na = "NA")
write.csv(apiclus1[, keep], "apiclus1.csv", row.names = FALSE, na = "NA")
clus2 <- apiclus2[, c(setdiff(keep, "fpc"), "fpc1")]
write.csv(clus2, "apiclus2.csv", row.names = FALSE, na = "NA")

# Synthetic sample: 5 strata, PSUs numbered within strata (so nest=TRUE
# matters), respondents clustered in PSUs, unequal weights, domains
# (region) that cut across strata and are missing from some PSUs, ~3-8%
# missing answers, and stratum S3 sampled from a finite population of 12
# PSUs.
set.seed(20240611)
regions <- c("North", "South", "East", "West")
rprob <- c(.35, .30, .25, .10)
gen_stratum <- function(h, npsu, base, shift) {
  do.call(rbind, lapply(seq_len(npsu), function(j) {
    m <- sample(8:25, 1)
    home <- sample(regions, 1, prob = rprob)
    region <- ifelse(runif(m) < .7, home, sample(regions, m, TRUE, rprob))
    u <- rnorm(1, 0, .5)
    y <- 3 + shift + u + rnorm(m)
    x <- exp(rnorm(m, 1 + .2 * u, .3))
    trust <- rbinom(m, 1, plogis(-.5 + u + .4 * (region == "North")))
    rare <- rbinom(m, 1, .04)
    a <- cut(y + rnorm(m, 0, .7), c(-Inf, 2.6, 3.6, Inf),
             labels = c("low", "mid", "high"))
    b <- sample(c("b1", "b2", "b3", "b4"), m, TRUE)
    b[trust == 1 & runif(m) < .3] <- "b1"
    data.frame(stratum = h, psu = j, w = base * exp(rnorm(m, 0, .3)),
               region = region, y = y, x = x, trust = trust, rare = rare,
               a = as.character(a), b = b, stringsAsFactors = FALSE)
  }))
}
synth <- rbind(gen_stratum("S1", 4, 50, 0), gen_stratum("S2", 6, 120, .3),
               gen_stratum("S3", 3, 30, -.2), gen_stratum("S4", 8, 200, .5),
               gen_stratum("S5", 5, 80, .1))
blank <- function(v, p) { v[runif(length(v)) < p] <- NA; v }
synth$y <- blank(synth$y, .06)
synth$x <- blank(synth$x, .03)
synth$trust <- blank(synth$trust, .08)
synth$a <- blank(synth$a, .05)
synth$b <- blank(synth$b, .04)
synth$fpc <- ifelse(synth$stratum == "S3", 12, Inf)
# The same correction as a sampling fraction; 0 means an infinite population.
synth$fpcfrac <- ifelse(synth$stratum == "S3", 3 / 12, 0)
write.csv(synth, "synth.csv", row.names = FALSE, na = "NA")

# lonely.csv adds stratum S6 with a single PSU drawn from a population of 4.
lone <- gen_stratum("S6", 1, 60, .2)
lone$fpc <- 4
lone$fpcfrac <- 1 / 4
lonely <- rbind(synth, lone)
write.csv(lonely, "lonely.csv", row.names = FALSE, na = "NA")

# The golden values are computed from the CSVs as written, so that R and
# the Go tests see the same 15 significant digits.
files <- c("apistrat.csv", "apiclus1.csv", "apiclus2.csv", "synth.csv",
           "lonely.csv")
frames <- setNames(lapply(files, read.csv, stringsAsFactors = FALSE), files)

# A design spec names columns of the CSV; "" means not given.
spec <- function(data, psu = "", strata = "", weights = "", fpc = "",
                 lonely = "fail") {
  list(data = data, psu = psu, strata = strata, weights = weights,
       fpc = fpc, lonely = lonely)
}
make_design <- function(s) {
  f <- function(v) if (v == "") NULL else as.formula(paste0("~`", v, "`"))
  ids <- if (s$psu == "") ~1 else f(s$psu)
  svydesign(ids = ids, strata = f(s$strata), weights = f(s$weights),
            fpc = f(s$fpc), nest = TRUE, data = frames[[s$data]])
}
domain_of <- function(des, dom) {
  if (is.null(dom)) return(des)
  v <- des$variables[[dom$var]]
  des[!is.na(v) & as.character(v) == dom$level, ]
}
yvar <- function(des, y, value) {
  v <- des$variables[[y]]
  if (is.null(value)) return(as.numeric(v))
  as.numeric(as.character(v) == value)
}

# svyciprop's logit interval comes from svyglm, whose IRLS stops at glm's
# default epsilon = 1e-8, so its bounds sit up to ~1e-7 (relative) from the
# exact logit(p) ± t·SE. logit_exact refits to convergence: the Go tests
# compare it at 1e-9 and svyciprop's own value at 1e-6.
logit_exact <- function(des, yname, level) {
  p <- coef(svymean(as.formula(paste0("~", yname)), des, na.rm = TRUE))
  if (p <= 0 || p >= 1) return(c(p, p))
  g <- svyglm(as.formula(paste0(yname, "~1")), des, family = quasibinomial,
              control = glm.control(epsilon = 1e-15, maxit = 100))
  unname(as.vector(plogis(confint(g, level = level, ddf = degf(des)))))
}

cases <- list()
add <- function(x) cases[[length(cases) + 1]] <<- x

# mean, total, prop, ratio share one record shape.
run_stat <- function(id, s, kind, y, x = NULL, value = NULL, dom = NULL,
                     level = 0.95) {
  options(survey.lonely.psu = s$lonely)
  on.exit(options(survey.lonely.psu = "fail"))
  des <- domain_of(make_design(s), dom)
  des$variables$.y <- yvar(des, y, value)
  rec <- list(id = id, design = s, kind = kind, y = y, level = level)
  if (!is.null(x)) rec$x <- x
  if (!is.null(value)) rec$value <- value
  if (!is.null(dom)) rec$domain <- dom
  df <- degf(des)
  answered <- !is.na(des$variables$.y)
  if (!is.null(x)) answered <- answered & !is.na(des$variables[[x]])
  rec$n <- sum(answered)
  rec$n_domain <- nrow(des)
  rec$weighted_n <- sum(weights(des)[answered])
  rec$df <- df
  if (kind %in% c("mean", "total")) {
    fun <- if (kind == "mean") svymean else svytotal
    m <- fun(~.y, des, na.rm = TRUE, deff = "replace")
    ci <- confint(m, df = df, level = level)
    rec$estimate <- unname(coef(m)); rec$se <- as.numeric(SE(m))
    rec$deff <- unname(deff(m)); rec$ci <- unname(as.vector(ci))
  } else if (kind == "ratio") {
    des$variables$.x <- as.numeric(des$variables[[x]])
    r <- svyratio(~.y, ~.x, des, na.rm = TRUE, deff = "replace")
    est <- unname(coef(r)); se <- unname(sqrt(r$var[1, 1]))
    q <- qt(1 - (1 - level) / 2, df)
    rec$estimate <- est; rec$se <- se
    rec$deff <- unname(attr(r, "deff")[1, 1])
    rec$ci <- c(est - q * se, est + q * se)
  } else if (kind == "prop") {
    for (method in c("logit", "beta", "mean")) {
      p <- svyciprop(~.y, des, method = method, level = level, na.rm = TRUE)
      rec$ci_methods[[if (method == "mean") "wald" else method]] <-
        unname(as.vector(attr(p, "ci")))
    }
    rec$ci_methods$logit_exact <- logit_exact(des, ".y", level)
    m <- svymean(~.y, des, na.rm = TRUE, deff = "replace")
    rec$estimate <- unname(coef(m)); rec$se <- as.numeric(SE(m))
    rec$deff <- unname(deff(m))
    rec$ci <- rec$ci_methods$logit_exact
  }
  add(rec)
}

# svyby over every level of a grouping variable: MeanBy's golden values.
run_by <- function(id, s, y, by, value = NULL, level = 0.95) {
  options(survey.lonely.psu = s$lonely)
  on.exit(options(survey.lonely.psu = "fail"))
  des <- make_design(s)
  des$variables$.y <- yvar(des, y, value)
  des$variables$.g <- des$variables[[by]]
  r <- svyby(~.y, ~.g, des, svymean, na.rm = TRUE, deff = "replace")
  levs <- as.character(r$.g)
  groups <- lapply(seq_along(levs), function(k) {
    dd <- domain_of(des, list(var = by, level = levs[k]))
    df <- degf(dd)
    q <- qt(1 - (1 - level) / 2, df)
    list(level = levs[k], estimate = r$.y[k], se = r$se[k],
         deff = r[[grep("^DEff", names(r))]][k], df = df,
         n = sum(!is.na(dd$variables$.y)),
         ci = c(r$.y[k] - q * r$se[k], r$.y[k] + q * r$se[k]))
  })
  rec <- list(id = id, design = s, kind = "meanby", y = y, by = by,
              level = level, groups = groups)
  if (!is.null(value)) rec$value <- value
  add(rec)
}

run_chisq <- function(id, s, a, b, dom = NULL) {
  options(survey.lonely.psu = s$lonely)
  on.exit(options(survey.lonely.psu = "fail"))
  des <- domain_of(make_design(s), dom)
  t <- svychisq(as.formula(paste0("~`", a, "`+`", b, "`")), des)
  x2 <- suppressWarnings(chisq.test(
    svytable(as.formula(paste0("~`", a, "`+`", b, "`")), des,
             Ntotal = nrow(des)), correct = FALSE))
  rec <- list(id = id, design = s, kind = "chisq", a = a, b = b,
              f = unname(t$statistic), ndf = unname(t$parameter[1]),
              ddf = unname(t$parameter[2]), p = unname(t$p.value),
              pearson = unname(x2$statistic))
  if (!is.null(dom)) rec$domain <- dom
  add(rec)
}

# Weighted crosstab of a (rows) by b (columns): svytable counts, column
# shares from svyby(~a, ~b, svymean) with logit intervals from svyciprop
# in each column's domain, bases, and the Rao-Scott test.
run_crosstab <- function(id, s, a, b, level = 0.95) {
  options(survey.lonely.psu = s$lonely)
  on.exit(options(survey.lonely.psu = "fail"))
  des <- make_design(s)
  v <- des$variables
  alev <- sort(unique(na.omit(as.character(v[[a]]))))
  blev <- sort(unique(na.omit(as.character(v[[b]]))))
  des$variables$.a <- factor(as.character(v[[a]]), levels = alev)
  des$variables$.b <- factor(as.character(v[[b]]), levels = blev)
  tab <- svytable(~.a + .b, des)
  # column() describes the respondents of domain dd: those who answered b
  # (all of them, or those in one column).
  column <- function(dd, label) {
    both <- !is.na(dd$variables$.a)
    w <- weights(dd)[both]
    m <- svymean(~.a, dd, na.rm = TRUE, deff = "replace")
    cells <- lapply(seq_along(alev), function(i) {
      dd$variables$.p <- as.numeric(dd$variables$.a == alev[i])
      ci <- attr(svyciprop(~.p, dd, level = level, na.rm = TRUE), "ci")
      list(estimate = unname(coef(m)[i]), se = as.numeric(SE(m))[i],
           deff = unname(deff(m)[i]), ci = unname(as.vector(ci)),
           ci_exact = logit_exact(dd, ".p", level))
    })
    list(level = label, n = sum(both), n_domain = nrow(dd),
         weighted_n = sum(w), effective_n = sum(w)^2 / sum(w^2),
         df = degf(dd), cells = cells)
  }
  cols <- lapply(blev, function(bl) {
    column(des[!is.na(des$variables$.b) & des$variables$.b == bl, ], bl)
  })
  total <- column(des[!is.na(des$variables$.b), ], "Total")
  t <- svychisq(~.a + .b, des)
  add(list(id = id, design = s, kind = "crosstab", a = a, b = b,
           level = level, a_levels = alev, b_levels = blev,
           counts = unclass(unname(as.matrix(tab))), columns = cols,
           total = total,
           f = unname(t$statistic), ndf = unname(t$parameter[1]),
           ddf = unname(t$parameter[2]), p = unname(t$p.value)))
}

run_fail <- function(id, s) {
  options(survey.lonely.psu = s$lonely)
  on.exit(options(survey.lonely.psu = "fail"))
  des <- make_design(s)
  msg <- tryCatch({ svymean(~y, des, na.rm = TRUE); "" },
                  error = function(e) conditionMessage(e))
  stopifnot(msg != "")
  add(list(id = id, design = s, kind = "fail", error = msg))
}

## api data ----------------------------------------------------------------
strat <- spec("apistrat.csv", strata = "stype", weights = "pw", fpc = "fpc")
strat_nofpc <- spec("apistrat.csv", strata = "stype", weights = "pw")
clus1 <- spec("apiclus1.csv", psu = "dnum", weights = "pw", fpc = "fpc")
clus1_nofpc <- spec("apiclus1.csv", psu = "dnum", weights = "pw")
clus2 <- spec("apiclus2.csv", psu = "dnum", weights = "pw", fpc = "fpc1")

for (d in list(list("strat", strat), list("strat_nofpc", strat_nofpc),
               list("clus1", clus1), list("clus1_nofpc", clus1_nofpc),
               list("clus2", clus2))) {
  nm <- d[[1]]; s <- d[[2]]
  run_stat(paste0(nm, "/mean/api00"), s, "mean", "api00")
  run_stat(paste0(nm, "/mean/enroll"), s, "mean", "enroll")
  run_stat(paste0(nm, "/mean/acs.k3"), s, "mean", "acs.k3")
  run_stat(paste0(nm, "/total/enroll"), s, "total", "enroll")
  run_stat(paste0(nm, "/ratio/api00:api99"), s, "ratio", "api00", x = "api99")
  run_stat(paste0(nm, "/prop/sch.wide"), s, "prop", "sch.wide", value = "Yes")
  run_stat(paste0(nm, "/prop/awards90"), s, "prop", "awards", value = "Yes",
           level = 0.90)
  for (st in c("E", "H", "M")) {
    dom <- list(var = "stype", level = st)
    run_stat(paste0(nm, "/mean/api00/stype=", st), s, "mean", "api00", dom = dom)
    run_stat(paste0(nm, "/mean/acs.k3/stype=", st), s, "mean", "acs.k3", dom = dom)
    run_stat(paste0(nm, "/total/enroll/stype=", st), s, "total", "enroll", dom = dom)
    run_stat(paste0(nm, "/ratio/api00:api99/stype=", st), s, "ratio", "api00",
             x = "api99", dom = dom)
    run_stat(paste0(nm, "/prop/sch.wide/stype=", st), s, "prop", "sch.wide",
             value = "Yes", dom = dom)
  }
  run_by(paste0(nm, "/by/api00~stype"), s, "api00", "stype")
  run_by(paste0(nm, "/by/acs.k3~awards"), s, "acs.k3", "awards")
  run_chisq(paste0(nm, "/chisq/sch.wide+stype"), s, "sch.wide", "stype")
  run_chisq(paste0(nm, "/chisq/awards+yr.rnd"), s, "awards", "yr.rnd")
}
run_crosstab("clus1/crosstab/stype*sch.wide", clus1, "stype", "sch.wide")

## synthetic data -----------------------------------------------------------
syn <- spec("synth.csv", psu = "psu", strata = "stratum", weights = "w", fpc = "fpc")
syn_frac <- spec("synth.csv", psu = "psu", strata = "stratum", weights = "w",
                 fpc = "fpcfrac")
syn_nofpc <- spec("synth.csv", psu = "psu", strata = "stratum", weights = "w")
syn_unw <- spec("synth.csv", psu = "psu", strata = "stratum")
for (d in list(list("synth", syn), list("synth_frac", syn_frac),
               list("synth_nofpc", syn_nofpc), list("synth_unweighted", syn_unw))) {
  nm <- d[[1]]; s <- d[[2]]
  run_stat(paste0(nm, "/mean/y"), s, "mean", "y")
  run_stat(paste0(nm, "/mean/y/90"), s, "mean", "y", level = 0.90)
  run_stat(paste0(nm, "/total/y"), s, "total", "y")
  run_stat(paste0(nm, "/total/trust"), s, "total", "trust")
  run_stat(paste0(nm, "/ratio/y:x"), s, "ratio", "y", x = "x")
  run_stat(paste0(nm, "/prop/trust"), s, "prop", "trust", value = "1")
  run_stat(paste0(nm, "/prop/rare"), s, "prop", "rare", value = "1")
  run_stat(paste0(nm, "/prop/a=high/99"), s, "prop", "a", value = "high",
           level = 0.99)
  for (r in regions) {
    dom <- list(var = "region", level = r)
    run_stat(paste0(nm, "/mean/y/region=", r), s, "mean", "y", dom = dom)
    run_stat(paste0(nm, "/total/y/region=", r), s, "total", "y", dom = dom)
    run_stat(paste0(nm, "/ratio/y:x/region=", r), s, "ratio", "y", x = "x", dom = dom)
    run_stat(paste0(nm, "/prop/trust/region=", r), s, "prop", "trust",
             value = "1", dom = dom)
    run_stat(paste0(nm, "/prop/rare/region=", r), s, "prop", "rare",
             value = "1", dom = dom)
  }
  run_by(paste0(nm, "/by/y~region"), s, "y", "region")
  run_by(paste0(nm, "/by/trust~b"), s, "trust", "b", value = "1")
  run_chisq(paste0(nm, "/chisq/a+b"), s, "a", "b")
  run_chisq(paste0(nm, "/chisq/trust+region"), s, "trust", "region")
  run_chisq(paste0(nm, "/chisq/a+b/region=South"), s, "a", "b",
            dom = list(var = "region", level = "South"))
  run_crosstab(paste0(nm, "/crosstab/a*b"), s, "a", "b")
}

## lonely PSUs --------------------------------------------------------------
run_fail("lonely/fail", spec("lonely.csv", psu = "psu", strata = "stratum",
                             weights = "w", fpc = "fpc", lonely = "fail"))
for (opt in c("adjust", "remove", "certainty")) {
  for (f in c("fpc", "")) {
    s <- spec("lonely.csv", psu = "psu", strata = "stratum", weights = "w",
              fpc = f, lonely = opt)
    nm <- paste0("lonely_", opt, if (f == "") "_nofpc" else "")
    run_stat(paste0(nm, "/mean/y"), s, "mean", "y")
    run_stat(paste0(nm, "/total/y"), s, "total", "y")
    run_stat(paste0(nm, "/ratio/y:x"), s, "ratio", "y", x = "x")
    run_stat(paste0(nm, "/prop/trust"), s, "prop", "trust", value = "1")
    for (r in regions) {
      dom <- list(var = "region", level = r)
      run_stat(paste0(nm, "/mean/y/region=", r), s, "mean", "y", dom = dom)
      run_stat(paste0(nm, "/total/y/region=", r), s, "total", "y", dom = dom)
    }
    run_by(paste0(nm, "/by/y~region"), s, "y", "region")
    run_chisq(paste0(nm, "/chisq/a+b"), s, "a", "b")
  }
}

writeLines(toJSON(list(
  generator = paste("R", getRversion(), "survey", packageVersion("survey")),
  cases = cases), auto_unbox = TRUE, digits = NA, na = "null", pretty = TRUE),
  "core.json")
cat(length(cases), "cases written to core.json\n")
