package survey

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// DefaultDraftRows is how many rows of each file DraftCodebook reads when
// DraftOptions.MaxRows is 0: enough to see every answer of a survey.
const DefaultDraftRows = 200_000

// DraftOptions adjusts DraftCodebook.
type DraftOptions struct {
	// MaxRows caps the rows read from each file; 0 means DefaultDraftRows.
	MaxRows int
	// Commands are the command lines the draft's header suggests running
	// next (for example the validate and report calls with the files);
	// nil leaves them out.
	Commands []string
}

// Draft is a codebook drafted from data files: what DraftCodebook found,
// ready to be written as commented YAML (WriteYAML).
type Draft struct {
	Files   []DraftFile
	Columns []*DraftColumn // in the first file's order, then columns of later files only
	// Missing are the answers read as missing in every column.
	Missing []string
	Design  DesignDef
	Region  string
	// Segments are the segment columns; Bands the lower bounds of numeric
	// segments' bands; Levels the observed levels of the region and
	// categorical segments, ordered where they name ranks.
	Segments   []string
	Bands      map[string][]float64
	Levels     map[string][]string
	LevelNames map[string]map[string]string // level labels (DE: Germany)
	Constructs []*DraftConstruct
	commands   []string
	// noHeader lists the columns left out for having no header name.
	noHeader []string
}

// DraftFile is one file read for a draft.
type DraftFile struct {
	Name    string
	Rows    int  // rows read
	Partial bool // the file has more rows than were read
	Columns int
}

// DraftColumn is one logical column of a draft.
type DraftColumn struct {
	Name string
	// Raw is the column's header in each file ("" where a file lacks it).
	Raw []string
	// Text is the question text: the export's label row, SPSS variable
	// label, or the text a header carries after its key.
	Text string
	// Role is "id", "weight", "strata", "psu", "fpc", "region", "segment",
	// "item" (answers on a recognised scale), "numeric", "text", "empty"
	// or "pii" (left out of the codebook).
	Role string
	// Why says what the role was guessed from.
	Why string
	// Scale is the answer scale of an item, nil otherwise.
	Scale *AnswerScale

	stats *colStats // merged over the files
	// nonSubst are answers such as "Don't know" in a column of numbers,
	// which the draft reads as missing.
	nonSubst []string
	stem     string // the question a multi-choice option belongs to
	// option is the option's text when the key names one
	// ("Incognito mode in your browser"), else "".
	option string
	used   bool // an item of an active or proposed construct
}

// DraftConstruct is a proposed construct.
type DraftConstruct struct {
	Name   string
	Items  []string
	Scale  *AnswerScale // nil for numeric items
	Lo, Hi float64      // the scale of numeric items
	Score  string
	Flag   string
	// Why explains the proposal; Sure is false for a proposal written
	// commented out, for the user to check.
	Why  string
	Sure bool
}

// colStats summarises one column's cells.
type colStats struct {
	n, nums     int // non-missing cells, and how many are numbers
	sum, lo, hi float64
	whole       bool // every number is a whole number
	counts      map[string]int
	order       []string // distinct answers, first seen first
	overflow    bool     // more distinct answers than remembered
	unique      bool     // every answer distinct (tracked for id candidates)
	all         map[string]struct{}
	valueLabels []ValueLabel
	pii         *PIIColumn // the file's PII scanner's finding
	ambiguous   bool       // another column of the file has the same header
}

// maxDraftDistinct bounds the distinct answers remembered per column.
const maxDraftDistinct = 1000

// draftMissing are cell values read as missing while drafting (and listed
// under missing: when seen).
var draftMissing = map[string]bool{"NA": true, "N/A": true, "n/a": true, "#N/A": true, "NULL": true, "#NULL!": true, ".": true, "-99": false}

func newColStats(keepAll bool) *colStats {
	s := &colStats{counts: map[string]int{}, whole: true, lo: math.Inf(1), hi: math.Inf(-1), unique: keepAll}
	if keepAll {
		s.all = map[string]struct{}{}
	}
	return s
}

