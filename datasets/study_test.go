package datasets

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/trustgap/trustgap/survey"
)

var update = flag.Bool("update", false, "rewrite the embedded study from the generator")

// TestEmbedded checks that the committed study is what Generate and
// Codebook give today, so the files can always be rebuilt with -update.
func TestEmbedded(t *testing.T) {
	var csv bytes.Buffer
	if err := Generate(context.Background(), GenerateOptions{N: DefaultN, Seed: DefaultSeed}, &csv); err != nil {
		t.Fatalf("Generate(N=%d, Seed=%d) = %v", DefaultN, DefaultSeed, err)
	}
	tests := []struct {
		file     string
		embedded string
		want     []byte
	}{
		{"study/responses.csv", studyResponses, csv.Bytes()},
		{"study/codebook.yaml", studyCodebook, Codebook()},
	}
	for _, tc := range tests {
		if *update {
			if err := os.WriteFile(filepath.FromSlash(tc.file), tc.want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if tc.embedded != string(tc.want) {
			t.Errorf("embedded %s differs from the generator's output (%d vs %d bytes); run go test ./datasets -run TestEmbedded -update",
				tc.file, len(tc.embedded), len(tc.want))
		}
	}
}

// loadDefault reads the embedded study through package survey, as the
// commands do.
func loadDefault(t *testing.T) *survey.Dataset {
	t.Helper()
	ds, err := LoadDefault(context.Background(), survey.LoadOptions{})
	if err != nil {
		t.Fatalf("LoadDefault = %v", err)
	}
	return ds
}

func load(t *testing.T, responses, codebook io.Reader) *survey.Dataset {
	t.Helper()
	cb, err := survey.ParseCodebook(codebook, DefaultCodebookName)
	if err != nil {
		t.Fatalf("ParseCodebook(%s) = %v", DefaultCodebookName, err)
	}
	tr, err := survey.NewCSVReader(responses, DefaultResponsesName, survey.ReadOptions{})
	if err != nil {
		t.Fatalf("NewCSVReader(%s) = %v", DefaultResponsesName, err)
	}
	ds, err := survey.Load(context.Background(), cb, []survey.TableReader{tr}, survey.LoadOptions{})
	if err != nil {
		t.Fatalf("Load(%s) = %v", DefaultResponsesName, err)
	}
	return ds
}

// share is the weighted mean of a 0/1 flag over respondents with in(i)
// true and the flag answered: Σ w·y / Σ w.
func share(w, flag []float64, in func(i int) bool) float64 {
	var num, den float64
	for i, y := range flag {
		if math.IsNaN(y) || (in != nil && !in(i)) {
			continue
		}
		num += w[i] * y
		den += w[i]
	}
	return num / den
}

// level returns a predicate selecting respondents whose categorical
// column holds value.
func level(t *testing.T, c *survey.Column, value string) func(int) bool {
	t.Helper()
	for code, l := range c.Levels {
		if l == value {
			return func(i int) bool { return c.Codes[i] == int32(code) }
		}
	}
	t.Fatalf("column %s has no level %q (levels %q)", c.Name, value, c.Levels)
	return nil
}

func flagOf(t *testing.T, ds *survey.Dataset, construct string) []float64 {
	t.Helper()
	c := ds.Construct(construct)
	if c == nil {
		t.Fatalf("embedded study has no construct %q", construct)
	}
	return c.Flags().All(nil)
}

func segmentColumn(t *testing.T, ds *survey.Dataset, name string) *survey.Column {
	t.Helper()
	for _, s := range ds.Segments {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("embedded study has no segment %q", name)
	return nil
}

// TestDefaultStudyCalibration checks that the embedded study echoes every
// published topline in Benchmarks (the calibration targets listed in the
// package doc). Global figures must be within 2 points; a region rests on
// about a fifth of the sample, so its sampling error is about √5 times
// larger and it gets 3.
func TestDefaultStudyCalibration(t *testing.T) {
	ds := loadDefault(t)
	if ds.N != DefaultN {
		t.Fatalf("Load(default study).N = %d, want %d", ds.N, DefaultN)
	}
	checkToplines(t, ds, 0.02, 0.03)
}

// TestModelCalibration checks the population rather than the embedded
// sample: at 100,000 respondents the sampling error is a fraction of a
// point, so the toplines must be met closely whatever the seed.
func TestModelCalibration(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and loads 100,000 respondents")
	}
	var buf bytes.Buffer
	const n = 100000
	if err := Generate(context.Background(), GenerateOptions{N: n, Seed: 1}, &buf); err != nil {
		t.Fatalf("Generate(N=%d) = %v", n, err)
	}
	ds := load(t, &buf, bytes.NewReader(Codebook()))
	checkToplines(t, ds, 0.008, 0.015)
}

// checkToplines compares each topline with the study's estimate: the
// weighted flag share of the topline's construct in its domain, or for
// "effect" the comfort share among trusting minus among non-trusting
// respondents.
func checkToplines(t *testing.T, ds *survey.Dataset, tol, tolRegion float64) {
	t.Helper()
	w := ds.Weights
	for _, tl := range parseToplines(t) {
		in, where, limit := func(int) bool { return true }, "", tol
		if r, ok := tl.Domain["region"]; ok {
			in, where, limit = level(t, ds.Region, r), " | "+r, tolRegion
		}
		var got float64
		name := fmt.Sprintf("share(%s%s)", tl.Statistic, where)
		if tl.Statistic == "effect" {
			trust, comfort := flagOf(t, ds, "trust"), flagOf(t, ds, "comfort")
			trusting := func(v float64) func(int) bool {
				return func(i int) bool { return in(i) && trust[i] == v }
			}
			got = share(w, comfort, trusting(1)) - share(w, comfort, trusting(0))
			name = fmt.Sprintf("share(comfort | trusting%s) - share(comfort | not trusting%s)", where, where)
		} else {
			got = share(w, flagOf(t, ds, tl.Statistic), in)
		}
		t.Logf("%s = %.4f (published %.2f)", name, got, tl.Value)
		if math.Abs(got-tl.Value) > limit {
			t.Errorf("%s = %.4f, want %.2f ± %.3f (%s)", name, got, tl.Value, limit, tl.Figure)
		}
	}
}

// TestDefaultStudyPatterns checks the regional, generational and
// data-type patterns the package doc describes. Regions must sit at least
// minApart points from the global share in the stated direction, North
// America within nearNA of it.
func TestDefaultStudyPatterns(t *testing.T) {
	ds := loadDefault(t)
	w := ds.Weights
	const minApart, nearNA = 0.04, 0.03

	// direction: +1 above the global share, -1 below, 0 close to it.
	regional := []struct {
		construct, region string
		direction         int
	}{
		{"concern", "North America", 0},
		{"trust", "North America", 0},
		{"personalization", "North America", 0},
		{"concern", "Europe", +1},
		{"trust", "Europe", -1},
		{"personalization", "Europe", -1},
		{"concern", "Asia-Pacific", -1},
		{"trust", "Asia-Pacific", +1},
		{"personalization", "Asia-Pacific", +1},
		{"concern", "Latin America", +1},
		{"personalization", "Latin America", +1},
		{"sharing", "Latin America", +1},
		{"personalization", "Middle East & Africa", -1},
	}
	for _, tc := range regional {
		f := flagOf(t, ds, tc.construct)
		global := share(w, f, nil)
		got := share(w, f, level(t, ds.Region, tc.region))
		d := got - global
		t.Logf("share(%s | %s) = %.4f, global %.4f", tc.construct, tc.region, got, global)
		switch {
		case tc.direction == 0 && math.Abs(d) > nearNA:
			t.Errorf("share(%s | %s) - share(%s) = %+.4f, want within ±%.2f", tc.construct, tc.region, tc.construct, d, nearNA)
		case tc.direction > 0 && d < minApart:
			t.Errorf("share(%s | %s) - share(%s) = %+.4f, want >= +%.2f", tc.construct, tc.region, tc.construct, d, minApart)
		case tc.direction < 0 && d > -minApart:
			t.Errorf("share(%s | %s) - share(%s) = %+.4f, want <= -%.2f", tc.construct, tc.region, tc.construct, d, minApart)
		}
	}

	gen := segmentColumn(t, ds, "generation")
	for _, construct := range []string{"personalization", "accept_noconsent", "sharing"} {
		f := flagOf(t, ds, construct)
		z, b := share(w, f, level(t, gen, "Gen Z")), share(w, f, level(t, gen, "Boomers"))
		t.Logf("share(%s | Gen Z) = %.4f, share(%s | Boomers) = %.4f", construct, z, construct, b)
		if z <= b+minApart {
			t.Errorf("share(%s | Gen Z) = %.4f, want above share(%s | Boomers) = %.4f by %.2f", construct, z, construct, b, minApart)
		}
	}

	loc := share(w, flagOf(t, ds, "comfort_location"), nil)
	for _, other := range []string{"comfort_name", "comfort_phone", "comfort_address", "comfort_purchases", "comfort_browsing"} {
		s := share(w, flagOf(t, ds, other), nil)
		t.Logf("share(%s) = %.4f, share(comfort_location) = %.4f", other, s, loc)
		if s <= loc {
			t.Errorf("share(%s) = %.4f, want above share(comfort_location) = %.4f", other, s, loc)
		}
	}
}

// TestDefaultStudyNonresponse checks that blank and "Don't know" answers
// reach the constructs as missing at the advertised 2–5% per item.
func TestDefaultStudyNonresponse(t *testing.T) {
	ds := loadDefault(t)
	for _, c := range ds.Constructs {
		for _, item := range c.Items {
			miss := 0
			for _, v := range item.Values().All(nil) {
				if math.IsNaN(v) {
					miss++
				}
			}
			rate := float64(miss) / float64(ds.N)
			// Items offering "Don't know" add about 3 points to the blanks.
			if rate < 0.015 || rate > 0.09 {
				t.Errorf("missing rate of %s.%s = %.4f, want 0.015..0.09", c.Name, item.Name, rate)
			}
		}
	}
}

func ExampleDefaultStudy() {
	responses, codebook := DefaultStudy()
	cb, err := survey.ParseCodebook(codebook, DefaultCodebookName)
	if err != nil {
		fmt.Println(err)
		return
	}
	tr, err := survey.NewCSVReader(responses, DefaultResponsesName, survey.ReadOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	ds, err := survey.Load(context.Background(), cb, []survey.TableReader{tr}, survey.LoadOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(ds.Title)
	fmt.Println(ds.N, "respondents in", len(ds.Region.Levels), "regions")
	// Output:
	// Consumer Privacy & Personalization Study (synthetic)
	// 6000 respondents in 5 regions
}

// TestDefaultStudyValidates checks that survey.Validate finds nothing
// wrong with the embedded study: it is the example users start from.
func TestDefaultStudyValidates(t *testing.T) {
	responses, codebook := DefaultStudy()
	cb, err := survey.ParseCodebook(codebook, DefaultCodebookName)
	if err != nil {
		t.Fatalf("ParseCodebook(%s) = %v", DefaultCodebookName, err)
	}
	tr, err := survey.NewCSVReader(responses, DefaultResponsesName, survey.ReadOptions{})
	if err != nil {
		t.Fatalf("NewCSVReader(%s) = %v", DefaultResponsesName, err)
	}
	problems, warnings, err := survey.Validate(context.Background(), cb, []survey.TableReader{tr}, survey.LoadOptions{})
	if err != nil {
		t.Fatalf("Validate(default study) = %v", err)
	}
	if len(problems) != 0 || len(warnings) != 0 {
		t.Errorf("Validate(default study) = %d problems %v and %d warnings %v, want none", len(problems), problems, len(warnings), warnings)
	}
}
