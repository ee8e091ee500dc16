package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/trustgap/trustgap/reports"
)

// readDir reads every file under dir (relative path -> content).
func readDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[rel] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestExitCodeSignals(t *testing.T) {
	tests := []struct {
		err  error
		want int
	}{
		{&interruptedError{sig: os.Interrupt}, 130},
		{&interruptedError{sig: syscall.SIGTERM}, 143},
		{&interruptedError{sig: syscall.SIGINT, err: context.Canceled}, 130},
	}
	for _, tt := range tests {
		if got := exitCode(tt.err); got != tt.want {
			t.Errorf("exitCode(%v) = %d, want %d", tt.err, got, tt.want)
		}
	}
}

// cancelled returns a context cancelled as main's signal handler does.
func cancelled(sig os.Signal) context.Context {
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(&interruptedError{sig: sig})
	return ctx
}

// TestInterruptedReportKeepsPrevious: a report interrupted by SIGINT or
// SIGTERM exits 130/143, leaves the previous report byte for byte and no
// temporary folder, and says it was interrupted.
func TestInterruptedReportKeepsPrevious(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "rep")
	if code, _, errOut := runCLI(t, "report", "--out", out, "-q"); code != 0 {
		t.Fatalf("report: exit %d: %s", code, errOut)
	}
	before := readDir(t, out)
	for _, tt := range []struct {
		sig  os.Signal
		code int
	}{{os.Interrupt, 130}, {syscall.SIGTERM, 143}} {
		s, _, _, errOut := TestStreams()
		code := run(cancelled(tt.sig), s, []string{"report", "--out", out, "-q"})
		if code != tt.code {
			t.Errorf("report interrupted by %v: exit %d, want %d (%s)", tt.sig, code, tt.code, errOut)
		}
		if !strings.Contains(errOut.String(), "interrupted by") || strings.Contains(errOut.String(), "context canceled") {
			t.Errorf("report interrupted by %v: stderr %q, want it to say interrupted", tt.sig, errOut)
		}
		after := readDir(t, out)
		if len(after) != len(before) {
			t.Errorf("interrupted report: %d files, want the previous %d", len(after), len(before))
		}
		for k, v := range before {
			if after[k] != v {
				t.Errorf("interrupted report changed %s", k)
			}
		}
		ents, _ := os.ReadDir(dir)
		if len(ents) != 1 {
			t.Errorf("interrupted report left %d entries beside the folder, want none", len(ents)-1)
		}
	}
}