func (s *colStats) add(t string, dc bool) {
	s.n++
	if x, ok := parseDecimal(t, dc); ok {
		s.nums++
		s.sum += x
		s.lo, s.hi = min(s.lo, x), max(s.hi, x)
		s.whole = s.whole && x == math.Trunc(x)
	}
	if s.all != nil {
		if _, dup := s.all[t]; dup {
			s.unique = false
		} else {
			s.all[strings.Clone(t)] = struct{}{}
		}
	}
	if c, ok := s.counts[t]; ok {
		s.counts[t] = c + 1
		return
	}
	if len(s.order) >= maxDraftDistinct {
		s.overflow = true
		return
	}
	t = strings.Clone(t)
	s.counts[t] = 1
	s.order = append(s.order, t)
}

func (s *colStats) merge(o *colStats) {
	s.n += o.n
	s.nums += o.nums
	s.sum += o.sum
	s.lo, s.hi = min(s.lo, o.lo), max(s.hi, o.hi)
	s.whole = s.whole && o.whole
	s.overflow = s.overflow || o.overflow
	for _, a := range o.order {
		if _, ok := s.counts[a]; !ok {
			if len(s.order) >= maxDraftDistinct {
				s.overflow = true
				continue
			}
			s.order = append(s.order, a)
		}
		s.counts[a] += o.counts[a]
	}
	if s.all != nil && o.all != nil {
		s.unique = s.unique && o.unique
		for a := range o.all {
			if _, dup := s.all[a]; dup {
				s.unique = false
			}
			s.all[a] = struct{}{}
		}
	} else {
		s.unique = false
	}
	if s.valueLabels == nil {
		s.valueLabels = o.valueLabels
	}
	if s.pii == nil {
		s.pii = o.pii
	}
	s.ambiguous = s.ambiguous || o.ambiguous
}

func (s *colStats) numeric() bool { return s.n > 0 && s.nums == s.n }

// numbersAndNonSubstantive returns the non-substantive answers ("Don't
// know") of a column whose other answers are all numbers, and whether it
// is one.
func (s *colStats) numbersAndNonSubstantive() ([]string, bool) {
	if s.overflow || s.nums == 0 || s.numeric() {
		return nil, false
	}
	var ns []string
	for _, a := range s.order {
		if _, ok := parseDecimal(a, false); ok {
			continue
		}
		if !isNonSubstantive(a) {
			return nil, false
		}
		ns = append(ns, a)
	}
	return ns, true
}
func (s *colStats) mean() float64 { return s.sum / float64(s.nums) }

// fileCol is one column of one file.
type fileCol struct {
	header, key, text string
	stats             *colStats
}

// DraftCodebook reads the tables (up to opts.MaxRows rows each) and
// drafts a codebook for them: every column under columns: with its
// question text, files whose headers differ aligned into one logical
// name, design columns, region and segments guessed by name and content,
// answer scales turned into values: blocks, constructs proposed for the
// themes the analyses know, and columns that look like direct
// identifiers left out. It does not close the tables.
func DraftCodebook(ctx context.Context, tables []TableReader, opts DraftOptions) (*Draft, error) {
	if len(tables) == 0 {
		return nil, errors.New("draft: no data files")
	}
	maxRows := opts.MaxRows
	if maxRows <= 0 {
		maxRows = DefaultDraftRows
	}
	d := &Draft{Bands: map[string][]float64{}, Levels: map[string][]string{}, LevelNames: map[string]map[string]string{}, commands: opts.Commands}
	seenMissing := map[string]bool{}
	var files [][]*fileCol
	for _, t := range tables {
		cols, f, err := scanTable(ctx, t, maxRows, seenMissing)
		if err != nil {
			return nil, err
		}
		if f.Rows == 0 {
			// A header alone is a template or the wrong export.
			return nil, fmt.Errorf("draft: %s: no data rows: the file has a header but no respondents", t.Name())
		}
		files = append(files, cols)
		d.Files = append(d.Files, f)
	}
	for m, ok := range seenMissing {
		if ok {
			d.Missing = append(d.Missing, m)
		}
	}
	sort.Strings(d.Missing)
	d.align(files)
	d.nameColumns()
	d.guessRoles()
	d.proposeConstructs()
	for _, c := range d.Columns {
		for _, a := range c.scaleNonSubstantive() {
			if !slices.Contains(d.Missing, a) {
				d.Missing = append(d.Missing, a)
			}
		}
	}
	return d, nil
}

func (c *DraftColumn) scaleNonSubstantive() []string {
	if c.Scale == nil || !c.used {
		return nil
	}
	return c.Scale.NonSubstantive
}

