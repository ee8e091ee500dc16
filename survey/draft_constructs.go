package survey

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// identifierColumn says why a column looks like it holds direct
// identifiers (e-mail addresses, phone numbers, names, free text, IP
// addresses, coordinates), or "". A draft leaves such columns out.
//
// It is the one place init decides this: the values as the PII scanner
// judges them (see PIIScanner), then, for columns the scanner cannot judge
// (coordinates, empty contact fields), the header's words, unless the
// answers follow a known scale ("Content of your emails" is a question,
// not an address).
func identifierColumn(c *DraftColumn) string {
	s := c.stats
	if p := s.pii; p != nil {
		return fmt.Sprintf("%d of %d values look like %s", p.Count, p.Values, p.Kind)
	}
	if !s.overflow && RecognizeScale(s.order) != nil {
		return ""
	}
	if s.nums > 0 && s.whole && s.hi-s.lo <= 10 {
		return "" // ratings ("comfortable with using my phone number?"), not numbers to dial
	}
	text := strings.ToLower(c.Text)
	for _, phrase := range []string{"first name", "last name", "full name", "given name", "surname", "e-mail address", "email address", "phone number", "telephone", "ip address", "home address", "postal address", "street address"} {
		if strings.Contains(text, phrase) {
			return fmt.Sprintf("the question asks for a %s", phrase)
		}
	}
	for _, w := range nameWords(strings.Join(c.Raw, " ") + " " + c.Name) {
		switch w {
		case "email", "recipientemail", "phone", "telephone", "telefon", "telefoon", "mobile",
			"firstname", "lastname", "surname", "fullname", "recipientfirstname", "recipientlastname", "vorname", "nachname", "achternaam", "voornaam",
			"ipaddress", "latitude", "longitude", "locationlatitude", "locationlongitude", "street", "strasse", "straat", "address", "adresse", "adres":
			return fmt.Sprintf("the header names %s", strings.ReplaceAll(w, "recipient", "a recipient's "))
		}
	}
	return ""
}

// themeWords are the words (lower-case substrings) of question texts and
// names that suggest a construct the analyses know.
var themeWords = map[string][]string{
	"concern":    {"concern", "worr", "besorg", "sorge", "bezorgd", "zorgen"},
	"protection": {"protect", "schütz", "schutz", "bescherm", "adblock", "ad block", "vpn", "incognito", "privacy tool", "privacy_tool", "privacy setting", "tracking", "opt out", "opt-out", "decline"},
	"sharing":    {"share", "sharing", "teilen", "weitergeben", "delen", "disclose", "preisgeben", "willing to provide"},
	"trust":      {"trust", "vertrau", "vertrouw"},
	"comfort":    {"comfortable", "wohl", "comfortabel", "acceptable", "akzeptabel", "acceptabel", "aanvaardbaar"},
	"westin":     {"lost all control", "control over how personal information", "handle the personal information", "existing laws", "kontrolle über", "gesetze"},
}

// mentions reports whether the column's question mentions a theme: its
// question text and key, without a multi-choice option's own words (an
// option "friends you share with" is not a question about sharing).
func (c *DraftColumn) mentions(theme string) bool {
	text := c.Text + " " + strings.ReplaceAll(c.stem, "_", " ")
	if c.option == "" {
		text += " " + strings.Join(c.Raw, " ") + " " + strings.ReplaceAll(c.Name, "_", " ")
	}
	text = strings.ToLower(text)
	for _, w := range themeWords[theme] {
		if strings.Contains(text, w) {
			return true
		}
	}
	return false
}

// noneOption reports a multi-choice option meaning "none of these".
func noneOption(c *DraftColumn) bool {
	t := strings.ToLower(strings.Join(c.Raw, " ") + " " + c.Name + " " + c.option)
	if slices.Contains(nameWords(c.option+" "+c.Name), "none") {
		return true
	}
	for _, w := range []string{"none of the above", "none_of_the_above", "none of these", "keine der", "keines der", "keine davon", "geen van", "nothing", "nichts davon"} {
		if strings.Contains(t, w) {
			return true
		}
	}
	return false
}

