package survey

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
)

// TestReadLimits: a header wider than MaxColumns and a row longer than
// MaxRecordBytes are refused with a *LimitError naming file and row, and
// the defaults read Excel's widest sheet.
func TestReadLimits(t *testing.T) {
	header := func(n int) string {
		var b strings.Builder
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString("c")
			b.WriteString(strings.Repeat("x", i%7))
		}
		return b.String()
	}
	tests := []struct {
		name     string
		data     string
		opts     ReadOptions
		what     string // "" means no error
		row      int
		got, lim int64
	}{
		{"too many columns", header(20) + "\n", ReadOptions{MaxColumns: 10}, "columns", 1, 20, 10},
		{"default columns", header(DefaultMaxColumns+1) + "\n", ReadOptions{}, "columns", 1, DefaultMaxColumns + 1, DefaultMaxColumns},
		{"Excel's widest sheet", header(DefaultMaxColumns) + "\n", ReadOptions{}, "", 0, 0, 0},
		// One line of 3 MiB after a three-column header: no line break.
		{"runaway row", "a,b,c\n" + strings.Repeat("x,", 3<<19) + "\n", ReadOptions{MaxRecordBytes: 1 << 20}, "record bytes", 2, 0, 1 << 20},
		{"runaway header", strings.Repeat("x,", 3<<19) + "\n", ReadOptions{MaxRecordBytes: 1 << 20}, "record bytes", 1, 0, 1 << 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, err := NewCSVReader(strings.NewReader(tt.data), "t.csv", tt.opts)
			if err == nil {
				for err == nil {
					_, _, err = tr.Next()
				}
				if err == io.EOF {
					err = nil
				}
			}
			if tt.what == "" {
				if err != nil {
					t.Fatalf("read = %v, want no error", err)
				}
				return
			}
			var le *LimitError
			var re *ReadError
			if !errors.As(err, &le) || !errors.Is(err, ErrLimit) || !errors.As(err, &re) {
				t.Fatalf("read = %v, want a *LimitError in a *ReadError", err)
			}
			if re.File != "t.csv" || re.Row != tt.row || le.What != tt.what || le.Got != tt.got || le.Limit != tt.lim {
				t.Errorf("error = %+v in %s row %d, want t.csv row %d %s %d > %d", *le, re.File, re.Row, tt.row, tt.what, tt.got, tt.lim)
			}
			if !strings.Contains(err.Error(), "t.csv row") {
				t.Errorf("message %q does not name file and row", err)
			}
		})
	}
}

// TestStdinWorkbookSpooled: a workbook on standard input is spooled to a
// temporary file, not held in memory, and the file is removed on Close
// (and on a refusal).
func TestStdinWorkbookSpooled(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	workbook := makeWorkbook(t, sheetSpec{name: "S", rows: sampleSheet()})
	tr, err := OpenTable(context.Background(), "-", ReadOptions{Stdin: bytes.NewReader(workbook)})
	if err != nil {
		t.Fatal(err)
	}
	if ents, _ := os.ReadDir(tmp); len(ents) != 1 {
		t.Errorf("while reading: %d spool files, want 1", len(ents))
	}
	if _, _, err := tr.Next(); err != nil {
		t.Fatalf("Next = %v", err)
	}
	if err := tr.Close(); err != nil {
		t.Fatalf("Close = %v", err)
	}
	if ents, _ := os.ReadDir(tmp); len(ents) != 0 {
		t.Errorf("after Close: %d spool files left, want none", len(ents))
	}
	_, err = OpenTable(context.Background(), "-", ReadOptions{Stdin: bytes.NewReader(workbook), MaxUnzipBytes: 100})
	if err == nil {
		t.Fatal("OpenTable(over the unzip limit) = nil error")
	}
	if ents, _ := os.ReadDir(tmp); len(ents) != 0 {
		t.Errorf("after a refusal: %d spool files left, want none", len(ents))
	}
}
