package survey

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/trustgap/trustgap/internal/leanload"
)

// LoadOptions adjusts what Load reads beyond the codebook.
type LoadOptions struct {
	// Extra names more columns to load (logical or raw names), e.g. the
	// estimate command's --mean/--prop/--by columns. A name that is a
	// construct and not a logical column is skipped: its scores are in
	// Dataset.Constructs.
	Extra []string
	// Categorical names columns to load as categorical even when their
	// values are numbers.
	Categorical []string
	// Optional names columns that may be absent from some files; their
	// values are missing for those files' respondents.
	Optional []string
	// DesignOverride replaces the codebook's design columns where a field
	// is non-empty (design columns given on the command line).
	DesignOverride DesignDef
	// MaxProblems caps the problems a *ProblemsError lists; the rest are
	// counted. 0 means 50.
	MaxProblems int

	// Constructs names the constructs to load, nil meaning all of them;
	// names the codebook does not define are ignored, so an analysis can
	// ask for every construct it may use. The items of constructs left
	// out are not read, which saves time and memory on large studies.
	Constructs []string
	// KeepRawItems keeps every construct item as the files give it in
	// Dataset.Columns. Without it an item column is only read into its
	// constructs' processed Items, unless it has another role (region,
	// segment, design) or Extra or Categorical names it.
	KeepRawItems bool
	// lean is what trustgap's commands ask for through the context (see
	// internal/leanload): storage that holds a large study in less memory.
	// Tests in this package set it directly.
	lean leanload.Options
}

// Load reads the tables in order and stacks their respondents into one
// Dataset through the codebook. It reads each table to its end but does not
// close it.
//
// Each file resolves every name against its own header: a logical name from
// the codebook's columns: takes the first of its raw names present in that
// file; any other name is a raw header. A header matches exactly, else
// after trimming spaces and ignoring case; two matches are an error. Only
// the columns the codebook and opts name are kept, typed: region,
// segments, strata, psu, id and opts.Categorical are categorical; weight
// and fpc are numeric and every value is checked (finite and > 0), and
// strata and psu must be given for every respondent; any
// other column is numeric when all its non-missing values are numbers
// (with decimal commas in files whose reader reports DecimalComma) and
// categorical otherwise. Empty cells and the codebook's missing strings
// (compared after trimming) are missing. Categorical levels are in
// first-seen order, numeric order when every level is a number, and scale
// order for a construct's items with values.
//
// Dataset.Columns holds item columns as the files give them (typed like any
// other column) only with opts.KeepRawItems, or when they have another
// role or opts names them; each Construct.Items holds the construct's processed
// items: an answer is looked up in values (exactly, then trimmed and
// ignoring case), else read as a number (for score: count, as a yes/no
// word: 1, TRUE, true, yes, Yes / 0, FALSE, false, no, No), checked against
// scale, and reverse-coded as min + max - value. A respondent who answered
// a of the m items has a score (Construct.Scores) of NaN when a <
// min_items (default m), else mean = (sum of answered items)/a, sum = sum
// of answered items, or count = number of answered items not 0. The flag
// (Construct.Flags) is 1 where the flag rule holds for the score, 0 where
// not, NaN where the score is NaN or there is no flag.
//
// Load does not stop at the first problem in the data: it reads every file
// and returns a *ProblemsError listing up to opts.MaxProblems problems,
// each with file, row, column and value (a value that looks like an e-mail
// address or a phone number is not repeated). A file with a header but no
// data rows is a problem too. A codebook with problems (see
// ParseCodebook) is refused before any data is read. Other errors (a
// reader failing, ctx cancelled) are returned as they happen.
//
// Load parses each file on a goroutine of its own and, when the file has
// more than a few thousand rows and GOMAXPROCS allows, converts its cells
// on a few more; the Dataset and the problems are the same either way.
func Load(ctx context.Context, cb *Codebook, tables []TableReader, opts LoadOptions) (*Dataset, error) {
	if cb == nil {
		panic("survey: Load with nil codebook")
	}
	limit := opts.MaxProblems
	if limit <= 0 {
		limit = 50
	}
	if probs := cb.problems(); len(probs) > 0 {
		return nil, newProblemsError(probs, limit)
	}
	if o := leanload.From(ctx); o != (leanload.Options{}) {
		opts.lean = o
	}
	return newLoader(cb, opts, limit, false).load(ctx, tables)
}

