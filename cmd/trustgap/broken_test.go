package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/unicode"

	"github.com/trustgap/trustgap/datasets"
)

// The broken-input tests feed the command line files that are wrong in
// every way a client's files have been, and check that each fails with
// exit status 1 (2 for usage mistakes) and a short message on standard
// error naming the file and the row, column or codebook key, never a
// stack trace. Every input is written to t.TempDir() by the test.

// bkMaxLines is the most lines an error message may take.
const bkMaxLines = 12

const bkCodebook = `title: Broken inputs
design: {weight: w, strata: st, psu: psu}
region: region
constructs:
  c: {items: [q1, q2], scale: [1, 5], flag: ">= 4"}
`

const bkHeader = "region,st,psu,w,q1,q2\n"

// bkGood is a valid study for bkCodebook: two strata of two PSUs.
const bkGood = bkHeader + "A,s1,p1,1,2,3\nA,s1,p2,1.5,4,5\nB,s2,p3,1,2,3\nB,s2,p4,2,5,4\n"

// bkCheckMessage checks an error message: its length, that it names what
// it must, and that it is not a stack trace.
func bkCheckMessage(t *testing.T, args []string, stderr string, want []string) {
	t.Helper()
	if n := strings.Count(strings.TrimRight(stderr, "\n"), "\n") + 1; n > bkMaxLines {
		t.Errorf("trustgap %q: %d lines on stderr, want at most %d:\n%s", args, n, bkMaxLines, stderr)
	}
	for _, w := range want {
		if !strings.Contains(stderr, w) {
			t.Errorf("trustgap %q: stderr does not contain %q:\n%s", args, w, stderr)
		}
	}
	for _, bad := range []string{"goroutine ", "panic:", "internal error", ".go:"} {
		if strings.Contains(stderr, bad) {
			t.Errorf("trustgap %q: stderr has %q (a stack trace or internal error):\n%s", args, bad, stderr)
		}
	}
}

