// Package datasets supplies trustgap's data when the user brings none: a
// generator of synthetic consumer privacy surveys of any size (Generate,
// Codebook), the embedded default study built by it (DefaultStudy), and
// published toplines to compare studies against (Benchmarks).
//
// # The synthetic study
//
// Respondents are sampled in five regions (the strata: North America,
// Europe, Asia-Pacific, Latin America, Middle East & Africa), clustered in
// PSUs of about 40, and weighted back to assumed population shares of
// region, generation (Gen Z, Millennials, Gen X, Boomers) and gender.
// Each respondent has three correlated latent traits (privacy concern,
// trust in companies, appetite for personalization; correlations −0.35
// concern–trust, −0.20 concern–appetite, 0.15 trust–appetite) shifted by region,
// generation, gender and PSU; every answer is a noisy cut of them. The
// questionnaire covers concern (pc1–pc4, pc4 reverse-worded), sharing and
// protective behaviours in the last month, trust (text answers), comfort
// with personalization overall and by data type, preference for
// personalized offers, acceptance of personalization from data collected
// without consent, Westin's three privacy-index items, benefits that would
// motivate sharing, familiarity with data practices, concern about
// companies' data use, perceived control and support for explicit consent.
// The codebook quotes each question.
//
// # Calibration
//
// The model's intercepts were tuned on samples of 200,000 so that the
// weighted flag shares, as the codebook defines the flags, echo published
// figures:
//
//   - concern flag (mean of pc1–pc4 ≥ 4): 53% of consumers worldwide are
//     concerned about the privacy of their personal information;
//   - personalization flag: 64% prefer brands that personalize;
//   - trust flag (mean of tr1, tr2 ≥ 4): 33% trust companies to use their
//     data responsibly;
//   - accept_noconsent flag: 27% accept personalization from data collected
//     without their explicit consent;
//   - comfort flag among trusting minus among non-trusting respondents:
//     +11 points.
//
// These five come from the Qualtrics XM Institute's 2025 Consumer Trends
// report (2024 survey of about 24,000 consumers in 23 countries). Three
// more are calibrated to the regional figures in Benchmarks:
// data_use_concern (79%) and little_control (81%) in North America, from
// Pew Research Center's "Americans and Privacy" (2019), and
// consent_required (69%) in Europe, from Special Eurobarometer 431 "Data
// protection" (2015).
//
// Qualitatively, North America sits at the global average. Europe is more
// concerned, less trusting and less keen on personalization (its trust
// share near Eurobarometer 431's 24% trusting online businesses, its
// concern near the 67% worried about lacking control). Asia-Pacific is less
// concerned, more trusting and keener on personalization. Latin America
// is more concerned yet keener on personalization and shares more, the
// privacy paradox at its plainest. Middle East & Africa is a little less
// concerned and less keen. Younger cohorts accept personalization more
// than older ones, and location is the data type people are least
// comfortable having used. Westin's index splits about 27%
// fundamentalists, 61% pragmatists and 12% unconcerned.
//
// The embedded study (DefaultN respondents, DefaultSeed) is one sample from
// this population, so its figures differ from the targets by sampling
// error; its tests hold it within 2 points of each global topline in
// Benchmarks and 3 points of each regional one (a region has a fifth of the
// sample).
package datasets
