package survey

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode"
)

func TestLooksLikePII(t *testing.T) {
	tests := []struct {
		v    string
		want PIIKind
	}{
		{"ann@example.org", PIIEmail},
		{"mailto:ann.b+tag@mail.example.co.uk", PIIEmail},
		{"write to <bob@example.com> please", PIIEmail},
		{"@handle", 0},
		{"a@b", 0},
		{"+49 170 1234567", PIIPhone},
		{"(555) 123-4567", PIIPhone},
		{"4915100000006", PIIPhone},  // country code 49, no +
		{"+4915100000006", PIIPhone}, // with +
		{"004915100000006", PIIPhone},
		{"01701234567", PIIPhone},  // national, trunk 0
		{"5555550123", PIIPhone},   // North American, 10 digits
		{"15555550123", PIIPhone},  // with its 1
		{"447700900123", PIIPhone}, // UK with 44
		{"1234567", 0},             // a count, not a phone
		{"100000001", 0},           // a 9-digit id
		{"1000000001", 0},          // 10 digits starting with 1: not North American
		{"10234567890", 0},         // 11 digits starting 10: a SurveyMonkey-like id
		{"0000012345", 0},          // zero-padded id
		{"1 234 567", 0},           // grouped number
		{"2021-03-04", 0},
		{"0.8366183906", 0}, // a weight
		{"-1234.5678", 0},
		{"192.168.10.7", PIIIP},
		{"2001:db8::1", PIIIP},
		{"1.0.0.2", 0}, // a version number
		{"12:30:00", 0},
		{"Agree", 0},
		{"", 0},
	}
	for _, tc := range tests {
		if got := LooksLikePII(tc.v); got != tc.want {
			t.Errorf("LooksLikePII(%q) = %v, want %v", tc.v, got, tc.want)
		}
	}
}

func TestClassifyPII(t *testing.T) {
	tests := []struct {
		v    string
		want PIIKind // a kind the mask must hold; 0: the mask is empty
	}{
		{"12 Baker Street", PIIAddress},
		{"Hauptstraße 5, 10115 Berlin", PIIAddress},
		{"Musterweg 12", PIIAddress},
		{"221B Baker St.", PIIAddress},
		{"SW1A 1AA", PIIAddress},
		{"m1 1ae", PIIAddress},
		{"Anna Schmidt", PIIName},
		{"O'Brien, Seán", PIIName},
		{"Strongly Agree", 0},
		{"United States", 0},
		{"I would not share my location with anyone", PIIFreeText},
		{"3", 0},
		{"Yes", 0},
	}
	for _, tc := range tests {
		got := classifyPII(tc.v)
		if tc.want == 0 && got != 0 || tc.want != 0 && got&(1<<tc.want) == 0 {
			t.Errorf("classifyPII(%q) = %b, want bit of %v", tc.v, got, tc.want)
		}
	}
}

// cycle returns n values cycling through vs.
func cycle(n int, vs ...string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = vs[i%len(vs)]
	}
	return out
}

func numbered(n int, format string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf(format, i)
	}
	return out
}

