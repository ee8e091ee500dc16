package datasets

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
)

// GenerateOptions configure Generate.
type GenerateOptions struct {
	// N is the number of respondents; 0 writes the header only.
	N int
	// Seed fixes the stream: the same N and Seed give the same bytes.
	Seed uint64
	// Progress, when non-nil, is called with the number of rows written
	// so far, every ProgressEvery rows and once at the end.
	Progress func(rows int)
}

// ProgressEvery is how many rows Generate writes between Progress calls
// and context checks.
const ProgressEvery = 1 << 16

// pcgStream is the second PCG word; the seed is the first. Fixed so that a
// seed alone names a study.
const pcgStream = 0x7472757374676170 // "trustgap"

// Generate writes a synthetic consumer privacy survey of opts.N
// respondents as CSV (a header row, then one row per respondent, "\n" line
// ends) to responses. Codebook returns the matching codebook.
//
// The sample is stratified by region (the strata), respondents are
// clustered in PSUs of about 40 nested in the regions (PSU labels are
// unique across regions), and the weights are post-stratification-like:
// population share over sample share for region, generation and gender,
// times noise, clipped to [0.3, 3]. Answers follow a latent-trait model
// calibrated to published figures, its behaviours to the privacy paradox's
// design targets (see the package documentation). About
// 2–5% of each item is blank and a few items carry "Don't know".
//
// Memory use does not grow with N. The context is checked before the
// first row and every ProgressEvery rows; on cancellation Generate returns
// ctx.Err() wrapped, having written whole rows only (nothing at all when
// ctx was already done).
func Generate(ctx context.Context, opts GenerateOptions, responses io.Writer) error {
	if opts.N < 0 {
		return fmt.Errorf("generate: n is %d; want 0 or more respondents", opts.N)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("generate: %w", err)
	}
	bw := bufio.NewWriterSize(responses, 64<<10)
	if _, err := bw.WriteString(header); err != nil {
		return fmt.Errorf("generate: write header: %w", err)
	}
	g := newGenerator(defaultModel(), opts.Seed, opts.N)
	for i := 1; i <= opts.N; i++ {
		// The context is polled every 8,192 rows, a few milliseconds.
		if done := i - 1; done > 0 && done%8192 == 0 {
			if opts.Progress != nil && done%ProgressEvery == 0 {
				opts.Progress(done)
			}
			if err := ctx.Err(); err != nil {
				// Flush so the output ends on a whole row.
				return errors.Join(fmt.Errorf("generate: stopped after %d rows: %w", done, err), flush(bw))
			}
		}
		if _, err := bw.Write(g.row(i)); err != nil {
			return fmt.Errorf("generate: write row %d: %w", i, err)
		}
	}
	if err := flush(bw); err != nil {
		return err
	}
	if opts.Progress != nil {
		opts.Progress(opts.N)
	}
	return nil
}

func flush(bw *bufio.Writer) error {
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("generate: write responses: %w", err)
	}
	return nil
}

// header is the CSV header; the order of columns matches generator.row.
const header = "rid,region,psu,weight,generation,gender," +
	"pc1,pc2,pc3,pc4," +
	"sh_location,sh_cookies,sh_email_discount,sh_social_login,sh_purchase_history," +
	"pr_adblock,pr_vpn,pr_decline_cookies,pr_privacy_settings," +
	"tr1,tr2," +
	"cf_overall,cf_name,cf_phone,cf_address,cf_purchases,cf_browsing,cf_location," +
	"pref_personalized,accept_noconsent," +
	"w1,w2,w3," +
	"benefit_money,benefit_time,benefit_novelty,benefit_social," +
	"fam_collect,fam_use," +
	"du_concern,ctl,consent_req\n"

// dontKnow is the answer the codebook declares missing besides blanks.
const dontKnow = "Don't know"

// agreeLabel is the text answer of a trust item for v in 1..5, as the
// codebook's values map them.
func agreeLabel(v int) string {
	switch v {
	case 1:
		return "Strongly disagree"
	case 2:
		return "Disagree"
	case 3:
		return "Neither agree nor disagree"
	case 4:
		return "Agree"
	}
	return "Strongly agree"
}

