# Golden values for kozyreva_test.go: respondents per country and the
# unweighted and weighted share concerned about data privacy ("Somewhat" or
# "Very concerned"), with R's survey package.
#
# Run from this directory:  Rscript concern.R [DATA_DIR]
# DATA_DIR defaults to the repository's ../shared/realdata/kozyreva2021.
suppressPackageStartupMessages({
  library(survey)
  library(jsonlite)
})
args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args) > 0) args[1] else "../../../../shared/realdata/kozyreva2021"

read <- function(file, country, weight, concern) {
  d <- read.csv(file.path(dir, file), check.names = FALSE, stringsAsFactors = FALSE,
                na.strings = "NA", encoding = "UTF-8")
  data.frame(country = d[[country]], w = d[[weight]],
             concerned = as.numeric(d[[concern]] %in% c("Somewhat concerned", "Very concerned")))
}
d <- rbind(
  read("data_GER.csv", "[dem] country_code", "[meta] Weight",
       "[question] [concern_privacy] How concerned are you, if at all, with your data privacy when using the Internet?"),
  read("data_GB_US.csv", "dem.country_code", "meta.weight", "question.concern_privacy"))

des <- svydesign(ids = ~1, weights = ~w, data = d)
by <- svyby(~concerned, ~country, des, svymean)
out <- lapply(as.character(by$country), function(c) list(
  country = c,
  n = sum(d$country == c),
  unweighted = mean(d$concerned[d$country == c]),
  weighted = unname(by$concerned[by$country == c]),
  se = unname(SE(by)[by$country == c])))
write_json(list(respondents = nrow(d), countries = out), "concern.json",
           digits = NA, auto_unbox = TRUE, pretty = TRUE)
