package survey

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// benchSAVRows is the size of the benchmark study: a million cases of 20
// variables (an id, a weight, three labelled categories, fourteen 1-5
// items and an 8-byte string), as an SPSS file (bytecode-compressed, as
// SPSS writes by default) and as the same data in CSV.
const benchSAVRows = 1_000_000

func writeBenchSAV(b *testing.B, dir string) (sav, csv string) {
	b.Helper()
	cols := []savTestCol{{name: "id"}, {name: "weight"},
		{name: "country", labels: map[float64]string{1: "DE", 2: "GB", 3: "US"}},
		{name: "gender", labels: map[float64]string{1: "female", 2: "male"}},
		{name: "generation", labels: map[float64]string{1: "Gen Z", 2: "Millennials", 3: "Gen X", 4: "Boomers"}}}
	for i := range 14 {
		cols = append(cols, savTestCol{name: fmt.Sprintf("q%d", i+1)})
	}
	cols = append(cols, savTestCol{name: "code", width: 8})
	f := savTestFile{order: binary.LittleEndian, compression: 1, cols: cols, n: benchSAVRows,
		gen: func(i int, row []any) {
			row[0] = float64(i + 1)
			row[1] = 0.5 + float64(i%97)/64
			row[2], row[3], row[4] = float64(1+i%3), float64(1+i%2), float64(1+i%4)
			for k := range 14 {
				row[5+k] = float64(1 + (i*(k+3)/7)%5)
			}
			row[19] = fmt.Sprintf("c%d", i%1000)
		}}
	sav = filepath.Join(dir, "bench.sav")
	if err := os.WriteFile(sav, f.bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	// The same rows as CSV, by reading the SPSS file back.
	tr, err := OpenTable(context.Background(), sav, ReadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer tr.Close()
	var w bytes.Buffer
	w.WriteString(strings.Join(tr.Header(), ",") + "\n")
	for {
		rec, _, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		w.WriteString(strings.Join(rec, ",") + "\n")
	}
	csv = filepath.Join(dir, "bench.csv")
	if err := os.WriteFile(csv, w.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	return sav, csv
}

// BenchmarkReadSAV reads a million-case SPSS file and the same data as
// CSV through OpenTable, row by row: compare their ns/op. heap-MB is the
// live heap after the read, with the reader still open: it stays that of
// one case whatever the file's size.
func BenchmarkReadSAV(b *testing.B) {
	sav, csv := writeBenchSAV(b, b.TempDir())
	for _, path := range []string{sav, csv} {
		b.Run(filepath.Ext(path)[1:], func(b *testing.B) { benchOpenTable(b, path, benchSAVRows) })
	}
}

// benchOpenTable reads path through OpenTable b.N times, row by row,
// checking it holds rows rows, and reports the CPU time per read and the
// live heap after a read with the reader still open.
func benchOpenTable(b *testing.B, path string, rows int) {
	var ms runtime.MemStats
	cpu0 := cpuTime(b)
	for range b.N {
		tr, err := OpenTable(context.Background(), path, ReadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			_, _, err := tr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != rows {
			b.Fatalf("read %d rows, want %d", n, rows)
		}
		runtime.GC()
		runtime.ReadMemStats(&ms)
		tr.Close()
	}
	b.ReportMetric(float64(cpuTime(b)-cpu0)/float64(b.N)/1e6, "cpu-ms/op")
	b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "heap-MB")
}