// TestInterruptedAnalysisWritesNothing: -o is not written after SIGTERM.
func TestInterruptedAnalysisWritesNothing(t *testing.T) {
	out := filepath.Join(t.TempDir(), "p.txt")
	if err := os.WriteFile(out, []byte("previous"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, _, _, errOut := TestStreams()
	if code := run(cancelled(syscall.SIGTERM), s, []string{"paradox", "-o", out}); code != 143 {
		t.Errorf("paradox after SIGTERM: exit %d, want 143 (%s)", code, errOut)
	}
	if b, _ := os.ReadFile(out); string(b) != "previous" {
		t.Errorf("paradox after SIGTERM rewrote -o: %q", b)
	}
	s, _, stdout, _ := TestStreams()
	if code := run(cancelled(os.Interrupt), s, []string{"paradox"}); code != 130 || stdout.Len() != 0 {
		t.Errorf("paradox after SIGINT: exit %d and %d bytes of output, want 130 and none", code, stdout.Len())
	}
}

// TestWaitRunAbandons: a command that does not stop is abandoned after
// the grace period with the signal's status.
func TestWaitRunAbandons(t *testing.T) {
	s, _, _, errOut := TestStreams()
	done := make(chan int) // never sent: the command runs on
	if code := waitRun(cancelled(syscall.SIGTERM), s, done, time.Millisecond); code != 143 {
		t.Errorf("waitRun(SIGTERM, busy command) = %d, want 143", code)
	}
	if !strings.Contains(errOut.String(), "interrupted by SIGTERM") {
		t.Errorf("waitRun stderr = %q, want it to name SIGTERM", errOut)
	}
	finished := make(chan int, 1)
	finished <- 0
	if code := waitRun(context.Background(), s, finished, time.Millisecond); code != 0 {
		t.Errorf("waitRun(finished 0) = %d, want 0", code)
	}
}

// TestReportLocked: a report into a folder another run is writing fails
// at once, saying so, and leaves that run's folder alone.
func TestReportLocked(t *testing.T) {
	out := filepath.Join(t.TempDir(), "rep")
	var code int
	var errOut string
	err := reports.WriteDirAtomic(out, nil, func(tmp string) error {
		code, _, errOut = runCLI(t, "report", "--out", out, "-q")
		return os.WriteFile(filepath.Join(tmp, "report.md"), []byte("first"), 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	if code != 1 || !strings.Contains(errOut, "another trustgap run is writing") {
		t.Errorf("second report: exit %d, stderr %q, want 1 and a lock message", code, errOut)
	}
	if got := readDir(t, out); len(got) != 1 || got["report.md"] != "first" {
		t.Errorf("first run's folder = %v, want only its report.md", got)
	}
}

// TestReportRefusesForeignFolder: a folder holding other files (the
// user's documents, the data) is never replaced.
func TestReportRefusesForeignFolder(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "report.md"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "panel.csv"), []byte("id\n1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runCLI(t, "report", "--out", dir, "-q"); code != 1 || !strings.Contains(errOut, "panel.csv") {
		t.Errorf("report --out (folder with a report and panel.csv): exit %d, stderr %q, want 1 naming panel.csv", code, errOut)
	}
	notes := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notes, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI(t, "report", "--out", dir, "-q")
	if code != 1 || !strings.Contains(errOut, "notes.txt") {
		t.Errorf("report --out (folder with notes.txt): exit %d, stderr %q, want 1 naming notes.txt", code, errOut)
	}
	if b, err := os.ReadFile(notes); err != nil || string(b) != "mine" {
		t.Errorf("notes.txt = %q, %v after the refused report", b, err)
	}
}

// TestOutputFIFO: -o on a named pipe streams into it (as `>` would) and
// leaves the pipe a pipe.
func TestOutputFIFO(t *testing.T) {
	p := filepath.Join(t.TempDir(), "pipe")
	if err := mkfifo(p); err != nil {
		t.Skip(err)
	}
	got := make(chan []byte, 1)
	go func() {
		f, err := os.Open(p)
		if err != nil {
			got <- nil
			return
		}
		var b []byte
		buf := make([]byte, 4096)
		for {
			n, err := f.Read(buf)
			b = append(b, buf[:n]...)
			if err != nil {
				break
			}
		}
		f.Close()
		got <- b
	}()
	code, _, errOut := runCLI(t, "paradox", "--format", "csv", "-o", p)
	if code != 0 {
		t.Fatalf("paradox -o fifo: exit %d: %s", code, errOut)
	}
	if b := <-got; !strings.Contains(string(b), "paradox_rate") {
		t.Errorf("the pipe's reader got %q, want the table", b)
	}
	if fi, err := os.Lstat(p); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("after -o the pipe is %v, want a named pipe", fi.Mode())
	}
}

// TestOutputIsInput: -o naming the data or the codebook is refused.
func TestOutputIsInput(t *testing.T) {
	dir := t.TempDir()
	if code, _, errOut := runCLI(t, "generate", "--n", "200", "--seed", "1", "--out", dir); code != 0 {
		t.Fatalf("generate: %s", errOut)
	}
	data, cb := filepath.Join(dir, "responses.csv"), filepath.Join(dir, "codebook.yaml")
	before, _ := os.ReadFile(data)
	for _, out := range []string{data, cb, filepath.Join(dir, ".", "responses.csv")} {
		code, _, errOut := runCLI(t, "describe", "--data", data, "--codebook", cb, "-o", out)
		if code == 0 || !strings.Contains(errOut, "same file as input") {
			t.Errorf("describe -o %s: exit %d, stderr %q, want a refusal", out, code, errOut)
		}
	}
	if after, _ := os.ReadFile(data); string(after) != string(before) {
		t.Errorf("the data file changed")
	}
	code, _, errOut := runCLI(t, "report", "--data", data, "--codebook", cb, "--out", dir, "-q")
	if code == 0 || !strings.Contains(errOut, "holds the input") {
		t.Errorf("report --out DATA_FOLDER: exit %d, stderr %q, want a refusal", code, errOut)
	}
}

// writeStudy writes a generated study of n respondents into dir with
// edit applied to each data row (header first), and returns the data
// and codebook paths.
func writeStudy(t *testing.T, dir string, n int, edit func(header, row []string)) (data, cb string) {
	t.Helper()
	if code, _, errOut := runCLI(t, "generate", "--n", strconv.Itoa(n), "--seed", "3", "--out", dir); code != 0 {
		t.Fatalf("generate: %s", errOut)
	}
	data, cb = filepath.Join(dir, "responses.csv"), filepath.Join(dir, "codebook.yaml")
	if edit == nil {
		return data, cb
	}
	f, err := os.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs[1:] {
		edit(recs[0], r)
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	_ = w.WriteAll(recs)
	if err := os.WriteFile(data, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return data, cb
}

func setCol(name, value string) func(h, r []string) {
	return func(h, r []string) {
		r[slices.Index(h, name)] = value
	}
}

// TestEmptySegment: a segment missing for every respondent is a clear
// error (exit 1, never 3) for an analysis command, and a report leaves
// its breakdown out with a note.
func TestEmptySegment(t *testing.T) {
	dir := t.TempDir()
	data, cb := writeStudy(t, dir, 400, setCol("generation", ""))
	for _, c := range []string{"paradox", "describe", "segments", "compare"} {
		code, _, errOut := runCLI(t, c, "--data", data, "--codebook", cb)
		if code != 1 || !strings.Contains(errOut, `segment "generation" is empty for every respondent`) {
			t.Errorf("%s with an empty segment: exit %d, stderr %q, want 1 naming the segment", c, code, errOut)
		}
	}
	out := filepath.Join(dir, "rep")
	code, _, errOut := runCLI(t, "report", "--data", data, "--codebook", cb, "--out", out)
	if code != 0 || !strings.Contains(errOut, "generation") {
		t.Fatalf("report with an empty segment: exit %d, stderr %q, want 0 and a note", code, errOut)
	}
	md, _ := os.ReadFile(filepath.Join(out, "report.md"))
	if !strings.Contains(string(md), `the segment column "generation" is empty for every respondent`) {
		t.Errorf("report.md does not say why the generation breakdown is left out")
	}
}

// TestTooManyLevels: an id column given as the region is refused before
// estimating, naming the column and the count; --max-levels raises it.
func TestTooManyLevels(t *testing.T) {
	dir := t.TempDir()
	data, cb := writeStudy(t, dir, 400, nil)
	b, _ := os.ReadFile(cb)
	cbRID := filepath.Join(dir, "rid.yaml")
	s := strings.Replace(string(b), "\nregion: region\n", "\nregion: rid\n", 1)
	// The synthetic codebook lists region's levels; rid has others.
	s = regexp.MustCompile(`(?m)^  region: \[.*\]\n`).ReplaceAllString(s, "")
	if err := os.WriteFile(cbRID, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI(t, "paradox", "--data", data, "--codebook", cbRID)
	if code != 1 || !strings.Contains(errOut, `region (column "rid") has 400 levels, more than the limit of 300`) || !strings.Contains(errOut, "band") {
		t.Errorf("paradox with rid as region: exit %d, stderr %q, want 1 naming column and count", code, errOut)
	}
	// A smaller study, for the raised limit (400 levels cost minutes of
	// result tables, not of estimation).
	small := filepath.Join(dir, "small.csv")
	all, _ := os.ReadFile(data)
	lines := strings.SplitAfter(string(all), "\n")
	if err := os.WriteFile(small, []byte(strings.Join(lines[:41], "")), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runCLI(t, "segments", "--data", small, "--codebook", cbRID, "--max-levels", "30"); code != 1 || !strings.Contains(errOut, "40 levels, more than the limit of 30") {
		t.Errorf("segments --max-levels 30 (40 levels): exit %d, %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, "segments", "--data", small, "--codebook", cbRID, "--max-levels", "40", "--min-base", "0", "--lonely-psu", "adjust"); code != 0 {
		t.Errorf("segments --max-levels 40 (40 levels): exit %d, %s", code, errOut)
	}
}

// TestReadLimitHints: the CLI adds the flag that raises a reading limit.
func TestReadLimitHints(t *testing.T) {
	dir := t.TempDir()
	wide := filepath.Join(dir, "wide.csv")
	var b strings.Builder
	for i := range 40 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("c" + strconv.Itoa(i))
	}
	b.WriteString("\n")
	if err := os.WriteFile(wide, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI(t, "describe", "--data", wide, "--max-columns", "30")
	if code != 1 || !strings.Contains(errOut, "wide.csv row 1: 40 columns, more than the limit of 30") || !strings.Contains(errOut, "--max-columns") {
		t.Errorf("describe (40 columns, limit 30): exit %d, stderr %q", code, errOut)
	}
	long := filepath.Join(dir, "long.csv")
	if err := os.WriteFile(long, []byte("a,b\n"+strings.Repeat("x", 3<<20)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = runCLI(t, "describe", "--data", long, "--max-record-mb", "1")
	if code != 1 || !strings.Contains(errOut, "long.csv row 2: a row runs past 1 MiB") || !strings.Contains(errOut, "--max-record-mb") {
		t.Errorf("describe (3 MiB row, limit 1): exit %d, stderr %q", code, errOut)
	}
}

// TestHostileLabels: labels with a byte order mark, escapes, NUL and a
// bidi override reach neither the terminal nor the charts: no escape
// sequence in a table, every SVG well-formed XML, and the BOM spelling
// of a region is the same level as the plain one.
func TestHostileLabels(t *testing.T) {
	if testing.Short() {
		t.Skip("draws the report's charts")
	}
	dir := t.TempDir()
	k := 0
	data, cb := writeStudy(t, dir, 600, func(h, r []string) {
		k++
		reg, gen := slices.Index(h, "region"), slices.Index(h, "gender")
		if r[reg] == "Europe" && k%2 == 0 {
			r[reg] = "\uFEFFEurope"
		}
		if r[gen] == "Male" {
			r[gen] = "Ma\x1b[31mle\u202E"
			if k > 50 { // a NUL early would make the file binary
				r[gen] += "\x00"
			}
		}
	})
	code, out, errOut := runCLI(t, "segments", "--data", data, "--codebook", cb)
	if code != 0 {
		t.Fatalf("segments: exit %d: %s", code, errOut)
	}
	if strings.ContainsAny(out, "\x1b\x00\uFEFF\u202E") {
		t.Errorf("segments table holds control or format characters")
	}
	if strings.Count(out, "Europe ") != strings.Count(out, "North America ") {
		t.Errorf("segments: Europe appears %d times, North America %d: the BOM made a level", strings.Count(out, "Europe "), strings.Count(out, "North America "))
	}
	rep := filepath.Join(dir, "rep")
	if code, _, errOut := runCLI(t, "report", "--data", data, "--codebook", cb, "--out", rep, "-q"); code != 0 {
		t.Fatalf("report: exit %d: %s", code, errOut)
	}
	svgs, _ := filepath.Glob(filepath.Join(rep, "charts", "*.svg"))
	if len(svgs) == 0 {
		t.Fatal("report wrote no SVG")
	}
	for _, p := range svgs {
		b, _ := os.ReadFile(p)
		d := xml.NewDecoder(bytes.NewReader(b))
		for {
			_, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Errorf("%s is not well-formed XML: %v", filepath.Base(p), err)
				break
			}
		}
	}
	for _, f := range []string{"report.md", "report.html"} {
		b, _ := os.ReadFile(filepath.Join(rep, f))
		if bytes.ContainsAny(b, "\x1b\x00") {
			t.Errorf("%s holds ESC or NUL", f)
		}
	}
}

// TestLongLabelReport: a 2,100-character region label (one unbroken
// word) makes a complete report: the deck's row is capped at Excel's
// tallest, the charts wrap it in linear time.
func TestLongLabelReport(t *testing.T) {
	if testing.Short() {
		t.Skip("draws the report's charts")
	}
	dir := t.TempDir()
	long := strings.Repeat("X", 2100)
	data, cb := writeStudy(t, dir, 600, func(h, r []string) {
		if i := slices.Index(h, "region"); r[i] == "Europe" {
			r[i] = long
		}
	})
	b, _ := os.ReadFile(cb)
	s := regexp.MustCompile(`(?m)^  region: \[.*\]\n`).ReplaceAllString(string(b), "")
	if err := os.WriteFile(cb, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	rep := filepath.Join(dir, "rep")
	code, _, errOut := runCLI(t, "report", "--data", data, "--codebook", cb, "--out", rep, "-q", "--lonely-psu", "adjust")
	if code != 0 {
		t.Fatalf("report with a 2,100-character label: exit %d: %s", code, errOut)
	}
	if fi, err := os.Stat(filepath.Join(rep, "report.xlsx")); err != nil || fi.Size() == 0 {
		t.Errorf("report.xlsx not written: %v", err)
	}
}

// TestNamesAndCodebookProblems: a Cyrillic letter in an item name is
// pointed out; a codebook wrong everywhere lists each cause once, at most
// ten, then how many more.
func TestNamesAndCodebookProblems(t *testing.T) {
	dir := t.TempDir()
	data, cb := writeStudy(t, dir, 100, nil)
	b, _ := os.ReadFile(cb)
	cyr := filepath.Join(dir, "cyr.yaml")
	if err := os.WriteFile(cyr, []byte(strings.Replace(string(b), "items: [pc1,", "items: [p\u04411,", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI(t, "paradox", "--data", data, "--codebook", cyr)
	if code != 1 || !strings.Contains(errOut, `did you mean "pc1"?`) || !strings.Contains(errOut, `"pс1" has a Cyrillic "с" at position 2`) {
		t.Errorf("paradox with a Cyrillic с: exit %d, stderr %q", code, errOut)
	}
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte(`title: [1, 2]
columns: 7
design: {id: [a], weight: {x: 1}, psu: []}
region: [r]
segments: [w1, w1, w1]
constructs:
  concern: {items: [w1, w1, w1, pc2], scale: [5, 1], reverse: 3, score: median, flag: "~ 4", min_items: 99}
  protection: {items: 3, score: 1, flag: 2}
  trust: {items: [tr1, tr1, tr1], scale: x, flag: ">= x"}
  westin: 12
`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = runCLI(t, "paradox", "--data", data, "--codebook", bad)
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	if code != 1 || len(lines) != 12 || !strings.HasPrefix(lines[10], "... and ") || !strings.Contains(errOut, "trustgap validate lists every problem") {
		t.Errorf("paradox with a broken codebook: exit %d, %d lines, want 1 and 10 problems + more + hint:\n%s", code, len(lines), errOut)
	}
	if n := strings.Count(errOut, `"w1" is listed twice`); n > 2 {
		t.Errorf("%q said %d times, want once per list", `"w1" is listed twice`, n)
	}
}

// TestUndefinedFigures: a construct nobody answered leaves its findings out;
// no deliverable prints NaN.
func TestUndefinedFigures(t *testing.T) {
	if testing.Short() {
		t.Skip("draws the report's charts")
	}
	dir := t.TempDir()
	data, cb := writeStudy(t, dir, 400, func(h, r []string) {
		for _, c := range []string{"pc1", "pc2", "pc3", "pc4", "tr1"} {
			r[slices.Index(h, c)] = ""
		}
	})
	rep := filepath.Join(dir, "rep")
	if code, _, errOut := runCLI(t, "report", "--data", data, "--codebook", cb, "--out", rep, "-q"); code != 0 {
		t.Fatalf("report: exit %d: %s", code, errOut)
	}
	md, _ := os.ReadFile(filepath.Join(rep, "report.md"))
	nan := regexp.MustCompile(`\bNaN\b|\bInf%|[+-]Inf\b`)
	if loc := nan.FindIndex(md); loc != nil {
		t.Errorf("report.md prints an undefined figure: %q", md[max(loc[0]-200, 0):loc[1]])
	}
	for _, c := range []string{"describe", "paradox"} {
		_, out, _ := runCLI(t, c, "--data", data, "--codebook", cb)
		if nan.MatchString(out) {
			t.Errorf("%s table prints NaN", c)
		}
	}
}

// TestEstimateByLimits: --by on a column with more levels than
// --max-levels is refused before estimating, with the flag that raises
// the limit, and --by the design's id is refused as publishing every id.
func TestEstimateByLimits(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "d.csv")
	if err := os.WriteFile(data, []byte("code,q\na,1\nb,2\nc,3\nd,4\ne,5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI(t, "estimate", "--data", data, "--mean", "q", "--by", "code", "--max-levels", "3")
	if code != 1 || !strings.Contains(errOut, "--by code: too many levels: 5 levels, more than the limit of 3") || !strings.Contains(errOut, "--max-levels N raises") {
		t.Errorf("estimate --by code --max-levels 3: exit %d, stderr %q, want 1 naming the count and --max-levels", code, errOut)
	}
	if code, _, errOut := runCLI(t, "estimate", "--data", data, "--mean", "q", "--by", "code", "--max-levels", "5"); code != 0 {
		t.Errorf("estimate --by code --max-levels 5: exit %d, %s", code, errOut)
	}
	cb := filepath.Join(dir, "cb.yaml")
	if err := os.WriteFile(cb, []byte("design: {id: code}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "estimate", "--data", data, "--codebook", cb, "--mean", "q", "--by", "code")
	if code != 2 || !strings.Contains(errOut, "is the respondent id") || strings.Contains(out, "\nq mean") {
		t.Errorf("estimate --by the design id: exit %d, stdout %q, stderr %q, want 2 and no table", code, out, errOut)
	}
}
