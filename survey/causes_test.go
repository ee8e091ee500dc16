package survey

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestCausesOneMessage: rows that share a cause are one problem that
// counts them, names the first few, lists up to ten distinct answers and
// gives the values: block to paste.
func TestCausesOneMessage(t *testing.T) {
	concern := []string{"Not concerned at all", "Not very concerned", "Somewhat concerned", "Very concerned"}
	var big strings.Builder
	big.WriteString("q\n")
	for i := range 3216 {
		big.WriteString(concern[(i*7)%4] + "\n")
	}
	var many strings.Builder
	many.WriteString("q\n")
	for i := range 30 {
		fmt.Fprintf(&many, "answer %d\n", i)
	}
	for _, tt := range []struct {
		name, cb string
		files    []string
		rows     int      // Rows of the one problem
		msg      []string // in its message
		hint     []string // in its hint, in this order
	}{
		{"text in a numeric item", `constructs: {concern: {items: [q], scale: [1, 4], flag: ">= 3"}}`, []string{"k.csv", big.String()}, 3216,
			[]string{`3,216 rows (rows 2, 3, 4, 5, 6, …) have text answers, not numbers, in item "q" of construct "concern"`,
				`"Not concerned at all", "Very concerned", "Somewhat concerned", "Not very concerned"`, "values: block"},
			[]string{`paste into construct "concern" (the concern scale, lowest first)`, "    values:", `"Not concerned at all": 1`, `"Not very concerned": 2`, `"Somewhat concerned": 3`, `"Very concerned": 4`}},
		{"two files", `constructs: {concern: {items: [q]}}`, []string{"a.csv", "q\nAgree\nDisagree\n", "b.csv", "q\nStrongly agree\nDon't know\n"}, 4,
			[]string{`4 rows (a.csv rows 2, 3; b.csv rows 2, 3)`, `"Agree", "Disagree", "Strongly agree", "Don't know"`},
			[]string{"the agreement scale", `Disagree: 1`, `Agree: 2`, `"Strongly agree": 3`, `add to missing: ["Don't know"]`}},
		{"answer missing from values", `constructs: {c: {items: [q], values: {"Not at all likely": 1, "Very likely": 4}}}`, []string{"d.csv", "q\nSomewhat likely\nVery likely\nSomewhat unlikely\nSomewhat likely\n"}, 3,
			[]string{`3 rows (rows 2, 4, 5) have answers in item "q" of construct "c" that are neither in values: nor numbers: "Somewhat likely", "Somewhat unlikely"`},
			[]string{"the likelihood scale", `"Not at all likely": 1`, `"Somewhat unlikely": 2`, `"Somewhat likely": 3`, `"Very likely": 4`}},
		{"ten answers shown", `constructs: {c: {items: [q]}}`, []string{"d.csv", many.String()}, 30,
			[]string{`"answer 0"`, `"answer 9", and 20 more`}, nil},
		{"selected in a count", `constructs: {protection: {items: [a, b], score: count}}`, []string{"d.csv", "a,b\nSelected,Not selected\nNot selected,Selected\n"}, 2,
			[]string{`2 rows (rows 2, 3) have answers in 2 items of construct "protection" ("a", "b") that are not yes/no answers`},
			[]string{"the selected scale", `"Not selected": 0`, `Selected: 1`}},
		{"codes outside the scale", `constructs: {c: {items: [q], scale: [1, 5]}}`, []string{"d.csv", "q\n99\n3\n99\n-9\n"}, 3,
			[]string{`3 rows (rows 2, 4, 5) have answers in item "q" of construct "c" outside the scale [1, 5]: "99", "-9"`},
			[]string{`add to missing: ["99", "-9"]`}},
		{"weights", `design: {weight: w}`, []string{"d.csv", "w\nx\n1\nn/a\nx\n"}, 3,
			[]string{`3 rows (rows 2, 4, 5) have weight values that are not numbers: "x", "n/a"`}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cb := mustCodebook(t, tt.cb)
			var ts []*memTable
			for i := 0; i < len(tt.files); i += 2 {
				ts = append(ts, newMemTable(t, tt.files[i], tt.files[i+1]))
			}
			_, err := Load(context.Background(), cb, tables(ts...), LoadOptions{})
			var pe *ProblemsError
			if !errors.As(err, &pe) || len(pe.Problems) != 1 || pe.More != 0 {
				t.Fatalf("Load error = %v, want one problem", err)
			}
			p := pe.Problems[0]
			if p.Rows != tt.rows {
				t.Errorf("Rows = %d, want %d", p.Rows, tt.rows)
			}
			for _, w := range tt.msg {
				if !strings.Contains(p.Msg, w) {
					t.Errorf("Msg = %q, want it to contain %q", p.Msg, w)
				}
			}
			at := 0
			for _, w := range tt.hint {
				i := strings.Index(p.Hint[at:], w)
				if i < 0 {
					t.Errorf("Hint = %q, want %q after position %d", p.Hint, w, at)
					break
				}
				at += i + len(w)
			}
			if len(tt.hint) == 0 && p.Hint != "" {
				t.Errorf("Hint = %q, want none", p.Hint)
			}
			if !strings.Contains(p.String(), strings.TrimRight(p.Hint, "\n")) || strings.Contains(p.String(), fmt.Sprintf("row %d,", p.Row)) {
				t.Errorf("String() = %q, want the hint and no single row", p.String())
			}
		})
	}
}

// TestCauseHintPastes: the values: block of a hint, pasted into the
// construct, makes the data load.
func TestCauseHintPastes(t *testing.T) {
	data := "q1,q2\nStrongly agree,Very comfortable\nDisagree,Somewhat uncomfortable\nNeither agree nor disagree,Very uncomfortable\nAgree,Somewhat comfortable\nStrongly disagree,Don't know\n"
	cb := mustCodebook(t, "constructs:\n  c:\n    items: [q1, q2]\n")
	_, err := Load(context.Background(), cb, tables(newMemTable(t, "d.csv", data)), LoadOptions{})
	var pe *ProblemsError
	if !errors.As(err, &pe) || len(pe.Problems) != 1 {
		t.Fatalf("Load = %v, want one problem", err)
	}
	var block []string
	missing := ""
	for _, line := range strings.Split(pe.Problems[0].Hint, "\n") {
		switch {
		case strings.HasPrefix(line, "    "):
			block = append(block, line)
		case strings.Contains(line, "add to missing: "):
			missing = line[strings.Index(line, "add to missing: ")+len("add to missing: "):]
		}
	}
	fixed := "missing: " + missing + "\nconstructs:\n  c:\n    items: [q1, q2]\n" + strings.Join(block, "\n") + "\n"
	cb2, err := ParseCodebook(strings.NewReader(fixed), "fixed.yaml")
	if err != nil {
		t.Fatalf("the codebook with the hint pasted does not parse: %v\n%s", err, fixed)
	}
	ds, err := Load(context.Background(), cb2, tables(newMemTable(t, "d.csv", data)), LoadOptions{})
	if err != nil {
		t.Fatalf("Load with the hint pasted: %v\n%s", err, fixed)
	}
	// Strongly agree (5) and Very comfortable (4): mean 4.5.
	if got := ds.Construct("c").score[0]; got != 4.5 {
		t.Errorf("score of respondent 1 = %v, want 4.5\n%s", got, fixed)
	}
}