// Item nonresponse rates by family, on top of model.itemMissing: the
// questions asked later or felt as more personal are skipped more often.
const (
	missAttitude  = 0.0
	missTrust     = 0.005
	missBehaviour = 0.015
	missComfort   = 0.01
	missBenefit   = 0.02
	missKnowledge = 0.03
)

// generator writes rows; its state is the random stream, the PSU layout
// and the per-region respondent counts.
type generator struct {
	m    *model
	rng  *rand.Rand
	seed uint64
	buf  []byte

	psuCount []int // PSUs per region
	psuBase  []int // PSU label offset per region
	seen     []int // respondents written per region

	// cumulative sample shares for drawing region, cohort and gender.
	cumRegion, cumCohort, cumGender []float64
	// post-stratification factors: population over sample share.
	fRegion, fCohort, fGender []float64
}

func newGenerator(m *model, seed uint64, n int) *generator {
	g := &generator{
		m:    m,
		rng:  rand.New(rand.NewPCG(seed, pcgStream)),
		seed: seed,
		buf:  make([]byte, 0, 512),
	}
	base := 0
	for _, r := range m.regions {
		// At least two PSUs per region so that a region with two or more
		// respondents never forms a lonely PSU.
		c := max(2, int(math.Round(float64(n)*r.sample/m.psuSize)))
		g.psuCount = append(g.psuCount, c)
		g.psuBase = append(g.psuBase, base)
		base += c
		g.cumRegion = appendCum(g.cumRegion, r.sample)
		g.fRegion = append(g.fRegion, r.pop/r.sample)
	}
	g.seen = make([]int, len(m.regions))
	for _, c := range m.cohorts {
		g.cumCohort = appendCum(g.cumCohort, c.sample)
		g.fCohort = append(g.fCohort, c.pop/c.sample)
	}
	for _, s := range m.genders {
		g.cumGender = appendCum(g.cumGender, s.sample)
		g.fGender = append(g.fGender, s.pop/s.sample)
	}
	return g
}

func appendCum(cum []float64, p float64) []float64 {
	if len(cum) == 0 {
		return append(cum, p)
	}
	return append(cum, cum[len(cum)-1]+p)
}

// pick draws an index from cumulative shares.
func (g *generator) pick(cum []float64) int {
	u := g.rng.Float64() * cum[len(cum)-1]
	for i, c := range cum {
		if u < c {
			return i
		}
	}
	return len(cum) - 1
}