// load is Load once the loader is set up.
func (l *loader) load(ctx context.Context, tables []TableReader) (*Dataset, error) {
	l.reserve(ctx, sizeHint(tables))
	if err := l.read(ctx, tables); err != nil {
		return nil, err
	}
	if err := l.problems.err(); err != nil {
		return nil, err
	}
	ds, err := l.datasetContext(ctx)
	if err != nil {
		return nil, err
	}
	if l.opts.lean.GroupByPSU {
		if err := groupByPSU(ctx, ds); err != nil {
			return nil, err
		}
	}
	return ds, nil
}

// maxDictNumeric caps the distinct values remembered for a column that has
// held only numbers so far; past it the column can only be numeric.
const maxDictNumeric = 1 << 16

// colBuilder accumulates one column while rows stream by.
type colBuilder struct {
	name        string
	raw, label  string         // from the first file that has the column
	valueLabels []ValueLabel   // declared by the first file that has the column (SPSS)
	cat         bool           // categorical by role
	strict      string         // "weight" or "fpc": numeric, each value checked
	required    string         // "stratum" or "psu": categorical, never missing
	item        *constructRule // a construct using the column, to order its levels
	found       bool           // present in at least one file
	present     int            // non-missing cells

	idx int // index in the current file's records; -1 when absent

	num     []float64
	numeric bool // every non-missing value so far is a number
	codes   []int32
	dict    map[string]int32
	levels  []string
	noDict  bool // dictionary dropped: too many distinct numbers
	// byNumber[n] is the code of level n written as a plain number, -1
	// if none (see known).
	byNumber []int32

	// published: the column's values reach an output (levels of a region,
	// segment, stratum or a column an analysis groups by), so it must not
	// hold personal data unless the codebook allows it.
	published bool

	// Validate only: where each ID level was first seen.
	firstSeen []rowRef

	// rawItem: the column is only a construct item; skip: its values are
	// not kept (a raw item without KeepRawItems, the id of a lean load), so
	// addCell never sees it, but the column must still be in the files.
	rawItem, skip bool
}

type rowRef struct {
	file string
	row  int
}

type itemBuilder struct {
	col     *colBuilder
	reverse bool
	vals    []float64
	small   *smallVec // instead of vals in a Compact load
	cache   itemCache
}

// problemList collects problems up to a limit and counts the rest.
type problemList struct {
	limit int // 0: no limit
	list  []Problem
	more  int
}

func (p *problemList) add(pr Problem) {
	if p.limit > 0 && len(p.list) >= p.limit {
		p.more++
		return
	}
	p.list = append(p.list, pr)
}

// err returns the problems as a *ProblemsError, or nil when there are none.
func (p *problemList) err() error {
	if len(p.list) == 0 {
		return nil
	}
	return &ProblemsError{Problems: p.list, More: p.more}
}

func newProblemsError(probs []Problem, limit int) *ProblemsError {
	if len(probs) > limit {
		return &ProblemsError{Problems: probs[:limit], More: len(probs) - limit}
	}
	return &ProblemsError{Problems: probs}
}

// loader is the engine shared by Load and Validate (lint mode).
type loader struct {
	cb       *Codebook
	opts     LoadOptions
	design   DesignDef
	missing  map[string]bool
	optional map[string]bool
	cols     []*colBuilder // in first-use order
	byName   map[string]*colBuilder
	rules    []*constructRule // codebook order
	items    [][]*itemBuilder // per rule
	problems problemList
	lint     bool
	// ids compares respondent ids across files (nil: one file, or lint,
	// which lists every duplicate id itself).
	ids *idChecker
	// wcol is the weight column (nil: none); weights sums it as read.
	wcol    *colBuilder
	weights weightCheck
	n       int
	files   []string
	// rowProblems holds the current row's problems so that an item used by
	// two constructs is reported once.
	rowProblems []Problem
	// idCol is the design's id column, checked for duplicates when linting.
	idCol *colBuilder
	// headers are the files' headers, for checking codebook keys.
	headers [][]string
	// causes gathers the row problems that share a cause, reported as
	// one problem each once every file is read.
	causes causeList
	// pii lists the columns of every file read that look like personal
	// data, referenced or not.
	pii []PIIColumn

	compact bool
	// scores and flags per rule in a Compact load.
	scores []*smallVec
	// scoreCaches[ri] serves convertRuleTile's scores of rule ri (nil for a
	// score that is its item).
	scoreCaches []*scoreCache

	// units is a row's conversion in order, par how to share it out
	// between goroutines; merged is addBatchProblems's buffer.
	units  []convUnit
	par    parallelism
	merged []rowProblem
	// parallelRows counts the rows converted in parallel, for tests.
	parallelRows int
}