func TestPIIScannerColumns(t *testing.T) {
	firsts := []string{"Anna", "Ben", "Clara", "David", "Eva", "Felix", "Greta"}
	tests := []struct {
		name   string
		header string
		values []string
		kind   PIIKind // 0: not reported
		count  int
	}{
		{"one planted e-mail", "q7", append(cycle(99, "1", "2", "3"), "x@example.org"), PIIEmail, 1},
		{"ip addresses", "ip", numbered(30, "10.0.%d.1"), PIIIP, 30},
		{"addresses", "addr", numbered(30, "%d Baker Street"), PIIAddress, 30},
		{"postcodes", "pc", cycle(30, "SW1A 1AA", "M1 1AE", "EC1A 1BB", "W1A 0AX", "B33 8TH"), PIIAddress, 30},
		{"first names by header", "first_name", cycle(40, firsts...), PIIName, 40},
		{"single words without a name header", "country", cycle(40, firsts...), 0, 0},
		{"few distinct words with a name header", "name", cycle(40, "Yes", "No"), 0, 0},
		{"bare phones", "mobile", numbered(30, "49151000000%02d"), PIIPhone, 30},
		{"ids", "rid", numbered(30, "%d"), 0, 0},
		{"answer labels", "q1", cycle(40, "Strongly Agree", "Somewhat Agree", "Neither Agree Nor Disagree", "Somewhat Disagree", "Strongly Disagree"), 0, 0},
		{"sparse free text", "comment", append(cycle(80, ""), numbered(20, "I stopped using the app %d times because of ads")...), PIIFreeText, 20},
		{"missing only", "x", cycle(10, "", " "), 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := NewPIIScanner("f.csv", []string{"other", tc.header})
			for _, v := range tc.values {
				s.Add([]string{"1", v})
			}
			got := s.Columns()
			if tc.kind == 0 {
				if len(got) != 0 {
					t.Errorf("Columns() = %v, want none", got)
				}
				return
			}
			if len(got) != 1 || got[0].Kind != tc.kind || got[0].Count != tc.count || got[0].Index != 1 || got[0].Column != tc.header {
				t.Fatalf("Columns() = %+v, want column %q (index 1) as %v, count %d", got, tc.header, tc.kind, tc.count)
			}
			msg := got[0].String()
			for _, v := range tc.values {
				if v := strings.TrimSpace(v); len(v) > 3 && strings.Contains(msg, v) {
					t.Errorf("String() = %q echoes %q", msg, v)
				}
			}
		})
	}
}

func TestPIIScannerSamplesLongFiles(t *testing.T) {
	s := NewPIIScanner("big.csv", []string{"v"})
	n := piiFullRows + 10*piiSampleEvery
	for i := 1; i <= n; i++ {
		v := "3"
		if i > piiFullRows && i%piiSampleEvery == 0 {
			v = "someone@example.org" // in the sampled rows beyond the full scan
		}
		s.Add([]string{v})
	}
	got := s.Columns()
	if len(got) != 1 || got[0].Kind != PIIEmail || got[0].Count != 10 || !got[0].Sampled || got[0].Values != piiFullRows+10 {
		t.Fatalf("Columns() = %+v, want e-mail, 10 of %d values scanned", got, piiFullRows+10)
	}
	if !strings.Contains(got[0].String(), "values scanned") {
		t.Errorf("String() = %q, want it to say the values were scanned, not all read", got[0].String())
	}
}

