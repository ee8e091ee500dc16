# Writes the haven fixtures read by survey/read_sav_test.go:
#   Rscript make_haven.R        (from survey/testdata/sav; R haven 2.5)
# haven_byte.sav (bytecode compression), haven_none.sav (uncompressed),
# haven.zsav (zlib). The same small study in each.
library(haven)
df <- data.frame(
  id = c(1, 2, 3, 4, 5, 6),
  country = labelled(c(2, 1, 3, 1, 2, NA), c(Germany = 1, "Great Britain" = 2, "United States" = 3)),
  q1 = labelled_spss(c(1, 5, 4, 99, 2, 3), c("Strongly disagree" = 1, "Strongly agree" = 5, "Don't know" = 99),
                     na_values = 99),
  q2 = labelled_spss(c(3, -1, 2, 5, 8, 1), c("Refused" = -1), na_range = c(-9, -1)),
  wt = c(0.5, 1.25, 1, 1.5, 0.75, 1),
  name = c("Anna", "Bj\u00f6rn", "", "Zo\u00eb \u201cZ\u201d", "Li", "x"),
  born = as.Date(c("1980-01-05", "1999-12-31", NA, "2001-02-03", "1960-07-04", "1975-11-11")),
  stamp = as.POSIXct(c("2024-01-05 13:30:00", "2024-01-06 00:00:00", "2024-02-29 23:59:59",
                       NA, "2023-12-31 12:00:00", "2024-03-01 08:15:30"), tz = "UTC"),
  dur = hms::hms(seconds = c(3600, 5430, NA, 0, 86399, 60)),
  stringsAsFactors = FALSE
)
attr(df$country, "label") <- "Country of residence"
attr(df$q1, "label") <- "I worry about how companies use my data"
attr(df$name, "label") <- "First name"
names(df)[names(df) == "wt"] <- "weight_variable_with_a_long_name"
write_sav(df, "haven_byte.sav", compress = "byte")
write_sav(df, "haven_none.sav", compress = "none")
write_sav(df, "haven.zsav", compress = "zsav")
