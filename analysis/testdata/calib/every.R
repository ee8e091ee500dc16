# every.R writes every.json: R survey's figures for every analysis command
# run on the calibration panel (make.R) raked to targets.yaml, with the
# default domains (region, generation, gender):
#
#   trustgap CMD --data panel.csv --codebook codebook.yaml --targets targets.yaml --lonely-psu adjust --format json
#
# for describe, paradox, segments, compare, trust, effect --factor sharing
# --outcome protection, crosstab --rows tr1 --cols region, estimate --mean
# pc1 --prop 'tr1==Agree' --total pc1 --by region and reliability. Each
# figure is keyed "command|statistic|domain|field" (domain "" for the
# total, "var=level" otherwise); cmd/trustgap's TestEveryCommandCalibrated
# builds the same keys from the commands' JSON. Figures R leaves undefined
# (NaN, as a one-df domain's logit upper limit) are left out. Run from this
# directory: Rscript every.R
suppressPackageStartupMessages({library(survey); library(jsonlite); library(psych)})
options(survey.lonely.psu = "adjust", survey.adjust.domain.lonely = FALSE)
d <- read.csv("panel.csv", colClasses = "character", na.strings = c("", "Don't know"))
labels <- c("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree")
num <- function(x) as.numeric(x)
items <- list(
  concern = data.frame(pc1 = num(d$pc1), pc2 = num(d$pc2), pc3 = num(d$pc3), pc4 = 6 - num(d$pc4)),
  sharing = data.frame(sh_loc = (d$sh_loc == "yes") + 0, sh_cookies = (d$sh_cookies == "yes") + 0, sh_email = (d$sh_email == "yes") + 0),
  protection = data.frame(pr_adblock = num(d$pr_adblock), pr_vpn = num(d$pr_vpn)),
  trust = data.frame(tr1 = match(d$tr1, labels), tr2 = match(d$tr2, labels)),
  comfort = data.frame(cf1 = num(d$cf1)))
answered <- function(x) rowSums(!is.na(x))
score_mean <- function(x, min_items = ncol(x)) ifelse(answered(x) >= min_items, rowMeans(x, na.rm = TRUE), NA)
score_count <- function(x) ifelse(answered(x) == ncol(x), rowSums(x), NA)
v <- data.frame(stratum = d$stratum, psu = num(d$psu), fpc = num(d$fpc), weight = num(d$weight),
                region = d$region, generation = d$generation, gender = d$gender, stringsAsFactors = FALSE)
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
v$concerned <- v$concern; v$protects <- v$protection
both <- !is.na(v$concerned) & !is.na(v$protects)
v$gap <- ifelse(both, v$concerned - v$protects, NA)
v$paradox_rate <- ifelse(both & v$concerned == 1, 1 - v$protects, NA)
v$paradox_share <- ifelse(both, v$concerned * (1 - v$protects), NA)
wi <- data.frame(w1 = num(d$w1), w2 = num(d$w2), w3 = num(d$w3))
agree <- function(x) x <= 2
westin <- ifelse(rowSums(!is.na(wi)) < 3, NA,
  ifelse(agree(wi$w1) & !agree(wi$w2) & !agree(wi$w3), "fundamentalist",
  ifelse(!agree(wi$w1) & agree(wi$w2) & agree(wi$w3), "unconcerned", "pragmatist")))
for (s in c("fundamentalist", "pragmatist", "unconcerned")) v[[paste0("westin_", s)]] <- ifelse(is.na(westin), NA, (westin == s) + 0)
for (it in c("sh_loc", "sh_cookies", "sh_email")) v[[paste0("item:", it)]] <- items$sharing[[it]]
for (it in c("pr_adblock", "pr_vpn")) v[[paste0("item:", it)]] <- items$protection[[it]]
v$pc1 <- num(d$pc1); v$agree <- ifelse(is.na(d$tr1), NA, (d$tr1 == "Agree") + 0); v$tr1 <- d$tr1
des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~weight, fpc = ~fpc, nest = TRUE, data = v)
pop_region <- data.frame(region = c("North", "South", "West", "Island"), Freq = c(0.35, 0.3, 0.3, 0.05) * sum(weights(des)))
pop_generation <- data.frame(generation = c("Gen Z", "Millennials", "Gen X", "Boomers"), Freq = c(0.22, 0.28, 0.27, 0.23) * sum(weights(des)))
rk <- rake(des, list(~region, ~generation), list(pop_region, pop_generation), control = list(maxit = 1000, epsilon = 1e-13))