// idHint reports whether a header looks like a respondent id's, whose
// values are then all remembered to test that they are distinct.
func idHint(key string) bool {
	for _, w := range nameWords(key) {
		switch w {
		case "id", "uuid", "rid", "respid", "respondent", "responseid", "caseid", "case", "serial", "record", "lfdn", "respondentid", "guid":
			return true
		}
	}
	return false
}

func scanTable(ctx context.Context, t TableReader, maxRows int, seenMissing map[string]bool) ([]*fileCol, DraftFile, error) {
	header, labels := t.Header(), t.Labels()
	f := DraftFile{Name: t.Name(), Columns: len(header)}
	cols := make([]*fileCol, len(header))
	infos := ColumnInfos(t) // SPSS variable and value labels
	for i, h := range header {
		key, text := headerKey(h)
		if i < len(labels) && strings.TrimSpace(labels[i]) != "" && strings.TrimSpace(labels[i]) != strings.TrimSpace(h) {
			text = strings.TrimSpace(labels[i])
		}
		cols[i] = &fileCol{header: h, key: key, text: text, stats: newColStats(idHint(key))}
		if i < len(infos) {
			if l := strings.TrimSpace(infos[i].Label); l != "" && text == "" {
				cols[i].text = l
			}
			cols[i].stats.valueLabels = infos[i].ValueLabels
		}
	}
	pii := NewPIIScanner(t.Name(), header)
	folded := map[string]int{}
	for _, h := range header {
		folded[strings.ToLower(strings.TrimSpace(h))]++
	}
	for i, h := range header {
		cols[i].stats.ambiguous = folded[strings.ToLower(strings.TrimSpace(h))] > 1
	}
	dc := t.DecimalComma()
	for {
		if f.Rows&0xFFF == 0 {
			if err := ctx.Err(); err != nil {
				return nil, f, fmt.Errorf("draft: %w", err)
			}
		}
		rec, _, err := t.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, f, err
		}
		if f.Rows == maxRows {
			f.Partial = true
			break
		}
		f.Rows++
		pii.Add(rec)
		for i, c := range cols {
			if i >= len(rec) {
				break
			}
			v := strings.TrimSpace(rec[i])
			if v == "" {
				continue
			}
			if m, ok := draftMissing[v]; ok && m {
				seenMissing[v] = true
				continue
			}
			c.stats.add(v, dc)
		}
	}
	for _, p := range pii.Columns() {
		if p.Index < len(cols) {
			cols[p.Index].stats.pii = &p
		}
	}
	return cols, f, nil
}

// headerKey splits a header into its key and the question text it
// carries: "[question] [concern_privacy] How concerned …" is the key
// "question.concern_privacy" with that text; "[dem] age" is "dem.age";
// other headers are their own key.
func headerKey(h string) (key, text string) {
	h = strings.TrimSpace(h)
	var parts []string
	rest := h
	for strings.HasPrefix(rest, "[") {
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			break
		}
		parts = append(parts, strings.TrimSpace(rest[1:end]))
		rest = strings.TrimSpace(rest[end+1:])
	}
	if len(parts) == 0 {
		return h, ""
	}
	if len(parts) == 1 {
		// "[dem] age": the group and the name.
		if rest == "" || strings.ContainsAny(rest, " ?") {
			return parts[0], rest
		}
		return parts[0] + "." + rest, ""
	}
	return strings.Join(parts, "."), rest
}

// normKey folds a key for matching across files: case, quotes, spaces.
func normKey(k string) string {
	k = strings.NewReplacer("“", "\"", "”", "\"", "‘", "'", "’", "'", "_", "", "-", "", " ", "").Replace(strings.ToLower(k))
	return k
}

// keySegments splits a key at its dots, except dots inside brackets or
// followed by a space or another dot ("(e.g., Siri, ...)" is one
// segment).
func keySegments(k string) []string {
	var segs []string
	depth, start := 0, 0
	for i := 0; i < len(k); i++ {
		switch k[i] {
		case '(', '[':
			depth++
		case ')', ']':
			depth = max(0, depth-1)
		case '.':
			if depth == 0 && i > start && i+1 < len(k) && k[i+1] != ' ' && k[i+1] != '.' && k[i-1] != '.' {
				segs = append(segs, k[start:i])
				start = i + 1
			}
		}
	}
	return append(segs, k[start:])
}

