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

out <- list(tolerance = 1e-6, compare_tests = compare_tests, one_psu = one_psu,
            raked_weights = unname(weights(raked)))
write_json(out, "calib.json", auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null", na = "null")