func newLoader(cb *Codebook, opts LoadOptions, limit int, lint bool) *loader {
	l := &loader{
		cb:       cb,
		opts:     opts,
		design:   cb.Design,
		missing:  map[string]bool{},
		optional: map[string]bool{},
		byName:   map[string]*colBuilder{},
		problems: problemList{limit: limit},
		lint:     lint,
	}
	o := opts.DesignOverride
	overrideName(&l.design.ID, o.ID)
	overrideName(&l.design.Weight, o.Weight)
	overrideName(&l.design.Strata, o.Strata)
	overrideName(&l.design.PSU, o.PSU)
	overrideName(&l.design.FPC, o.FPC)
	for _, m := range cb.Missing {
		l.missing[strings.TrimSpace(m)] = true
	}
	for _, o := range opts.Optional {
		l.optional[o] = true
	}
	d := l.design
	l.idCol = l.use(d.ID)
	l.idCol.cat = true
	l.use(d.Weight).strict = "weight"
	// The design needs every respondent's stratum and PSU; a missing one
	// is reported here with its file and row.
	st := l.use(d.Strata)
	st.cat, st.required, st.published = true, "stratum", true
	psu := l.use(d.PSU)
	psu.cat, psu.required = true, "psu"
	l.use(d.FPC).strict = "fpc"
	rb := l.use(cb.Region)
	rb.cat, rb.published = true, true
	for _, s := range cb.Segments {
		sb := l.use(s)
		sb.cat, sb.published = true, true
	}
	l.compact = opts.lean.Compact && !lint
	for _, name := range cb.constructNames() {
		if opts.Constructs != nil && !slices.Contains(opts.Constructs, name) {
			continue
		}
		def := cb.Constructs[name]
		rule := newConstructRule(name, def)
		var items []*itemBuilder
		for _, it := range def.Items {
			_, existed := l.byName[it]
			b := l.use(it)
			if b == nil {
				continue
			}
			if !existed {
				b.rawItem = true
			}
			if b.item == nil || (len(b.item.def.Values) == 0 && len(def.Values) > 0) {
				b.item = rule
			}
			items = append(items, &itemBuilder{col: b, reverse: rule.reverse[it]})
		}
		l.rules = append(l.rules, rule)
		l.items = append(l.items, items)
	}
	for _, e := range opts.Extra {
		if _, isConstruct := cb.Constructs[e]; isConstruct {
			if _, isColumn := cb.Columns[e]; !isColumn {
				continue
			}
		}
		b := l.use(e)
		b.rawItem, b.published = false, true
	}
	for _, c := range opts.Categorical {
		b := l.use(c)
		b.cat, b.rawItem, b.published = true, false, true
	}
	for name := range cb.Bands {
		// Banded numbers are levels: keep them as text to band.
		if b := l.byName[name]; b != nil && b.strict == "" {
			b.cat = true
		}
	}
	for _, b := range l.cols {
		b.skip = b.rawItem && !opts.KeepRawItems && !lint
	}
	if opts.lean.SkipID && !lint && l.idCol.name != "" && !l.idCol.rawItem {
		// Unless another role (a segment, an Extra) shares the column.
		shared := l.idCol.name == l.design.Strata || l.idCol.name == l.design.PSU || l.idCol.name == cb.Region ||
			slices.Contains(cb.Segments, l.idCol.name) || slices.Contains(opts.Extra, l.idCol.name) || slices.Contains(opts.Categorical, l.idCol.name)
		l.idCol.skip = !shared
	}
	if l.compact {
		for ri := range l.rules {
			l.scores = append(l.scores, newSmallVec(0))
			var sc *scoreCache
			if !l.scoreIsItem(ri) {
				sc = new(scoreCache)
			}
			l.scoreCaches = append(l.scoreCaches, sc)
			for _, it := range l.items[ri] {
				it.small = newSmallVec(0)
			}
		}
	}
	l.units = l.convUnits()
	l.par = defaultParallelism()
	return l
}

func overrideName(dst *string, src string) {
	if src != "" {
		*dst = src
	}
}