// keyStem is the question a multi-choice option belongs to: the key
// without its last segment ("question.privacy_tools" of
// "question.privacy_tools.VPN"; "Q5" of "Q5_2"). A first segment that
// most columns share ("question.") is a group, not a question.
func keyStem(k string, group func(string) bool) string {
	segs := keySegments(k)
	switch {
	case len(segs) >= 3, len(segs) == 2 && !group(segs[0]):
		return strings.Join(segs[:len(segs)-1], ".")
	}
	if i := strings.LastIndexByte(k, '_'); i > 0 && i+1 < len(k) && strings.Trim(k[i+1:], "0123456789") == "" {
		return k[:i] // Q5_1, Q5_2
	}
	return k
}

// sameAnswers reports whether two columns have the same few distinct
// answers (the same question in two files, when they sit at the same
// place between matched columns).
func sameAnswers(a, b *colStats) bool {
	if a.overflow || b.overflow || len(a.order) == 0 || len(a.order) != len(b.order) || len(a.order) > 20 || a.numeric() != b.numeric() {
		return false
	}
	if a.numeric() {
		return true
	}
	for _, x := range a.order {
		if _, ok := b.counts[x]; !ok {
			return false
		}
	}
	return true
}

// similarity is the share of words two keys have in common (Jaccard).
func similarity(a, b string) float64 {
	wa, wb := map[string]bool{}, map[string]bool{}
	for _, w := range nameWords(a) {
		wa[w] = true
	}
	for _, w := range nameWords(b) {
		wb[w] = true
	}
	if len(wa) == 0 || len(wb) == 0 {
		return 0
	}
	common := 0
	for w := range wa {
		if wb[w] {
			common++
		}
	}
	return float64(common) / float64(len(wa)+len(wb)-common)
}

// nameWords splits a name into lower-case words.
func nameWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// align matches each later file's columns to the logical columns so far:
// equal keys (ignoring case, quotes and spaces) first, then columns at
// the same place between two matched ones whose keys share the question
// (exports of one questionnaire keep its order), then close keys. A
// column no file matches is a logical column of its own.
func (d *Draft) align(files [][]*fileCol) {
	nf := len(files)
	type logical struct {
		per []*fileCol
		rep *fileCol
	}
	var ls []*logical
	for fi, cols := range files {
		// match[j] is the logical column of column j, -1 while unknown,
		// -2 for a column without a header, which no codebook can name.
		match := make([]int, len(cols))
		for j, c := range cols {
			match[j] = -1
			if strings.TrimSpace(c.header) == "" {
				match[j] = -2
			}
		}
		taken := make([]bool, len(ls))
		byKey := map[string][]int{}
		for i, l := range ls {
			byKey[normKey(l.rep.key)] = append(byKey[normKey(l.rep.key)], i)
		}
		fileKeys := map[string]int{}
		for _, c := range cols {
			fileKeys[normKey(c.key)]++
		}
		for j, c := range cols {
			k := normKey(c.key)
			if cand := byKey[k]; match[j] == -1 && len(cand) == 1 && fileKeys[k] == 1 && !taken[cand[0]] {
				match[j], taken[cand[0]] = cand[0], true
			}
		}
		compatible := func(i, j int) bool {
			a, b := ls[i].rep, cols[j]
			none := func(string) bool { return false }
			return normKey(keyStem(a.key, none)) == normKey(keyStem(b.key, none)) || similarity(a.key, b.key) >= 0.5 ||
				sameAnswers(a.stats, b.stats)
		}
		for changed := true; changed; {
			changed = false
			for j := range cols {
				if match[j] != -1 {
					continue
				}
				for _, dir := range []int{-1, 1} {
					n := j + dir
					if n < 0 || n >= len(cols) || match[n] < 0 {
						continue
					}
					i := match[n] - dir
					if i >= 0 && i < len(ls) && !taken[i] && compatible(i, j) {
						match[j], taken[i], changed = i, true, true
						break
					}
				}
			}
		}
		for j, c := range cols {
			if match[j] != -1 {
				continue
			}
			best, bestS := -1, 0.75
			for i, l := range ls {
				if s := similarity(l.rep.key, c.key); !taken[i] && s >= bestS {
					best, bestS = i, s
				}
			}
			if best >= 0 {
				match[j], taken[best] = best, true
			}
		}
		for j, c := range cols {
			if match[j] == -2 {
				d.noHeader = append(d.noHeader, fmt.Sprintf("%s column %d", filepathBase(d.Files[fi].Name), j+1))
				continue
			}
			if match[j] < 0 {
				l := &logical{per: make([]*fileCol, nf), rep: c}
				ls = append(ls, l)
				match[j] = len(ls) - 1
			}
			ls[match[j]].per[fi] = c
		}
	}
	// A first key segment most columns share is a group ("question.").
	firsts := map[string]int{}
	for _, l := range ls {
		firsts[keySegments(l.rep.key)[0]]++
	}
	group := func(s string) bool { return 2*firsts[s] > len(ls) }
	for _, l := range ls {
		c := &DraftColumn{Raw: make([]string, nf)}
		var stats *colStats
		for fi, fc := range l.per {
			if fc == nil {
				continue
			}
			c.Raw[fi] = fc.header
			if c.Text == "" {
				c.Text = fc.text
			}
			if stats == nil {
				stats = newColStats(fc.stats.all != nil)
			}
			stats.merge(fc.stats)
		}
		c.stats = stats
		c.stem = keyStem(l.rep.key, group)
		if segs := keySegments(l.rep.key); c.stem != l.rep.key && len(segs) > 1 {
			c.option = segs[len(segs)-1]
		}
		if i := strings.LastIndex(c.Text, " - "); i > 0 {
			// Qualtrics: "Question? - Option".
			c.stem, c.option = c.Text[:i], strings.TrimSpace(c.Text[i+3:])
		}
		d.Columns = append(d.Columns, c)
	}
}