// smallNumeric reports whether a numeric column looks like a rating
// (whole numbers in a short range) that a construct could score.
func (c *DraftColumn) smallNumeric() bool {
	s := c.stats
	return c.Role == "numeric" && s.whole && s.hi-s.lo >= 1 && s.hi-s.lo <= 10 && len(s.order) >= 2
}

// binaryItem reports a 0/1 item: a yes/no-like scale or numbers 0 and 1.
func (c *DraftColumn) binaryItem() bool {
	if c.Scale != nil {
		return c.Scale.Binary()
	}
	return c.smallNumeric() && c.stats.lo == 0 && c.stats.hi == 1
}

func (c *DraftColumn) ordinal() bool {
	return (c.Scale != nil && !c.Scale.Binary() && c.Scale.Family != "numbered") || (c.smallNumeric() && !c.binaryItem())
}

func (c *DraftColumn) candidate() bool {
	return !c.used && (c.Role == "item" || c.smallNumeric())
}

func sameScale(a, b *DraftColumn) bool {
	if a.Scale == nil || b.Scale == nil {
		return a.Scale == nil && b.Scale == nil
	}
	return a.Scale.Family == b.Scale.Family && slices.Equal(a.Scale.Answers, b.Scale.Answers)
}

// proposeConstructs proposes the constructs the analyses know (concern,
// protection, trust, comfort, sharing, westin, in that order of claim on
// the items), then lists the other answer scales as commented-out
// constructs ready to use.
func (d *Draft) proposeConstructs() {
	d.proposeOrdinal("concern", func(c *DraftColumn) (bool, bool) {
		if c.Scale != nil && c.Scale.Family == "concern" {
			return true, true
		}
		if c.ordinal() && c.mentions("concern") {
			return true, c.Scale != nil && c.Scale.Family == "agreement"
		}
		return false, false
	}, "answers on a concern scale, or a question about concern")
	d.proposeProtection()
	d.proposeOrdinal("trust", func(c *DraftColumn) (bool, bool) {
		if c.Scale != nil && c.Scale.Family == "trust" {
			return true, true
		}
		if c.ordinal() && c.mentions("trust") {
			return true, c.Scale != nil && c.Scale.Family == "agreement"
		}
		return false, false
	}, "answers on a trust scale, or a question about trust")
	d.proposeOrdinal("comfort", func(c *DraftColumn) (bool, bool) {
		if c.Scale != nil && (c.Scale.Family == "comfort" || c.Scale.Family == "acceptability") {
			return true, true
		}
		if c.ordinal() && c.mentions("comfort") {
			return true, false
		}
		return false, false
	}, "answers on a comfort or acceptability scale: how comfortable respondents are with their data being used")
	d.proposeSharing()
	d.proposeOrdinal("westin", func(c *DraftColumn) (bool, bool) {
		return c.ordinal() && c.mentions("westin"), false
	}, "statements of Westin's privacy index (control over personal information, how businesses handle it, laws); Westin's coding needs 1 = strongly agree, so check the order")
	d.proposeRest()
}

// proposeOrdinal proposes a construct from the candidate items match
// accepts (sure says whether the match alone is convincing), those
// sharing the first item's scale.
func (d *Draft) proposeOrdinal(name string, match func(*DraftColumn) (ok, sure bool), why string) {
	var items []*DraftColumn
	sure := false
	for _, c := range d.Columns {
		if !c.candidate() {
			continue
		}
		ok, s := match(c)
		if !ok || (len(items) > 0 && !sameScale(items[0], c)) {
			continue
		}
		items = append(items, c)
		sure = sure || s
	}
	if len(items) == 0 {
		return
	}
	if bs := batteries(items); len(bs) > 1 {
		// Several questions on one scale: the one that best fits the
		// theme; the others stay for proposeRest.
		best, bestN := bs[0], -1
		for _, b := range bs {
			n := 0
			for _, c := range b {
				if c.mentionsAny(themeFocus[name]) {
					n++
				}
			}
			if n > bestN {
				best, bestN = b, n
			}
		}
		why += fmt.Sprintf("; the %d items of one question (%d other questions use the same answers: see below)", len(best), len(bs)-1)
		items = best
	}
	d.addOrdinal(name, items, sure, why)
}

