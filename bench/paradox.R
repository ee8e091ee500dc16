# paradox.R computes trustgap's paradox table by region with R's survey
# package, times it, and optionally checks trustgap's figures against it.
#
#   Rscript bench/paradox.R DATA.csv CODEBOOK.yaml OUT.json [TRUSTGAP.json]
#
# DATA.csv and CODEBOOK.yaml are a study as `trustgap generate` writes it.
# The constructs are scored from the codebook exactly as trustgap does
# (survey/construct.go): the codebook's `missing:` strings are missing; an
# item outside the construct's scale is missing; reverse items become
# lo + hi - x; a count construct's items are yes/no words or numbers and its
# score is the number of answered items that are not 0; a mean construct's
# score is the mean of the answered items; the score is missing when fewer
# than min_items (default: all) are answered; the flag applies the
# codebook's "OP NUMBER" rule to the score. The paradox variables follow
# analysis/paradox.go:
#
#   concerned      concern flag
#   protects       protection flag (or 1 - sharing flag without protection)
#   gap            concerned - protects, both answered            (svymean)
#   paradox_rate   1 - protects among concerned, both answered    (svyciprop)
#   paradox_share  concerned * (1 - protects), both answered      (svyciprop)
#
# For the total and each region, with
#   des <- svydesign(ids = ~psu, strata = ~region, weights = ~weight, nest = TRUE)
# (column names from the codebook's design: block) and ds the domain's
# subset, every share is svyciprop(~y, ds, method = "logit",
# df = degf(ds), na.rm = TRUE) with the SE and deff of
# svymean(~y, ds, na.rm = TRUE, deff = "replace"); gap is svymean with
# confint(df = degf(ds)).
#
# It prints machine-readable lines for bench/run.sh:
#   R_TIMING read=S score=S design=S estimate=S total=S (elapsed seconds;
#            user+sys CPU seconds in R_CPU with the same keys)
#   R_COMPARE agree=TRUE|FALSE rows=K max_abs_diff=X max_rel_diff=Y ...
# or R_SKIP reason, when R packages are missing (exit status 0).

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 3) {
  cat("usage: Rscript bench/paradox.R DATA.csv CODEBOOK.yaml OUT.json [TRUSTGAP.json]\n")
  quit(status = 2)
}
data_path <- args[1]; codebook_path <- args[2]; out_path <- args[3]
tg_path <- if (length(args) >= 4) args[4] else NA

for (p in c("survey", "jsonlite", "yaml")) {
  if (!requireNamespace(p, quietly = TRUE)) {
    cat(sprintf("R_SKIP R package %s is not installed (apt-get install -y r-cran-%s)\n", p, p))
    quit(status = 0)
  }
}
suppressPackageStartupMessages(library(survey))
options(survey.lonely.psu = "fail")
have_dt <- requireNamespace("data.table", quietly = TRUE)

cb <- yaml::read_yaml(codebook_path)
# Empty cells and the codebook's missing strings, compared after trimming.
missing_strings <- unique(c("", trimws(unlist(cb$missing))))
is_missing <- function(x) is.na(x) | trimws(x) %in% missing_strings
dsg <- cb$design
col_weight <- dsg$weight; col_strata <- dsg$strata; col_psu <- dsg$psu
col_region <- if (is.null(cb$region)) col_strata else cb$region

cpu <- function(t) unname(t[["user.self"]] + t[["sys.self"]])
timing <- list(); cputime <- list()
timed <- function(name, expr) {
  t <- system.time(v <- force(expr))
  timing[[name]] <<- unname(t[["elapsed"]])
  cputime[[name]] <<- cpu(t)
  v
}

## ---- read ----------------------------------------------------------------
# Every column as text; missing strings are found when scoring.
d <- timed("read", {
  if (have_dt) {
    x <- data.table::fread(data_path, colClasses = "character", na.strings = NULL,
                           encoding = "UTF-8", showProgress = FALSE, strip.white = FALSE)
    x <- as.data.frame(x)
  } else {
    x <- read.csv(data_path, colClasses = "character", na.strings = character(0),
                  check.names = FALSE, strip.white = FALSE, encoding = "UTF-8")
  }
  x
})

