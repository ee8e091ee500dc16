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
	// Kind is the problem's kind for errors.Is on a *ProblemsError
	// (ErrDecimalComma, …); nil for most problems.
	Kind error
	// Rows is the number of rows that share the problem's cause when the
	// problem stands for them all (Row is then the first of them, and Msg
	// counts and lists them); 0 for a problem of one row or none.
	Rows int
	// Hint is codebook text that fixes the cause, to paste (a values:
	// block in scale order), or ""; String shows it on lines of its own.
	Hint string

	cause  problemCause // what rows with the same problem share
	answer string       // the whole trimmed cell, when it may be quoted
	// placeholder keeps a cause's place in a problem list until the
	// cause's rows are all seen.
	placeholder *causeAgg
}

// String formats the problem as `file: row 17, column "pc2": msg`.
func (p Problem) String() string {
	var loc []string
	if p.Line > 0 {
		loc = append(loc, fmt.Sprintf("line %d", p.Line))
	}
	if p.Row > 0 && p.Rows <= 1 {
		// A problem of several rows lists them in Msg.
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
	if p.Hint != "" {
		b.WriteString("\n")
		b.WriteString(strings.TrimRight(p.Hint, "\n"))
	}
	return b.String()
}

// ProblemsError is the error Load and ParseCodebook return for problems in
// the data or the codebook, listing them all (up to a limit).
type ProblemsError struct {
	Problems []Problem
	More     int // problems found beyond the limit and left out of Problems
}

// Error lists the problems a line each, as ProblemLines does.
func (e *ProblemsError) Error() string {
	lines := ProblemLines(e.Problems)
	if e.More > 0 {
		lines = append(lines, fmt.Sprintf("... and %d more", e.More))
	}
	return strings.Join(lines, "\n")
}

// ProblemLines formats problems a line each (Problem.String), except that
// a problem of a whole file that several files share (a column none of
// them has) is one line naming them all: one message per cause.
func ProblemLines(problems []Problem) []string {
	lines := make([]string, 0, len(problems)+1)
	type fileLevel struct{ column, value, msg, hint string }
	at := map[fileLevel]int{} // the line index of a file-level problem
	files := map[int][]string{}
	for _, p := range problems {
		if p.File != "" && p.Row == 0 && p.Line == 0 {
			k := fileLevel{p.Column, p.Value, p.Msg, p.Hint}
			if i, ok := at[k]; ok {
				files[i] = append(files[i], p.File)
				q := p
				q.File = strings.Join(files[i], ", ")
				lines[i] = q.String()
				continue
			}
			at[k] = len(lines)
			files[len(lines)] = []string{p.File}
		}
		lines = append(lines, p.String())
	}
	return lines
}

// Warning is something that may be wrong but does not stop an analysis,
// such as a column that looks like it holds direct identifiers. Its message
// never repeats the values that prompted it.
type Warning struct {
	File   string // "" when not about one file
	Column string
	Msg    string
}

// String formats the warning as `file: column "email": msg`.
func (w Warning) String() string {
	s := fmt.Sprintf("column %q: %s", shortValue(w.Column), w.Msg)
	if w.File != "" {
		s = w.File + ": " + s
	}
	return s
}

// PIIWarnings turns PII findings into warnings that count values and
// never show one.
func PIIWarnings(found []PIIColumn) []Warning {
	out := make([]Warning, 0, len(found))
	for _, f := range found {
		scanned := "values"
		if f.Sampled {
			scanned = "values scanned"
		}
		out = append(out, Warning{File: f.File, Column: f.Column,
			Msg: fmt.Sprintf("%d of %d %s look like %s (personal data: remove the column before sharing the file)", f.Count, f.Values, scanned, f.Kind)})
	}
	return out
}

// Validate checks a study without stopping at the first problem: it reads
// every table as Load would (see Load) and returns every problem, not just
// the first opts.MaxProblems. Beyond what Load checks it reports the
// codebook's own problems (see ParseCodebook: pass the codebook it returned
// along with its error), duplicate respondent ids and construct items that
// are missing for every respondent.
//
// The warnings flag every column of every file, referenced by the codebook
// or not, that looks like direct identifiers (see PIIScanner), so that
// they can be dropped before data are shared. Their messages count values
// and never echo them. A published column (region, segment, strata, an
// Extra or Categorical column) that looks so is a problem unless the
// codebook's allow_pii lists it.
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
	ds, err := l.datasetContext(ctx)
	if err != nil {
		return nil, nil, err
	}
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
	return problems, PIIWarnings(l.pii), nil
}

// redactProblem hides a problem's value when the cell it comes from,
// full, looks like an e-mail address, a phone number or an IP address
// (LooksLikePII): in Value and
// wherever Msg quotes it. Problem lists are pasted into tickets and
// e-mails; the row and column say where to look.
func redactProblem(pr Problem, full string) Problem {
	v := strings.TrimSpace(full)
	var kind string
	if pr.Value == "" {
		return pr
	}
	switch LooksLikePII(v) {
	case PIIEmail:
		kind = "an e-mail address"
	case PIIPhone:
		kind = "a phone number"
	case PIIIP:
		kind = "an IP address"
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
	return digits >= 7 && digits <= 15 && seps > 0 && !looksLikeDate(s) && !looksLikeDecimal(s)
}

// looksLikeDecimal matches a signed decimal number such as 0.8366183906 or
// -12.5 (a weight), which the phone rule's dots would otherwise take for
// separators.
func looksLikeDecimal(s string) bool {
	s = strings.TrimLeft(s, "+-")
	i := strings.IndexAny(s, ".,")
	if i < 0 || strings.ContainsAny(s[i+1:], ".,") {
		return false
	}
	return i > 0 && i < len(s)-1 && strings.Trim(s[:i], "0123456789") == "" && strings.Trim(s[i+1:], "0123456789") == ""
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
		w = strings.TrimSuffix(w, ",") // Last, First
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
