package survey

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
)

type pqStudy struct {
	ID      int64   `parquet:"id"`
	Country string  `parquet:"country,dict"`
	Q1      *int32  `parquet:"q1,optional"`
	Wt      float64 `parquet:"wt"`
	Born    *int32  `parquet:"born,date,optional"` // days since 1970 (parquet-go v0.32.1 writes a *time.Time date wrongly)
	Stamp   int64   `parquet:"stamp,timestamp(millisecond)"`
	Price   int64   `parquet:"price,decimal(2:18)"`
	OK      bool    `parquet:"ok"`
	Note    *string `parquet:"note,optional"`
	Small   float32 `parquet:"small"`
}

func ptr[T any](v T) *T { return &v }

// writeParquet writes rows with parquet-go's writer, rowsPerGroup rows in
// a row group.
func writeParquet[T any](t testing.TB, rows []T, rowsPerGroup int64) []byte {
	t.Helper()
	var b bytes.Buffer
	w := parquet.NewGenericWriter[T](&b, parquet.MaxRowsPerRowGroup(rowsPerGroup))
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func pqSample() []pqStudy {
	day := func(s string) *int32 { d, _ := time.Parse("2006-01-02", s); return ptr(int32(d.Unix() / 86400)) }
	ms := func(s string) int64 { d, _ := time.Parse("2006-01-02 15:04:05", s); return d.UnixMilli() }
	return []pqStudy{
		{1, "DE", ptr[int32](5), 0.5, day("1980-01-05"), ms("2024-01-05 13:30:00"), 1250, true, ptr("hi"), 0.25},
		{2, "GB", nil, 1.25, nil, ms("2024-01-06 00:00:00"), -5, false, nil, 1.5},
		{3, "DE", ptr[int32](1), 1, day("1999-12-31"), ms("2023-12-31 23:59:59"), 100, true, ptr("Zoë"), float32(math.NaN())},
		{4, "US", ptr[int32](3), 2, day("2001-02-03"), ms("2000-01-01 08:00:00"), 0, false, ptr(""), -3},
	}
}

var pqSampleRows = [][]string{
	{"1", "DE", "5", "0.5", "1980-01-05", "2024-01-05 13:30:00", "12.5", "1", "hi", "0.25"},
	{"2", "GB", "", "1.25", "", "2024-01-06", "-0.05", "0", "", "1.5"},
	{"3", "DE", "1", "1", "1999-12-31", "2023-12-31 23:59:59", "1", "1", "Zoë", ""},
	{"4", "US", "3", "2", "2001-02-03", "2000-01-01 08:00:00", "0", "0", "", "-3"},
}

func TestParquetReader(t *testing.T) {
	for _, perGroup := range []int64{1, 3, 100} {
		data := writeParquet(t, pqSample(), perGroup)
		dir := t.TempDir()
		path := filepath.Join(dir, "study.bin") // recognised by content
		os.WriteFile(path, data, 0o644)
		tr, err := OpenTable(context.Background(), path, ReadOptions{})
		if err != nil {
			t.Fatalf("OpenTable: %v", err)
		}
		want := []string{"id", "country", "q1", "wt", "born", "stamp", "price", "ok", "note", "small"}
		if !reflect.DeepEqual(tr.Header(), want) {
			t.Errorf("Header() = %q, want %q", tr.Header(), want)
		}
		var rows [][]string
		for i := 1; ; i++ {
			rec, row, err := tr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("Next: %v", err)
			}
			if row != i {
				t.Errorf("row = %d, want %d", row, i)
			}
			rows = append(rows, append([]string(nil), rec...))
		}
		if !reflect.DeepEqual(rows, pqSampleRows) {
			t.Errorf("%d rows a group: rows =\n%q\nwant\n%q", perGroup, rows, pqSampleRows)
		}
		info := ColumnInfos(tr)
		if len(info) != len(want) || info[1].Measure != "nominal" || info[1].Numeric || !info[0].Numeric {
			t.Errorf("ColumnInfo() = %+v, want country a nominal dictionary text column", info)
		}
		tr.Close()
	}
}

