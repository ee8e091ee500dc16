# Generates synth.csv, the synthetic survey behind the golden tests of
# glm.go, svyvar.go, contrast.go, alpha.go and rake.go: a stratified
# (4 strata), clustered (36 PSUs, numbered within stratum) sample of ~1,600
# respondents with unequal weights and answers missing at random.
#
# Run from this directory: Rscript make.R && Rscript glm.R
# (then ../svyvar/svyvar.R, ../contrast/contrast.R, ../alpha/alpha.R,
# ../rake/rake.R, each from its own directory).
set.seed(20240611)

npsu <- c(6, 8, 10, 12)
rows <- list()
for (h in seq_along(npsu)) {
  for (j in seq_len(npsu[h])) {
    m <- sample(30:60, 1)
    rows[[length(rows) + 1]] <- data.frame(
      stratum = h, psu = j, m = m,
      u = rnorm(1, 0, 0.5), # PSU effect, so clustering matters
      stringsAsFactors = FALSE
    )[rep(1, m), ]
  }
}
d <- do.call(rbind, rows)
n <- nrow(d)
d$id <- seq_len(n)
d$w <- round(c(120, 80, 200, 150)[d$stratum] * exp(rnorm(n, 0, 0.4)), 3)
# fpc: number of PSUs in the stratum's population
d$fpc <- c(40, 30, 60, 100)[d$stratum]

d$x1 <- rbinom(n, 1, plogis(-0.4 + d$u))
d$grp <- c("North", "South", "West")[sample(1:3, n, replace = TRUE, prob = c(0.45, 0.35, 0.2))]
d$dom <- rbinom(n, 1, 0.45)
d$s1 <- round(3 + 0.8 * d$u + rnorm(n), 4)
d$s2 <- round(1 + 0.5 * d$s1 + 0.5 * d$u + rnorm(n), 4)
d$s3 <- round(-0.3 * d$s1 + rnorm(n, 0, 2), 4)
eta <- -0.7 + 0.9 * d$x1 + c(0, 0.5, -0.6)[match(d$grp, c("North", "South", "West"))] +
  0.3 * (d$s1 - 3) + d$u
d$y <- rbinom(n, 1, plogis(eta))

# Likert items 1..5 measuring one latent trait.
lat <- rnorm(n) + 0.5 * d$u
lik <- function(load) pmin(5, pmax(1, round(3 + load * lat + rnorm(n, 0, 0.9))))
d$a1 <- lik(1.0)
d$a2 <- lik(0.8)
d$a3 <- lik(0.6)
d$a4 <- lik(0.3)

# Raking variables, never missing.
d$sex <- c("F", "M")[rbinom(n, 1, 0.45) + 1]
d$agegrp <- c("18-29", "30-44", "45-64", "65+")[sample(1:4, n, replace = TRUE, prob = c(0.15, 0.25, 0.35, 0.25))]
d$edu <- c("low", "mid", "high")[sample(1:3, n, replace = TRUE, prob = c(0.2, 0.5, 0.3))]

# Missing answers.
miss <- function(v, p) { v[runif(n) < p] <- NA; v }
d$x1 <- miss(d$x1, 0.04)
d$grp <- miss(d$grp, 0.03)
d$s1 <- miss(d$s1, 0.05)
d$s2 <- miss(d$s2, 0.05)
d$s3 <- miss(d$s3, 0.03)
d$y <- miss(d$y, 0.05)
for (a in c("a1", "a2", "a3", "a4")) d[[a]] <- miss(d[[a]], 0.03)

d <- d[, c("id", "stratum", "psu", "w", "fpc", "dom", "x1", "grp", "s1", "s2", "s3", "y",
           "a1", "a2", "a3", "a4", "sex", "agegrp", "edu")]
write.csv(d, "synth.csv", row.names = FALSE, na = "")