// nameColumns gives each logical column a short snake_case name from its
// key, without the group prefix many columns share ("dem.", "question.");
// a name taken already keeps its prefix.
func (d *Draft) nameColumns() {
	prefixCount := map[string]int{}
	keys := make([]string, len(d.Columns))
	for i, c := range d.Columns {
		for _, r := range c.Raw {
			if r != "" {
				keys[i], _ = headerKey(r)
				break
			}
		}
		if p, _, ok := strings.Cut(keys[i], "."); ok {
			prefixCount[p]++
		}
	}
	used := map[string]bool{}
	for i, c := range d.Columns {
		rest := keys[i]
		if p, r, ok := strings.Cut(keys[i], "."); ok && prefixCount[p] >= 2 {
			rest = r
		}
		// The shortest of the names that is free: longer cuts of the key
		// before the group prefix and a number.
		name := ""
		for _, cand := range []string{slug(rest, 40), slug(rest, 60), slug(rest, 100), slug(keys[i], 100)} {
			if cand != "" && !used[cand] {
				name = cand
				break
			}
		}
		if name == "" {
			name = slug(rest, 40)
		}
		if name == "" {
			name = fmt.Sprintf("column_%d", i+1)
		}
		base := name
		for k := 2; used[name]; k++ {
			name = fmt.Sprintf("%s_%d", base, k)
		}
		used[name] = true
		c.Name = name
	}
}

// slug turns a key into a snake_case name of at most about 40 characters,
// leaving out filler words of long option texts.
func slug(key string, limit int) string {
	stop := map[string]bool{"the": true, "a": true, "an": true, "of": true, "in": true, "on": true, "to": true, "you": true, "your": true, "that": true,
		"and": true, "or": true, "for": true, "with": true, "from": true, "e": true, "g": true, "is": true, "are": true, "by": true, "at": true}
	words := nameWords(key)
	long := len(strings.Join(words, "_")) > limit
	var kept []string
	n := 0
	for _, w := range words {
		if long && stop[w] {
			continue
		}
		if n+len(w) > limit && len(kept) > 0 {
			break
		}
		if len(w) > limit {
			// One word longer than the name may be: cut it (at a rune
			// boundary), as YAML refuses keys above 1,024 characters.
			cut := limit
			for cut > 0 && !utf8.RuneStart(w[cut]) {
				cut--
			}
			w = w[:cut]
		}
		kept = append(kept, w)
		n += len(w) + 1
	}
	s := strings.Join(kept, "_")
	if s != "" && s[0] >= '0' && s[0] <= '9' {
		s = "q" + s
	}
	return s
}

