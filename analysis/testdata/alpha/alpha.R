# Golden values for CronbachAlpha and AlphaIfDeleted (alpha.go): psych::alpha
# raw_alpha and alpha.drop$raw_alpha on the complete cases of the Likert
# items a1..a4 of ../glm/synth.csv. Run from this directory: Rscript alpha.R
# (writes alpha.json).
#
# psych::alpha's default use="pairwise" builds the covariance matrix from
# pairwise-complete answers; we define alpha on complete cases, which is
# psych::alpha(na.omit(x)).
suppressPackageStartupMessages({
  library(psych)
  library(jsonlite)
})

d <- read.csv("../glm/synth.csv", stringsAsFactors = FALSE)

case <- function(name, items) {
  x <- na.omit(d[, items])
  a <- psych::alpha(x, warnings = FALSE)
  list(name = name, items = I(items), n = nrow(x),
       alpha = a$total$raw_alpha, alpha_if_deleted = a$alpha.drop$raw_alpha)
}

out <- list(
  case("four", c("a1", "a2", "a3", "a4")),
  case("three", c("a1", "a2", "a4")),
  # Two items: psych reports C12/C22 and C12/C11 as "alpha if deleted".
  case("two", c("a2", "a3"))
)
write_json(out, "alpha.json", digits = NA, auto_unbox = TRUE, pretty = TRUE)
