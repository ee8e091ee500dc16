package survey_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"strings"

	"github.com/trustgap/trustgap/survey"
)

// A ;-separated export as German or Dutch Excel writes it: the reader
// finds the delimiter and reports that numbers may use decimal commas.
func ExampleNewCSVReader() {
	data := "id;Stadt;Vertrauen\r\n1;Köln;3,5\r\n2;Bonn;4\r\n"
	t, err := survey.NewCSVReader(strings.NewReader(data), "umfrage.csv", survey.ReadOptions{})
	if err != nil {
		log.Fatal(err)
	}
	defer t.Close()
	fmt.Println(t.Header(), "decimal comma:", t.DecimalComma())
	for {
		rec, row, err := t.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(row, rec)
	}
	// Output:
	// [id Stadt Vertrauen] decimal comma: true
	// 2 [1 Köln 3,5]
	// 3 [2 Bonn 4]
}

// A Qualtrics export piped to standard input: its three header rows are
// recognised, so the first respondent is row 4.
func ExampleOpenTable() {
	export := `ResponseId,Q1
Response ID,How concerned are you?
"{""ImportId"":""_recordId""}","{""ImportId"":""QID1""}"
R_1,Very concerned
`
	t, err := survey.OpenTable(context.Background(), "-", survey.ReadOptions{Stdin: strings.NewReader(export)})
	if err != nil {
		log.Fatal(err)
	}
	defer t.Close()
	fmt.Println(t.Header())
	fmt.Println(t.Labels())
	rec, row, err := t.Next()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(row, rec)
	// Output:
	// [ResponseId Q1]
	// [Response ID How concerned are you?]
	// 4 [R_1 Very concerned]
}

// Reading the second sheet of a workbook. Numbers come out as stored:
// the share formatted as 25% reads 0.25.
func ExampleNewXLSXReader() {
	data, err := os.ReadFile("testdata/read/workbook.xlsx")
	if err != nil {
		log.Fatal(err)
	}
	t, err := survey.NewXLSXReader(bytes.NewReader(data), int64(len(data)), "workbook.xlsx", survey.ReadOptions{Sheet: "Responses"})
	if err != nil {
		log.Fatal(err)
	}
	defer t.Close()
	fmt.Println(t.Header()[:4])
	rec, row, err := t.Next()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(row, rec[:4])
	// Output:
	// [ResponseId Q1 share_online weight]
	// 4 [R_1 4 0.25 1.23456789]
}
