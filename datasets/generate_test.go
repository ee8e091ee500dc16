package datasets

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/trustgap/trustgap/survey"
)

func generateBytes(t testing.TB, n int, seed uint64) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Generate(context.Background(), GenerateOptions{N: n, Seed: seed}, &buf); err != nil {
		t.Fatalf("Generate(N=%d, Seed=%d) = %v", n, seed, err)
	}
	return buf.Bytes()
}

func headerFields() []string {
	return strings.Split(strings.TrimSuffix(header, "\n"), ",")
}

func TestGenerateDeterministic(t *testing.T) {
	tests := []struct {
		n    int
		seed uint64
	}{
		{1, 0},
		{100, 1},
		{2500, 42},
		{3 * ProgressEvery / 2, 7}, // crosses a context check
	}
	for _, tc := range tests {
		a, b := generateBytes(t, tc.n, tc.seed), generateBytes(t, tc.n, tc.seed)
		if !bytes.Equal(a, b) {
			t.Errorf("Generate(N=%d, Seed=%d) twice gave different bytes", tc.n, tc.seed)
		}
		if other := generateBytes(t, tc.n, tc.seed+1); bytes.Equal(a, other) {
			t.Errorf("Generate(N=%d, Seed=%d) = Generate(N=%d, Seed=%d), want different samples", tc.n, tc.seed, tc.n, tc.seed+1)
		}
	}
}

func TestGenerateSize(t *testing.T) {
	tests := []struct {
		n       int
		lines   int // including the header
		wantErr bool
	}{
		{n: -1, wantErr: true},
		{n: 0, lines: 1},
		{n: 1, lines: 2},
		{n: 41, lines: 42},
	}
	for _, tc := range tests {
		var buf bytes.Buffer
		err := Generate(context.Background(), GenerateOptions{N: tc.n, Seed: 1}, &buf)
		if tc.wantErr {
			if err == nil {
				t.Errorf("Generate(N=%d) = nil error, want an error", tc.n)
			}
			continue
		}
		if err != nil {
			t.Errorf("Generate(N=%d) = %v, want nil", tc.n, err)
			continue
		}
		out := buf.String()
		if got := strings.Count(out, "\n"); got != tc.lines || !strings.HasSuffix(out, "\n") {
			t.Errorf("Generate(N=%d) wrote %d lines, want %d ending in a newline", tc.n, got, tc.lines)
		}
		if !strings.HasPrefix(out, header) {
			t.Errorf("Generate(N=%d) starts %.40q, want the header %.40q", tc.n, out, header)
		}
	}
}

// TestHeaderMatchesCodebook checks that the codebook names exactly the
// columns Generate writes, so nothing is loaded that is not there and
// nothing is written that no analysis reads.
func TestHeaderMatchesCodebook(t *testing.T) {
	cb, err := survey.ParseCodebook(bytes.NewReader(Codebook()), "codebook.yaml")
	if err != nil {
		t.Fatalf("ParseCodebook(Codebook()) = %v", err)
	}
	used := []string{cb.Design.ID, cb.Design.Weight, cb.Design.Strata, cb.Design.PSU, cb.Region}
	used = append(used, cb.Segments...)
	for _, name := range cb.ConstructOrder {
		used = append(used, cb.Constructs[name].Items...)
	}
	slices.Sort(used)
	used = slices.Compact(used)
	hdr := headerFields()
	sorted := slices.Sorted(slices.Values(hdr))
	if len(slices.Compact(slices.Clone(sorted))) != len(hdr) {
		t.Errorf("header %q has duplicate columns", hdr)
	}
	if !slices.Equal(sorted, used) {
		t.Errorf("header columns = %q,\nwant the codebook's %q", sorted, used)
	}
}

// answerRule lists what a column may hold, from the codebook.
type answerRule struct {
	numbers []float64 // allowed numeric answers
	texts   []string  // allowed text answers
}

