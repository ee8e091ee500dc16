package survey

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// AnswerScale is an ordered answer scale recognised from a column's text
// answers: agreement, concern, comfort, acceptability, likelihood, trust,
// importance, satisfaction, frequency (English, German, Dutch), yes/no,
// selected/not selected, TRUE/FALSE, or numbers with labels ("1
// (left-wing)", …, "7 (right-wing)").
type AnswerScale struct {
	// Family names the kind of scale: "agreement", "concern", "comfort",
	// "acceptability", "likelihood", "trust", "importance",
	// "satisfaction", "familiarity", "frequency", "yes/no", "selected",
	// "true/false" or "numbered".
	Family string
	// Answers are the substantive answers in scale order (lowest first)
	// and Values the number each maps to: 1..k for an ordinal scale, 0
	// and 1 for a binary one, the written number for a numbered one.
	Answers []string
	Values  []float64
	// Labels are the answers' value labels when the file codes them as
	// numbers (SPSS); nil otherwise. Lo and Hi are then the lowest and
	// highest numbers answered, which may lie beyond the labelled ones
	// (1 = "Strongly disagree", 5 = "Strongly agree", 2 to 4 unlabelled).
	Labels []string
	Lo, Hi float64
	// NonSubstantive are answers such as "Don't know" or "Keine Angabe"
	// that belong to no point of the scale (read as missing).
	NonSubstantive []string
}

// Binary reports whether the scale is a two-answer 0/1 scale.
func (s *AnswerScale) Binary() bool {
	switch s.Family {
	case "yes/no", "selected", "true/false":
		return true
	}
	return false
}

// Range returns the lowest and highest value.
func (s *AnswerScale) Range() (lo, hi float64) {
	lo, hi = s.Values[0], s.Values[0]
	for _, v := range s.Values {
		lo, hi = min(lo, v), max(hi, v)
	}
	if s.Labels != nil {
		lo, hi = min(lo, s.Lo), max(hi, s.Hi)
	}
	return lo, hi
}

// ValuesBlock returns the scale as the `values:` mapping of a construct,
// one answer per line in scale order, indented by indent.
func (s *AnswerScale) ValuesBlock(indent string) string {
	var b strings.Builder
	for i, a := range s.Answers {
		fmt.Fprintf(&b, "%s%s: %s\n", indent, yamlString(a), fmtNum(s.Values[i]))
	}
	return b.String()
}

// RecognizeScale returns the answer scale that the distinct answers of a
// column (or of several columns sharing one) follow, or nil when they do
// not all belong to one known scale. Numbers and empty answers are not
// expected here; non-substantive answers are set aside.
func RecognizeScale(answers []string) *AnswerScale {
	var subst, nonSubst []string
	for _, a := range answers {
		if strings.TrimSpace(a) == "" {
			continue
		}
		if isNonSubstantive(a) {
			nonSubst = append(nonSubst, a)
			continue
		}
		subst = append(subst, a)
	}
	if len(subst) < 2 {
		return nil
	}
	for _, try := range []func([]string) *AnswerScale{binaryScale, numberedScale, frequencyScale, intensityScale} {
		if s := try(subst); s != nil {
			s.NonSubstantive = nonSubst
			return s
		}
	}
	return nil
}