## ---- score ---------------------------------------------------------------
parse_flag <- function(s) {
  m <- regmatches(s, regexec("^\\s*(==|!=|>=|<=|>|<)\\s*([-+0-9.eE]+)\\s*$", s))[[1]]
  if (length(m) != 3) stop("unsupported flag rule: ", s)
  list(op = m[2], num = as.numeric(m[3]))
}
apply_op <- function(op, x, y) {
  r <- switch(op, "==" = x == y, "!=" = x != y, ">=" = x >= y, ">" = x > y, "<=" = x <= y, "<" = x < y)
  ifelse(is.na(x), NA_real_, as.numeric(r))
}
truth <- function(t) {
  l <- tolower(t)
  ifelse(l %in% c("1", "true", "yes"), 1, ifelse(l %in% c("0", "false", "no"), 0, NA_real_))
}
item_values <- function(raw, def) {
  raw[is_missing(raw)] <- NA
  t <- trimws(raw)
  v <- rep(NA_real_, length(raw))
  mapped <- rep(FALSE, length(raw))
  if (!is.null(def$values)) {
    vals <- unlist(def$values)
    k <- match(raw, names(vals)); k2 <- match(t, names(vals))
    k3 <- match(tolower(t), tolower(trimws(names(vals))))
    k <- ifelse(is.na(k), ifelse(is.na(k2), k3, k2), k)
    mapped <- !is.na(k)
    v[mapped] <- vals[k[mapped]]
  }
  rest <- !mapped & !is.na(raw)
  if (identical(def$score, "count")) {
    v[rest] <- truth(t[rest])
  } else {
    v[rest] <- suppressWarnings(as.numeric(t[rest]))
  }
  if (!is.null(def$scale)) {
    lo <- def$scale[[1]]; hi <- def$scale[[2]]
    v[!is.na(v) & (v < lo | v > hi)] <- NA
  }
  v
}
score_construct <- function(name) {
  def <- cb$constructs[[name]]
  items <- unlist(def$items)
  m <- sapply(items, function(it) {
    v <- item_values(d[[it]], def)
    if (!is.null(def$scale) && it %in% unlist(def$reverse)) v <- def$scale[[1]] + def$scale[[2]] - v
    v
  })
  if (is.null(dim(m))) m <- matrix(m, ncol = 1)
  need <- length(items)
  if (!is.null(def$min_items) && def$min_items >= 1 && def$min_items <= length(items)) need <- def$min_items
  answered <- rowSums(!is.na(m))
  ok <- answered >= need & answered > 0
  score <- if (identical(def$score, "count")) {
    rowSums(m != 0, na.rm = TRUE)
  } else if (identical(def$score, "sum")) {
    rowSums(m, na.rm = TRUE)
  } else {
    rowSums(m, na.rm = TRUE) / answered
  }
  score[!ok] <- NA
  fl <- parse_flag(def$flag)
  list(score = score, flag = apply_op(fl$op, score, fl$num))
}

v <- timed("score", {
  concern <- score_construct("concern")
  if (!is.null(cb$constructs$protection)) {
    protects <- score_construct("protection")$flag
  } else {
    protects <- 1 - score_construct("sharing")$flag
  }
  v <- data.frame(psu = d[[col_psu]], strata = d[[col_strata]],
                  weight = as.numeric(d[[col_weight]]), region = d[[col_region]],
                  stringsAsFactors = FALSE)
  v$region[is_missing(v$region)] <- NA
  v$concerned <- concern$flag
  v$protects <- protects
  both <- !is.na(v$concerned) & !is.na(v$protects)
  v$gap <- ifelse(both, v$concerned - v$protects, NA)
  v$paradox_rate <- ifelse(both & v$concerned == 1, 1 - v$protects, NA)
  v$paradox_share <- ifelse(both, v$concerned * (1 - v$protects), NA)
  v
})

## ---- design and estimates -------------------------------------------------
des <- timed("design", svydesign(ids = ~psu, strata = ~strata, weights = ~weight, nest = TRUE, data = v))

f <- function(name) as.formula(paste0("~", name))
base <- function(ds, y) {
  x <- ds$variables[[y]]
  list(n = sum(!is.na(x)), weighted_n = sum(weights(ds)[!is.na(x)]))
}
prop_row <- function(stat, ds, dom, df) {
  ci <- svyciprop(f(stat), ds, method = "logit", df = df, na.rm = TRUE)
  m <- svymean(f(stat), ds, na.rm = TRUE, deff = "replace")
  c(list(statistic = stat, domain = dom, estimate = as.numeric(ci), se = as.numeric(SE(m)),
         ci_low = as.numeric(attr(ci, "ci")[1]), ci_high = as.numeric(attr(ci, "ci")[2]),
         deff = as.numeric(deff(m))), base(ds, stat), list(df = df))
}
mean_row <- function(stat, ds, dom, df) {
  m <- svymean(f(stat), ds, na.rm = TRUE, deff = "replace")
  ci <- confint(m, df = df)
  c(list(statistic = stat, domain = dom, estimate = unname(coef(m)), se = as.numeric(SE(m)),
         ci_low = ci[1], ci_high = ci[2], deff = as.numeric(deff(m))), base(ds, stat), list(df = df))
}

