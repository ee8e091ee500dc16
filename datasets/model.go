package datasets

import "math"

// model holds every parameter of the synthetic population. It is built
// fresh by defaultModel for each Generate call, so the package keeps no
// mutable state. The latent traits are on a standard-normal scale; the
// shifts below move them by region, cohort and gender.
type model struct {
	regions []stratum
	cohorts []segment
	genders []segment

	// chol is the Cholesky factor of the correlation of the three latent
	// traits (concern, trust, appetite for personalization).
	chol [3][3]float64

	// psuSD is the standard deviation of the PSU random effect added to
	// concern and appetite; it makes respondents of a PSU alike, so the
	// design effect of clustering is visible (about 1.5 to 2).
	psuSD float64
	// psuSize is the expected number of respondents per PSU.
	psuSize float64

	// Calibration intercepts: each moves one item family so that the
	// weighted flag share of its construct hits the published figure (see
	// the package documentation). They were tuned on samples of 200,000.
	concern, trust, comfort, personalization, noConsent float64
	dataUse, control, consent                           float64
	// trustOnComfort is the loading of trust on comfort with
	// personalization; with the trust–appetite correlation it sets the
	// trusting minus non-trusting comfort gap.
	trustOnComfort float64
	// Levels of the items without a published target: about 30% feel
	// familiar with data practices, and protection is set so that about
	// 38% take two or more protective steps, fewer than are concerned (an
	// illustrative design target; see the package documentation).
	familiarity, protection float64

	// Weights: post-stratification factor times (1 + weightNoise·N(0,1)),
	// clipped to [minW, maxW].
	weightNoise, minW, maxW float64
	itemMissing             float64 // base rate of blank answers
	dontKnow                float64 // rate of "Don't know" where offered

	// Per-item intercepts, in the order of the CSV columns.
	concernItems     [4]float64
	sharingItems     [5]float64
	protectionItems  [4]float64
	trustItems       [2]float64
	comfortTypes     [6]float64
	westinAgree      [3]float64
	benefitItems     [4]float64
	familiarityItems [2]float64

	// Behaviour loadings: sharing rises with appetite and barely falls
	// with concern; protection barely rises with concern (the privacy
	// paradox: concern hardly turns into action) and mostly follows a
	// respondent's privacy habits, a trait of its own shared by the four
	// protective behaviours so that they go together.
	sharingOnAppetite, sharingOnConcern    float64
	protectionOnConcern, protectionOnHabit float64
}

// stratum is a region: its share of the sample and of the population, and
// how it shifts the latent traits and behaviours.
type stratum struct {
	name        string
	sample, pop float64
	shift       shifts
}

// segment is a level of a demographic segment (cohort or gender).
type segment struct {
	name        string
	sample, pop float64
	shift       shifts
}

// shifts move the latent traits and behaviour propensities of a group.
// protection moves all four protective behaviours; tools moves only the
// ones that need a tool installed (ad blocker, VPN), which the young take
// to more readily.
type shifts struct {
	concern, trust, appetite float64
	sharing, protection      float64
	tools                    float64
	novelty, social          float64
	familiarity              float64
}