// use returns the builder of a named column, adding it on first use. An
// empty name (a role the codebook leaves out) gets a throwaway builder.
func (l *loader) use(name string) *colBuilder {
	if strings.TrimSpace(name) == "" {
		return &colBuilder{idx: -1}
	}
	if b, ok := l.byName[name]; ok {
		return b
	}
	b := &colBuilder{name: name, numeric: true, dict: map[string]int32{}}
	l.byName[name] = b
	l.cols = append(l.cols, b)
	return b
}

func (l *loader) read(ctx context.Context, tables []TableReader) error {
	if len(tables) == 0 {
		return errors.New("load: no data files")
	}
	if len(tables) > 1 && !l.lint && l.idCol.name != "" && l.design.IDScope != "file" {
		l.ids = &idChecker{}
	}
	if l.design.Weight != "" {
		l.wcol = l.byName[l.design.Weight]
	}
	for _, t := range tables {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("load: %w", err)
		}
		if err := l.readTable(ctx, t); err != nil {
			return err
		}
	}
	l.reportCauses()
	l.checkKeys()
	if l.wcol != nil {
		if p := l.weights.problem(l.wcol.name); p != nil {
			l.problems.add(*p)
		}
	}
	return nil
}

func (l *loader) readTable(ctx context.Context, t TableReader) error {
	file := t.Name()
	l.files = append(l.files, file)
	dc := t.DecimalComma()
	header, labels, infos := t.Header(), t.Labels(), ColumnInfos(t)
	l.headers = append(l.headers, header)
	for _, items := range l.items {
		for _, it := range items {
			it.cache.reset() // answers read differently with decimal commas
		}
	}
	for _, b := range l.cols {
		b.idx = -1
		idx, err := resolveColumn(header, l.rawNames(b.name))
		if err != nil {
			l.problems.add(Problem{File: file, Column: b.name, Msg: err.Error()})
			continue
		}
		if idx < 0 {
			if !l.optional[b.name] {
				l.problems.add(Problem{File: file, Column: b.name, Msg: l.notFound(b.name, header)})
			}
			continue
		}
		b.idx = idx
		if !b.found {
			b.found, b.raw = true, header[idx]
			if idx < len(labels) {
				b.label = labels[idx]
			}
			if idx < len(infos) {
				b.valueLabels = infos[idx].ValueLabels
			}
		}
	}
	rows := 0
	p := startReadAhead(t)
	defer p.stop()
	var par *parallelConverter
	defer func() {
		if par != nil {
			par.stop()
		}
	}()
	seq := &converter{l: l, units: l.units, file: file, dc: dc}
	scan := NewPIIScanner(file, header)
	for {
		b := p.next()
		for k := range b.rows {
			scan.Add(b.record(k))
			if l.ids != nil && l.idCol.idx >= 0 {
				l.ids.add(cellAt(b.record(k), l.idCol.idx), b.rows[k])
			}
			if l.wcol != nil && l.wcol.idx >= 0 {
				l.weights.add(cellAt(b.record(k), l.wcol.idx), dc, file, b.rows[k])
			}
			rows++
			l.n++
			if l.n&0x3FFF == 0 { // every 16,384 rows: a fraction of a second on a busy machine
				if err := ctx.Err(); err != nil {
					return fmt.Errorf("load: %w", err)
				}
			}
		}
		switch {
		case len(b.rows) == 0:
		case par != nil:
			if err := par.submit(b); err != nil {
				return fmt.Errorf("load %s: %w", file, err)
			}
		case rows > l.par.after && l.par.converters > 1 && len(l.units) > 1:
			// Large enough to be worth the goroutines; the rows before
			// were converted in order.
			par = l.startParallel(p, file, dc)
			if err := par.submit(b); err != nil {
				return fmt.Errorf("load %s: %w", file, err)
			}
		default:
			seq.convert(b, 0)
			l.addBatchProblems(b)
		}
		if b.err == nil {
			if par == nil {
				p.recycle(b)
			}
			continue
		}
		if b.err != io.EOF {
			// The readers' errors are located in the file already; another
			// TableReader's may not be.
			return readErr(file, 0, b.err)
		}
		if par != nil {
			if err := par.finish(ctx); err != nil {
				return fmt.Errorf("load %s: %w", file, err)
			}
		}
		l.checkPII(file, scan.Columns())
		if l.ids != nil {
			for _, pr := range l.ids.endFile(file, l.idCol.name) {
				l.problems.add(pr)
			}
		}
		if rows == 0 {
			// A header alone is a truncated or wrong file (a template,
			// an export of the wrong sheet), not a survey with no one in it.
			l.problems.add(Problem{File: file, Msg: "no data rows: the file has a header but no respondents"})
		}
		return nil
	}
}

