package survey

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// Problem is one thing wrong with a codebook or a data file.
type Problem struct {
	File   string // data file or codebook name; "" for a problem of the whole study
	Row    int    // data row as a spreadsheet shows it; 0 when not about one row
	Line   int    // codebook line; 0 when not about a codebook line
	Column string // logical column name; "" when not about a column
	Value  string // offending cell, cut to about 40 characters; "" when none
	Msg    string // what is wrong, lower-case, quoting the value where it helps
}

// String formats the problem as `file: row 17, column "pc2": msg`.
func (p Problem) String() string {
	var loc []string
	if p.Line > 0 {
		loc = append(loc, fmt.Sprintf("line %d", p.Line))
	}
	if p.Row > 0 {
		loc = append(loc, fmt.Sprintf("row %d", p.Row))
	}
	if p.Column != "" {
		loc = append(loc, fmt.Sprintf("column %q", shortValue(p.Column)))
	}
	var b strings.Builder
	if p.File != "" {
		b.WriteString(p.File)
		b.WriteString(": ")
	}
	if len(loc) > 0 {
		b.WriteString(strings.Join(loc, ", "))
		b.WriteString(": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// ProblemsError is the error Load and ParseCodebook return for problems in
// the data or the codebook, listing them all (up to a limit).
type ProblemsError struct {
	Problems []Problem
	More     int // problems found beyond the limit and left out of Problems
}

// Error lists the problems one per line.
func (e *ProblemsError) Error() string {
	lines := make([]string, 0, len(e.Problems)+1)
	for _, p := range e.Problems {
		lines = append(lines, p.String())
	}
	if e.More > 0 {
		lines = append(lines, fmt.Sprintf("... and %d more", e.More))
	}
	return strings.Join(lines, "\n")
}

// Warning is something that may be wrong but does not stop an analysis,
// such as a column that looks like it holds direct identifiers. Its message
// never repeats the values that prompted it.
type Warning struct {
	Column string
	Msg    string
}

// String formats the warning as `column "email": msg`.
func (w Warning) String() string {
	return fmt.Sprintf("column %q: %s", shortValue(w.Column), w.Msg)
}

// Validate checks a study without stopping at the first problem: it reads
// every table as Load would (see Load) and returns every problem, not just
// the first opts.MaxProblems. Beyond what Load checks it reports the
// codebook's own problems (see ParseCodebook: pass the codebook it returned
// along with its error), duplicate respondent ids and construct items that
// are missing for every respondent.
//
// The warnings flag loaded categorical columns that look like direct
// identifiers (e-mail addresses, phone numbers, person names, free text),
// so that they can be dropped before data are shared. Their messages count
// values and never echo them.
//
// The error is for failures that stop the reading (a reader error, ctx
// cancelled), not for problems in the study.
func Validate(ctx context.Context, cb *Codebook, tables []TableReader, opts LoadOptions) ([]Problem, []Warning, error) {
	if cb == nil {
		panic("survey: Validate with nil codebook")
	}
	problems := cb.problems()
	l := newLoader(cb, opts, 0, true)
	if err := l.read(ctx, tables); err != nil {
		return nil, nil, err
	}
	problems = append(problems, l.problems.list...)
	ds := l.dataset()
	reported := map[string]bool{}
	for ri, rule := range l.rules {
		for _, it := range l.items[ri] {
			b := it.col
			if !b.found || b.present > 0 || reported[b.name] || ds.N == 0 {
				continue
			}
			reported[b.name] = true
			problems = append(problems, Problem{Column: b.name, Msg: fmt.Sprintf("item of construct %q is missing for every respondent", rule.name)})
		}
	}
	var warnings []Warning
	for _, b := range l.cols {
		col := ds.Columns[b.name]
		if col.IsNumeric() {
			continue
		}
		if msg := identifierLike(col); msg != "" {
			warnings = append(warnings, Warning{Column: b.name, Msg: msg})
		}
	}
	return problems, warnings, nil
}

// identifierLike says what kind of direct identifier a categorical column
// seems to hold, or "". The rules look at distinct values weighted by how
// often they occur:
//   - e-mail addresses: any value like local@domain.tld;
//   - phone numbers: at least half the values are 7 to 15 digits written
//     with +, spaces, dashes, dots or brackets (dates excluded);
//   - person names: at least half the values are 2 to 4 capitalised words
//     and they are mostly distinct (a region such as "United States"
//     repeats);
//   - free text: at least half the values have 4 or more words and they are
//     mostly distinct (answer labels repeat).
func identifierLike(col *Column) string {
	counts := make([]int, len(col.Levels))
	total := 0
	for _, k := range col.Codes {
		if k >= 0 {
			counts[k]++
			total++
		}
	}
	if total == 0 {
		return ""
	}
	tally := func(is func(string) bool) (values, distinct int) {
		for k, l := range col.Levels {
			if counts[k] > 0 && is(l) {
				values += counts[k]
				distinct++
			}
		}
		return values, distinct
	}
	if n, _ := tally(looksLikeEmail); n > 0 {
		return fmt.Sprintf("looks like e-mail addresses (%d of %d values)", n, total)
	}
	if n, _ := tally(looksLikePhone); 2*n >= total {
		return fmt.Sprintf("looks like phone numbers (%d of %d values)", n, total)
	}
	mostlyDistinct := func(n, distinct int) bool {
		return 2*n >= total && distinct >= 5 && 2*distinct >= n
	}
	if n, d := tally(looksLikeName); mostlyDistinct(n, d) {
		return fmt.Sprintf("looks like person names (%d of %d values)", n, total)
	}
	if n, d := tally(looksLikeFreeText); mostlyDistinct(n, d) {
		return fmt.Sprintf("looks like free text (%d of %d values)", n, total)
	}
	return ""
}

// redactProblem hides a problem's value when the cell it comes from,
// full, looks like an e-mail address or a phone number: in Value and
// wherever Msg quotes it. Problem lists are pasted into tickets and
// e-mails; the row and column say where to look.
func redactProblem(pr Problem, full string) Problem {
	v := strings.TrimSpace(full)
	var kind string
	switch {
	case v == "" || pr.Value == "":
		return pr
	case looksLikeEmail(v):
		kind = "an e-mail address"
	case looksLikePhone(v) && !looksLikeGroupedNumber(v):
		kind = "a phone number"
	default:
		return pr
	}
	hidden := "[" + kind + ", not shown]"
	for _, q := range []string{pr.Value, shortValue(v)} {
		pr.Msg = strings.ReplaceAll(pr.Msg, strconv.Quote(q), hidden)
		pr.Msg = strings.ReplaceAll(pr.Msg, q, hidden)
	}
	pr.Value = ""
	return pr
}

// looksLikeGroupedNumber matches a number written with thousands
// separators, such as "1 234 567" or "1.234.567" (a population count in an
// fpc column), which the phone rule would otherwise take for a number to
// hide.
func looksLikeGroupedNumber(s string) bool {
	for _, sep := range []string{" ", ".", ","} {
		groups := strings.Split(s, sep)
		if len(groups) < 2 {
			continue
		}
		ok := true
		for i, g := range groups {
			if g == "" || strings.Trim(g, "0123456789") != "" || (i == 0 && len(g) > 3) || (i > 0 && len(g) != 3) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func looksLikeEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	if at <= 0 || strings.Count(s, "@") != 1 || strings.ContainsAny(s, " \t,;<>") {
		return false
	}
	domain := s[at+1:]
	dot := strings.LastIndexByte(domain, '.')
	if dot <= 0 || len(domain)-dot-1 < 2 {
		return false
	}
	for _, r := range domain[dot+1:] {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

func looksLikePhone(s string) bool {
	digits, seps := 0, 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0:
			seps++
		case r == ' ' || r == '-' || r == '.' || r == '/' || r == '(' || r == ')':
			seps++
		default:
			return false
		}
	}
	return digits >= 7 && digits <= 15 && seps > 0 && !looksLikeDate(s)
}

// looksLikeDate matches d-m-y style dates (1 to 4 digits, separator, 1 or 2
// digits, separator, 1 to 4 digits), which phone numbers rarely are.
func looksLikeDate(s string) bool {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '.' || r == '/' })
	if len(parts) != 3 {
		return false
	}
	for i, p := range parts {
		if len(p) == 0 || len(p) > 4 || (i == 1 && len(p) > 2) || strings.Trim(p, "0123456789") != "" {
			return false
		}
	}
	return true
}

func looksLikeName(s string) bool {
	words := strings.Fields(s)
	if len(words) < 2 || len(words) > 4 {
		return false
	}
	for _, w := range words {
		for i, r := range w {
			switch {
			case i == 0 && !unicode.IsUpper(r):
				return false
			case i > 0 && !unicode.IsLetter(r) && r != '-' && r != '\'' && r != '’' && r != '.':
				return false
			}
		}
	}
	return true
}

func looksLikeFreeText(s string) bool {
	return len(strings.Fields(s)) >= 4
}
