# kozyreva.R computes, from the raw files of Kozyreva et al. (2021), the
# concern and privacy-paradox figures by country that TestKozyreva expects
# Describe and Paradox to reproduce (kozyreva.json), recoding the answers
# exactly as survey/testdata/kozyreva/codebook.yaml does:
#
#   concern: "Not concerned at all" 1 ... "Very concerned" 4, flag >= 3
#   protection: count of the six privacy tools used (TRUE/FALSE, all six
#     answered), flag >= 1
#
# The design is the authors' weights only (every respondent a PSU).
#
#   cd analysis/testdata/study && Rscript kozyreva.R [DATA_DIR]
#
# DATA_DIR defaults to the repository's ../shared/realdata/kozyreva2021.
suppressPackageStartupMessages({
  library(survey)
  library(jsonlite)
})
args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args) > 0) args[1] else "../../../../shared/realdata/kozyreva2021"

concern_levels <- c("Not concerned at all", "Not very concerned", "Somewhat concerned", "Very concerned")
# The tools in codebook order, found by words both files' headers share.
tools <- c("Ad Blockers", "Incognito", "Tor Browser", "DuckDuckGo", "avoiding certain web", "Adjusting privacy")

read <- function(file, country, weight, concern) {
  d <- read.csv(file.path(dir, file), check.names = FALSE, stringsAsFactors = FALSE,
                na.strings = "NA", encoding = "UTF-8", colClasses = "character")
  tool_cols <- sapply(tools, function(t) {
    hit <- grep(paste0("privacy_tools.*", t), names(d), ignore.case = TRUE)
    stopifnot(length(hit) == 1)
    hit
  })
  tf <- sapply(tool_cols, function(j) {
    x <- d[[j]]
    stopifnot(all(is.na(x) | x %in% c("TRUE", "FALSE")))
    as.numeric(x == "TRUE")
  })
  answered <- rowSums(!is.na(tf))
  data.frame(country = d[[country]], w = as.numeric(d[[weight]]),
             concern_score = match(d[[concern]], concern_levels),
             protection_score = ifelse(answered == length(tools), rowSums(tf), NA),
             stringsAsFactors = FALSE)
}
d <- rbind(
  read("data_GER.csv", "[dem] country_code", "[meta] Weight",
       "[question] [concern_privacy] How concerned are you, if at all, with your data privacy when using the Internet?"),
  read("data_GB_US.csv", "dem.country_code", "meta.weight", "question.concern_privacy"))
d$concern <- (d$concern_score >= 3) + 0
d$protection <- (d$protection_score >= 1) + 0
d$concerned <- d$concern
d$protects <- d$protection
d$gap <- d$concerned - d$protects
d$paradox_rate <- ifelse(d$concerned == 1, 1 - d$protects, NA)
d$paradox_share <- d$concerned * (1 - d$protects)

des <- svydesign(ids = ~1, weights = ~w, data = d)
f <- function(name) as.formula(paste0("~", name))
base <- function(ds, y) {
  x <- ds$variables[[y]]
  list(n = sum(!is.na(x)), weighted_n = sum(weights(ds)[!is.na(x)]))
}
prop_row <- function(stat, y, ds, dom, df = degf(ds)) {
  ci <- svyciprop(f(y), ds, method = "logit", df = df, na.rm = TRUE)
  m <- svymean(f(y), ds, na.rm = TRUE, deff = "replace")
  c(list(statistic = stat, domain = dom, estimate = as.numeric(ci), se = as.numeric(SE(m)),
         ci_low = as.numeric(attr(ci, "ci")[1]), ci_high = as.numeric(attr(ci, "ci")[2]),
         deff = as.numeric(deff(m))), base(ds, y), list(df = df))
}
mean_row <- function(stat, y, ds, dom, df = degf(ds)) {
  m <- svymean(f(y), ds, na.rm = TRUE, deff = "replace")
  ci <- confint(m, df = df)
  c(list(statistic = stat, domain = dom, estimate = unname(coef(m)), se = as.numeric(SE(m)),
         ci_low = ci[1], ci_high = ci[2], deff = as.numeric(deff(m))), base(ds, y), list(df = df))
}

empty <- structure(list(), names = character(0))
domains <- c(list(list(dom = empty, ds = des)),
             lapply(sort(unique(d$country)), function(c)
               list(dom = list(region = c), ds = des[d$country == c, ])))
describe <- list(); paradox <- list(); corr <- list()
for (dm in domains) {
  for (c in c("concern", "protection")) {
    describe[[length(describe) + 1]] <- prop_row(c, c, dm$ds, dm$dom)
    describe[[length(describe) + 1]] <- mean_row(paste0(c, "_score"), paste0(c, "_score"), dm$ds, dm$dom)
  }
  for (s in c("concerned", "protects", "paradox_rate", "paradox_share"))
    paradox[[length(paradox) + 1]] <- prop_row(s, s, dm$ds, dm$dom)
  paradox[[length(paradox) + 1]] <- mean_row("gap", "gap", dm$ds, dm$dom)
  v <- svyvar(~concern_score + protection_score, dm$ds, na.rm = TRUE)
  cc <- complete.cases(dm$ds$variables[, c("concern_score", "protection_score")])
  corr[[length(corr) + 1]] <- list(domain = dm$dom, estimate = cov2cor(as.matrix(v))[1, 2], n = sum(cc))
}
t <- svychisq(~country + concerned, des, statistic = "F")
tests <- list(list(name = "rao_scott", variables = c("region", "concerned"), f = unname(t$statistic),
                   ndf = unname(t$parameter[1]), ddf = unname(t$parameter[2]), p = unname(t$p.value)))
write_json(list(
  tolerance = 1e-6, respondents = nrow(d),
  published_concern = list(DE = 0.82, GB = 0.81, US = 0.82),
  describe = list(estimates = describe),
  paradox = list(behaviour = "protection", estimates = paradox, tests = tests,
                 correlation = list(x = "concern_score", y = "protection_score",
                                    estimate = corr[[1]]$estimate, n = corr[[1]]$n, domains = corr))),
  "kozyreva.json", auto_unbox = TRUE, digits = NA, na = "null", pretty = TRUE)