// checkPII records a file's columns that look like personal data and
// refuses those whose values would be published (see colBuilder.published)
// unless the codebook's allow_pii lists them. It runs while the builders'
// idx still point into this file's header.
func (l *loader) checkPII(file string, found []PIIColumn) {
	l.pii = append(l.pii, found...)
	for _, f := range found {
		for _, b := range l.cols {
			if b.idx != f.Index || !b.published || l.piiAllowed(b.name, f.Column) {
				continue
			}
			l.problems.add(Problem{File: file, Column: b.name, Msg: fmt.Sprintf(
				"%d of %d values look like %s, and the column's values would be published (as %s); "+
					"drop it from the codebook, or list it under allow_pii: if publishing it is intended",
				f.Count, f.Values, f.Kind, l.role(b))})
		}
	}
}

func (l *loader) piiAllowed(name, raw string) bool {
	for _, a := range l.cb.AllowPII {
		if a == name || strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(raw)) {
			return true
		}
	}
	return false
}

// role names what a published column is used as, for messages.
func (l *loader) role(b *colBuilder) string {
	switch {
	case b.name == l.cb.Region:
		return "the region"
	case slices.Contains(l.cb.Segments, b.name):
		return "a segment"
	case b.name == l.design.Strata:
		return "the strata"
	}
	return "a column the analysis groups or labels by"
}

// rawNames lists the header names a logical or raw name may have.
func (l *loader) rawNames(name string) []string {
	if raws, ok := l.cb.Columns[name]; ok {
		return raws
	}
	return []string{name}
}

func (l *loader) notFound(name string, header []string) string {
	raws, logical := l.cb.Columns[name]
	var msg string
	if logical {
		q := make([]string, len(raws))
		for i, r := range raws {
			q[i] = strconv.Quote(shortValue(r))
		}
		msg = fmt.Sprintf("no column of the header matches any raw name of %q (%s)", name, strings.Join(q, ", "))
	} else {
		msg = fmt.Sprintf("no column %q in the header or under columns:", shortValue(name))
		if def, ok := l.cb.Constructs[name]; ok {
			// A construct is scored from its items; it has no column of its own.
			return msg + fmt.Sprintf("; %q is a construct, scored from its items (%s): name an item, or see the construct's flag and score with describe", name, strings.Join(def.Items, ", "))
		}
		if s := nearestLogical(name, l.cb.Columns); s != "" {
			return msg + fmt.Sprintf("; did you mean %q?", s) + lookAlike(name, s)
		}
	}
	s := nearestHeader(raws, name, header)
	if s != "" && logical {
		msg += fmt.Sprintf("; the header has a close name, %q", shortValue(s))
	} else if s != "" {
		msg += fmt.Sprintf("; did you mean %q?", shortValue(s))
	}
	return msg + lookAlike(name, s)
}

// nearestLogical returns the logical name under columns: closest to name
// (within the distance nearestHeader allows), or "": a user types the
// codebook's names, which a raw header such as "[dem] gender" hides.
func nearestLogical(name string, columns map[string][]string) string {
	c := strings.ToLower(strings.TrimSpace(name))
	best, bestD := "", -1
	for logical := range columns {
		d := editDistance(c, strings.ToLower(logical))
		if d <= max(1, len([]rune(c))/4) && (bestD < 0 || d < bestD || d == bestD && logical < best) {
			best, bestD = logical, d
		}
	}
	return best
}

// nearestHeader returns a header close to one of the names, or "".
func nearestHeader(raws []string, name string, header []string) string {
	cands := append([]string{name}, raws...)
	best, bestD := "", -1
	for _, c := range cands {
		c = strings.ToLower(strings.TrimSpace(c))
		for _, h := range header {
			d := editDistance(c, strings.ToLower(strings.TrimSpace(h)))
			// One edit, or one in four for long names: closer than that,
			// short names all look alike.
			if d <= max(1, len([]rune(c))/4) && (bestD < 0 || d < bestD) {
				best, bestD = h, d
			}
		}
	}
	return best
}