func TestScanPII(t *testing.T) {
	m := &memTable{name: "t.csv", header: []string{"id", "email"}}
	for i := 0; i < 5; i++ {
		m.rows = append(m.rows, []string{fmt.Sprint(i), fmt.Sprintf("p%d@example.org", i)})
	}
	got, err := ScanPII(context.Background(), m)
	if err != nil || len(got) != 1 || got[0].Column != "email" || got[0].Count != 5 {
		t.Fatalf("ScanPII = %v, %v, want email with 5 values", got, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ScanPII(ctx, &memTable{name: "t.csv", header: []string{"a"}, rows: [][]string{{"1"}}}); !errors.Is(err, context.Canceled) {
		t.Errorf("ScanPII(cancelled) error = %v, want context.Canceled", err)
	}
}

// piiStudy is a file whose "contact" column holds e-mail addresses and
// whose "phone" column holds bare phone numbers, with a harmless "grp".
func piiStudy(t *testing.T) *memTable {
	m := &memTable{name: "s.csv", header: []string{"rid", "grp", "contact", "phone", "q1"}}
	for i := 0; i < 30; i++ {
		m.rows = append(m.rows, []string{fmt.Sprint(i + 1), []string{"a", "b"}[i%2], fmt.Sprintf("user%d@example.org", i), fmt.Sprintf("49151000000%02d", i), fmt.Sprint(1 + i%5)})
	}
	return m
}

func TestLoadRefusesPublishedPII(t *testing.T) {
	tests := []struct {
		name    string
		cb      string
		opts    LoadOptions
		refused string // the column named in the problem; "" when the load succeeds
	}{
		{"unused columns are only reported", "design: {id: phone}\nsegments: [grp]\n", LoadOptions{}, ""},
		{"e-mail as a segment", "segments: [contact]\n", LoadOptions{}, "contact"},
		{"e-mail as the region", "region: contact\n", LoadOptions{}, "contact"},
		{"phone as strata", "design: {strata: phone}\n", LoadOptions{}, "phone"},
		{"phone as a --by column", "segments: [grp]\n", LoadOptions{Extra: []string{"phone"}, Categorical: []string{"phone"}}, "phone"},
		{"allowed by raw name", "segments: [contact]\nallow_pii: [contact]\n", LoadOptions{}, ""},
		{"allowed by logical name", "columns: {mail: [contact]}\nsegments: [mail]\nallow_pii: [mail]\n", LoadOptions{}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cb := mustCodebook(t, tc.cb)
			ds, err := Load(context.Background(), cb, tables(piiStudy(t)), tc.opts)
			if tc.refused == "" {
				if err != nil {
					t.Fatalf("Load error = %v, want none", err)
				}
				if len(ds.PII) != 2 {
					t.Errorf("Dataset.PII = %v, want contact and phone", ds.PII)
				}
				return
			}
			var pe *ProblemsError
			if !errors.As(err, &pe) {
				t.Fatalf("Load error = %v, want a *ProblemsError refusing %q", err, tc.refused)
			}
			found := false
			for _, p := range pe.Problems {
				if p.Column == tc.refused || strings.HasSuffix(p.Column, tc.refused) {
					found = true
				}
			}
			if !found {
				t.Errorf("Load problems = %v, want one about %q", pe.Problems, tc.refused)
			}
			if strings.Contains(err.Error(), "@example.org") || strings.Contains(err.Error(), "4915100000") {
				t.Errorf("Load error %q echoes a value", err)
			}
			if !strings.Contains(err.Error(), "allow_pii") {
				t.Errorf("Load error %q does not name the opt-in key", err)
			}
		})
	}
}

func TestDuplicateIDNotShown(t *testing.T) {
	m := &memTable{name: "d.csv", header: []string{"rid", "q1"}, rows: [][]string{{"4915100000006", "1"}, {"x@example.org", "2"}, {"4915100000006", "3"}, {"x@example.org", "4"}, {"Anna Meyer", "1"}, {"Anna Meyer", "1"}}}
	problems, _, err := Validate(context.Background(), mustCodebook(t, "design: {id: rid}\n"), tables(m), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`d.csv: row 4, column "rid": duplicate id (the same as row 2; the id is not shown)`,
		`d.csv: row 5, column "rid": duplicate id (the same as row 3; the id is not shown)`,
		`d.csv: row 7, column "rid": duplicate id (the same as row 6; the id is not shown)`,
	}
	var got []string
	for _, p := range problems {
		got = append(got, p.String())
		if p.Value != "" {
			t.Errorf("problem %q keeps Value %q", p, p.Value)
		}
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Validate problems =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// FuzzPIIScanner checks that the scanner never panics and that its
// messages never contain a scanned value that has letters in it (numbers
// may coincide with counts).
func FuzzPIIScanner(f *testing.F) {
	for _, s := range []string{"ann@example.org", "+49 170 1234567", "4915100000006", "12 Baker Street", "SW1A 1AA", "Anna Schmidt", "10.1.2.3", "I would never share it", "", "\xff\xfe"} {
		f.Add("name", s, s)
	}
	f.Fuzz(func(t *testing.T, header, a, b string) {
		s := NewPIIScanner("f.csv", []string{header, "x"})
		for i := 0; i < 12; i++ {
			s.Add([]string{a, b})
			s.Add([]string{b + fmt.Sprint(i), a})
		}
		_ = LooksLikePII(a)
		for _, c := range s.Columns() {
			msg := c.String()
			for _, v := range []string{strings.TrimSpace(a), strings.TrimSpace(b)} {
				if len(v) >= 4 && strings.IndexFunc(v, unicode.IsLetter) >= 0 && !strings.Contains(header, v) && !strings.Contains("f.csv column x values scanned look like "+c.Kind.String(), v) && strings.Contains(msg, v) {
					t.Errorf("String() = %q contains the value %q", msg, v)
				}
			}
		}
	})
}