// row builds respondent i's CSV line in g.buf and returns it; the slice is
// reused by the next call.
func (g *generator) row(i int) []byte {
	m, rng := g.m, g.rng
	r := g.pick(g.cumRegion)
	c := g.pick(g.cumCohort)
	s := g.pick(g.cumGender)

	// The first respondents of a region fill its PSUs in turn, so every
	// PSU is used; later ones land at random, giving unequal PSU sizes.
	k := g.seen[r]
	if k >= g.psuCount[r] {
		k = rng.IntN(g.psuCount[r])
	}
	g.seen[r]++
	psu := g.psuBase[r] + k + 1

	w := g.fRegion[r] * g.fCohort[c] * g.fGender[s] * (1 + m.weightNoise*rng.NormFloat64())
	w = min(max(w, m.minW), m.maxW)

	sh := sum(m.regions[r].shift, m.cohorts[c].shift, m.genders[s].shift)
	e0, e1, e2 := rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()
	l := &m.chol
	concern := l[0][0]*e0 + sh.concern + m.psuSD*hashedNormal(g.seed, uint64(psu), keyPSUConcern)
	trust := l[1][0]*e0 + l[1][1]*e1 + sh.trust
	appetite := l[2][0]*e0 + l[2][1]*e1 + l[2][2]*e2 + sh.appetite + m.psuSD*hashedNormal(g.seed, uint64(psu), keyPSUAppetite)
	// Privacy habits: independent of the three attitudes. Hashed from the
	// respondent number rather than drawn from rng, so adding the trait
	// left every other answer of a seed's stream unchanged.
	habit := hashedNormal(g.seed, uint64(i), keyHabit)

	b := g.buf[:0]
	b = strconv.AppendInt(b, int64(i), 10)
	b = append(b, ',')
	b = append(b, m.regions[r].name...)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(psu), 10)
	b = append(b, ',')
	b = strconv.AppendFloat(b, w, 'f', 4, 64)
	b = append(b, ',')
	b = append(b, m.cohorts[c].name...)
	b = append(b, ',')
	b = append(b, m.genders[s].name...)

	// Concern: pc4 is reverse-worded ("I am comfortable with how much
	// companies know about me"), so it falls as concern rises.
	for j := range 3 {
		b = g.num(b, cut5(concern+m.concern+m.concernItems[j]+0.7*rng.NormFloat64()), missAttitude, false)
	}
	b = g.num(b, cut5(-concern-m.concern+m.concernItems[3]+0.7*rng.NormFloat64()), missAttitude, false)

	// Sharing in the last month: Yes/No answers. Appetite drives it and
	// concern barely holds it back, which is the privacy paradox.
	for j := range m.sharingItems {
		z := m.sharingOnAppetite*appetite + m.sharingOnConcern*concern + sh.sharing + m.sharingItems[j] + rng.NormFloat64()
		b = g.text(b, yesNo(z > 0), missBehaviour, false)
	}
	// Protective behaviours: 1/0 answers. They follow the respondent's
	// privacy habits far more than concern, which is the other half of the
	// paradox; ad blockers and VPNs (the first nTools items) also follow
	// the group's taste for tools.
	for j := range m.protectionItems {
		z := m.protectionOnConcern*concern + m.protectionOnHabit*habit + sh.protection + m.protection + m.protectionItems[j] + rng.NormFloat64()
		if j < nTools {
			z += sh.tools
		}
		v := 0
		if z > 0 {
			v = 1
		}
		b = g.num(b, v, missBehaviour, false)
	}
	// Trust: text answers mapped through the codebook's values.
	for j := range m.trustItems {
		v := cut5(trust + m.trust + m.trustItems[j] + 0.6*rng.NormFloat64())
		b = g.text(b, agreeLabel(v), missTrust, true)
	}
	// Comfort with personalization, overall and by the data it uses.
	comfort := 0.5*appetite + m.trustOnComfort*trust + m.comfort
	b = g.num(b, cut5(comfort+0.7*rng.NormFloat64()), missAttitude, false)
	for j := range m.comfortTypes {
		b = g.num(b, cut5(comfort+m.comfortTypes[j]+0.7*rng.NormFloat64()), missComfort, false)
	}
	b = g.num(b, cut5(appetite+m.personalization+0.6*rng.NormFloat64()), missAttitude, false)
	b = g.num(b, cut5(0.45*appetite+0.35*trust-0.30*concern+m.noConsent+0.7*rng.NormFloat64()), missTrust, true)

	// Westin items, 1 = strongly agree … 4 = strongly disagree.
	agree := [3]float64{
		0.8*concern - 0.2*trust,
		0.7*trust - 0.3*concern,
		0.6*trust - 0.3*concern,
	}
	for j := range agree {
		b = g.num(b, 5-cut4(agree[j]+m.westinAgree[j]+0.7*rng.NormFloat64()), missTrust, true)
	}
	// Benefits that would make respondents share data.
	benefit := [4]float64{0.5 * appetite, 0.5 * appetite, 0.4*appetite + sh.novelty, 0.4*appetite + sh.social}
	for j := range benefit {
		b = g.num(b, cut5(benefit[j]+m.benefitItems[j]+0.8*rng.NormFloat64()), missBenefit, false)
	}
	// Familiarity with data practices: unrelated to concern on purpose,
	// knowing more does not make people worry less.
	fam := 0.8*rng.NormFloat64() + sh.familiarity + m.familiarity
	for j := range m.familiarityItems {
		b = g.num(b, cut5(fam+m.familiarityItems[j]+0.6*rng.NormFloat64()), missKnowledge, false)
	}
	// Concern about companies' data use (1 = not at all … 4 = very),
	// perceived control (1 = a great deal … 4 = none), and support for
	// requiring explicit consent (1–5 agree).
	b = g.num(b, cut4(0.9*concern+m.dataUse+0.6*rng.NormFloat64()), missAttitude, true)
	b = g.num(b, cut4(0.5*concern-0.4*trust+m.control+0.7*rng.NormFloat64()), missAttitude, true)
	b = g.num(b, cut5(0.6*concern+m.consent+0.7*rng.NormFloat64()), missAttitude, false)
	b = append(b, '\n')
	g.buf = b
	return b
}