// Words of column names that give away a role.
var (
	weightWords = []string{"weight", "weights", "wt", "wgt", "gewicht", "gewichtung", "weging", "poids", "peso"}
	strataWords = []string{"strata", "stratum", "strat", "schicht"}
	psuWords    = []string{"psu", "cluster", "clusters", "sampling_unit", "klumpen"}
	fpcWords    = []string{"fpc"}
	regionWords = []string{"country", "countries", "region", "market", "land", "bundesland", "regio", "provincie", "markt", "pays"}
	// segmentWords maps words to the segment kind.
	segmentWords = map[string]string{
		"age": "age", "alter": "age", "leeftijd": "age", "agegroup": "age",
		"gender": "gender", "sex": "gender", "geschlecht": "gender", "geslacht": "gender",
		"generation": "generation", "cohort": "generation", "generatie": "generation",
		"income": "income", "einkommen": "income", "inkomen": "income",
		"education": "education", "educ": "education", "bildung": "education", "opleiding": "education", "schulabschluss": "education",
	}
)

func hasWord(name string, words []string) bool {
	for _, w := range nameWords(name) {
		if slices.Contains(words, w) {
			return true
		}
	}
	return false
}

// guessRoles decides each column's role.
func (d *Draft) guessRoles() {
	segKinds := map[string]bool{}
	for _, c := range d.Columns {
		s := c.stats
		name := c.Name
		switch {
		case s == nil || s.n == 0:
			c.Role, c.Why = "empty", "no answers in any file"
			continue
		}
		if why := identifierColumn(c); why != "" {
			c.Role, c.Why = "pii", why
			continue
		}
		if s.ambiguous {
			c.Role, c.Why = "ambiguous", "another column has the same header; rename one in the file to use it"
			continue
		}
		if slices.Contains(c.Raw, "") {
			// Not in every file: loading it would fail on the others.
			c.Role, c.Why = "partial", "no file but these has it, so no analysis can use it as it is"
			continue
		}
		if ns, ok := s.numbersAndNonSubstantive(); ok {
			// Numbers and "Don't know": numbers, once it is missing.
			c.nonSubst = ns
			for _, a := range ns {
				if !slices.Contains(d.Missing, a) {
					d.Missing = append(d.Missing, a)
				}
			}
		}
		if len(s.valueLabels) > 0 && c.numeric() {
			c.Scale = labelledScale(s.valueLabels, s)
		} else if !c.numeric() && !s.overflow {
			c.Scale = RecognizeScale(s.order)
		}
		switch {
		case d.Design.ID == "" && idHint(name) && s.all != nil && s.unique && s.n == d.rows():
			c.Role, c.Why = "id", "named like an id and distinct for every respondent"
			d.Design.ID = name
		case d.Design.Weight == "" && s.numeric() && s.lo > 0 && hasWord(name, weightWords) && s.n == d.rows():
			c.Role, c.Why = "weight", fmt.Sprintf("named like a weight; positive numbers, mean %.2f (%.3g–%.3g)", s.mean(), s.lo, s.hi)
			d.Design.Weight = name
		case d.Design.Weight == "" && s.numeric() && s.lo > 0 && !s.whole && math.Abs(s.mean()-1) < 0.1 && s.hi > s.lo && s.n == d.rows():
			c.Role, c.Why = "weight", fmt.Sprintf("positive numbers with mean %.2f (%.3g–%.3g), as weights scaled to the sample have", s.mean(), s.lo, s.hi)
			d.Design.Weight = name
		case d.Design.Strata == "" && hasWord(name, strataWords) && s.n == d.rows():
			c.Role, c.Why = "strata", "named like strata"
			d.Design.Strata = name
		case d.Design.PSU == "" && hasWord(name, psuWords) && s.n == d.rows():
			c.Role, c.Why = "psu", "named like primary sampling units (clusters)"
			d.Design.PSU = name
		case d.Design.FPC == "" && hasWord(name, fpcWords) && s.numeric() && s.lo > 0:
			c.Role, c.Why = "fpc", "named like a finite population correction"
			d.Design.FPC = name
		case d.Region == "" && c.Scale == nil && hasWord(name, regionWords) && !s.overflow && len(s.order) <= 60 && len(s.order) >= 1:
			c.Role, c.Why = "region", "named like a country, region or market"
			name = d.rename(c, regionWord(name))
			d.Region = name
		}
		if c.Role != "" {
			continue
		}
		kind := ""
		for _, w := range nameWords(name) {
			if k, ok := segmentWords[w]; ok {
				kind = k
				break
			}
		}
		// Strip a prefix ("dem_age") but not a question about it: a
		// column with an answer scale is an item ("question_age").
		if kind != "" && !segKinds[kind] && c.Scale == nil {
			switch {
			case c.numeric() && (kind == "age" || kind == "income") && len(s.order) > 12:
				c.Role = "segment"
				d.Bands[name] = numericBands(kind, s)
				c.Why = fmt.Sprintf("named like %s; numbers %s–%s, banded", kind, fmtNum(s.lo), fmtNum(s.hi))
			case !s.overflow && len(s.order) <= 20:
				c.Role, c.Why = "segment", fmt.Sprintf("named like %s; %d levels", kind, len(s.order))
			}
			if c.Role == "segment" {
				segKinds[kind] = true
				if cuts, ok := d.Bands[name]; ok {
					delete(d.Bands, name)
					name = d.rename(c, kind)
					d.Bands[name] = cuts
				} else {
					name = d.rename(c, kind)
				}
				d.Segments = append(d.Segments, name)
				continue
			}
		}
		switch {
		case c.Scale != nil:
			c.Role, c.Why = "item", scaleWhy(c.Scale)
		case c.numeric():
			c.Role = "numeric"
			c.Why = fmt.Sprintf("numbers %s–%s", fmtNum(s.lo), fmtNum(s.hi))
			if hasWord(name, weightWords) {
				// Why it is not the design's weight.
				switch {
				case s.lo <= 0:
					c.Why += "; named like a weight, but weights must be positive"
				case s.n < d.rows():
					c.Why += fmt.Sprintf("; named like a weight, but %d respondents have none", d.rows()-s.n)
				}
			}
		default:
			c.Role = "text"
			if s.overflow {
				c.Why = fmt.Sprintf("more than %d different answers", maxDraftDistinct)
			} else {
				c.Why = fmt.Sprintf("%d different answers, no known scale: %s", len(s.order), levelList(s.order))
			}
		}
	}
	for _, name := range append([]string{d.Region}, d.Segments...) {
		c := d.column(name)
		if c == nil || d.Bands[name] != nil {
			continue
		}
		levels := slices.Clone(c.stats.order)
		_, numeric := numericLevels(levels)
		switch vls := c.stats.valueLabels; {
		case len(vls) > 0:
			// The loader names the levels by their labels, in code order.
			levels = levels[:0]
			for _, vl := range vls {
				if _, ok := c.stats.counts[vl.Value]; ok && vl.Label != "" && !slices.Contains(levels, vl.Label) {
					levels = append(levels, vl.Label)
				}
			}
		case numeric:
			sortNumeric(levels)
		case ordinalLevelRank(levels) != nil:
			levels = ordinalLevelRank(levels)
		case name == d.Region:
			sort.Strings(levels)
		}
		d.Levels[name] = levels
		if name == d.Region {
			names := map[string]string{}
			for _, l := range levels {
				if n, ok := countryNames[strings.ToUpper(l)]; ok && len(l) == 2 {
					names[l] = n
				}
			}
			if len(names) == len(levels) {
				d.LevelNames[name] = names
			}
		}
	}
}