// TestGenerateShape checks the design and the answers of a sample
// against the codebook: PSUs nested in regions at about 40 respondents,
// weights in [0.3, 3], answers on their scale, 2–5% blanks per item.
func TestGenerateShape(t *testing.T) {
	const n = 20000
	cb, err := survey.ParseCodebook(bytes.NewReader(Codebook()), "codebook.yaml")
	if err != nil {
		t.Fatalf("ParseCodebook(Codebook()) = %v", err)
	}
	rules := map[string]*answerRule{}
	for _, name := range cb.ConstructOrder {
		def := cb.Constructs[name]
		for _, item := range def.Items {
			r := &answerRule{}
			switch {
			case def.Score == "count":
				r.numbers = []float64{0, 1}
				r.texts = []string{"Yes", "No"}
			default:
				// values: names the scale's answers; the files may give
				// the text or the number.
				for k := range def.Values {
					r.texts = append(r.texts, k)
				}
				for v := def.Scale[0]; v <= def.Scale[1]; v++ {
					r.numbers = append(r.numbers, v)
				}
			}
			rules[item] = r
		}
	}

	rd := csv.NewReader(bytes.NewReader(generateBytes(t, n, 11)))
	hdr, err := rd.Read()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range hdr {
		col[h] = i
	}
	blanks := make([]int, len(hdr))
	dk := make([]int, len(hdr))
	psuRegion := map[string]string{}
	for row := 1; ; row++ {
		rec, err := rd.Read()
		if err == io.EOF {
			if row-1 != n {
				t.Fatalf("Generate(N=%d) wrote %d rows", n, row-1)
			}
			break
		}
		if err != nil {
			t.Fatalf("row %d: %v", row, err)
		}
		if got := rec[col["rid"]]; got != strconv.Itoa(row) {
			t.Fatalf("row %d: rid = %q, want %d", row, got, row)
		}
		psu, region := rec[col["psu"]], rec[col["region"]]
		if r, ok := psuRegion[psu]; ok && r != region {
			t.Fatalf("row %d: psu %s in %q and %q, want PSUs nested in regions", row, psu, r, region)
		}
		psuRegion[psu] = region
		w, err := strconv.ParseFloat(rec[col["weight"]], 64)
		if err != nil || w < 0.3 || w > 3 {
			t.Fatalf("row %d: weight = %q, want a number in [0.3, 3]", row, rec[col["weight"]])
		}
		for i, v := range rec {
			r := rules[hdr[i]]
			switch {
			case r == nil:
			case v == "":
				blanks[i]++
			case v == dontKnow:
				dk[i]++
			case slices.Contains(r.texts, v):
			default:
				x, err := strconv.ParseFloat(v, 64)
				if err != nil || !slices.Contains(r.numbers, x) {
					t.Fatalf("row %d, column %s: %q is not an allowed answer", row, hdr[i], v)
				}
			}
		}
	}
	regions := map[string]bool{}
	for _, r := range psuRegion {
		regions[r] = true
	}
	if len(regions) != 5 {
		t.Errorf("Generate(N=%d) used %d regions, want 5", n, len(regions))
	}
	if size := float64(n) / float64(len(psuRegion)); size < 35 || size > 45 {
		t.Errorf("Generate(N=%d): %.1f respondents per PSU, want about 40", n, size)
	}
	for i, h := range hdr {
		if rules[h] == nil {
			if blanks[i] > 0 {
				t.Errorf("column %s has %d blanks, want none in design and segment columns", h, blanks[i])
			}
			continue
		}
		if rate := float64(blanks[i]) / n; rate < 0.015 || rate > 0.06 {
			t.Errorf("blank rate of %s = %.4f, want 0.02..0.05", h, rate)
		}
		if rate := float64(dk[i]) / n; rate > 0.05 {
			t.Errorf("\"Don't know\" rate of %s = %.4f, want at most 0.05", h, rate)
		}
	}
}

func TestGenerateCancel(t *testing.T) {
	const n = 3 * ProgressEvery
	tests := []struct {
		name   string
		before bool // cancel before the start, else at the first progress report
		lines  int  // lines written, header included
	}{
		{"before the start", true, 0},
		{"at the first progress report", false, ProgressEvery + 1},
	}
	for _, tc := range tests {
		ctx, cancel := context.WithCancel(context.Background())
		if tc.before {
			cancel()
		}
		var buf bytes.Buffer
		err := Generate(ctx, GenerateOptions{N: n, Seed: 1, Progress: func(int) { cancel() }}, &buf)
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Generate(cancelled %s) = %v, want context.Canceled", tc.name, err)
		}
		out := buf.String()
		if lines := strings.Count(out, "\n"); lines != tc.lines || (lines > 0 && !strings.HasSuffix(out, "\n")) {
			t.Errorf("Generate(cancelled %s) wrote %d lines, want %d whole lines", tc.name, lines, tc.lines)
		}
	}
}

func TestGenerateProgress(t *testing.T) {
	const n = 2*ProgressEvery + 5
	var got []int
	err := Generate(context.Background(), GenerateOptions{N: n, Seed: 3, Progress: func(rows int) { got = append(got, rows) }}, io.Discard)
	if err != nil {
		t.Fatalf("Generate(N=%d) = %v", n, err)
	}
	want := []int{ProgressEvery, 2 * ProgressEvery, n}
	if !slices.Equal(got, want) {
		t.Errorf("Generate(N=%d) progress = %v, want %v", n, got, want)
	}
}

type failWriter struct{ err error }

func (f failWriter) Write([]byte) (int, error) { return 0, f.err }

func TestGenerateWriteError(t *testing.T) {
	errDisk := errors.New("disk full")
	for _, n := range []int{0, 10, 5000} {
		err := Generate(context.Background(), GenerateOptions{N: n}, failWriter{errDisk})
		if !errors.Is(err, errDisk) {
			t.Errorf("Generate(N=%d) to a failing writer = %v, want it to wrap %v", n, err, errDisk)
		}
	}
}