rows <- timed("estimate", {
  rows <- list()
  regions <- sort(unique(na.omit(v$region)))
  doms <- c("Total", regions)
  for (dom in doms) {
    ds <- if (dom == "Total") des else des[!is.na(des$variables$region) & des$variables$region == dom, ]
    df <- degf(ds)
    for (s in c("concerned", "protects")) rows[[length(rows) + 1]] <- prop_row(s, ds, dom, df)
    rows[[length(rows) + 1]] <- mean_row("gap", ds, dom, df)
    for (s in c("paradox_rate", "paradox_share")) rows[[length(rows) + 1]] <- prop_row(s, ds, dom, df)
  }
  rows
})

timing$total <- timing$read + timing$score + timing$design + timing$estimate
cputime$total <- cputime$read + cputime$score + cputime$design + cputime$estimate
fmt_t <- function(t) paste(sprintf("%s=%.3f", names(t), unlist(t)), collapse = " ")
cat("R_TIMING", fmt_t(timing), "\n")
cat("R_CPU", fmt_t(cputime), "\n")
cat(sprintf("R_INFO rows=%d psus=%d regions=%d R=%s survey=%s reader=%s\n", nrow(v),
            length(unique(paste(v$strata, v$psu))), length(unique(na.omit(v$region))),
            paste(R.version$major, R.version$minor, sep = "."), as.character(packageVersion("survey")),
            if (have_dt) "data.table::fread" else "read.csv"))

jsonlite::write_json(list(timing = timing, cpu = cputime, estimates = rows), out_path,
                     auto_unbox = TRUE, digits = NA, pretty = TRUE)

## ---- compare with trustgap ----------------------------------------------------
# Every field of every R row must match trustgap's row for the same statistic
# and domain: n and df exactly, the others to a relative difference of 1e-6
# (|a - b| <= 1e-6 * max(1, |b|)).
if (!is.na(tg_path)) {
  tg <- jsonlite::fromJSON(tg_path, simplifyVector = FALSE)
  key <- function(stat, dom) paste(stat, dom, sep = "|")
  tgrows <- list()
  for (r in tg$estimates) {
    dom <- if (length(r$domain) == 0) "Total" else as.character(r$domain[[1]])
    tgrows[[key(r$statistic, dom)]] <- r
  }
  num <- function(x) if (is.null(x)) NA_real_ else as.numeric(x)
  max_abs <- 0; max_rel <- 0; bad <- character(0); worst <- ""
  for (r in rows) {
    k <- key(r$statistic, r$domain)
    t <- tgrows[[k]]
    if (is.null(t)) { bad <- c(bad, paste(k, "missing from trustgap")); next }
    for (fld in c("estimate", "se", "ci_low", "ci_high", "deff", "weighted_n", "n", "df")) {
      a <- num(t[[fld]]); b <- num(r[[fld]])
      if (is.na(a) && is.na(b)) next
      if (is.na(a) != is.na(b)) { bad <- c(bad, sprintf("%s %s: trustgap %s, R %s", k, fld, a, b)); next }
      ad <- abs(a - b); rd <- ad / max(1, abs(b))
      if (fld %in% c("n", "df")) {
        if (a != b) bad <- c(bad, sprintf("%s %s: trustgap %s, R %s", k, fld, a, b))
        next
      }
      if (ad > max_abs) max_abs <- ad
      if (rd > max_rel) { max_rel <- rd; worst <- paste(k, fld) }
      if (rd > 1e-6) bad <- c(bad, sprintf("%s %s: trustgap %.12g, R %.12g", k, fld, a, b))
    }
  }
  cat(sprintf("R_COMPARE agree=%s rows=%d max_abs_diff=%.3g max_rel_diff=%.3g worst=%s\n",
              length(bad) == 0, length(rows), max_abs, max_rel, gsub(" ", "_", worst)))
  if (length(bad) > 0) cat(paste("R_MISMATCH", head(bad, 20)), sep = "\n")
}
