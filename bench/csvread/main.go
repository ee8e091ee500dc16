// Command csvread is the baseline of trustgap's speed goals: it reads a CSV
// file once with encoding/csv (buffered, ReuseRecord) and parses one
// numeric column with strconv.ParseFloat, printing the rows read and the
// column's sum. Blank cells are skipped; any other unparsable cell is an
// error.
//
//	go run ./bench/csvread -col weight bench/out/study1000000/responses.csv
package main

import (
	"bufio"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
)

func main() {
	col := flag.String("col", "weight", "numeric `column` to parse and sum")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: csvread [-col NAME] FILE.csv")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	rows, sum, err := run(flag.Arg(0), *col)
	if err != nil {
		fmt.Fprintln(os.Stderr, "csvread:", err)
		os.Exit(1)
	}
	fmt.Printf("rows=%d sum(%s)=%.6f\n", rows, *col, sum)
}

func run(path, col string) (rows int, sum float64, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReaderSize(f, 1<<20))
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		return 0, 0, fmt.Errorf("%s: header: %w", path, err)
	}
	idx := -1
	for i, h := range header {
		if h == col {
			idx = i
			break
		}
	}
	if idx < 0 {
		return 0, 0, fmt.Errorf("%s: no column %q", path, col)
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return rows, sum, nil
		}
		if err != nil {
			return rows, sum, fmt.Errorf("%s: %w", path, err)
		}
		rows++
		if rec[idx] == "" {
			continue
		}
		x, err := strconv.ParseFloat(rec[idx], 64)
		if err != nil {
			line, _ := r.FieldPos(idx)
			return rows, sum, fmt.Errorf("%s:%d: %s: %w", path, line, col, err)
		}
		sum += x
	}
}
