package survey

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestProblemString(t *testing.T) {
	tests := []struct {
		p    Problem
		want string
	}{
		{Problem{File: "data.csv", Row: 17, Column: "pc2", Value: "Very much", Msg: `"Very much" is not a number and not in values`},
			`data.csv: row 17, column "pc2": "Very much" is not a number and not in values`},
		{Problem{File: "codebook.yaml", Line: 3, Msg: `unknown key "x"`}, `codebook.yaml: line 3: unknown key "x"`},
		{Problem{File: "b.csv", Column: "country", Msg: "not found"}, `b.csv: column "country": not found`},
		{Problem{Column: "pc3", Msg: "missing for every respondent"}, `column "pc3": missing for every respondent`},
		{Problem{File: "a.csv", Msg: "empty"}, `a.csv: empty`},
	}
	for _, tc := range tests {
		if got := tc.p.String(); got != tc.want {
			t.Errorf("%+v.String() = %q, want %q", tc.p, got, tc.want)
		}
	}
}

// TestProblemsErrorOneLinePerCause: a file-level problem that several
// files share is one line naming them all; a row's problem, or a file
// problem with another message, keeps its own line.
func TestProblemsErrorOneLinePerCause(t *testing.T) {
	missing := "no column \"regio\" in the header or under columns:"
	for _, tc := range []struct {
		name  string
		probs []Problem
		want  string
	}{
		{"shared by two files", []Problem{{File: "a.csv", Column: "regio", Msg: missing}, {File: "b.csv", Column: "regio", Msg: missing}},
			`a.csv, b.csv: column "regio": ` + missing},
		{"other messages", []Problem{{File: "a.csv", Column: "x", Msg: "m1"}, {File: "b.csv", Column: "x", Msg: "m2"}},
			"a.csv: column \"x\": m1\nb.csv: column \"x\": m2"},
		{"rows stay apart", []Problem{{File: "a.csv", Row: 3, Column: "x", Msg: "m"}, {File: "b.csv", Row: 3, Column: "x", Msg: "m"}},
			"a.csv: row 3, column \"x\": m\nb.csv: row 3, column \"x\": m"},
		{"three files, order kept", []Problem{{File: "a.csv", Column: "x", Msg: "m"}, {File: "b.csv", Column: "y", Msg: "n"}, {File: "c.csv", Column: "x", Msg: "m"}},
			"a.csv, c.csv: column \"x\": m\nb.csv: column \"y\": n"},
	} {
		got := (&ProblemsError{Problems: tc.probs}).Error()
		if got != tc.want {
			t.Errorf("%s: Error() = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestValidate(t *testing.T) {
	cb, err := ParseCodebook(strings.NewReader(`title: study
desing: {weight: wt}
design: {id: rid, weight: wt}
constructs:
  concern: {items: [pc1, pc2], values: {"Not at all": 1, "Very": 4}, scale: [1, 4]}
`), "codebook.yaml")
	if cb == nil || err == nil {
		t.Fatalf("ParseCodebook = %v, %v, want a codebook and its problem", cb, err)
	}
	a := newMemTable(t, "a.csv", "rid,wt,pc1,pc2\n1,1,Very,\n2,-1,Very much,\n3,x,5,\n")
	b := newMemTable(t, "b.csv", "rid,wt,pc1,pc2\n4,1,Not at all,\n2,1,Very,\n")
	problems, warnings, err := Validate(context.Background(), cb, tables(a, b), LoadOptions{MaxProblems: 1})
	if err != nil {
		t.Fatalf("Validate: %v", err)
	}
	want := []string{
		`codebook.yaml: line 2: unknown key "desing" in the codebook; did you mean "design"?`,
		`a.csv: row 3, column "wt": weight "-1" is negative`,
		`a.csv: row 3, column "pc1": "Very much" is not a number and not in values`,
		`a.csv: row 4, column "wt": weight "x" is not a number`,
		`a.csv: row 4, column "pc1": "5" is outside the scale [1, 4]`,
		`b.csv: row 3, column "rid": duplicate id (the same as a.csv row 3; the id is not shown); if each file numbers its respondents afresh (waves whose ids restart at 1), add id_scope: file to the codebook's design:`,
		`column "pc2": item of construct "concern" is missing for every respondent`,
	}
	var got []string
	for _, p := range problems {
		got = append(got, p.String())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Validate problems =\n%s\nwant (all of them, MaxProblems notwithstanding)\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(warnings) != 0 {
		t.Errorf("Validate warnings = %v, want none", warnings)
	}
}

func TestValidateClean(t *testing.T) {
	cb := mustCodebook(t, `design: {id: rid}
segments: [sex]`)
	problems, warnings, err := Validate(context.Background(), cb, tables(newMemTable(t, "a.csv", "rid,sex\n1,f\n2,m\n")), LoadOptions{})
	if err != nil || len(problems) != 0 || len(warnings) != 0 {
		t.Errorf("Validate(clean study) = %v, %v, %v, want nothing", problems, warnings, err)
	}
}

func TestValidateReaderError(t *testing.T) {
	cb := mustCodebook(t, `segments: [a]`)
	m := newMemTable(t, "a.csv", "a\n1\n2\n")
	m.failAt = 1
	if _, _, err := Validate(context.Background(), cb, tables(m), LoadOptions{}); err == nil {
		t.Errorf("Validate(failing reader) error = nil, want the reader's error")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := Validate(ctx, cb, tables(newMemTable(t, "a.csv", "a\n1\n")), LoadOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Validate(cancelled) error = %v, want context.Canceled", err)
	}
}

// identifierTable builds a 20-respondent file whose column "v" holds the
// given values (cycled) and whose column "other" holds harmless answers.
func identifierTable(t *testing.T, values []string) *memTable {
	m := &memTable{name: "ids.csv", header: []string{"v", "other"}}
	for i := 0; i < 20; i++ {
		m.rows = append(m.rows, []string{values[i%len(values)], []string{"Agree", "Disagree"}[i%2]})
	}
	return m
}

func TestValidateIdentifierWarnings(t *testing.T) {
	emails := make([]string, 20)
	for i := range emails {
		emails[i] = fmt.Sprintf("person%d@example.org", i)
		if i >= 12 {
			emails[i] = "" // unanswered
		}
	}
	// Real names and comments are mostly distinct.
	first := []string{"Anna", "John", "Marie-Claire", "Seán", "Li"}
	last := []string{"Schmidt", "Smith", "O'Brien", "Wei"}
	var names, comments []string
	for i := 0; i < 20; i++ {
		names = append(names, first[i%5]+" "+last[i/5])
		comments = append(comments, fmt.Sprintf("I think question %d was far too long", i))
	}
	names[0] = "Jan de Vries" // not capitalised throughout
	const pre = `ids.csv: column "v": `
	const post = ` (personal data: remove the column before sharing the file)`
	tests := []struct {
		name   string
		values []string
		want   string // "" for no warning
	}{
		{"e-mail", emails, pre + "12 of 12 values look like e-mail addresses" + post},
		{"e-mail among text", []string{"no", "call me: bob@mail.example.com", "no", "no"}, pre + "5 of 20 values look like e-mail addresses" + post},
		{"phones", []string{"+49 170 1234567", "(555) 123-4567", "0170/1234567", "n/a"}, pre + "15 of 20 values look like phone numbers" + post},
		{"bare phones", []string{"4915100000006", "447700900123", "15555550123", "01701234567"}, pre + "20 of 20 values look like phone numbers" + post},
		{"dates are not phones", []string{"2021-03-04", "04.03.2021", "1999/12/31"}, ""},
		{"names", names, pre + "19 of 20 values look like person names" + post},
		{"regions are not names", []string{"United States", "Great Britain", "New Zealand"}, ""},
		{"free text", comments, pre + "20 of 20 values look like free text" + post},
		{"answer labels are not free text", []string{"Not acceptable at all", "Somewhat acceptable in most cases"}, ""},
		{"codes", []string{"A1", "B2", "C3"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// The codebook does not use v: every column is scanned.
			cb := mustCodebook(t, `segments: [other]`)
			problems, warnings, err := Validate(context.Background(), cb, tables(identifierTable(t, tc.values)), LoadOptions{})
			if err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if len(problems) > 0 {
				t.Errorf("Validate problems = %v, want none (v is not published)", problems)
			}
			var got string
			if len(warnings) > 1 {
				t.Fatalf("Validate warnings = %v, want at most one", warnings)
			}
			if len(warnings) == 1 {
				got = warnings[0].String()
			}
			if got != tc.want {
				t.Errorf("Validate warning = %q, want %q", got, tc.want)
			}
			// The warning must never echo a value.
			for _, v := range tc.values {
				if v != "" && strings.Contains(got, v) {
					t.Errorf("warning %q echoes the value %q", got, v)
				}
			}
		})
	}
}