// themeFocus are words that single out, among several questions on one
// scale, the one a construct is about.
var themeFocus = map[string][]string{
	"comfort": {"personalis", "personaliz", "customis", "customiz", "recommend", "tailor", "offers"},
	"concern": {"privacy", "personal data", "personal information"},
	"trust":   {"personal data", "personal information", "companies"},
}

func (c *DraftColumn) mentionsAny(words []string) bool {
	t := strings.ToLower(c.Text + " " + strings.Join(c.Raw, " ") + " " + c.Name)
	for _, w := range words {
		if strings.Contains(t, w) {
			return true
		}
	}
	return false
}

// batteries splits items that share an answer scale into the questions
// (batteries) they belong to: by the question of multi-choice or
// "Question - option" items, else by the shape of their texts (a leading
// "…" continuing a shared stem, a closing "?"), which changes where one
// battery of a questionnaire ends and the next begins.
func batteries(items []*DraftColumn) [][]*DraftColumn {
	var out [][]*DraftColumn
	var last string
	for i, c := range items {
		key := batteryKey(c)
		if i == 0 || key != last {
			out = append(out, nil)
		}
		last = key
		out[len(out)-1] = append(out[len(out)-1], c)
	}
	return out
}

func batteryKey(c *DraftColumn) string {
	if c.option != "" {
		return "q:" + c.stem
	}
	t := strings.TrimSpace(c.Text)
	if t == "" {
		return ""
	}
	lead := strings.HasPrefix(t, "…") || strings.HasPrefix(t, "...")
	return fmt.Sprintf("shape:%v:%v", lead, strings.HasSuffix(t, "?"))
}

func (d *Draft) addOrdinal(name string, items []*DraftColumn, sure bool, why string) {
	dc := &DraftConstruct{Name: name, Scale: items[0].Scale, Sure: sure}
	for _, c := range items {
		c.used = true
		dc.Items = append(dc.Items, c.Name)
	}
	if dc.Scale != nil {
		dc.Lo, dc.Hi = dc.Scale.Range()
	} else {
		dc.Lo, dc.Hi = math.Inf(1), math.Inf(-1)
		for _, c := range items {
			dc.Lo, dc.Hi = min(dc.Lo, c.stats.lo), max(dc.Hi, c.stats.hi)
		}
	}
	k := dc.Hi - dc.Lo + 1
	// A file may code its scale from the positive answer down (SPSS: 1 =
	// "Strongly agree"): the flag must then take the lowest codes, or it
	// would count the disagreeing as agreeing.
	down := dc.Scale != nil && len(dc.Scale.Values) > 1 && dc.Scale.Values[0] > dc.Scale.Values[len(dc.Scale.Values)-1]
	switch {
	case len(items) == 1 && k >= 4 && down:
		dc.Flag = "<= " + fmtNum(dc.Lo+1)
		dc.Why = why + "; flag: the top two answers (top-2 box), coded lowest in this file"
	case len(items) == 1 && k >= 4:
		dc.Flag = ">= " + fmtNum(dc.Hi-1)
		dc.Why = why + "; flag: the top two answers (top-2 box)"
	case down:
		dc.Score = "mean"
		dc.Flag = "< " + fmtNum((dc.Lo+dc.Hi)/2)
		dc.Why = why + fmt.Sprintf("; score: the mean of %d items, flag: on the scale's positive side of its midpoint (coded lowest in this file)", len(items))
	default:
		dc.Score = "mean"
		dc.Flag = "> " + fmtNum((dc.Lo+dc.Hi)/2)
		dc.Why = why + fmt.Sprintf("; score: the mean of %d items, flag: above the scale's midpoint", len(items))
	}
	if len(items) > 12 {
		dc.Why += "; so many items may be several questions: keep those that belong together"
	}
	if sc := dc.Scale; sc != nil {
		top, v := sc.Answers[len(sc.Answers)-1], sc.Values[len(sc.Values)-1]
		if sc.Labels != nil {
			top = sc.Labels[len(sc.Labels)-1]
		}
		dc.Why += fmt.Sprintf(" (%s = %s)", yamlString(top), fmtNum(v))
	}
	d.Constructs = append(d.Constructs, dc)
}