func TestHashedNormal(t *testing.T) {
	// The hashed effects must behave like standard normals, and the
	// effects of one unit must be uncorrelated.
	const m = 100000
	for _, k := range []uint64{keyPSUConcern, keyPSUAppetite, keyHabit} {
		var sum, sum2 float64
		for unit := uint64(1); unit <= m; unit++ {
			x := hashedNormal(DefaultSeed, unit, k)
			sum += x
			sum2 += x * x
		}
		mean, sd := sum/m, math.Sqrt(sum2/m-(sum/m)*(sum/m))
		if math.Abs(mean) > 0.02 || math.Abs(sd-1) > 0.02 {
			t.Errorf("hashedNormal(k=%d) over %d units: mean %.4f, sd %.4f, want 0 and 1", k, m, mean, sd)
		}
	}
	var cross float64
	for unit := uint64(1); unit <= m; unit++ {
		cross += hashedNormal(DefaultSeed, unit, keyPSUConcern) * hashedNormal(DefaultSeed, unit, keyHabit)
	}
	if r := cross / m; math.Abs(r) > 0.02 {
		t.Errorf("correlation of hashedNormal keys %d and %d over %d units = %.4f, want about 0", keyPSUConcern, keyHabit, m, r)
	}
	if hashedNormal(1, 5, 0) == hashedNormal(1, 5, 1) || hashedNormal(1, 5, 0) == hashedNormal(2, 5, 0) {
		t.Errorf("hashedNormal ignores its key: want different values for different (seed, unit, k)")
	}
}

// FuzzGenerate checks that any seed and small N give well-formed CSV with
// N rows and in-range weights.
func FuzzGenerate(f *testing.F) {
	f.Add(uint64(0), uint16(0))
	f.Add(uint64(1), uint16(1))
	f.Add(DefaultSeed, uint16(77))
	f.Add(uint64(math.MaxUint64), uint16(500))
	f.Fuzz(func(t *testing.T, seed uint64, n16 uint16) {
		n := int(n16 % 1000)
		recs, err := csv.NewReader(bytes.NewReader(generateBytes(t, n, seed))).ReadAll()
		if err != nil {
			t.Fatalf("Generate(N=%d, Seed=%d) is not CSV: %v", n, seed, err)
		}
		if len(recs) != n+1 {
			t.Fatalf("Generate(N=%d, Seed=%d) wrote %d records, want %d", n, seed, len(recs), n+1)
		}
		for i, rec := range recs[1:] {
			w, err := strconv.ParseFloat(rec[3], 64)
			if err != nil || w < 0.3 || w > 3 {
				t.Fatalf("Generate(N=%d, Seed=%d) row %d weight = %q, want [0.3, 3]", n, seed, i+1, rec[3])
			}
		}
	})
}

func BenchmarkGenerate(b *testing.B) {
	const n = 100000
	b.ReportAllocs()
	for b.Loop() {
		if err := Generate(context.Background(), GenerateOptions{N: n, Seed: 1}, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
}

func ExampleGenerate() {
	// Three respondents; use N: 1_000_000 and a file for a big study.
	err := Generate(context.Background(), GenerateOptions{N: 3, Seed: 1}, os.Stdout)
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// rid,region,psu,weight,generation,gender,pc1,pc2,pc3,pc4,sh_location,sh_cookies,sh_email_discount,sh_social_login,sh_purchase_history,pr_adblock,pr_vpn,pr_decline_cookies,pr_privacy_settings,tr1,tr2,cf_overall,cf_name,cf_phone,cf_address,cf_purchases,cf_browsing,cf_location,pref_personalized,accept_noconsent,w1,w2,w3,benefit_money,benefit_time,benefit_novelty,benefit_social,fam_collect,fam_use,du_concern,ctl,consent_req
	// 1,Europe,3,1.7766,Boomers,Female,5,4,4,2,Yes,No,No,No,No,0,1,1,1,,Disagree,2,3,,2,3,2,2,4,2,2,4,4,3,2,3,2,3,3,4,4,4
	// 2,North America,1,0.5144,Millennials,Male,5,5,5,1,Yes,No,Yes,Yes,Yes,1,0,1,0,Neither agree nor disagree,Disagree,4,5,4,4,4,4,4,4,4,2,3,4,5,4,2,3,,4,4,4,4
	// 3,Asia-Pacific,5,1.7324,Gen X,Male,4,4,3,1,Yes,Yes,Yes,Yes,No,1,0,0,0,Neither agree nor disagree,Agree,3,5,3,3,4,1,3,,3,Don't know,3,3,,5,3,3,4,3,3,3,3
}

// TestGenerateConstantMemory checks that allocations do not grow with N,
// which is what lets N = 10,000,000 stream through a fixed buffer.
func TestGenerateConstantMemory(t *testing.T) {
	allocs := func(n int) float64 {
		return testing.AllocsPerRun(1, func() {
			if err := Generate(context.Background(), GenerateOptions{N: n, Seed: 1}, io.Discard); err != nil {
				t.Fatal(err)
			}
		})
	}
	small, large := allocs(10), allocs(ProgressEvery+10)
	if large != small {
		t.Errorf("allocations of Generate(N=%d) = %v, want the same as for N=10 (%v)", ProgressEvery+10, large, small)
	}
}