// answerWords lower-cases an answer and splits it into words, with
// apostrophes dropped ("don't" -> "dont").
func answerWords(a string) []string {
	a = strings.ToLower(a)
	a = strings.NewReplacer("’", "", "'", "", "ß", "ss").Replace(a)
	return strings.FieldsFunc(a, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

func normAnswer(a string) string { return strings.Join(answerWords(a), " ") }

var nonSubstantive = map[string]bool{
	"dont know": true, "do not know": true, "not sure": true, "unsure": true, "no opinion": true,
	"prefer not to say": true, "prefer not to answer": true, "refused": true, "not applicable": true,
	"n a": true, "na": true, "dk": true, "cant say": true, "cannot say": true, "dont know not sure": true,
	"weiss nicht": true, "weiss ich nicht": true, "keine angabe": true, "kann ich nicht sagen": true,
	"mochte ich nicht sagen": true, "möchte ich nicht sagen": true, "keine meinung": true,
	"weet ik niet": true, "weet niet": true, "geen mening": true, "zeg ik liever niet": true,
	"wil ik niet zeggen": true, "niet van toepassing": true, "nicht zutreffend": true,
}

func isNonSubstantive(a string) bool { return nonSubstantive[normAnswer(a)] }

// binaryScale: TRUE/FALSE, yes/no, selected/not selected (and their
// German and Dutch words).
func binaryScale(answers []string) *AnswerScale {
	if len(answers) != 2 {
		return nil
	}
	families := []struct {
		family   string
		pos, neg []string
	}{
		{"true/false", []string{"true", "wahr", "waar"}, []string{"false", "falsch", "onwaar"}},
		{"yes/no", []string{"yes", "ja", "y"}, []string{"no", "nein", "nee", "n"}},
		{"selected", []string{"selected", "checked", "ausgewahlt", "ausgewählt", "markiert", "geselecteerd", "aangevinkt"},
			[]string{"not selected", "unchecked", "not checked", "nicht ausgewahlt", "nicht ausgewählt", "nicht markiert", "niet geselecteerd", "niet aangevinkt"}},
	}
	a, b := normAnswer(answers[0]), normAnswer(answers[1])
	for _, f := range families {
		switch {
		case slices.Contains(f.neg, a) && slices.Contains(f.pos, b):
			return &AnswerScale{Family: f.family, Answers: []string{answers[0], answers[1]}, Values: []float64{0, 1}}
		case slices.Contains(f.pos, a) && slices.Contains(f.neg, b):
			return &AnswerScale{Family: f.family, Answers: []string{answers[1], answers[0]}, Values: []float64{0, 1}}
		}
	}
	return nil
}

// numberedScale: answers that start with a number, some with a label
// ("1 (left-wing)", "4", "7 (right-wing)", "10 - Extremely likely").
func numberedScale(answers []string) *AnswerScale {
	type nv struct {
		a string
		v float64
	}
	var out []nv
	labelled := false
	for _, a := range answers {
		t := strings.TrimSpace(a)
		end := 0
		for end < len(t) && (t[end] >= '0' && t[end] <= '9' || (end == 0 && t[end] == '-')) {
			end++
		}
		if end == 0 || (end == 1 && t[0] == '-') {
			return nil
		}
		v, err := strconv.Atoi(t[:end])
		if err != nil {
			return nil
		}
		rest := strings.TrimSpace(t[end:])
		if rest != "" && !strings.ContainsFunc(rest, unicode.IsLetter) {
			return nil // a date, a range: not a label
		}
		if rest != "" {
			// A label must be set off: "1 (left)", "10 - very", "0 = never".
			if r := rest[0]; r != '(' && r != '-' && r != '=' && r != ':' && !strings.HasPrefix(rest, "–") && t[end] != ' ' {
				return nil
			}
			labelled = true
		}
		out = append(out, nv{a, float64(v)})
	}
	if !labelled {
		return nil
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].v < out[j].v })
	s := &AnswerScale{Family: "numbered"}
	for i, x := range out {
		if i > 0 && x.v == out[i-1].v {
			return nil
		}
		s.Answers = append(s.Answers, x.a)
		s.Values = append(s.Values, x.v)
	}
	return s
}

// frequencyRank orders frequency words (English, German, Dutch).
var frequencyRank = map[string]int{
	"never": 1, "nie": 1, "niemals": 1, "nooit": 1,
	"almost never": 2, "hardly ever": 2, "rarely": 2, "seldom": 2, "selten": 2, "fast nie": 2, "kaum": 2, "zelden": 2, "bijna nooit": 2,
	"sometimes": 3, "occasionally": 3, "manchmal": 3, "gelegentlich": 3, "ab und zu": 3, "soms": 3, "af en toe": 3,
	"often": 4, "frequently": 4, "oft": 4, "haufig": 4, "häufig": 4, "vaak": 4, "dikwijls": 4, "regelmatig": 4,
	"very often": 5, "usually": 5, "almost always": 5, "most of the time": 5, "sehr oft": 5, "meistens": 5, "fast immer": 5, "heel vaak": 5, "meestal": 5, "bijna altijd": 5,
	"always": 6, "immer": 6, "altijd": 6,
}