// bkXLSX returns a workbook with one sheet "Data" holding rows; cells that
// parse as numbers are written as numbers.
func bkXLSX(t *testing.T, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Data"); err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		for j, v := range r {
			if v == nil {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if err := f.SetCellValue("Data", cell, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// bkBomb returns a workbook's zip whose one part unpacks to n bytes.
func bkBomb(t *testing.T, n int) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.Create("xl/workbook.xml")
	if err != nil {
		t.Fatal(err)
	}
	w.Write(make([]byte, n))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// bkZip returns a zip archive that is not a workbook.
func bkZip(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.Create("data.csv")
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, bkGood)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestBrokenInputs(t *testing.T) {
	dir := t.TempDir()
	p := func(name string) string { return filepath.Join(dir, name) }
	write := func(name string, b []byte) {
		t.Helper()
		if err := os.WriteFile(p(name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("cb.yaml", []byte(bkCodebook))
	write("good.csv", []byte(bkGood))
	write("empty.csv", nil)
	write("header.csv", []byte(bkHeader))
	write("quote.csv", []byte(bkHeader+"A,s1,p1,1,2,3\nA,s1,p2,1,2,3\nB,s2,p3,1,2,3\nB,s2,\"p4,1,2,3\nB,s2,p4,1,2,3\n"))
	write("ragged.csv", []byte(bkHeader+"A,s1,p1,1,2,3\nA,s1,p2,1,2,3,9\nB,s2,p3,1,2,3\n"))
	write("binary.csv", append([]byte("region,st\x00\x00\x01\x02psu\n"), bytes.Repeat([]byte{0, 0xff, 0x13, 0x37}, 256)...))
	// A 10 MB cell in row 3, column 5.
	write("bigcell.csv", []byte(bkHeader+"A,s1,p1,1,2,3\nA,s1,p2,1,"+strings.Repeat("9", 10<<20)+",3\nB,s2,p3,1,2,3\n"))
	write("weights.csv", []byte(bkHeader+"A,s1,p1,abc,2,3\nA,s1,p2,-1,2,3\nB,s2,p3,Inf,2,3\nB,s2,p4,1e999,2,3\nB,s2,p4,,2,3\n"))
	manyWeights := bkHeader
	for i := 0; i < 200; i++ {
		manyWeights += fmt.Sprintf("A,s1,p%d,n/a,2,3\n", i%2)
	}
	write("manyweights.csv", []byte(manyWeights))
	// German Excel's "Unicode text": tab-separated UTF-16 with decimal commas,
	// which only ;-separated files are read with.
	de16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte("region\tst\tpsu\tw\tq1\tq2\r\nA\ts1\tp1\t1,25\t2\t3\r\nB\ts2\tp3\t1\t2\t3\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	write("unicode-de.txt", de16)
	write("scale.csv", []byte(bkHeader+"A,s1,p1,1,7,3\nA,s1,p2,1,2,0\nB,s2,p3,1,2,3\nB,s2,p4,1,2.5,3\n"))
	write("nostratum.csv", []byte(bkHeader+"A,s1,p1,1,2,3\nA,,p2,1,2,3\nB,s2,p3,1,2,3\nB,s2,p4,1,2,3\n"))
	write("lonely.csv", []byte(bkHeader+"A,s1,p1,1,2,3\nA,s1,p2,1,4,5\nB,s2,p3,1,2,3\nB,s2,p3,2,5,4\n"))
	write("values.yaml", []byte("region: region\nconstructs:\n  t: {items: [q1], values: {\"Très d'accord\": 5, \"Pas d'accord\": 1}, scale: [1, 5], flag: \">= 4\"}\n"))
	write("values.csv", []byte("region,q1\nA,Très d'accord\nA,Tres d accord\nB,Pas d'accord\n"))
	write("syntax.yaml", []byte("title: [unclosed\nregion: region\n"))
	write("tab.yaml", []byte("title: t\n\tregion: region\n"))
	write("unknown.yaml", []byte("title: t\nregion: region\nsegmnets: [st]\nconstructs:\n  c: {items: [q1], scael: [1, 5], flag: \">= 4\"}\n"))
	write("nomatch.yaml", []byte("region: regoin\nconstructs:\n  c: {items: [q1, q9], flag: \">= 4\"}\n"))
	write("ambiguous.csv", []byte("region,Q1,q1 ,q2\nA,1,2,3\n"))
	write("notxlsx.xlsx", []byte(bkGood))
	write("zip.csv", bkZip(t))
	book := bkXLSX(t, [][]any{
		{"region", "st", "psu", "w", "q1", "q2"},
		{"A", "s1", "p1", 1, 2, 3},
		{"A", "s1", "p2", "heavy", 2, 3},
		{"B", "s2", "p3", 1, 2, 3, nil, "stray"},
	})
	write("book.xlsx", book)
	write("book2.xlsx", bkXLSX(t, [][]any{
		{"region", "st", "psu", "w", "q1", "q2"},
		{"A", "s1", "p1", 1, 2, 3},
		{"A", "s1", "p2", "heavy", 2, 3},
		{"B", "s2", "p3", 1.5, 2, 3},
		{"B", "s2", "p4", 1, 6, 3},
	}))
	write("truncated.xlsx", book[:len(book)/2])
	write("mixed.csv", []byte(bkHeader+"Ä,s1,p1,1,2,3\n\xc4,s1,p2,1,2,3\n"))
	write("bomb.xlsx", bkBomb(t, 2<<20))
	if err := os.Mkdir(p("folder.csv"), 0o755); err != nil {
		t.Fatal(err)
	}

	cb := p("cb.yaml")
	tests := []struct {
		name  string
		args  []string
		stdin string
		code  int
		want  []string
	}{
		{"empty file", []string{"--data", p("empty.csv"), "--codebook", cb}, "", 1, []string{"empty.csv", "empty file"}},
		{"header only", []string{"--data", p("header.csv"), "--codebook", cb}, "", 1, []string{"header.csv", "no data rows"}},
		{"unterminated quote", []string{"--data", p("quote.csv"), "--codebook", cb}, "", 1, []string{"quote.csv", "row 5", "quoted cell is not closed"}},
		{"ragged row", []string{"--data", p("ragged.csv"), "--codebook", cb}, "", 1, []string{"ragged.csv row 3", "7 fields, want 6"}},
		{"binary file", []string{"--data", p("binary.csv"), "--codebook", cb}, "", 1, []string{"binary.csv", "NUL bytes", "not a CSV text file"}},
		{"binary on stdin", []string{"--data", "-", "--codebook", cb}, "\x00\x01\x02\x03PK", 1, []string{"read -", "NUL bytes"}},
		{"empty stdin", []string{"--data", "-", "--codebook", cb}, "", 1, []string{"read -", "empty file"}},
		{"10 MB cell", []string{"--data", p("bigcell.csv"), "--codebook", cb}, "", 1, []string{"bigcell.csv row 3 column 5 (q1)", "10 MiB", "cell size limit"}},
		{"bad weights", []string{"--data", p("weights.csv"), "--codebook", cb}, "", 1, []string{"weights.csv: row 2, column \"w\": weight \"abc\" is not a number",
			"row 3, column \"w\": weight \"-1\" is negative", "column \"w\": 2 rows (rows 4, 5) have weight values that are not finite numbers: \"Inf\", \"1e999\"",
			"row 6, column \"w\": weight is missing"}},
		{"many bad weights", []string{"--data", p("manyweights.csv"), "--codebook", cb}, "", 1, []string{"manyweights.csv: column \"w\": 200 rows (rows 2, 3, 4, 5, 6, …) have weight values that are not numbers: \"n/a\""}},
		{"out-of-scale answers", []string{"--data", p("scale.csv"), "--codebook", cb}, "", 1, []string{"scale.csv: 2 rows (rows 2, 3) have answers in 2 items of construct \"c\" (\"q1\", \"q2\") outside the scale [1, 5]: \"7\", \"0\""}},
		{"decimal comma in tab-separated text", []string{"--data", p("unicode-de.txt"), "--codebook", cb}, "", 1, []string{"unicode-de.txt: row 2, column \"w\": weight \"1,25\" is not a number", "(--decimal-comma"}},
		{"missing stratum", []string{"--data", p("nostratum.csv"), "--codebook", cb}, "", 1, []string{"nostratum.csv: row 3, column \"st\": stratum is missing"}},
		{"stratum with one PSU", []string{"--data", p("lonely.csv"), "--codebook", cb}, "", 1, []string{"lonely.csv", "stratum \"s2\" has only one PSU", "(--lonely-psu adjust, remove, certainty or average"}},
		{"mixed encodings", []string{"--data", p("mixed.csv"), "--codebook", cb}, "", 1, []string{"read " + p("mixed.csv") + ": text mixes UTF-8", "(--encoding names the file's encoding"}},
		{"workbook over the unzip limit", []string{"--data", p("bomb.xlsx"), "--codebook", cb, "--max-unzip-mb", "1"}, "", 1, []string{"bomb.xlsx", "over the 1 MiB unzip limit", "(--max-unzip-mb raises"}},
		{"unknown values label", []string{"--data", p("values.csv"), "--codebook", p("values.yaml")}, "", 1, []string{"values.csv: row 3, column \"q1\": \"Tres d accord\" is not a number and not in values"}},
		{"codebook YAML syntax", []string{"--data", p("good.csv"), "--codebook", p("syntax.yaml")}, "", 1, []string{"syntax.yaml", "line 1"}},
		{"codebook tab indent", []string{"--data", p("good.csv"), "--codebook", p("tab.yaml")}, "", 1, []string{"tab.yaml", "line 2", "tab"}},
		{"codebook unknown keys", []string{"--data", p("good.csv"), "--codebook", p("unknown.yaml")}, "", 1, []string{"unknown.yaml: line 3: unknown key \"segmnets\"", "did you mean \"segments\"?",
			"unknown.yaml: line 5: unknown key \"scael\" in construct \"c\"; did you mean \"scale\"?"}},
		{"names matching no column", []string{"--data", p("good.csv"), "--codebook", p("nomatch.yaml")}, "", 1, []string{"good.csv: column \"regoin\"", "did you mean \"region\"?", "column \"q9\""}},
		{"--weight matching no column", []string{"--data", p("good.csv"), "--codebook", cb, "--weight", "wgt"}, "", 1, []string{"good.csv: column \"wgt\": no column \"wgt\" in the header"}},
		{"ambiguous header", []string{"--data", p("ambiguous.csv"), "--codebook", p("values.yaml")}, "", 1, []string{"ambiguous.csv", "\"q1\" is ambiguous", "columns 2, 3"}},
		{".xlsx that is CSV text", []string{"--data", p("notxlsx.xlsx"), "--codebook", cb}, "", 1, []string{"notxlsx.xlsx", "not an XLSX workbook", "rename it .csv"}},
		{".csv that is a zip", []string{"--data", p("zip.csv"), "--codebook", cb}, "", 1, []string{"zip.csv", "zip archive", ".xlsx"}},
		{"truncated workbook", []string{"--data", p("truncated.xlsx"), "--codebook", cb}, "", 1, []string{"truncated.xlsx", "not an XLSX workbook"}},
		{"workbook value without header", []string{"--data", p("book.xlsx"), "--codebook", cb}, "", 1, []string{"book.xlsx", "cell H4", "no header"}},
		{"workbook bad cells", []string{"--data", p("book2.xlsx"), "--codebook", cb}, "", 1, []string{"book2.xlsx: row 3, column \"w\": weight \"heavy\" is not a number",
			"book2.xlsx: row 5, column \"q1\": \"6\" is outside the scale"}},
		{"no such sheet", []string{"--data", p("book.xlsx"), "--codebook", cb, "--sheet", "Responses"}, "", 1, []string{"book.xlsx", "no sheet \"Responses\"", "\"Data\""}},
		{"missing data file", []string{"--data", p("nope.csv"), "--codebook", cb}, "", 1, []string{"nope.csv", "no such file"}},
		{"missing codebook", []string{"--data", p("good.csv"), "--codebook", p("nope.yaml")}, "", 1, []string{"nope.yaml", "no such file"}},
		{"directory as data", []string{"--data", p("folder.csv"), "--codebook", cb}, "", 1, []string{"folder.csv", "is a directory"}},
		{"directory as codebook", []string{"--data", p("good.csv"), "--codebook", dir}, "", 1, []string{dir, "is a directory"}},

		{"--sheet with CSV data only", []string{"--data", p("good.csv"), "--codebook", cb, "--sheet", "Responses"}, "", 2, []string{"--sheet \"Responses\"", "none of the data files is an Excel workbook"}},
		{"bad --header-rows", []string{"--data", p("good.csv"), "--codebook", cb, "--header-rows", "5"}, "", 2, []string{"--header-rows", "5"}},
		{"bad --lonely-psu", []string{"--data", p("good.csv"), "--codebook", cb, "--lonely-psu", "drop"}, "", 2, []string{"--lonely-psu", "drop"}},
		{"bad --level", []string{"--data", p("good.csv"), "--codebook", cb, "--level", "95"}, "", 2, []string{"--level", "95"}},
		{"bad --format", []string{"--data", p("good.csv"), "--codebook", cb, "--format", "xml"}, "", 2, []string{"--format", "xml"}},
		{"--data without a file", []string{"--codebook", cb, "--data"}, "", 2, []string{"--data"}},
		{"stdin twice", []string{"--data", "-", "--data", "-", "--codebook", cb}, "", 2, []string{"--data -", "once"}},
		{"unknown flag", []string{"--data", p("good.csv"), "--codebok", cb}, "", 2, []string{"unknown flag", "--codebok"}},
		{"not a number", []string{"--data", p("good.csv"), "--codebook", cb, "--min-base", "many"}, "", 2, []string{"--min-base", "many"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"describe"}, tt.args...)
			s, in, out, errOut := TestStreams()
			in.WriteString(tt.stdin)
			code := run(context.Background(), s, args)
			if code != tt.code {
				t.Errorf("trustgap %q: exit %d, want %d\nstderr: %s", args, code, tt.code, errOut)
			}
			if out.Len() != 0 {
				t.Errorf("trustgap %q: wrote to stdout on failure:\n%s", args, out)
			}
			bkCheckMessage(t, args, errOut.String(), tt.want)
			for _, a := range tt.args {
				// The readers name the file; Load must not name it again.
				if strings.HasSuffix(a, ".csv") && strings.Contains(errOut.String(), "read "+a+": read "+a) {
					t.Errorf("trustgap %q: stderr names the file twice: %s", args, errOut)
				}
			}
		})
	}

	// The good file is good, and adjusting a lonely PSU makes the broken
	// one usable.
	for _, args := range [][]string{
		{"describe", "--data", p("good.csv"), "--codebook", cb},
		{"describe", "--data", p("lonely.csv"), "--codebook", cb, "--lonely-psu", "adjust"},
		{"describe", "--data", p("lonely.csv"), "--codebook", cb, "--lonely-psu", "remove"},
	} {
		code, out, errOut := runCLI(t, args...)
		if code != 0 || !strings.Contains(out, "c_score") {
			t.Errorf("trustgap %q: exit %d, want 0 with toplines\nstdout: %s\nstderr: %s", args, code, out, errOut)
		}
	}
}

// TestBrokenValidate checks that validate lists problems on standard
// output, one per line with file and row, and still exits 1.
func TestBrokenValidate(t *testing.T) {
	dir := t.TempDir()
	cb := filepath.Join(dir, "cb.yaml")
	data := filepath.Join(dir, "d.csv")
	empty := filepath.Join(dir, "e.csv")
	for path, content := range map[string]string{
		cb:    bkCodebook,
		data:  bkHeader + "A,s1,p1,abc,2,3\nA,s1,p2,1,9,3\nB,s2,p3,1,2,3\nB,s2,p4,1,2,3\n",
		empty: bkHeader,
	} {
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	args := []string{"validate", "--data", data, "--data", empty, "--codebook", cb}
	code, out, errOut := runCLI(t, args...)
	if code != 1 {
		t.Errorf("trustgap %q: exit %d, want 1\nstderr: %s", args, code, errOut)
	}
	for _, w := range []string{"d.csv: row 2, column \"w\": weight \"abc\" is not a number", "d.csv: row 3, column \"q1\": \"9\" is outside the scale", "e.csv: no data rows", "3 problem(s)"} {
		if !strings.Contains(out, w) {
			t.Errorf("trustgap %q: stdout does not contain %q:\n%s", args, w, out)
		}
	}
	bkCheckMessage(t, args, errOut, []string{"problems"})
}

// bkSecretStudy writes the first n respondents of the embedded study with
// distinctive ids and an e-mail column, and the embedded codebook (whose
// design.id is rid). It returns the data and codebook paths and the ids
// and addresses written.
func bkSecretStudy(t *testing.T, dir string, n int) (data, codebook string, secrets []string) {
	t.Helper()
	responses, cbReader := datasets.DefaultStudy()
	recs, err := csv.NewReader(responses).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if recs[0][0] != "rid" {
		t.Fatalf("embedded study: first column %q, want rid", recs[0][0])
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(append(recs[0], "email"))
	for i, r := range recs[1 : n+1] {
		id := fmt.Sprintf("RID-SECRET-%04d", i+1)
		email := fmt.Sprintf("resp%04d.secret@example.org", i+1)
		r[0] = id
		w.Write(append(r, email))
		secrets = append(secrets, id, email)
	}
	w.Flush()
	data = filepath.Join(dir, "secret.csv")
	if err := os.WriteFile(data, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	cbBytes, err := io.ReadAll(cbReader)
	if err != nil {
		t.Fatal(err)
	}
	codebook = filepath.Join(dir, "codebook.yaml")
	if err := os.WriteFile(codebook, cbBytes, 0o644); err != nil {
		t.Fatal(err)
	}
	return data, codebook, secrets
}

// bkScan reports the first secret found in b, or "".
func bkScan(b []byte, secrets []string) string {
	// Every secret shares these stems; checking them first is fast, and
	// catches ids cut short too.
	for _, stem := range []string{"RID-SECRET", "secret@example.org", "example.org"} {
		if bytes.Contains(b, []byte(stem)) {
			return stem
		}
	}
	for _, s := range secrets {
		if bytes.Contains(b, []byte(s)) {
			return s
		}
	}
	return ""
}

// TestReportHasNoRespondentData writes a report from a study whose ids and
// e-mail addresses are distinctive and checks that no file of it (the
// workbook's XML parts, HTML, Markdown, SVG and PNG) contains any of them.
func TestReportHasNoRespondentData(t *testing.T) {
	dir := t.TempDir()
	data, codebook, secrets := bkSecretStudy(t, dir, 400)
	out := filepath.Join(dir, "report")
	args := []string{"report", "--data", data, "--codebook", codebook, "--out", out, "--min-base", "20"}
	code, _, errOut := runCLI(t, args...)
	if code != 0 {
		t.Fatalf("trustgap %q: exit %d\nstderr: %s", args, code, errOut)
	}
	if s := bkScan([]byte(errOut), secrets); s != "" {
		t.Errorf("report's stderr contains %q", s)
	}
	scanned := map[string]int{}
	err := filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		ext := filepath.Ext(path)
		scanned[ext]++
		if s := bkScan(b, secrets); s != "" {
			t.Errorf("%s contains %q", path, s)
		}
		if ext != ".xlsx" {
			return nil
		}
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				return fmt.Errorf("%s: %s: %w", path, f.Name, err)
			}
			part, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				return fmt.Errorf("%s: %s: %w", path, f.Name, err)
			}
			scanned["xlsx part"]++
			if s := bkScan(part, secrets); s != "" {
				t.Errorf("%s: part %s contains %q", path, f.Name, s)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, ext := range []string{".xlsx", ".html", ".md", ".svg", ".png", "xlsx part"} {
		if scanned[ext] == 0 {
			t.Errorf("report wrote no %s file to scan (scanned %v)", ext, scanned)
		}
	}
}

// TestValidateDoesNotEchoAddresses checks that validate warns about an
// e-mail column the codebook names, and about duplicate addresses used as
// ids, without printing any address.
func TestValidateDoesNotEchoAddresses(t *testing.T) {
	dir := t.TempDir()
	cb := filepath.Join(dir, "cb.yaml")
	if err := os.WriteFile(cb, []byte("design: {id: email}\nregion: region\nsegments: [contact]\nallow_pii: [contact]\nconstructs:\n  c: {items: [q1], scale: [1, 5], flag: \">= 4\"}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	clean := "region,email,contact,q1\n" +
		"A,anna.schmidt@example.org,anna.schmidt@example.org,2\n" +
		"A,bob.jones@example.com,+44 20 7946 0958,4\n" +
		"B,carl.meyer@example.net,carl.meyer@example.net,5\n" +
		"B,dora.lenz@example.de,dora.lenz@example.de,1\n"
	long := "ernst.very.long.local.part.of.an.address@example.org" // cut short in messages
	dup := clean + "B,anna.schmidt@example.org,anna.schmidt@example.org,3\n" +
		"B," + long + ",x,9\n" +
		"A," + long + ",y,2\n" +
		"A,fritz@example.org,z,fritz@example.org\n" +
		"A,gina@example.org,v,+49 30 1234567\n"
	for _, tc := range []struct {
		name, data string
		code       int
		want       []string
	}{
		{"clean", clean, 0, []string{"ok: no problems found, but 2 column(s) look like personal data"}},
		{"duplicate address", dup, 1, []string{"row 6, column \"email\": duplicate id (the same as row 2; the id is not shown)",
			"row 7, column \"q1\": \"9\" is outside the scale", "row 8, column \"email\": duplicate id (the same as row 7; the id is not shown)",
			"column \"q1\": 2 rows (rows 9, 10) have text answers, not numbers, in item \"q1\" of construct \"c\": 2 not shown as they look like e-mail addresses or phone numbers"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := filepath.Join(dir, tc.name+".csv")
			if err := os.WriteFile(data, []byte(tc.data), 0o644); err != nil {
				t.Fatal(err)
			}
			args := []string{"validate", "--data", data, "--codebook", cb}
			code, out, errOut := runCLI(t, args...)
			if code != tc.code {
				t.Errorf("trustgap %q: exit %d, want %d\nstdout: %s\nstderr: %s", args, code, tc.code, out, errOut)
			}
			for _, w := range []string{`column "email": 4 of 4 values look like e-mail addresses`, `column "contact": 3 of 4 values look like e-mail addresses`} {
				if tc.name == "clean" && !strings.Contains(out, "personal data: "+data+": "+w) {
					t.Errorf("trustgap %q: stdout does not list %q:\n%s", args, w, out)
				}
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("trustgap %q: stdout does not contain %q:\n%s", args, w, out)
				}
			}
			for _, leak := range []string{"@", "anna", "schmidt", "7946", "ernst", "fritz", "1234567"} {
				if strings.Contains(out, leak) || strings.Contains(errOut, leak) {
					t.Errorf("trustgap %q: output echoes %q\nstdout: %s\nstderr: %s", args, leak, out, errOut)
				}
			}
		})
	}
}

// TestCommandsWarnAboutPII: every command that reads a file scans all its
// columns, used or not, and warns on standard error without a value; one
// used to group by is refused unless the codebook allows it.
func TestCommandsWarnAboutPII(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("rid,q1,email,mobile,grp\n")
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&b, "%d,%d,user%d@example.org,49151000000%02d,%s\n", i+1, 1+i%5, i, i, []string{"a", "b"}[i%2])
	}
	data := filepath.Join(dir, "d.csv")
	if err := os.WriteFile(data, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cb := filepath.Join(dir, "cb.yaml")
	if err := os.WriteFile(cb, []byte("design: {id: rid}\nconstructs:\n  concern: {items: [q1], scale: [1, 5], flag: \">= 4\"}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	allow := filepath.Join(dir, "allow.yaml")
	if err := os.WriteFile(allow, []byte("design: {id: rid}\nallow_pii: [email]\nconstructs:\n  concern: {items: [q1], scale: [1, 5], flag: \">= 4\"}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		code int
		want string // on stderr
	}{
		{[]string{"describe"}, 0, `column "email": 40 of 40 values look like e-mail addresses`},
		{[]string{"describe"}, 0, `column "mobile": 40 of 40 values look like phone numbers`},
		{[]string{"estimate", "--mean", "q1", "--by", "grp"}, 0, `column "mobile": 40 of 40 values look like phone numbers`},
		{[]string{"estimate", "--mean", "q1", "--by", "email"}, 1, `list it under allow_pii:`},
		{[]string{"crosstab", "--rows", "mobile", "--cols", "grp"}, 1, `list it under allow_pii:`},
		{[]string{"estimate", "--mean", "q1", "--by", "email", "--codebook", allow}, 0, `column "email": 40 of 40 values look like e-mail addresses`},
	} {
		args := append([]string{tc.args[0], "--data", data}, tc.args[1:]...)
		if !strings.Contains(strings.Join(args, " "), "--codebook") {
			args = append(args, "--codebook", cb)
		}
		code, out, errOut := runCLI(t, args...)
		if code != tc.code {
			t.Errorf("trustgap %q: exit %d, want %d\nstderr: %s", args, code, tc.code, errOut)
		}
		if !strings.Contains(errOut, tc.want) {
			t.Errorf("trustgap %q: stderr does not contain %q:\n%s", args, tc.want, errOut)
		}
		if code != 0 && strings.Contains(out+errOut, "@example.org") || strings.Contains(errOut, "@") || strings.Contains(errOut, "4915100") {
			t.Errorf("trustgap %q: output echoes a value\nstderr: %s", args, errOut)
		}
	}
}

// TestValidateListsPIIOnce: validate lists the personal-data columns on
// standard output and does not warn about them again on standard error.
func TestValidateListsPIIOnce(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "d.csv")
	var b strings.Builder
	b.WriteString("rid,q1,email\n")
	for i := 0; i < 10; i++ {
		fmt.Fprintf(&b, "%d,%d,user%d@example.org\n", i+1, 1+i%5, i)
	}
	if err := os.WriteFile(data, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cb := filepath.Join(dir, "cb.yaml")
	if err := os.WriteFile(cb, []byte("design: {id: rid}\nconstructs:\n  concern: {items: [q1], scale: [1, 5], flag: \">= 4\"}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "validate", "--data", data, "--codebook", cb)
	if code != 0 {
		t.Fatalf("validate: exit %d, want 0\n%s\n%s", code, out, errOut)
	}
	const w = `column "email": 10 of 10 values look like e-mail addresses`
	if strings.Count(out, w) != 1 {
		t.Errorf("validate stdout lists %q %d times, want once:\n%s", w, strings.Count(out, w), out)
	}
	if strings.Contains(errOut, w) {
		t.Errorf("validate stderr repeats %q:\n%s", w, errOut)
	}
}
