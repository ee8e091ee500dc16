package survey

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// benchXLSXRows × 20 columns is the workbook BenchmarkReadXLSX reads: an
// id, a weight, three text categories, fourteen 1-5 answers and a short
// text, written by excelize's stream writer (text as inline strings, as
// that writer saves them; Excel would share them), and the same data as
// CSV.
const benchXLSXRows = 200_000

func writeBenchXLSX(b *testing.B, dir string) (xlsx, csv string) {
	b.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	header := []any{"id", "weight", "country", "gender", "generation"}
	for k := range 14 {
		header = append(header, fmt.Sprintf("q%d", k+1))
	}
	header = append(header, "code")
	var text bytes.Buffer
	row := make([]any, len(header))
	cells := make([]string, len(header))
	for i := 0; i <= benchXLSXRows; i++ {
		if i == 0 {
			copy(row, header)
		} else {
			row[0], row[1] = i, 0.5+float64(i%97)/64
			row[2], row[3], row[4] = []string{"DE", "GB", "US"}[i%3], []string{"female", "male"}[i%2], []string{"Gen Z", "Millennials", "Gen X", "Boomers"}[i%4]
			for k := range 14 {
				row[5+k] = 1 + (i*(k+3)/7)%5
			}
			row[19] = fmt.Sprintf("c%d", i%1000)
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, row); err != nil {
			b.Fatal(err)
		}
		for k, v := range row {
			cells[k] = fmt.Sprint(v)
		}
		text.WriteString(strings.Join(cells, ",") + "\n")
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	xlsx, csv = filepath.Join(dir, "bench.xlsx"), filepath.Join(dir, "bench.csv")
	if err := f.SaveAs(xlsx); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(csv, text.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	return xlsx, csv
}

// BenchmarkReadXLSX reads a 200,000 × 20 worksheet and the same data as
// CSV through OpenTable, row by row: compare their ns/op (wall time; the
// aim is the workbook within 6 times the CSV) and cpu-ms/op (CPU time of
// the whole process: the XLSX reader inflates in a second goroutine, the
// CSV reader uses one). heap-MB is the live heap after the
// read with the reader open: the sheet streams, only the shared strings
// stay in memory.
func BenchmarkReadXLSX(b *testing.B) {
	xlsx, csv := writeBenchXLSX(b, b.TempDir())
	// What decompressing the worksheet alone costs, the floor: with the
	// inflater the reader uses and with compress/flate.
	for _, inflater := range []string{"klauspost", "stdlib"} {
		b.Run("unzip-sheet-only-"+inflater, func(b *testing.B) {
			cpu0 := cpuTime(b)
			for range b.N {
				zr, err := zip.OpenReader(xlsx)
				if err != nil {
					b.Fatal(err)
				}
				if inflater == "klauspost" {
					zr.RegisterDecompressor(zip.Deflate, newInflater)
				}
				for _, f := range zr.File {
					if strings.HasPrefix(f.Name, "xl/worksheets/") {
						rc, _ := f.Open()
						if _, err := io.Copy(io.Discard, rc); err != nil {
							b.Fatal(err)
						}
						rc.Close()
					}
				}
				zr.Close()
			}
			b.ReportMetric(float64(cpuTime(b)-cpu0)/float64(b.N)/1e6, "cpu-ms/op")
		})
	}
	for _, path := range []string{xlsx, csv} {
		b.Run(filepath.Ext(path)[1:], func(b *testing.B) { benchOpenTable(b, path, benchXLSXRows) })
	}
}

// BenchmarkSheetRows reads 20,000 rows of the BenchmarkReadXLSX sheet's
// XML from memory, without the zip: the tokenizer alone, its fast path
// and the plain tag-at-a-time reference.
func BenchmarkSheetRows(b *testing.B) {
	var sb strings.Builder
	for i := 1; i <= 20_000; i++ {
		fmt.Fprintf(&sb, `<row r="%d">`, i)
		fmt.Fprintf(&sb, `<c r="A%d"><v>%d</v></c><c r="B%d"><v>%g</v></c>`, i, i, i, 0.5+float64(i%97)/64)
		for k, v := range []string{[]string{"DE", "GB", "US"}[i%3], []string{"female", "male"}[i%2], []string{"Gen Z", "Millennials", "Gen X", "Boomers"}[i%4]} {
			fmt.Fprintf(&sb, `<c r="%c%d" t="inlineStr"><is><t>%s</t></is></c>`, 'C'+k, i, v)
		}
		for k := range 14 {
			fmt.Fprintf(&sb, `<c r="%c%d"><v>%d</v></c>`, 'F'+k, i, 1+(i*(k+3)/7)%5)
		}
		fmt.Fprintf(&sb, `<c r="T%d" t="s"><v>%d</v></c></row>`, i, i%1000)
	}
	xml := sheetXML(sb.String())
	shared := make([]string, 1000)
	for k := range shared {
		shared[k] = fmt.Sprintf("c%d", k)
	}
	for _, plain := range []bool{false, true} {
		b.Run(map[bool]string{false: "fast", true: "plain"}[plain], func(b *testing.B) {
			cpu0 := cpuTime(b)
			for range b.N {
				s := &sheetRows{x: newXMLScanner(strings.NewReader(xml)), shared: shared, maxCell: 32767, plain: plain}
				n := 0
				for {
					cells, _, err := s.next()
					if err == io.EOF {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
					n += len(cells)
				}
				if n != 20_000*20 {
					b.Fatalf("read %d cells, want %d", n, 20_000*20)
				}
			}
			b.ReportMetric(float64(cpuTime(b)-cpu0)/float64(b.N)/(20_000*20), "cpu-ns/cell")
		})
	}
}
