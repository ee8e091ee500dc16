package survey

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// updating reports whether go test ran with -update. The flag is defined
// once for the package (by the codebook tests); looking it up keeps this
// file independent of that definition's variable name.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// TestOpenTableGolden reads each fixture in testdata/read through
// OpenTable and compares the result with testdata/read/golden.
func TestOpenTableGolden(t *testing.T) {
	tests := []struct {
		file    string
		variant string // golden file suffix for non-default options
		opts    ReadOptions
	}{
		{file: "qualtrics.csv"},
		{file: "surveymonkey.csv", opts: ReadOptions{HeaderRows: 2}},
		{file: "excel_de.csv"},
		{file: "excel_unicode.txt"},
		{file: "workbook.xlsx"},
		{file: "workbook.xlsx", variant: "responses", opts: ReadOptions{Sheet: "Responses"}},
	}
	for _, tt := range tests {
		golden := tt.file
		if tt.variant != "" {
			golden += "." + tt.variant
		}
		t.Run(golden, func(t *testing.T) {
			tr, err := OpenTable(context.Background(), filepath.Join("testdata", "read", tt.file), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			defer tr.Close()
			res, err := readAll(tr)
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.MarshalIndent(res, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", "read", "golden", golden+".json")
			if updating() {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("OpenTable(%s) =\n%s\nwant (%s)\n%s", tt.file, got, path, want)
			}
		})
	}
}

func TestOpenTable(t *testing.T) {
	dir := t.TempDir()
	csvText := []byte("id,name,city,score\n1,Müller,Zürich,3.5\n2,Café,,4\n3,O'Brien,Paris,2.25\n")
	workbook := makeWorkbook(t, sheetSpec{name: "S", rows: sampleSheet()})
	write := func(name string, data []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	tests := []struct {
		name string
		path string
		opts ReadOptions
	}{
		{"csv", write("plain.csv", csvText), ReadOptions{}},
		{"xlsx", write("book.xlsx", workbook), ReadOptions{}},
		{"workbook with another extension", write("export.dat", workbook), ReadOptions{}},
		{"text without extension", write("export", csvText), ReadOptions{}},
		{"stdin csv", "-", ReadOptions{Stdin: bytes.NewReader(csvText)}},
		{"stdin xlsx", "-", ReadOptions{Stdin: bytes.NewReader(workbook)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, err := OpenTable(context.Background(), tt.path, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			got, err := readAll(tr)
			if err != nil {
				t.Fatal(err)
			}
			if err := tr.Close(); err != nil {
				t.Errorf("Close() = %v, want nil", err)
			}
			if !got.equal(sample()) {
				t.Errorf("OpenTable(%s) read\n%v\nwant\n%v", tt.path, got, sample())
			}
			if wantBook := strings.Contains(tt.name, "xlsx") || strings.Contains(tt.name, "workbook"); IsWorkbook(tr) != wantBook {
				t.Errorf("IsWorkbook(OpenTable(%s)) = %v, want %v", tt.name, IsWorkbook(tr), wantBook)
			}
			if wantName := filepath.Clean(tt.path); tr.Name() != wantName && tt.path != "-" || tt.path == "-" && tr.Name() != "-" {
				t.Errorf("OpenTable(%s).Name() = %q, want %q", tt.path, tr.Name(), tt.path)
			}
		})
	}
}

func TestOpenTableErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	workbook := makeWorkbook(t, sheetSpec{name: "S", rows: sampleSheet()})
	missing := filepath.Join(dir, "missing.csv")
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		path string
		opts ReadOptions
		want string
		is   error // errors.Is target, if any
	}{
		{"missing path", nil, missing, ReadOptions{}, "open " + missing + ": no such file or directory", fs.ErrNotExist},
		{"directory", nil, dir, ReadOptions{}, "open " + dir + ": is a directory", nil},
		{"xlsx that is text", nil, write("fake.xlsx", []byte("a,b\n1,2\n")), ReadOptions{}, "fake.xlsx: not an XLSX workbook (no zip signature", nil},
		{"csv that is a zip", nil, write("book.csv", workbook), ReadOptions{}, "book.csv: a zip archive, not CSV text", nil},
		{"csv that is binary", nil, write("image.csv", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")), ReadOptions{}, "image.csv: unsupported format: an image", nil},
		{"binary that is no known format", nil, write("blob.csv", []byte("\x01\x02\x00\x00\x00\x00abc")), ReadOptions{}, "blob.csv: binary data (NUL bytes)", nil},
		{"legacy xls", nil, write("old.xls", []byte(oleMagic+"rest of an OLE file")), ReadOptions{}, "old.xls: a legacy .xls or password-protected workbook", nil},
		{"empty file", nil, write("empty.csv", nil), ReadOptions{}, "read " + filepath.Join(dir, "empty.csv") + ": empty file", nil},
		{"stdin not given", nil, "-", ReadOptions{}, "open -: no standard input to read", nil},
		{"stdin workbook over the limit", nil, "-", ReadOptions{Stdin: bytes.NewReader(workbook), MaxUnzipBytes: 1000}, "read -: workbook larger than the 1000 bytes unzip limit", ErrUnzipLimit},
		{"canceled", canceled, write("ok.csv", []byte("a\n1\n")), ReadOptions{}, "context canceled", context.Canceled},
		{"bad options", nil, write("ok2.csv", []byte("a\n1\n")), ReadOptions{HeaderRows: -1}, "read options: -1 header rows not supported", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := tt.ctx
			if ctx == nil {
				ctx = context.Background()
			}
			tr, err := OpenTable(ctx, tt.path, tt.opts)
			if err == nil {
				tr.Close()
				t.Fatalf("OpenTable(%s): no error, want %q", tt.path, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("OpenTable(%s) error = %q, want it to contain %q", tt.path, err, tt.want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("OpenTable(%s) error = %v, want errors.Is %v", tt.path, err, tt.is)
			}
		})
	}
}

// TestOpenTableCancel checks that cancelling the context stops a read
// that is under way.
func TestOpenTableCancel(t *testing.T) {
	var buf bytes.Buffer
	buf.WriteString("id,answer\n")
	for i := range 50000 { // several read buffers
		fmt.Fprintf(&buf, "%d,%d\n", i, i%5)
	}
	path := filepath.Join(t.TempDir(), "big.csv")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	tr, err := OpenTable(ctx, path, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	if _, _, err := tr.Next(); err != nil {
		t.Fatal(err)
	}
	cancel()
	rows := 1
	for {
		_, _, err = tr.Next()
		if err != nil {
			break
		}
		rows++
	}
	if !errors.Is(err, context.Canceled) || rows >= 50000 {
		t.Errorf("reading after cancel: %d rows, then %v; want context.Canceled before the end", rows, err)
	}
}

// TestOpenTableStdinNotClosed checks that reading standard input leaves
// it open for the caller, who owns it.
func TestOpenTableStdinNotClosed(t *testing.T) {
	stdin := &closeRecorder{Reader: strings.NewReader("a\n1\n")}
	tr, err := OpenTable(context.Background(), "-", ReadOptions{Stdin: stdin})
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Close(); err != nil || stdin.closed {
		t.Errorf("Close() = %v, stdin closed %v; want nil, false", err, stdin.closed)
	}
}

type closeRecorder struct {
	io.Reader
	closed bool
}

func (c *closeRecorder) Close() error {
	c.closed = true
	return nil
}

func TestFormatBytes(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{1000, "1000 bytes"},
		{1 << 10, "1 KiB"},
		{1 << 20, "1 MiB"},
		{3 << 19, "1.5 MiB"},
		{512 << 20, "512 MiB"},
		{1 << 30, "1 GiB"},
	}
	for _, tt := range tests {
		if got := formatBytes(tt.n); got != tt.want {
			t.Errorf("formatBytes(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}