// rename gives a region or segment column the plain name of its kind
// ("country" for "country_code", "education" for "education_level"),
// which tables show, when no other column has it; it returns the name.
func (d *Draft) rename(c *DraftColumn, to string) string {
	if to == "" || to == c.Name || d.column(to) != nil {
		return c.Name
	}
	c.Name = to
	return to
}

// regionWord is the region word a name contains ("country").
func regionWord(name string) string {
	for _, w := range nameWords(name) {
		switch w {
		case "country", "countries":
			return "country"
		case "region", "market":
			return w
		}
	}
	return ""
}

// numeric reports whether the column holds numbers, once answers such as
// "Don't know" are missing.
func (c *DraftColumn) numeric() bool {
	return c.stats.numeric() || c.nonSubst != nil
}

func (d *Draft) rows() int {
	n := 0
	for _, f := range d.Files {
		n += f.Rows
	}
	return n
}

func (d *Draft) column(name string) *DraftColumn {
	for _, c := range d.Columns {
		if c.Name == name && name != "" {
			return c
		}
	}
	return nil
}

func scaleWhy(s *AnswerScale) string {
	if s.Labels != nil {
		lo, hi := s.Range()
		return fmt.Sprintf("numbers %s–%s labelled on the %s scale", fmtNum(lo), fmtNum(hi), s.Family)
	}
	switch s.Family {
	case "numbered":
		lo, hi := s.Range()
		return fmt.Sprintf("numbered answers %s–%s", fmtNum(lo), fmtNum(hi))
	case "true/false", "yes/no", "selected":
		return s.Family + " answers"
	}
	return fmt.Sprintf("%d-point %s scale", len(s.Answers), s.Family)
}

