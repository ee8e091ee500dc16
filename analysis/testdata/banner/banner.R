# Golden values for the banner's test of each column against the rest of
# the sample (BannerCell.Rest, ▲/▼ against Total) on item variables: an
# answer share on an item's own coding, a top-2 box, a mean and a yes
# share. For a column (level lv of a domain variable x) the test is the
# slope of svyglm(y ~ I(x == lv)) on the design (respondents with x
# missing in neither group), its SE, and the two-sided t test on
# degf(design) (compare's convention). Reads ../study/study.csv.
# Run from this directory: Rscript banner.R (writes banner.json).
suppressPackageStartupMessages({
  library(survey)
  library(jsonlite)
})
options(survey.lonely.psu = "fail", warn = 2)

d <- read.csv("../study/study.csv", colClasses = "character", na.strings = c("", "Don't know"))
num <- function(x) as.numeric(x)
labels <- c("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree")
ind <- function(x, cond) ifelse(is.na(x), NA, cond + 0)
v <- data.frame(stratum = d$stratum, psu = num(d$psu), fpc = num(d$fpc), weight = num(d$weight),
                region = d$region, generation = d$generation, gender = d$gender, stringsAsFactors = FALSE)
pc4 <- num(d$pc4)                   # as asked (the codebook reverses it for the score)
tr1 <- match(d$tr1, labels)
w1 <- num(d$w1)
cf1 <- num(d$cf1)
v$pc4_2 <- ind(pc4, pc4 == 2)       # answered 2
v$tr1_top2 <- ind(tr1, tr1 >= 4)    # top-2 box
v$w1_mean <- w1                     # mean row
v$sh_loc_yes <- ind(d$sh_loc, d$sh_loc == "yes")
v$cf1_5 <- ind(cf1, cf1 == 5)
des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~weight, fpc = ~fpc, nest = TRUE, data = v)
dft <- degf(des)

rows <- list()
for (y in c("pc4_2", "tr1_top2", "w1_mean", "sh_loc_yes", "cf1_5")) {
  for (var in c("region", "generation", "gender")) {
    x <- des$variables[[var]]
    for (lv in sort(unique(na.omit(x)))) {
      d2 <- update(des, g = ifelse(is.na(x), NA, x == lv))
      fit <- svyglm(as.formula(paste0(y, " ~ g")), d2)
      est <- unname(coef(fit)["gTRUE"]); se <- unname(SE(fit)["gTRUE"])
      rows[[length(rows) + 1]] <- list(variable = y, var = var, level = lv, difference = est, se = se,
                                       df = dft, p = 2 * pt(-abs(est / se), dft))
    }
  }
}
write_json(list(tolerance = 1e-6, rows = rows), "banner.json", digits = NA, auto_unbox = TRUE, pretty = TRUE)