// proposeProtection: yes/no items about protecting data (privacy tools,
// ad blockers, settings), with the other options of their multi-choice
// question except "none of the above".
func (d *Draft) proposeProtection() {
	stems := map[string]bool{}
	for _, c := range d.Columns {
		if c.candidate() && c.binaryItem() && c.mentions("protection") && !noneOption(c) {
			stems[c.stem] = true
		}
	}
	var items []*DraftColumn
	for _, c := range d.Columns {
		if c.candidate() && c.binaryItem() && stems[c.stem] && !noneOption(c) {
			items = append(items, c)
		}
	}
	why := "yes/no answers to a question about protecting one's data (privacy tools, blockers, settings); score: how many they use, flag: at least one"
	sure := true
	if len(items) == 0 {
		// No question about protecting: options that name a tool.
		for _, c := range d.Columns {
			if c.candidate() && c.binaryItem() && c.option != "" && optionMentions(c, "protection") {
				items = append(items, c)
			}
		}
		why = "yes/no options naming privacy tools (blockers, VPN, incognito mode, settings); score: how many they use, flag: at least one"
		sure = false
	}
	if len(items) == 0 {
		return
	}
	d.addCount("protection", items, sure, why)
}

func optionMentions(c *DraftColumn, theme string) bool {
	t := strings.ToLower(c.option)
	for _, w := range themeWords[theme] {
		if strings.Contains(t, w) {
			return true
		}
	}
	return false
}

// proposeSharing: yes/no or likelihood items about sharing data. A
// question that mentions sharing on another scale is left commented out.
func (d *Draft) proposeSharing() {
	var items []*DraftColumn
	for _, c := range d.Columns {
		if c.candidate() && c.binaryItem() && c.mentions("sharing") && !noneOption(c) {
			items = append(items, c)
		}
	}
	if len(items) > 0 {
		d.addCount("sharing", items, true, "yes/no answers to questions about sharing data; score: how many, flag: at least one")
		return
	}
	d.proposeOrdinal("sharing", func(c *DraftColumn) (bool, bool) {
		// Willingness to share ("how likely would you share …"); a
		// question about shared content on another scale is not.
		if !c.ordinal() || !c.mentions("sharing") || c.Scale == nil || (c.Scale.Family != "likelihood" && c.Scale.Family != "agreement") {
			return false, false
		}
		return true, c.Scale.Family == "likelihood"
	}, "a question about sharing data; check that a high answer means sharing")
}

func (d *Draft) addCount(name string, items []*DraftColumn, sure bool, why string) {
	dc := &DraftConstruct{Name: name, Score: "count", Flag: ">= 1", Why: why, Sure: sure, Lo: 0, Hi: 1}
	// One values block for every item: the union of their yes/no words.
	for _, c := range items {
		c.used = true
		dc.Items = append(dc.Items, c.Name)
		if c.Scale == nil {
			continue
		}
		if dc.Scale == nil {
			dc.Scale = &AnswerScale{Family: c.Scale.Family}
		}
		for i, a := range c.Scale.Answers {
			if !slices.Contains(dc.Scale.Answers, a) {
				dc.Scale.Answers = append(dc.Scale.Answers, a)
				dc.Scale.Values = append(dc.Scale.Values, c.Scale.Values[i])
			}
		}
	}
	d.Constructs = append(d.Constructs, dc)
}

