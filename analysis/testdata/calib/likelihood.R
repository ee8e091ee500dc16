# likelihood.R writes likelihood.json: svyciprop(method = "likelihood") on
# the calibration test panel (make.R) for the analysis commands' shares
# (describe's flags, paradox's paradox_rate, effect's and trust's
# with/without shares, segments' Westin shares) and for estimate, on the plain design and on the design raked to
# targets.yaml (rake(), converged as calib.R). Every share is
# svyciprop(~y, subset(design, domain), method = "likelihood", df =
# degf(subset(design, domain))), y NA outside the share's base (a
# conditional share keeps the whole domain as its design rows). On a
# calibrated design svyglm fits on the raked subset, which keeps every
# row at weight 0, and its dispersion is svyvar of residuals.svyglm's
# Pearson residuals there. The golden limits are the exact roots of R's
# own profile (as options.R: the glm's deviance with the intercept as
# offset, summary()$dispersion, lambda = cov.unscaled/naive.cov, uniroot
# to 1e-14); r_ci is svyciprop's spline. Run from this directory:
#
#   Rscript likelihood.R
#
# The Go tests read likelihood.json; they never need R.
suppressPackageStartupMessages({
  library(survey)
  library(jsonlite)
})
stopifnot(packageVersion("survey") >= "4.1")
options(survey.lonely.psu = "adjust", survey.adjust.domain.lonely = FALSE)

## ---- score the constructs as the codebook defines them (as calib.R) -----
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
v <- data.frame(stratum = d$stratum, psu = num(d$psu), fpc = num(d$fpc),
                weight = num(d$weight), region = d$region, generation = d$generation,
                gender = d$gender, stringsAsFactors = FALSE)
v$concern <- (score_mean(items$concern, 3) >= 3.5) + 0
v$sharing <- (score_count(items$sharing) >= 2) + 0
v$protection <- (score_count(items$protection) >= 1) + 0
v$trust <- (score_mean(items$trust) >= 4) + 0
v$comfort <- (score_mean(items$comfort) >= 4) + 0
both <- !is.na(v$concern) & !is.na(v$protection)
v$paradox_rate <- ifelse(both & v$concern == 1, 1 - v$protection, NA)
v$with_factor <- ifelse(both & v$concern == 1, v$protection, NA)
v$without_factor <- ifelse(both & v$concern == 0, v$protection, NA)
tc <- !is.na(v$trust) & !is.na(v$comfort) # trust: effect(trust -> comfort)
v$comfort_trusting <- ifelse(tc & v$trust == 1, v$comfort, NA)
v$comfort_nontrusting <- ifelse(tc & v$trust == 0, v$comfort, NA)
w <- data.frame(w1 = num(d$w1), w2 = num(d$w2), w3 = num(d$w3)) # segments: Westin's rule
seg <- ifelse(answered(w) < 3, NA, ifelse(w$w1 <= 2 & w$w2 >= 3 & w$w3 >= 3, "f",
              ifelse(w$w1 >= 3 & w$w2 <= 2 & w$w3 <= 2, "u", "p")))
v$westin_fundamentalist <- (seg == "f") + 0
v$westin_pragmatist <- (seg == "p") + 0
v$westin_unconcerned <- (seg == "u") + 0
v$agree <- ifelse(is.na(d$tr1), NA, (d$tr1 == "Agree") + 0)
des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~weight, fpc = ~fpc, nest = TRUE, data = v)
pop_region <- data.frame(region = c("North", "South", "West", "Island"), Freq = c(0.35, 0.3, 0.3, 0.05) * sum(weights(des)))
pop_generation <- data.frame(generation = c("Gen Z", "Millennials", "Gen X", "Boomers"),
                             Freq = c(0.22, 0.28, 0.27, 0.23) * sum(weights(des)))
raked <- rake(des, list(~region, ~generation), list(pop_region, pop_generation),
              control = list(maxit = 1000, epsilon = 1e-13))

exact_lik <- function(sub, y, level, df) {
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

domains <- list(NULL)
for (var in c("region", "generation", "gender"))
  for (l in sort(unique(v[[var]]))) domains[[length(domains) + 1]] <- setNames(list(l), var)
in_domain <- function(ds, dom) {
  if (is.null(dom)) return(rep(TRUE, nrow(ds)))
  x <- ds$variables[[names(dom)]]
  !is.na(x) & x == dom[[1]]
}
out <- list()
for (design in c("plain", "raked")) {
  ds <- if (design == "plain") des else raked
  for (y in c("concern", "sharing", "protection", "trust", "comfort", "paradox_rate", "with_factor", "without_factor",
             "comfort_trusting", "comfort_nontrusting", "westin_fundamentalist", "westin_pragmatist", "westin_unconcerned", "agree"))
    for (dom in domains) {
      sub <- if (is.null(dom)) ds else ds[in_domain(ds, dom), ]
      m <- svymean(as.formula(paste0("~", y)), sub, na.rm = TRUE)
      p <- unname(coef(m)); df <- degf(sub)
      if (is.na(p) || !(p > 0 && p < 1) || df <= 0) next # no likelihood interval: null
      # R's spline fails (an error) where its grid is degenerate: NA.
      r <- tryCatch(attr(suppressWarnings(svyciprop(as.formula(paste0("~", y)), sub, method = "likelihood", df = df)), "ci"),
                    error = function(e) c(NA, NA))
      ex <- tryCatch(suppressWarnings(exact_lik(sub, y, 0.95, df)), error = function(e) NULL)
      if (is.null(ex)) { # a limit further than 30 on the logit scale: left out
        message("left out: ", design, " ", y, " ", paste(dom, collapse = ""))
        next
      }
      out[[length(out) + 1]] <- list(design = design, variable = y, domain = if (is.null(dom)) setNames(list(), character(0)) else dom,
        estimate = p, se = as.numeric(SE(m)), df = df, ci_low = ex[1], ci_high = ex[2],
        r_ci_low = unname(r[1]), r_ci_high = unname(r[2]))
    }
}
## crosstab tr1 x gender on the raked design: each column's share is
## svyciprop of I(tr1 == level) in subset(raked, gender == column), the
## Total column's in subset(raked, !is.na(gender)).
xt <- list()
v$tr1 <- d$tr1
raked <- update(raked, tr1 = v$tr1)
for (j in c("Male", "Female", "Total")) for (i in c("Agree", "Disagree")) {
  sub <- if (j == "Total") raked[!is.na(raked$variables$gender), ] else raked[in_domain(raked, list(gender = j)), ]
  sub <- update(sub, ind = ifelse(is.na(tr1), NA, (tr1 == i) + 0))
  ex <- exact_lik(sub, "ind", 0.95, degf(sub))
  xt[[length(xt) + 1]] <- list(row = i, col = j, ci_low = ex[1], ci_high = ex[2])
}
write_json(list(note = "R survey: svyciprop(method = 'likelihood') on the plain and raked panel designs; exact roots of R's profile beside R's spline; see likelihood.R",
                tolerance = 1e-6, likelihood = out, likelihood_crosstab_raked = xt),
           "likelihood.json", auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null", null = "null")