func frequencyScale(answers []string) *AnswerScale {
	type rv struct {
		a string
		r int
	}
	var out []rv
	for _, a := range answers {
		r, ok := frequencyRank[normAnswer(a)]
		if !ok {
			return nil
		}
		out = append(out, rv{a, r})
	}
	return rankedScale("frequency", out, func(x rv) (string, float64) { return x.a, float64(x.r) })
}

// rankedScale sorts answers by rank and numbers them 1..k; ties make it
// no scale.
func rankedScale[T any](family string, xs []T, f func(T) (string, float64)) *AnswerScale {
	sort.SliceStable(xs, func(i, j int) bool {
		_, a := f(xs[i])
		_, b := f(xs[j])
		return a < b
	})
	s := &AnswerScale{Family: family}
	prev := 0.0
	for i, x := range xs {
		a, r := f(x)
		if i > 0 && r == prev {
			return nil
		}
		prev = r
		s.Answers = append(s.Answers, a)
		s.Values = append(s.Values, float64(i+1))
	}
	return s
}

// intensityFamilies: each family's positive and negative word forms
// (matched as word prefixes) in English, German and Dutch.
var intensityFamilies = []struct {
	family   string
	pos, neg []string
}{
	{"agreement", []string{"agree", "zustimm", "stimme", "trifft", "eens", "einverstanden"}, []string{"disagree", "oneens", "ablehn", "lehne"}},
	{"concern", []string{"concern", "worried", "besorgt", "beunruhigt", "bezorgd", "ongerust"}, []string{"unconcern", "unbesorgt"}},
	{"comfort", []string{"comfortable", "wohl", "angenehm", "comfortabel", "prettig"}, []string{"uncomfortable", "unwohl", "unangenehm", "oncomfortabel", "onprettig"}},
	{"acceptability", []string{"acceptable", "akzeptabel", "annehmbar", "acceptabel", "aanvaardbaar"}, []string{"unacceptable", "inakzeptabel", "unannehmbar", "onacceptabel", "onaanvaardbaar"}},
	{"likelihood", []string{"likely", "wahrscheinlich", "waarschijnlijk"}, []string{"unlikely", "unwahrscheinlich", "onwaarschijnlijk"}},
	{"trust", []string{"trust", "vertrau", "vertrouw"}, []string{"distrust", "mistrust", "misstrau", "wantrouw"}},
	{"importance", []string{"important", "wichtig", "belangrijk"}, []string{"unimportant", "unwichtig", "onbelangrijk"}},
	{"satisfaction", []string{"satisfied", "zufrieden", "tevreden"}, []string{"dissatisfied", "unsatisfied", "unzufrieden", "ontevreden"}},
	{"familiarity", []string{"familiar", "vertraut", "bekend"}, []string{"unfamiliar", "unvertraut", "onbekend"}},
}

var (
	negWords    = map[string]bool{"not": true, "dont": true, "nicht": true, "niet": true, "kein": true, "keine": true, "geen": true, "never": true, "no": true}
	strongWords = map[string]float64{
		"very": 3, "strongly": 3, "highly": 3, "lot": 3, "sehr": 3, "stark": 3, "zeer": 3, "heel": 3, "erg": 3, "voll": 4, "ganz": 4,
		"extremely": 4, "completely": 4, "totally": 4, "absolutely": 4, "fully": 4, "entirely": 4, "völlig": 4, "vollig": 4, "vollkommen": 4,
		"absolut": 4, "äusserst": 4, "ausserst": 4, "helemaal": 4, "volledig": 4, "totaal": 4, "compleet": 4,
	}
	// weakWords soften an answer: "a little" (0.5) below "somewhat" (1).
	weakWords = map[string]float64{
		"somewhat": 1, "fairly": 1, "rather": 1, "moderately": 1, "partly": 1, "mostly": 1.5, "quite": 1.5, "some": 1,
		"slightly": 0.5, "little": 0.5, "mildly": 0.5, "bit": 0.5,
		"eher": 1, "etwas": 0.5, "ziemlich": 1.5, "einigermassen": 1, "teilweise": 1, "weitgehend": 1.5, "bisschen": 0.5, "wenig": 0.5,
		"eerder": 1, "enigszins": 1, "beetje": 0.5, "redelijk": 1, "tamelijk": 1, "vrij": 1.5, "deels": 1, "grotendeels": 1.5,
	}
	neutralWords = map[string]bool{"neither": true, "neutral": true, "undecided": true, "weder": true, "teils": true, "unentschieden": true, "neutraal": true, "noch": true}
)