// missing draws nonresponse for one item. It returns the code to write
// and true for a nonresponse: "" (blank), at rate itemMissing+extra, or
// "Don't know", at rate dontKnow where dk offers it; false when answered.
func (g *generator) missing(extra float64, dk bool) (string, bool) {
	u := g.rng.Float64()
	if u < g.m.itemMissing+extra {
		return "", true
	}
	if dk && u < g.m.itemMissing+extra+g.m.dontKnow {
		return dontKnow, true
	}
	return "", false
}

// num appends ",v" or the nonresponse code.
func (g *generator) num(b []byte, v int, extra float64, dk bool) []byte {
	b = append(b, ',')
	if s, miss := g.missing(extra, dk); miss {
		return append(b, s...)
	}
	if 0 <= v && v <= 9 {
		// Every answer is one digit; skip the general formatter.
		return append(b, byte('0'+v))
	}
	return strconv.AppendInt(b, int64(v), 10)
}

// text appends ",s" or the nonresponse code.
func (g *generator) text(b []byte, s string, extra float64, dk bool) []byte {
	b = append(b, ',')
	if m, miss := g.missing(extra, dk); miss {
		return append(b, m...)
	}
	return append(b, s...)
}

func yesNo(yes bool) string {
	if yes {
		return "Yes"
	}
	return "No"
}

func sum(a, b, c shifts) shifts {
	return shifts{
		concern:     a.concern + b.concern + c.concern,
		trust:       a.trust + b.trust + c.trust,
		appetite:    a.appetite + b.appetite + c.appetite,
		sharing:     a.sharing + b.sharing + c.sharing,
		protection:  a.protection + b.protection + c.protection,
		tools:       a.tools + b.tools + c.tools,
		novelty:     a.novelty + b.novelty + c.novelty,
		social:      a.social + b.social + c.social,
		familiarity: a.familiarity + b.familiarity + c.familiarity,
	}
}

// cut5 maps a latent response to a 1–5 answer with cut points at
// -1.5, -0.5, 0.5, 1.5.
func cut5(x float64) int {
	switch {
	case x < -1.5:
		return 1
	case x < -0.5:
		return 2
	case x < 0.5:
		return 3
	case x < 1.5:
		return 4
	}
	return 5
}

// cut4 maps a latent response to a 1–4 answer with cut points at -1, 0, 1.
func cut4(x float64) int {
	switch {
	case x < -1:
		return 1
	case x < 0:
		return 2
	case x < 1:
		return 3
	}
	return 4
}

// nTools is the number of protectionItems, first in their order, that
// need a tool (ad blocker, VPN) and so take shifts.tools.
const nTools = 2

// Keys of hashedNormal: which effect of a unit it draws.
const (
	keyPSUConcern  = 0 // PSU random effect on concern
	keyPSUAppetite = 1 // PSU random effect on appetite
	keyHabit       = 2 // a respondent's privacy habits
)

// hashedNormal is a standard-normal-like random effect k of a unit (a PSU
// or a respondent), derived by hashing (seed, unit, k) rather than stored
// or drawn from the row stream, so memory stays constant at any N. It is
// the Irwin–Hall sum of four uniforms, rescaled to variance 1; plain
// arithmetic keeps it identical on every platform.
func hashedNormal(seed, unit, k uint64) float64 {
	x := seed ^ (unit * 0x9e3779b97f4a7c15) ^ (k << 56)
	s := 0.0
	for range 4 {
		x = splitmix64(x)
		s += float64(x>>11) / (1 << 53)
	}
	return (s - 2) * math.Sqrt(3)
}

// splitmix64 is the SplitMix64 mixing step (Steele, Lea & Flood 2014).
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
