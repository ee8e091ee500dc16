package survey

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/trustgap/trustgap/internal/pool"
)

// readAllChunks reads p to its end or error: the bytes, and the error
// (io.EOF at the end).
func readAllChunks(p *inflateAhead) ([]byte, error) {
	var out []byte
	for {
		b, err := p.next()
		if err != nil {
			return out, err
		}
		if len(b) <= chunkHead {
			return out, fmt.Errorf("empty chunk")
		}
		out = append(out, b[chunkHead:]...)
		p.recycle(b)
	}
}

// The chunks carry the stream's bytes in order, whatever the lengths of
// its reads, then its error: io.EOF, a read error, or a panic as a
// *pool.PanicError.
func TestInflateAhead(t *testing.T) {
	data := make([]byte, 3*inflateChunk+12345)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range data {
		data[i] = byte(rng.IntN(256))
	}
	boom := errors.New("boom")
	for _, tc := range []struct {
		name    string
		r       io.Reader
		size    uint64
		want    []byte
		wantErr error
	}{
		{"whole", bytes.NewReader(data), uint64(len(data)), data, io.EOF},
		{"a byte at a time", iotest.OneByteReader(bytes.NewReader(data[:20000])), 20000, data[:20000], io.EOF},
		{"declared smaller", bytes.NewReader(data), 10, data, io.EOF},
		{"empty", bytes.NewReader(nil), 0, nil, io.EOF},
		{"read error", io.MultiReader(bytes.NewReader(data[:5000]), iotest.ErrReader(boom)), 5000, data[:5000], boom},
		{"panic", io.MultiReader(bytes.NewReader(data[:5000]), panicReader{}), 5000, data[:5000], pool.ErrPanic},
	} {
		p := startInflate(context.Background(), tc.r, tc.size)
		got, err := readAllChunks(p)
		p.close()
		if tc.wantErr == pool.ErrPanic {
			got = tc.want // the chunk being filled is lost
		}
		if !bytes.Equal(got, tc.want) || !errors.Is(err, tc.wantErr) {
			t.Errorf("%s: read %d bytes (equal %v), %v; want %d bytes, %v", tc.name, len(got), bytes.Equal(got, tc.want), err, len(tc.want), tc.wantErr)
		}
	}
}

type panicReader struct{}

func (panicReader) Read([]byte) (int, error) { panic("reader broke") }

// Cancelling ctx ends the reading with ctx's error; close stops the
// producer though nobody takes its chunks.
func TestInflateAheadStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	p := startInflate(ctx, zeros{}, 1<<40)
	if _, err := p.next(); err != nil {
		t.Fatalf("first chunk: %v", err)
	}
	cancel()
	var err error
	for range 2 * inflateChunks {
		if _, err = p.next(); err != nil {
			break
		}
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("next after cancel = %v, want context.Canceled", err)
	}
	done := make(chan struct{})
	go func() { p.close(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("close did not stop the producer")
	}
	// Chunks filled before close may still be taken, then an error.
	err = nil
	for range inflateChunks + 1 {
		if _, err = p.next(); err != nil {
			break
		}
	}
	if err == nil {
		t.Error("next after close: no error, want one")
	}
}

// zeros is an endless stream.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// writeLongWorkbook writes a workbook of rows rows × 6 columns to a file:
// a sheet of several chunks.
func writeLongWorkbook(t *testing.T, rows int) string {
	t.Helper()
	data := [][]any{{"id", "a", "b", "c", "d", "text"}}
	for i := 1; i <= rows; i++ {
		data = append(data, []any{i, i % 5, i % 7, i % 3, 0.25 * float64(i%11), fmt.Sprintf("answer %d", i)})
	}
	path := filepath.Join(t.TempDir(), "long.xlsx")
	if err := os.WriteFile(path, makeWorkbook(t, sheetSpec{name: "S", rows: data}), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// A read stopped early (closed, or its context cancelled) stops the
// goroutine inflating the sheet, and cancelling ends the read with the
// context's error.
func TestXLSXReadStoppedEarly(t *testing.T) {
	path := writeLongWorkbook(t, 30000)
	before := runtime.NumGoroutine()

	tr, err := OpenTable(context.Background(), path, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		if _, _, err := tr.Next(); err != nil {
			t.Fatal(err)
		}
	}
	if err := tr.Close(); err != nil {
		t.Errorf("Close = %v", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tr, err = OpenTable(ctx, path, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for ; n < 5; n++ {
		if _, _, err := tr.Next(); err != nil {
			t.Fatal(err)
		}
	}
	cancel()
	for err == nil {
		_, _, err = tr.Next()
		n++
	}
	if !errors.Is(err, context.Canceled) || strings.Contains(err.Error(), "damaged") || n > 30000 {
		t.Errorf("Next after cancel: %v after %d rows, want context.Canceled before the end", err, n)
	}
	tr.Close()

	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if g := runtime.NumGoroutine(); g > before {
		t.Errorf("%d goroutines after the reads, %d before: the inflating goroutine was left running", g, before)
	}
}

// rewriteZip copies the zip archive data, the part named name with its
// header changed by edit (its compressed bytes as they are).
func rewriteZip(t *testing.T, data []byte, name string, edit func(*zip.FileHeader)) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		h := f.FileHeader
		if f.Name == name {
			edit(&h)
		}
		raw, err := f.OpenRaw()
		if err != nil {
			t.Fatal(err)
		}
		w, err := zw.CreateRaw(&h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(w, raw); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// A worksheet whose bytes do not match its zip entry is refused when the
// inflating goroutine finds it, as damaged, not read as fewer rows.
func TestXLSXDamagedSheet(t *testing.T) {
	data, err := os.ReadFile(writeLongWorkbook(t, 20000))
	if err != nil {
		t.Fatal(err)
	}
	const sheet = "xl/worksheets/sheet1.xml"
	for _, tc := range []struct {
		name string
		edit func(*zip.FileHeader)
		want error
	}{
		{"wrong checksum", func(h *zip.FileHeader) { h.CRC32 ^= 1 }, zip.ErrChecksum},
		{"longer than declared", func(h *zip.FileHeader) { h.UncompressedSize64 = 100000 }, zip.ErrFormat},
	} {
		bad := rewriteZip(t, data, sheet, tc.edit)
		_, err := readXLSX(bad, ReadOptions{})
		if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), "workbook part "+sheet+" is damaged") {
			t.Errorf("%s: read error = %v, want %v naming the damaged part", tc.name, err, tc.want)
		}
	}
}