// A region read from a Parquet dictionary column has its strings as
// levels; standard input works too.
func TestLoadParquet(t *testing.T) {
	data := writeParquet(t, pqSample(), 2)
	tr, err := OpenTable(context.Background(), "-", ReadOptions{Stdin: bytes.NewReader(data)})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	cb := mustCodebook(t, `
design: {id: id, weight: wt}
region: country
constructs:
  concern: {items: [q1], scale: [1, 5], flag: ">= 4"}
`)
	ds, err := Load(context.Background(), cb, []TableReader{tr}, LoadOptions{})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if want := []string{"DE", "GB", "US"}; !reflect.DeepEqual(ds.Region.Levels, want) {
		t.Errorf("Region.Levels = %q, want %q", ds.Region.Levels, want)
	}
	if got, want := ds.Construct("concern").flag, []float64{1, math.NaN(), 0, 0}; !eqFloats(got, want) {
		t.Errorf("concern flag = %v, want %v", got, want)
	}
}

// Lists are refused as unsupported; damaged files as damaged.
func TestParquetRefused(t *testing.T) {
	type listRow struct {
		ID   int64    `parquet:"id"`
		Tags []string `parquet:"tags,list"`
	}
	data := writeParquet(t, []listRow{{1, []string{"a"}}}, 10)
	_, err := NewParquetReader(bytes.NewReader(data), int64(len(data)), "l.parquet", ReadOptions{})
	if !errors.Is(err, ErrUnsupportedFormat) {
		t.Errorf("list column: error = %v, want ErrUnsupportedFormat", err)
	}
	good := writeParquet(t, pqSample(), 2)
	for _, n := range []int{4, 12, len(good) / 2, len(good) - 9} {
		cut := good[:n]
		tr, err := NewParquetReader(bytes.NewReader(cut), int64(len(cut)), "t.parquet", ReadOptions{})
		for err == nil {
			_, _, err = tr.Next()
		}
		if !errors.Is(err, ErrDamagedFile) {
			t.Errorf("%d of %d bytes: error = %v, want ErrDamagedFile", n, len(good), err)
		}
	}
	dir := t.TempDir()
	fake := filepath.Join(dir, "x.parquet")
	os.WriteFile(fake, []byte("a,b\n1,2\n"), 0o644)
	if _, err := OpenTable(context.Background(), fake, ReadOptions{}); err == nil {
		t.Errorf("OpenTable(CSV named .parquet) = nil error, want one")
	}
}

func TestAppendDecimal(t *testing.T) {
	for _, tc := range []struct {
		b     []byte
		scale int
		want  string
	}{
		{[]byte{0x04, 0xd2}, 2, "12.34"},
		{[]byte{0xfb, 0x2e}, 2, "-12.34"},
		{[]byte{0x05}, 3, "0.005"},
		{[]byte{0xff}, 1, "-0.1"},
		{[]byte{0x64}, 0, "100"},
		{[]byte{0x64}, 2, "1"},
	} {
		if got := string(appendDecimal(nil, twosComplement(tc.b), tc.scale)); got != tc.want {
			t.Errorf("appendDecimal(%x, %d) = %q, want %q", tc.b, tc.scale, got, tc.want)
		}
	}
}

func FuzzParquetReader(f *testing.F) {
	f.Add(writeParquet(f, pqSample(), 2))
	f.Add(writeParquet(f, pqSample()[:1], 1))
	f.Fuzz(func(t *testing.T, data []byte) {
		tr, err := NewParquetReader(bytes.NewReader(data), int64(len(data)), "fuzz.parquet", ReadOptions{})
		if err != nil {
			return
		}
		width := len(tr.Header())
		for rows := 0; rows < 100000; rows++ {
			rec, _, err := tr.Next()
			if err != nil {
				break
			}
			if len(rec) != width {
				t.Fatalf("row has %d cells, header %d", len(rec), width)
			}
		}
	})
}
