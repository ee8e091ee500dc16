# Golden values for Design.CovMatrix and Design.Correlation (svyvar.go):
# svyvar(~..., design, na.rm=TRUE) and cov2cor of it, on ../glm/synth.csv.
# Run from this directory: Rscript svyvar.R   (writes svyvar.json)
suppressPackageStartupMessages({
  library(survey)
  library(jsonlite)
})
options(warn = 2)

d <- read.csv("../glm/synth.csv", stringsAsFactors = FALSE)
des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, data = d, nest = TRUE)
dom <- subset(des, dom == 1)

case <- function(name, vars, design, domain) {
  v <- svyvar(reformulate(vars), design, na.rm = TRUE)
  m <- matrix(c(as.matrix(v)), length(vars), length(vars)) # drops svyvar's attributes
  list(name = name, vars = I(vars), domain = domain, cov = m, cor = unname(cov2cor(m)))
}

# svyvar's n/(n-1) counts every respondent of the design, including those
# with a missing value that na.rm then drops; check that reading.
x <- d[, c("s1", "s2")]
ok <- complete.cases(x)
n <- nrow(d)
xc <- as.matrix(x[ok, ])
wc <- d$w[ok]
mu <- colSums(xc * wc) / sum(wc)
manual <- crossprod((xc - rep(mu, each = nrow(xc))) * sqrt(wc)) / sum(wc) * n / (n - 1)
stopifnot(isTRUE(all.equal(c(manual), c(as.matrix(svyvar(~s1 + s2, des, na.rm = TRUE))))))

out <- list(
  case("three", c("s1", "s2", "s3"), des, "all"),
  case("three_domain", c("s1", "s2", "s3"), dom, "dom == 1"),
  case("pair", c("s1", "s2"), des, "all"),
  case("pair_domain", c("s1", "s3"), dom, "dom == 1"),
  case("single", "s2", des, "all")
)
write_json(out, "svyvar.json", digits = NA, auto_unbox = TRUE, pretty = TRUE)
