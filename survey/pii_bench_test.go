package survey_test

import (
	"encoding/csv"
	"testing"

	"github.com/trustgap/trustgap/datasets"
	"github.com/trustgap/trustgap/survey"
)

// BenchmarkPIIScanner measures the scan of the embedded study's rows
// (42 columns of answers, codes and labels): the cost per row that every
// load pays for its first 100,000 rows (one row in 64 after them).
func BenchmarkPIIScanner(b *testing.B) {
	responses, _ := datasets.DefaultStudy()
	recs, err := csv.NewReader(responses).ReadAll()
	if err != nil {
		b.Fatal(err)
	}
	header, rows := recs[0], recs[1:]
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s := survey.NewPIIScanner("bench.csv", header)
		for _, r := range rows {
			s.Add(r)
		}
		if got := s.Columns(); len(got) != 0 {
			b.Fatalf("Columns() = %v on the embedded study, want none", got)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(rows)), "ns/row")
}