out <- list()
put <- function(key, val) if (length(val) == 1 && is.finite(val)) out[[key]] <<- unname(val)
domains <- list(list(var = NA, level = NA))
for (vv in c("region", "generation", "gender")) for (l in sort(unique(v[[vv]]))) domains[[length(domains) + 1]] <- list(var = vv, level = l)
dkey <- function(dm) if (is.na(dm$var)) "" else paste0(dm$var, "=", dm$level)
sub_of <- function(ds, dm) if (is.na(dm$var)) ds else subset(ds, ds$variables[[dm$var]] == dm$level)
# one row: svymean (deff replace) + svyciprop logit or t interval
row <- function(prefix, y, sub, prop, dfsub = sub) {
  yy <- sub$variables[[y]]; w <- weights(sub)
  ok <- !is.na(yy) & w > 0
  if (sum(ok) == 0) return()
  m <- svymean(as.formula(paste0("~`", y, "`")), sub, na.rm = TRUE, deff = "replace")
  est <- unname(coef(m)); se <- as.numeric(SE(m)); df <- degf(dfsub)
  put(paste0(prefix, "|estimate"), est); put(paste0(prefix, "|se"), se)
  put(paste0(prefix, "|df"), df); put(paste0(prefix, "|n"), sum(ok))
  put(paste0(prefix, "|weighted_n"), sum(w[ok]))
  dff <- as.numeric(deff(m)); if (se > 1e-12 * max(1, abs(est))) { put(paste0(prefix, "|deff"), dff); put(paste0(prefix, "|effective_n"), sum(ok) / dff) }
  if (prop) {
    if (est > 0 && est < 1) {
      ci <- suppressWarnings(svyciprop(as.formula(paste0("~`", y, "`")), sub, method = "logit", df = df, na.rm = TRUE))
      put(paste0(prefix, "|ci_low"), attr(ci, "ci")[1]); put(paste0(prefix, "|ci_high"), attr(ci, "ci")[2])
    }
  } else {
    q <- qt(0.975, df); put(paste0(prefix, "|ci_low"), est - q * se); put(paste0(prefix, "|ci_high"), est + q * se)
  }
}
flags <- c("concern", "sharing", "protection", "trust", "comfort")
for (dm in domains) {
  sub <- sub_of(rk, dm)
  for (f in flags) { row(paste0("describe|", f, "|", dkey(dm)), f, sub, TRUE); row(paste0("describe|", f, "_score|", dkey(dm)), paste0(f, "_score"), sub, FALSE) }
  for (s in c("concerned", "protects", "paradox_rate", "paradox_share")) row(paste0("paradox|", s, "|", dkey(dm)), s, sub, TRUE)
  row(paste0("paradox|gap|", dkey(dm)), "gap", sub, FALSE)
  for (s in c("fundamentalist", "pragmatist", "unconcerned")) row(paste0("segments|westin_", s, "|", dkey(dm)), paste0("westin_", s), sub, TRUE)
  for (it in c("sh_loc", "sh_cookies", "sh_email", "pr_adblock", "pr_vpn")) for (g in c(1, 0)) {
    s2 <- subset(sub, !is.na(concerned) & concerned == g)
    row(paste0("paradox_items|item:", it, "|", dkey(dm), "|", if (g == 1) "concerned" else "unconcerned"), paste0("item:", it), s2, TRUE, dfsub = sub)
  }
  # correlation of concern_score and protection_score
  ok <- !is.na(sub$variables$concern_score) & !is.na(sub$variables$protection_score) & weights(sub) > 0
  if (sum(ok) > 2) {
    cv <- svyvar(~concern_score + protection_score, subset(sub, !is.na(concern_score) & !is.na(protection_score)), na.rm = TRUE)
    put(paste0("paradox_corr|", dkey(dm), "|estimate"), cov2cor(as.matrix(cv))[1, 2])
  }
  # estimate --mean pc1 --prop tr1==Agree --total pc1 --by region
  if (is.na(dm$var) || dm$var == "region") {
    row(paste0("estimate|pc1|mean|", dkey(dm)), "pc1", sub, FALSE)
    row(paste0("estimate|tr1 == Agree|proportion|", dkey(dm)), "agree", sub, TRUE)
    t <- svytotal(~pc1, sub, na.rm = TRUE, deff = "replace"); df <- degf(sub); q <- qt(0.975, df)
    k <- paste0("estimate|pc1|total|", dkey(dm))
    put(paste0(k, "|estimate"), coef(t)); put(paste0(k, "|se"), SE(t)); put(paste0(k, "|deff"), deff(t))
    put(paste0(k, "|ci_low"), coef(t) - q * SE(t)); put(paste0(k, "|ci_high"), coef(t) + q * SE(t)); put(paste0(k, "|df"), df)
  }
  # trust / effect
  for (fo in list(c("trust", "comfort", "trust"), c("sharing", "protection", "effect"))) {
    fac <- fo[1]; oc <- fo[2]; cmd <- fo[3]
    names2 <- if (cmd == "trust") c("comfort_trusting", "comfort_nontrusting") else c("with_factor", "without_factor")
    for (g in c(1, 0)) {
      s2 <- subset(sub, !is.na(sub$variables[[fac]]) & sub$variables[[fac]] == g)
      key <- paste0(cmd, "|", names2[2 - g], "|", dkey(dm))
      row(key, oc, s2, TRUE, dfsub = sub)
    }
    s3 <- subset(sub, !is.na(sub$variables[[fac]]) & !is.na(sub$variables[[oc]]))
    f <- as.formula(paste0(oc, " ~ ", fac)); df <- degf(sub); q <- qt(0.975, df)
    ok <- tryCatch({
      lin <- svyglm(f, sub, control = glm.control(epsilon = 1e-14, maxit = 100))
      b <- coef(lin)[fac]; se <- SE(lin)[fac]; key <- paste0(cmd, "|effect|", dkey(dm))
      put(paste0(key, "|estimate"), b); put(paste0(key, "|se"), se); put(paste0(key, "|ci_low"), b - q * se); put(paste0(key, "|ci_high"), b + q * se); put(paste0(key, "|df"), df)
      lg <- suppressWarnings(svyglm(f, sub, family = quasibinomial(), control = glm.control(epsilon = 1e-14, maxit = 100)))
      b <- coef(lg)[fac]; se <- SE(lg)[fac]; key <- paste0(cmd, "|odds_ratio|", dkey(dm))
      if (abs(b) < 20) {
        put(paste0(key, "|log_or"), b); put(paste0(key, "|log_or_se"), se); put(paste0(key, "|estimate"), exp(b))
        put(paste0(key, "|ci_low"), exp(b - q * se)); put(paste0(key, "|ci_high"), exp(b + q * se)); put(paste0(key, "|df"), df)
      }
      TRUE
    }, error = function(e) FALSE)
  }
}
# trust/effect adjusted
for (fo in list(c("trust", "comfort", "trust"), c("sharing", "protection", "effect"))) {
  f <- as.formula(paste0(fo[2], " ~ ", fo[1], " + region + generation + gender"))
  adj <- suppressWarnings(svyglm(f, rk, family = quasibinomial(), control = glm.control(epsilon = 1e-14, maxit = 100)))
  dfr <- adj$df.residual; q <- qt(0.975, dfr)
  for (k in names(coef(adj))) {
    b <- coef(adj)[k]; se <- SE(adj)[k]; key <- paste0(fo[3], "|adjusted_term|", k)
    put(paste0(key, "|estimate"), b); put(paste0(key, "|se"), se); put(paste0(key, "|odds_ratio"), exp(b))
    put(paste0(key, "|ci_low"), exp(b - q * se)); put(paste0(key, "|ci_high"), exp(b + q * se)); put(paste0(key, "|p"), 2 * pt(-abs(b / se), dfr))
  }
  put(paste0(fo[3], "|adjusted|df"), dfr)
}
# paradox tests (full design), compare
for (vv in c("region", "generation", "gender")) {
  if (vv != "region") {
    r <- svychisq(as.formula(paste0("~", vv, " + concerned")), subset(rk, !is.na(concerned)), statistic = "F")
    k <- paste0("paradox_test|", vv, "|concerned")
    put(paste0(k, "|f"), r$statistic); put(paste0(k, "|ndf"), r$parameter[1]); put(paste0(k, "|ddf"), r$parameter[2]); put(paste0(k, "|p"), r$p.value)
  }
  for (y in c(flags, "paradox_rate", "paradox_share", "gap")) {
    x <- rk$variables[[vv]]
    for (lv in sort(unique(na.omit(x)))) {
      d2 <- update(rk, g = ifelse(is.na(x), NA, x == lv))
      key <- paste0("compare|", y, "|", vv, "=", lv)
      yy <- d2$variables[[y]]
      if (sum(!is.na(yy) & x == lv, na.rm = TRUE) == 0) next
      fit <- svyglm(as.formula(paste0(y, " ~ g")), d2)
      b <- coef(fit)["gTRUE"]; se <- SE(fit)["gTRUE"]; df <- degf(rk); q <- qt(0.975, df)
      put(paste0(key, "|difference"), b); put(paste0(key, "|se"), se); put(paste0(key, "|ci_low"), b - q * se); put(paste0(key, "|ci_high"), b + q * se)
      put(paste0(key, "|t"), b / se); put(paste0(key, "|p"), 2 * pt(-abs(b / se), df)); put(paste0(key, "|df"), df)
      m1 <- svymean(as.formula(paste0("~", y)), subset(rk, x == lv), na.rm = TRUE)
      m2 <- svymean(as.formula(paste0("~", y)), subset(rk, !is.na(x) & x != lv), na.rm = TRUE)
      put(paste0(key, "|estimate"), coef(m1)); put(paste0(key, "|rest"), coef(m2))
    }
    if (y != "gap" && !(vv == "region" && y %in% c("concern", "paradox_rate", "paradox_share"))) {
      r <- svychisq(as.formula(paste0("~", vv, " + ", y)), subset(rk, !is.na(rk$variables[[y]])), statistic = "F")
      k <- paste0("compare_test|", vv, "|", y)
      put(paste0(k, "|f"), r$statistic); put(paste0(k, "|ndf"), r$parameter[1]); put(paste0(k, "|ddf"), r$parameter[2]); put(paste0(k, "|p"), r$p.value)
    }
  }
}
# crosstab tr1 x region
for (j in c(sort(unique(v$region)), "Total")) {
  dom <- if (j == "Total") subset(rk, !is.na(region) & !is.na(tr1)) else subset(rk, region == j & !is.na(tr1))
  for (i in sort(unique(na.omit(v$tr1)))) {
    dd <- update(dom, ind = (tr1 == i) + 0)
    m <- svymean(~ind, dd, na.rm = TRUE); t <- svytotal(~ind, dd, na.rm = TRUE)
    k <- paste0("crosstab|", i, "|", j)
    put(paste0(k, "|column_share"), coef(m)); put(paste0(k, "|se"), SE(m)); put(paste0(k, "|weighted_count"), coef(t)); put(paste0(k, "|weighted_count_se"), SE(t))
    if (coef(m) > 0 && coef(m) < 1) {
      ci <- svyciprop(~ind, dd, method = "logit", df = degf(dom), na.rm = TRUE); put(paste0(k, "|ci_low"), attr(ci, "ci")[1]); put(paste0(k, "|ci_high"), attr(ci, "ci")[2])
    }
  }
  w <- weights(dom); w <- w[w > 0]
  put(paste0("crosstab_base|", j, "|n"), length(w)); put(paste0("crosstab_base|", j, "|weighted_n"), sum(w)); put(paste0("crosstab_base|", j, "|effective_n"), sum(w)^2 / sum(w^2))
}
r <- svychisq(~tr1 + region, rk, statistic = "F")
put("crosstab_test|f", r$statistic); put("crosstab_test|ndf", r$parameter[1]); put("crosstab_test|ddf", r$parameter[2]); put("crosstab_test|p", r$p.value)
# reliability: psych::alpha raw_alpha, complete cases
for (c in names(items)) {
  x <- items[[c]]; if (ncol(x) < 2) next
  x <- x[complete.cases(x), ]
  a <- suppressWarnings(suppressMessages(psych::alpha(x, check.keys = FALSE, warnings = FALSE)))
  put(paste0("reliability|", c, "|alpha"), a$total$raw_alpha); put(paste0("reliability|", c, "|n"), nrow(x))
  for (it in names(x)) put(paste0("reliability|", c, "|", it, "|alpha_if_deleted"), a$alpha.drop[it, "raw_alpha"])
}
write_json(lapply(out, function(x) as.numeric(x)), "every.json", auto_unbox = TRUE, digits = NA, pretty = FALSE)