// resolveColumn finds the first of names in header: an exact match first,
// then one after trimming spaces and ignoring case. It returns -1 when no
// name matches and an error when a name matches more than one column.
func resolveColumn(header []string, names []string) (int, error) {
	for _, name := range names {
		if idx, err := matchHeader(header, name, func(h string) bool { return h == name }); idx >= 0 || err != nil {
			return idx, err
		}
		want := strings.TrimSpace(name)
		if idx, err := matchHeader(header, name, func(h string) bool { return strings.EqualFold(strings.TrimSpace(h), want) }); idx >= 0 || err != nil {
			return idx, err
		}
	}
	return -1, nil
}

func matchHeader(header []string, name string, eq func(string) bool) (int, error) {
	idx := -1
	var cols []string
	for i, h := range header {
		if eq(h) {
			if idx < 0 {
				idx = i
			}
			cols = append(cols, strconv.Itoa(i+1))
		}
	}
	if len(cols) > 1 {
		return -1, fmt.Errorf("%q is ambiguous: it matches header columns %s", shortValue(name), strings.Join(cols, ", "))
	}
	return idx, nil
}

func (l *loader) isMissing(trimmed string) bool {
	return trimmed == "" || l.missing[trimmed]
}

// addProblem records a row problem unless the same one was already
// recorded for this row.
func (l *loader) addProblem(pr Problem) {
	for _, q := range l.rowProblems {
		// The same cell read by two constructs is one problem.
		if q.File == pr.File && q.Row == pr.Row && q.Column == pr.Column && q.Value == pr.Value && q.Msg == pr.Msg {
			return
		}
	}
	l.rowProblems = append(l.rowProblems, pr)
	if pr.cause.kind != 0 {
		if a, isNew := l.causes.add(pr); isNew {
			// Its place among the problems, filled in by reportCauses.
			l.problems.add(Problem{placeholder: a})
		}
		return
	}
	l.problems.add(pr)
}

func cellAt(rec []string, idx int) string {
	if idx < 0 || idx >= len(rec) {
		return ""
	}
	return rec[idx]
}

// addCell appends one respondent's value of b. Problems that quote a cell
// pass through redactProblem first.
func (c *converter) addCell(b *colBuilder, rec []string, row int) {
	l, file, dc := c.l, c.file, c.dc
	raw := cellAt(rec, b.idx)
	if b.cat && b.strict == "" && !b.noDict && !(l.lint && b == l.idCol) {
		// A level seen before, as written: the dictionary's keys are
		// trimmed and never missing, so this is what the code below finds.
		if k, ok := b.known(raw); ok && b.idx >= 0 {
			b.present++
			b.codes = append(b.codes, k)
			return
		}
	}
	t := strings.TrimSpace(raw)
	if b.idx < 0 || l.isMissing(t) {
		if b.strict != "" && b.idx >= 0 {
			c.addProblem(Problem{File: file, Row: row, Column: b.name, Value: shortValue(raw), Msg: b.strict + " is missing", cause: problemCause{kind: causeMissing, role: b.strict}})
		} else if b.required != "" && b.idx >= 0 {
			c.addProblem(Problem{File: file, Row: row, Column: b.name, Value: shortValue(raw), Msg: b.required + " is missing; the design needs one for every respondent", cause: problemCause{kind: causeMissing, role: b.required}})
		}
		if b.strict != "" || (b.numeric && !b.cat) {
			b.num = append(b.num, math.NaN())
		}
		if (b.strict == "" || b.cat) && !b.noDict {
			b.codes = append(b.codes, -1)
		}
		return
	}
	b.present++
	if b.strict != "" {
		x, cause, msg, kind := strictValue(b.strict, raw, t, dc)
		if msg != "" {
			pr := redactProblem(Problem{File: file, Row: row, Column: b.name, Value: shortValue(raw), Msg: msg, Kind: kind}, raw)
			pr.cause = problemCause{kind: cause, role: b.strict}
			if pr.Value != "" {
				pr.answer = t
			}
			c.addProblem(pr)
		}
		b.num = append(b.num, x)
		if b.cat {
			b.codes = append(b.codes, b.code(t))
		}
		return
	}
	if b.numeric && !b.cat {
		x, ok := parseDecimal(t, dc)
		if ok {
			b.num = append(b.num, x)
		} else if b.noDict {
			c.addProblem(redactProblem(Problem{File: file, Row: row, Column: b.name, Value: shortValue(raw),
				Msg: fmt.Sprintf("%q is not a number, but more than %d different numbers came before it; load the column as categorical", shortValue(raw), maxDictNumeric)}, raw))
			b.num = append(b.num, math.NaN())
			return
		} else {
			b.numeric, b.num = false, nil
		}
	}
	if b.noDict {
		return
	}
	k := b.code(t)
	b.codes = append(b.codes, k)
	if l.lint && b == l.idCol {
		for int(k) >= len(b.firstSeen) {
			b.firstSeen = append(b.firstSeen, rowRef{})
		}
		if first := b.firstSeen[k]; first.file != "" && (first.file == file || l.design.IDScope != "file") {
			// Row numbers only: an id can be a phone number or an e-mail
			// address, and the rows are enough to find it.
			where, hint := fmt.Sprintf("row %d", first.row), ""
			if first.file != file {
				where = fmt.Sprintf("%s row %d", first.file, first.row)
				hint = "; if each file numbers its respondents afresh (waves whose ids restart at 1), add id_scope: file to the codebook's design:"
			}
			c.addProblem(Problem{File: file, Row: row, Column: b.name,
				Msg: fmt.Sprintf("duplicate id (the same as %s; the id is not shown)%s", where, hint)})
		} else {
			b.firstSeen[k] = rowRef{file, row}
		}
	}
	if b.numeric && !b.cat && len(b.levels) > maxDictNumeric {
		// Numbers with this many distinct values are a numeric column; stop
		// remembering them as levels to bound memory.
		b.noDict, b.dict, b.levels, b.codes, b.byNumber = true, nil, nil, nil, nil
	}
}

