package survey

import (
	"archive/zip"
	"compress/flate"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestXLSXBombRefusedQuickly builds a real zip bomb — a workbook of about
// a megabyte whose sheet unpacks to 1 GiB — and checks that the default
// limit refuses it at once, without unpacking it, and says which flag
// raises the limit.
func TestXLSXBombRefusedQuickly(t *testing.T) {
	if testing.Short() {
		t.Skip("compresses 1 GiB")
	}
	path := filepath.Join(t.TempDir(), "bomb.xlsx")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.DefaultCompression)
	})
	for _, name := range []string{"[Content_Types].xml", "xl/workbook.xml"} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, "<x/>")
	}
	w, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	zeros := make([]byte, 1<<20)
	for i := 0; i < 1024; i++ {
		if _, err := w.Write(zeros); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	info, _ := os.Stat(path)
	if info.Size() > 6<<20 {
		t.Fatalf("bomb is %d bytes, want a small file", info.Size())
	}

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	tr, err := OpenTable(context.Background(), path, ReadOptions{})
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	if err == nil {
		tr.Close()
		t.Fatal("OpenTable(1 GiB bomb) = nil error, want the unzip limit refused")
	}
	var ue *UnzipLimitError
	if !errors.As(err, &ue) || ue.Limit != DefaultMaxUnzipBytes || !strings.Contains(err.Error(), "unzip limit") {
		t.Errorf("OpenTable(bomb) error = %q, want an *UnzipLimitError at the default limit", err)
	}
	// Refused from the zip directory, before anything is unpacked.
	if grown := after.TotalAlloc - before.TotalAlloc; grown > 64<<20 {
		t.Errorf("OpenTable(bomb) allocated %d MiB, want it refused before unpacking", grown>>20)
	}
	if elapsed > 5*time.Second {
		t.Errorf("OpenTable(bomb) took %v, want it refused at once", elapsed)
	}
}