// labelledScale recognises the scale of a numeric column from its value
// labels (SPSS): the labels in code order must follow a known scale.
func labelledScale(vls []ValueLabel, st *colStats) *AnswerScale {
	labels := make([]string, len(vls))
	for i, v := range vls {
		labels[i] = v.Label
	}
	s := RecognizeScale(labels)
	if s == nil {
		return nil
	}
	// The codes are the values: the cells hold numbers.
	byLabel := map[string]string{}
	for _, v := range vls {
		byLabel[v.Label] = v.Value
	}
	out := &AnswerScale{Family: s.Family, Lo: math.Inf(1), Hi: math.Inf(-1)}
	// The range answered, leaving out codes labelled "Don't know" and the
	// like (99), which are read as missing.
	skip := map[string]bool{}
	for _, a := range s.NonSubstantive {
		skip[byLabel[a]] = true
	}
	for _, a := range st.order {
		if x, ok := parseDecimal(a, false); ok && !skip[a] {
			out.Lo, out.Hi = min(out.Lo, x), max(out.Hi, x)
		}
	}
	for _, a := range s.Answers {
		x, ok := parseDecimal(byLabel[a], false)
		if !ok {
			return nil
		}
		out.Answers = append(out.Answers, byLabel[a])
		out.Values = append(out.Values, x)
		out.Labels = append(out.Labels, a)
	}
	for _, a := range s.NonSubstantive {
		// Codes such as 99 = "Don't know": missing, unless the file
		// declares them user-missing already.
		out.NonSubstantive = append(out.NonSubstantive, byLabel[a])
	}
	return out
}

// numericBands are the bands of a numeric segment: the usual age bands,
// else quartiles rounded to two significant digits.
func numericBands(kind string, s *colStats) []float64 {
	if kind == "age" && s.hi >= 25 && s.lo < 100 {
		return []float64{18, 25, 35, 45, 55, 65}
	}
	var xs []float64
	for _, a := range s.order {
		if x, ok := parseDecimal(a, false); ok {
			for range s.counts[a] {
				xs = append(xs, x)
			}
		}
	}
	sort.Float64s(xs)
	var cuts []float64
	for _, q := range []float64{0.25, 0.5, 0.75} {
		x := roundSig(xs[int(q*float64(len(xs)-1))], 2)
		if x > xs[0] && (len(cuts) == 0 || x > cuts[len(cuts)-1]) {
			cuts = append(cuts, x)
		}
	}
	if len(cuts) == 0 {
		cuts = []float64{roundSig((s.lo+s.hi)/2, 2)}
	}
	return cuts
}

func sortNumeric(levels []string) {
	sort.SliceStable(levels, func(i, j int) bool {
		a, _ := parseDecimal(levels[i], false)
		b, _ := parseDecimal(levels[j], false)
		return a < b
	})
}

func roundSig(x float64, digits int) float64 {
	if x == 0 {
		return 0
	}
	p := math.Pow(10, float64(digits)-math.Ceil(math.Log10(math.Abs(x))))
	return math.Round(x*p) / p
}

// countryNames names the ISO 3166 codes surveys use most.
var countryNames = map[string]string{
	"AT": "Austria", "AU": "Australia", "BE": "Belgium", "BR": "Brazil", "CA": "Canada", "CH": "Switzerland", "CN": "China",
	"CZ": "Czechia", "DE": "Germany", "DK": "Denmark", "ES": "Spain", "FI": "Finland", "FR": "France", "GB": "Great Britain",
	"GR": "Greece", "HU": "Hungary", "IE": "Ireland", "IN": "India", "IT": "Italy", "JP": "Japan", "KR": "South Korea",
	"MX": "Mexico", "NL": "Netherlands", "NO": "Norway", "NZ": "New Zealand", "PL": "Poland", "PT": "Portugal", "RO": "Romania",
	"SE": "Sweden", "SG": "Singapore", "TR": "Turkey", "UK": "United Kingdom", "US": "United States", "ZA": "South Africa",
}

// filepathBase is the base name of a file for the draft's comments.
func filepathBase(p string) string { return filepath.Base(p) }