// defaultModel returns the calibrated population.
//
// Regions: North America sits at the weighted global average; Europe is
// more concerned, less trusting and less keen on personalization, and the
// most protective; Asia-Pacific is less concerned, more trusting and
// keener, and protects less; Latin America is more concerned yet keener on
// personalization and protects least (the paradox region); Middle East &
// Africa is slightly less concerned and less keen. The population shares
// make the region shifts average to about zero, so North America, with no
// shift, lands on the global figure.
//
// Behaviours: protection loads little on concern and mostly on privacy
// habits, so that about 38% protect (two or more steps), 58% of the
// concerned do not, and the concern–protection correlation is about 0.11;
// the location sharing intercept puts 60% of the concerned sharing their
// location. These are illustrative design targets (see the package
// documentation), tuned on samples of 200,000 like the published ones.
func defaultModel() *model {
	m := &model{
		regions: []stratum{
			{"North America", 0.22, 0.15, shifts{}},
			{"Europe", 0.24, 0.20, shifts{concern: 0.40, trust: -0.30, appetite: -0.35, sharing: -0.20, protection: 0.45}},
			{"Asia-Pacific", 0.22, 0.35, shifts{concern: -0.30, trust: 0.30, appetite: 0.25, sharing: 0.20, protection: -0.20}},
			{"Latin America", 0.16, 0.15, shifts{concern: 0.30, trust: -0.15, appetite: 0.35, sharing: 0.15, protection: -0.25}},
			{"Middle East & Africa", 0.16, 0.15, shifts{concern: -0.10, trust: -0.10, appetite: -0.30, sharing: -0.10, protection: 0.00}},
		},
		// Young cohorts are over-sampled (online panels skew young), so
		// their weights are below 1 and Boomers' above.
		cohorts: []segment{
			{"Gen Z", 0.26, 0.18, shifts{concern: -0.15, trust: 0.10, appetite: 0.45, sharing: 0.30, tools: 0.45, novelty: 0.40, social: 0.40, familiarity: 0.15}},
			{"Millennials", 0.36, 0.28, shifts{concern: -0.05, trust: 0.05, appetite: 0.20, sharing: 0.15, protection: 0.05, tools: 0.25, novelty: 0.15, social: 0.15, familiarity: 0.10}},
			{"Gen X", 0.22, 0.26, shifts{concern: 0.05, trust: -0.05, appetite: -0.15, sharing: -0.10, tools: -0.10, novelty: -0.15, social: -0.15}},
			{"Boomers", 0.16, 0.28, shifts{concern: 0.20, trust: -0.10, appetite: -0.45, sharing: -0.35, protection: -0.05, tools: -0.45, novelty: -0.40, social: -0.35, familiarity: -0.20}},
		},
		genders: []segment{
			{"Female", 0.50, 0.50, shifts{concern: 0.08, sharing: -0.05}},
			{"Male", 0.47, 0.48, shifts{concern: -0.08, sharing: 0.05, familiarity: 0.10}},
			{"Non-binary / other", 0.03, 0.02, shifts{concern: 0.15, trust: -0.10}},
		},
		psuSD:   0.15,
		psuSize: 40,

		concern:         0.93,
		trust:           0.23,
		comfort:         0.27,
		personalization: 0.95,
		noConsent:       -0.16,
		trustOnComfort:  0.06,
		dataUse:         0.85,
		control:         0.88,
		consent:         0.70,
		familiarity:     0.19,
		protection:      -0.38,

		weightNoise: 0.15,
		minW:        0.3,
		maxW:        3,
		itemMissing: 0.02,
		dontKnow:    0.03,

		// name, phone, address, purchases, browsing, location: location is
		// the least comfortable use, names the most.
		comfortTypes: [6]float64{0.55, -0.30, -0.45, 0.30, -0.10, -0.80},
		// location, cookies, email for a discount, social login, purchase history.
		sharingItems: [5]float64{0.57, 0.45, 0.10, -0.15, -0.35},
		// ad blocker, VPN, declined cookies, changed privacy settings.
		protectionItems: [4]float64{-0.25, -0.85, 0.15, 0.00},
		// money, time, novelty, social.
		benefitItems: [4]float64{0.62, 0.30, -0.04, -0.39},
		// w1 lost control, w2 businesses handle data properly, w3 laws adequate.
		westinAgree:      [3]float64{-0.60, -0.66, -0.81},
		concernItems:     [4]float64{0.10, 0.00, -0.10, 0.05},
		trustItems:       [2]float64{0.05, -0.05},
		familiarityItems: [2]float64{0.10, -0.10},

		sharingOnAppetite:   0.55,
		sharingOnConcern:    -0.15,
		protectionOnConcern: 0.12,
		protectionOnHabit:   0.80,
	}
	// Concern–trust, concern–appetite, trust–appetite.
	m.chol = cholesky3(-0.35, -0.20, 0.15)
	return m
}

// cholesky3 returns the lower Cholesky factor of the 3×3 correlation
// matrix with off-diagonal entries r12, r13, r23.
func cholesky3(r12, r13, r23 float64) [3][3]float64 {
	var l [3][3]float64
	l[0][0] = 1
	l[1][0] = r12
	l[1][1] = math.Sqrt(1 - r12*r12)
	l[2][0] = r13
	l[2][1] = (r23 - r13*r12) / l[1][1]
	l[2][2] = math.Sqrt(1 - l[2][0]*l[2][0] - l[2][1]*l[2][1])
	return l
}