// code returns the dictionary code of a trimmed value, adding it.
func (b *colBuilder) code(t string) int32 {
	if k, ok := b.dict[t]; ok {
		return k
	}
	k := int32(len(b.levels))
	// Clone: t may share memory with the reader's whole record.
	b.addLevel(strings.Clone(t), k)
	return k
}

// decimalCommaHint ends the message of a number that a file read without
// decimal commas (ReadOptions.DecimalComma) has with one, such as "1,5";
// the problem's Kind is ErrDecimalComma.
const decimalCommaHint = "if the comma is a decimal comma: read the file with decimal commas"

// strictValue reads a weight or fpc, which must be a finite number > 0;
// an fpc may also be Inf (a population count) or 0 (a sampling fraction),
// which say that the population is infinite, as R's svydesign(fpc=)
// takes them. If the value is not valid it returns the problem's cause
// (for reporting many rows as one problem), message and kind.
func strictValue(what, raw, t string, dc bool) (float64, causeKind, string, error) {
	x, ok := parseDecimal(t, dc)
	if what == "fpc" {
		switch {
		case !ok && strings.EqualFold(strings.TrimPrefix(t, "+"), "inf"):
			return math.Inf(1), 0, "", nil
		case ok && x == 0:
			return 0, 0, "", nil
		}
	}
	if !ok {
		switch strings.TrimLeft(strings.ToLower(t), "+-") {
		case "nan", "inf", "infinity":
			return math.NaN(), causeNotFinite, fmt.Sprintf("%s %q is not a finite number", what, shortValue(raw)), nil
		}
		if _, err := strconv.ParseFloat(t, 64); errors.Is(err, strconv.ErrRange) {
			// Digits, but too large for a number (1e999).
			return math.NaN(), causeNotFinite, fmt.Sprintf("%s %q is not a finite number", what, shortValue(raw)), nil
		}
		if x, ok := parseDecimal(t, true); ok && !dc {
			return math.NaN(), causeDecimalComma, fmt.Sprintf("%s %q is not a number (%v %s)", what, shortValue(raw), x, decimalCommaHint), ErrDecimalComma
		}
		return math.NaN(), causeStrictText, fmt.Sprintf("%s %q is not a number", what, shortValue(raw)), nil
	}
	switch {
	case x < 0:
		return x, causeNegative, fmt.Sprintf("%s %q is negative", what, shortValue(raw)), nil
	case x == 0:
		return x, causeZero, fmt.Sprintf("%s %q is zero", what, shortValue(raw)), nil
	}
	return x, 0, "", nil
}

