package datasets

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/trustgap/trustgap/analysis"
)

// topline mirrors one entry of benchmarks/toplines.yaml.
type topline struct {
	Figure    string            `yaml:"figure"`
	Statistic string            `yaml:"statistic"`
	Domain    map[string]string `yaml:"domain"`
	Value     float64           `yaml:"value"`
	Year      int               `yaml:"year"`
	Question  string            `yaml:"question"`
	Note      string            `yaml:"note"`
	Source    string            `yaml:"source"`
}

// parseToplines decodes Benchmarks strictly: an unknown key fails.
func parseToplines(t *testing.T) []topline {
	t.Helper()
	var doc struct {
		Toplines []topline `yaml:"toplines"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(Benchmarks()))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("decode %s: %v", BenchmarksName, err)
	}
	if len(doc.Toplines) == 0 {
		t.Fatalf("decode %s: no toplines", BenchmarksName)
	}
	return doc.Toplines
}

// TestBenchmarks checks every topline is complete, cites a source with
// its year, and names a statistic and domain that exist in the default
// study; and that the compare command's parser accepts the file.
func TestBenchmarks(t *testing.T) {
	constructs := map[string]bool{"effect": true} // the trust analysis's comfort gap
	var cb struct {
		Constructs map[string]any `yaml:"constructs"`
	}
	if err := yaml.Unmarshal(Codebook(), &cb); err != nil {
		t.Fatalf("yaml.Unmarshal(Codebook()) = %v", err)
	}
	for name := range cb.Constructs {
		constructs[name] = true
	}
	regions := map[string]bool{}
	for _, r := range defaultModel().regions {
		regions[r.name] = true
	}
	years := map[int]bool{}
	toplines := parseToplines(t)
	for i, tl := range toplines {
		if tl.Figure == "" || tl.Question == "" || tl.Source == "" {
			t.Errorf("topline %d (%s): figure, question and source must all be given", i+1, tl.Figure)
		}
		if !constructs[tl.Statistic] {
			t.Errorf("topline %d (%s): statistic %q is not a construct of Codebook()", i+1, tl.Figure, tl.Statistic)
		}
		for k, v := range tl.Domain {
			if k != "region" || !regions[v] {
				t.Errorf("topline %d (%s): domain {%s: %s}, want {} or {region: one of the generator's regions}", i+1, tl.Figure, k, v)
			}
		}
		if tl.Value <= 0 || tl.Value >= 1 {
			t.Errorf("topline %d (%s): value = %v, want a share in (0, 1)", i+1, tl.Figure, tl.Value)
		}
		if !strings.Contains(tl.Source, strconv.Itoa(tl.Year)) {
			t.Errorf("topline %d (%s): source %q does not cite its year %d", i+1, tl.Figure, tl.Source, tl.Year)
		}
		years[tl.Year] = true
	}
	// Eurobarometer 431 (2015), Pew (2019), Qualtrics (2024 fieldwork).
	for _, y := range []int{2015, 2019, 2024} {
		if !years[y] {
			t.Errorf("toplines have no %d figure, want Eurobarometer 2015, Pew 2019 and Qualtrics 2024", y)
		}
	}

	parsed, err := analysis.ParseBenchmarks(bytes.NewReader(Benchmarks()))
	if err != nil {
		t.Fatalf("analysis.ParseBenchmarks(Benchmarks()) = %v", err)
	}
	if len(parsed) != len(toplines) {
		t.Errorf("analysis.ParseBenchmarks(Benchmarks()) read %d toplines, want %d", len(parsed), len(toplines))
	}
}

// TestBenchmarksMatchDefaultStudy runs the compare analysis on the
// embedded study with the embedded toplines, as `trustgap compare
// --benchmark` does, and checks every topline finds its estimate.
func TestBenchmarksMatchDefaultStudy(t *testing.T) {
	toplines, err := analysis.ParseBenchmarks(bytes.NewReader(Benchmarks()))
	if err != nil {
		t.Fatalf("analysis.ParseBenchmarks(Benchmarks()) = %v", err)
	}
	res, err := analysis.Compare(loadDefault(t), analysis.Options{}, toplines)
	if err != nil {
		t.Fatalf("analysis.Compare(default study) = %v", err)
	}
	if len(res.Benchmarks) != len(toplines) {
		t.Fatalf("analysis.Compare(default study) compared %d toplines, want %d", len(res.Benchmarks), len(toplines))
	}
	for _, b := range res.Benchmarks {
		if !b.Matched {
			t.Errorf("benchmark %s %s: no matching estimate in the default study", b.Statistic, b.Domain)
			continue
		}
		t.Logf("%s %s: published %.2f, estimate %.4f [%.4f, %.4f]", b.Statistic, b.Domain, b.Published, b.Estimate, b.CILow, b.CIHigh)
	}
}