// proposeRest lists the other items, grouped by question (multi-choice
// options) or answer scale, as commented-out constructs.
func (d *Draft) proposeRest() {
	type group struct {
		key, prefix string
		items       []*DraftColumn
	}
	// Name prefixes several candidates share ("sh" of sh_location,
	// sh_cookies; "pc" of pc1, pc2) stand for the question when the
	// export names none.
	prefixes := map[string]int{}
	for _, c := range d.Columns {
		if c.candidate() && c.Text == "" {
			prefixes[namePrefix(c.Name)]++
		}
	}
	var groups []*group
	byKey := map[string]*group{}
	for _, c := range d.Columns {
		if !c.candidate() {
			continue
		}
		p := namePrefix(c.Name)
		if prefixes[p] < 2 || c.Text != "" {
			p = "" // the question text, not the name, says which go together
		}
		var key string
		switch {
		case c.Scale == nil:
			if p == "" {
				continue // a lone number is no scale to propose
			}
			key = "num|" + p
		case c.Scale.Binary():
			stem := c.stem
			if c.option == "" && p != "" {
				stem = p
			}
			key = "stem|" + stem + "|" + c.Scale.Family + "|" + strings.Join(c.Scale.Answers, "|")
		default:
			key = p + "|" + c.Scale.Family + "|" + strings.Join(c.Scale.Answers, "|")
		}
		g := byKey[key]
		if g == nil {
			g = &group{key: key, prefix: p}
			byKey[key] = g
			groups = append(groups, g)
		}
		g.items = append(g.items, c)
	}
	taken := map[string]bool{}
	for _, dc := range d.Constructs {
		taken[dc.Name] = true
	}
	var split []*group
	for _, g := range groups {
		for _, b := range batteries(g.items) {
			split = append(split, &group{key: g.key, prefix: g.prefix, items: b})
		}
	}
	groups = split
	for _, g := range groups {
		first := g.items[0]
		var name string
		switch {
		case first.option != "":
			name = slug(strings.ReplaceAll(first.stem, ".", " "), 40)
			if segs := keySegments(first.stem); len(segs) > 1 {
				name = slug(segs[len(segs)-1], 40)
			}
		case g.prefix != "":
			name = g.prefix + "_items"
		case len(g.items) == 1:
			name = first.Name
		case first.Scale != nil:
			name = strings.ReplaceAll(first.Scale.Family, "/", "_") + "_items"
		}
		if name == "" {
			name = first.Name
		}
		base := name
		for k := 2; taken[name]; k++ {
			name = fmt.Sprintf("%s_%d", base, k)
		}
		taken[name] = true
		if first.binaryItem() {
			var items []*DraftColumn
			for _, c := range g.items {
				if !noneOption(c) {
					items = append(items, c)
				}
			}
			if len(items) == 0 {
				continue // "none of the above" alone
			}
			what := "yes/no"
			if first.Scale != nil {
				what = first.Scale.Family
			}
			d.addCount(name, items, false, fmt.Sprintf("%d %s items of one question; score: how many, flag: at least one", len(items), what))
			continue
		}
		why := fmt.Sprintf("%d items answered with numbers %s–%s", len(g.items), fmtNum(first.stats.lo), fmtNum(first.stats.hi))
		if first.Scale != nil {
			why = scaleWhy(first.Scale)
		}
		d.addOrdinal(name, g.items, false, why)
	}
}

// namePrefix is a name without its trailing number or its first word's
// suffix: "pc" of pc1, "sh" of sh_location, "q5" of q5_2.
func namePrefix(name string) string {
	if i := strings.IndexByte(name, '_'); i > 0 {
		return name[:i]
	}
	return strings.TrimRight(name, "0123456789")
}
