# Golden values for Rake (rake.go): survey::rake() weights on
# ../glm/synth.csv, iterated to convergence (maxit=1000, epsilon=1e-12) so
# that they are the raking fixed point rather than R's 10-sweep default.
# Run from this directory: Rscript rake.R   (writes rake.json)
suppressPackageStartupMessages({
  library(survey)
  library(jsonlite)
})
options(warn = 2) # non-convergence is fatal

d <- read.csv("../glm/synth.csv", stringsAsFactors = FALSE)

targets <- list(
  sex = list(levels = c("F", "M"), share = c(0.51, 0.49)),
  agegrp = list(levels = c("18-29", "30-44", "45-64", "65+"), share = c(0.2, 0.25, 0.33, 0.22)),
  edu = list(levels = c("low", "mid", "high"), share = c(0.3, 0.45, 0.25))
)

case <- function(name, vars, weighted, total) {
  des <- if (weighted) svydesign(ids = ~1, weights = ~w, data = d) else svydesign(ids = ~1, probs = ~1, data = d)
  w0 <- weights(des)
  tot <- if (total > 0) total else sum(w0)
  pop <- lapply(vars, function(v) {
    p <- data.frame(targets[[v]]$levels, targets[[v]]$share * tot)
    names(p) <- c(v, "Freq")
    p
  })
  r <- rake(des, lapply(vars, function(v) reformulate(v)), pop,
            control = list(maxit = 1000, epsilon = 1e-12))
  w <- unname(weights(r))
  list(name = name, vars = I(vars), weighted = weighted, total = total,
       targets = lapply(targets[vars], function(t) list(levels = I(t$levels), share = I(t$share))),
       weights = w, efficiency = sum(w)^2 / (length(w) * sum(w^2)))
}

out <- list(
  case("weighted3", c("sex", "agegrp", "edu"), TRUE, 0),
  case("unweighted2", c("agegrp", "edu"), FALSE, 0),
  case("population3", c("edu", "sex", "agegrp"), TRUE, 2.5e6)
)
write_json(out, "rake.json", digits = NA, auto_unbox = TRUE, pretty = FALSE)