// intensityScore scores one answer of an intensity scale: the family its
// words belong to and a position from −4 (not at all) to +4 (completely),
// 0 for a neutral middle.
func intensityScore(a string) (family string, score float64, ok bool) {
	words := answerWords(a)
	if len(words) == 0 {
		return "", 0, false
	}
	var pos, neg bool
	for _, w := range words {
		for _, f := range intensityFamilies {
			matched := ""
			for _, n := range f.neg {
				if strings.HasPrefix(w, n) {
					matched = "neg"
				}
			}
			if matched == "" {
				for _, p := range f.pos {
					if strings.HasPrefix(w, p) {
						matched = "pos"
					}
				}
			}
			if matched == "" {
				continue
			}
			if family != "" && family != f.family {
				return "", 0, false
			}
			family = f.family
			if matched == "neg" {
				neg = true
			} else {
				pos = true
			}
		}
	}
	neutral := false
	for _, w := range words {
		neutral = neutral || neutralWords[w]
	}
	if neutral || (pos && neg) {
		// "Neither agree nor disagree", "Weder noch", "Niet eens, niet oneens".
		return family, 0, true
	}
	if family == "" {
		return "", 0, false
	}
	negated := false
	magnitude := 2.0
	softened := false // "not very", "not too": a mild negative
	for i, w := range words {
		if negWords[w] {
			negated = true
		}
		if x, ok := strongWords[w]; ok {
			if i > 0 && negWords[words[i-1]] && (w == "very" || w == "sehr" || w == "zeer" || w == "erg" || w == "heel") {
				softened = true
			}
			magnitude = max(magnitude, x)
		}
		if w == "too" || w == "particularly" || w == "so" || w == "much" {
			if i > 0 && negWords[words[i-1]] {
				softened = true // "not too", "not much"
			}
			continue
		}
		if x, ok := weakWords[w]; ok {
			magnitude = x
		}
		if (w == "all" && i > 0 && words[i-1] == "at") || w == "uberhaupt" || w == "überhaupt" || w == "gar" {
			magnitude = 4
		}
	}
	if softened {
		magnitude = 1
	}
	polarity := 1.0
	if negated != neg {
		polarity = -1
	}
	return family, polarity * magnitude, true
}

func intensityScale(answers []string) *AnswerScale {
	type sv struct {
		a string
		s float64
	}
	family := ""
	var out []sv
	for _, a := range answers {
		f, s, ok := intensityScore(a)
		if !ok {
			return nil
		}
		if f != "" {
			if family != "" && f != family {
				return nil
			}
			family = f
		}
		out = append(out, sv{a, s})
	}
	if family == "" {
		return nil
	}
	return rankedScale(family, out, func(x sv) (string, float64) { return x.a, x.s })
}

// ordinalLevelRank orders the levels of a categorical segment that name
// ranks (education: no < low < medium < high), or nil when they do not.
func ordinalLevelRank(levels []string) []string {
	rank := map[string]int{
		"none": 0, "no": 0, "keine": 0, "geen": 0,
		"very low": 1, "lowest": 1,
		"low": 2, "lower": 2, "niedrig": 2, "laag": 2, "primary": 2,
		"lower middle": 3, "secondary": 4, "medium": 4, "middle": 4, "mid": 4, "intermediate": 4, "mittel": 4, "midden": 4, "gemiddeld": 4,
		"upper middle": 5, "tertiary": 6,
		"high": 6, "higher": 6, "hoch": 6, "hoog": 6,
		"very high": 7, "highest": 7,
	}
	type lr struct {
		l string
		r int
	}
	var out []lr
	seen := map[int]bool{}
	for _, l := range levels {
		r, ok := rank[normAnswer(l)]
		if !ok || seen[r] {
			return nil
		}
		seen[r] = true
		out = append(out, lr{l, r})
	}
	if len(out) < 2 {
		return nil
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].r < out[j].r })
	res := make([]string, len(out))
	for i, x := range out {
		res[i] = x.l
	}
	return res
}
