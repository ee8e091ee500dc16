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
// generation, gender and PSU, plus privacy habits, a fourth trait
// independent of the others that drives the protective behaviours; every
// answer is a noisy cut of them. The questionnaire covers concern (pc1–pc4,
// pc4 reverse-worded), sharing and protective behaviours in the last month,
// trust (text answers), comfort with personalization overall and by data
// type, preference for personalized offers, acceptance of personalization
// from data collected without consent, Westin's three privacy-index items,
// benefits that would motivate sharing, familiarity with data practices,
// concern about companies' data use, perceived control and support for
// explicit consent. The codebook quotes each question.
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
// concern near the 67% worried about lacking control), and the most
// protective. Asia-Pacific is less concerned, more trusting, keener on
// personalization, shares more and protects less. Latin America is more
// concerned yet keener on personalization, shares more and protects
// least, the privacy paradox at its plainest. Middle East & Africa is a
// little less concerned and less keen. Younger cohorts accept
// personalization and share more than older ones, yet use ad blockers and
// VPNs more too; location is the data type people are least comfortable
// having used. Westin's index splits about 27% fundamentalists, 61%
// pragmatists and 12% unconcerned.
//
// # The privacy paradox
//
// The study exists to show the say-do gap, so the behaviours are tuned to
// illustrative design targets, not published figures: concern barely moves
// behaviour, which follows appetite for personalization (sharing) and
// privacy habits (protection) instead. The protection flag counts a
// respondent as protecting who took at least two of the four steps (ad
// blocker, VPN, declined cookies, changed privacy settings) in the last
// month. With the calibrated 53% concerned, the population gives, as
// `trustgap paradox` measures them:
//
//   - protects: 38% (so the gap, concerned − protects, is about +15
//     points);
//   - paradox_rate, the share not protecting among the concerned: 58%;
//   - the design-based correlation of the concern and protection scores:
//     about 0.11, small and positive, the paradox in one number;
//   - shared location with an app or website in the last month: 60% of
//     the concerned, so "53% say they are concerned about their privacy,
//     yet about 60% of them shared their location last month";
//   - paradox_rate highest in Latin America and Asia-Pacific (about 67%),
//     lowest in Europe (about 41%), North America near the global rate.
//
// The embedded study (DefaultN respondents, DefaultSeed) is one sample from
// this population, so its figures differ from the targets by sampling
// error; its tests hold it within 2 points of each global topline in
// Benchmarks and 3 points of each regional one (a region has a fifth of the
// sample), and within 2 points of the protects target and 3 of the gap,
// paradox rate and location targets (the concerned are about half the
// sample), with the correlation between 0.05 and 0.20. It shows 54%
// concerned, 37% protecting (gap +16 points), a paradox rate of 59%, a
// correlation of 0.11 and 61% of the concerned sharing their location.
package datasets