// itemCell returns one respondent's processed value of a construct item.
func (c *converter) itemCell(rule *constructRule, it *itemBuilder, rec []string, row int) float64 {
	l := c.l
	raw := cellAt(rec, it.col.idx)
	if v, ok := it.cache.get(raw); ok {
		return v
	}
	if it.col.idx < 0 || l.isMissing(strings.TrimSpace(raw)) {
		it.cache.put(raw, math.NaN())
		return math.NaN()
	}
	v, kind, msg := rule.itemValueKind(raw, c.dc)
	if msg != "" {
		pr := redactProblem(Problem{File: c.file, Row: row, Column: it.col.name, Value: shortValue(raw), Msg: msg}, raw)
		pr.cause = problemCause{kind: kind, construct: rule.name}
		if pr.Value != "" {
			pr.answer = strings.TrimSpace(raw)
		}
		c.addProblem(pr)
		return math.NaN()
	}
	if it.reverse {
		v = rule.lo + rule.hi - v
	}
	it.cache.put(raw, v)
	return v
}

// column finishes a builder into a typed Column.
func (b *colBuilder) column() *Column {
	c := &Column{Name: b.name, Raw: b.raw, Label: CleanLabel(b.label)}
	if !b.cat && (b.strict != "" || b.numeric) {
		c.ValueLabels = b.valueLabels
		c.num = b.num
		if c.num == nil {
			c.num = []float64{}
		}
		return c
	}
	c.Codes, c.Levels = b.codes, b.levels
	if c.Codes == nil {
		c.Codes = []int32{}
	}
	cleanLevels(c)
	if _, allNum := numericLevels(c.Levels); allNum {
		sortLevelsNumerically(c)
	} else if b.item != nil && (len(b.item.def.Values) > 0 || b.item.count) {
		orderLevelsByValues(c, b.item)
	}
	applyValueLabels(c, b.valueLabels)
	return c
}

// dataset assembles the Dataset once every file is read.
func (l *loader) dataset() *Dataset {
	ds, _ := l.datasetContext(context.Background()) // no error without a context
	return ds
}

// datasetContext is dataset stopped by ctx. Scoring the constructs reads
// every respondent's items: ctx is polled before each construct, and
// once it is cancelled the error wraps ctx.Err().
func (l *loader) datasetContext(ctx context.Context) (*Dataset, error) {
	ds := &Dataset{N: l.n, Files: l.files, Title: CleanLabel(l.cb.Title), Columns: map[string]*Column{}, PII: l.pii}
	if l.wcol != nil {
		if w := l.weights.warning(l.wcol.name, l.n); w != nil {
			ds.Warnings = append(ds.Warnings, *w)
		}
	}
	for _, b := range l.cols {
		if !b.skip {
			ds.Columns[b.name] = b.column()
		}
	}
	l.cb.applyLevelsAndLabels(ds.Columns, l.cb.Region, l.cb.Segments)
	d := l.design
	if d.Weight != "" {
		ds.Weights = ds.Columns[d.Weight].num
	}
	if d.FPC != "" {
		ds.FPC = ds.Columns[d.FPC].num
	}
	ds.ID = ds.Columns[d.ID]
	ds.Strata = ds.Columns[d.Strata]
	ds.PSU = ds.Columns[d.PSU]
	ds.Region = ds.Columns[l.cb.Region]
	for _, s := range l.cb.Segments {
		ds.Segments = append(ds.Segments, ds.Columns[s])
	}
	for ri, rule := range l.rules {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("load: %w", err)
		}
		c := &Construct{Name: rule.name, Def: rule.def}
		if l.compact {
			for _, it := range l.items[ri] {
				c.Items = append(c.Items, &Column{Name: it.col.name, Raw: it.col.raw, Label: CleanLabel(l.cb.label(it.col.name, it.col.label)), ValueLabels: it.col.valueLabels, small: it.small})
			}
			c.smallScore = l.scores[ri]
			if l.scoreIsItem(ri) {
				c.smallScore = l.items[ri][0].small.derive(func(x float64) float64 { return x })
			}
			c.smallFlag = c.smallScore.derive(rule.flagOf)
			ds.Constructs = append(ds.Constructs, c)
			continue
		}
		vals := make([][]float64, len(l.items[ri]))
		for k, it := range l.items[ri] {
			vals[k] = it.vals
			if vals[k] == nil {
				vals[k] = []float64{}
			}
			c.Items = append(c.Items, &Column{Name: it.col.name, Raw: it.col.raw, Label: CleanLabel(l.cb.label(it.col.name, it.col.label)), ValueLabels: it.col.valueLabels, num: vals[k]})
		}
		c.score, c.flag = rule.score(vals, l.n)
		ds.Constructs = append(ds.Constructs, c)
	}
	return ds, nil
}
