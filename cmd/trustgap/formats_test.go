package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// The format tests write one canonical study in every layout a client
// sends and check that `describe` gives the same figures from each. The
// files are generated in t.TempDir() from ftStudy, so nothing needs
// regenerating when the fixture changes.

// ftTolerance is the largest absolute difference allowed between a
// variant's figure and the plain CSV's (estimates, SEs, interval bounds
// and weighted bases). Every variant holds the same numbers, so only
// summation order (the stacked files reorder respondents) may differ.
const ftTolerance = 1e-6

// ftCodebook reads every variant: the columns: aliases name the German
// country file's headers, values: map the French and the German answer
// labels, and missing: holds both languages' "don't know".
const ftCodebook = `title: Formats fixture
missing: ["Don't know", "Weiß nicht"]
columns:
  rid: [rid, Befragten-ID]
  region: [region, Bundesland]
  psu: [psu, Cluster]
  weight: [weight, Gewicht]
  gender: [gender, Geschlecht]
  pc1: [pc1, F1_1]
  pc2: [pc2, F1_2]
  pc3: [pc3, F1_3]
  tr1: [tr1, V1]
  tr2: [tr2, V2]
  sh1: [sh1, T1]
  sh2: [sh2, T2]
  sh3: [sh3, T3]
  sh4: [sh4, T4]
design: {id: rid, weight: weight, strata: region, psu: psu}
region: region
segments: [gender]
constructs:
  concern: {items: [pc1, pc2, pc3], scale: [1, 5], reverse: [pc3], flag: ">= 3.5", min_items: 2}
  trust:
    items: [tr1, tr2]
    values:
      "Pas du tout d'accord": 1
      "Plutôt pas d'accord": 2
      "Ni d'accord ni pas d'accord": 3
      "Plutôt d'accord": 4
      "Très d'accord": 5
      "Überhaupt nicht": 1
      "Eher nicht": 2
      "Teils, teils": 3
      "Eher ja": 4
      "Voll und ganz": 5
    scale: [1, 5]
    flag: ">= 4"
    min_items: 1
  sharing: {items: [sh1, sh2, sh3, sh4], values: {Ja: 1, Nein: 0}, score: count, flag: ">= 2", min_items: 3}
`

// ftHeader is the canonical header; ftQuestions the question texts a
// Qualtrics export carries in its second row.
var (
	ftHeader    = []string{"rid", "region", "psu", "weight", "gender", "pc1", "pc2", "pc3", "tr1", "tr2", "sh1", "sh2", "sh3", "sh4"}
	ftQuestions = []string{"Respondent", "Région", "Cluster", "Poids", "Genre",
		`Je suis préoccupé(e) par ma vie privée, "en ligne"`, "Les entreprises collectent trop, selon moi", "Je suis à l'aise (inversé)",
		"Je fais confiance aux entreprises", "Elles sont honnêtes", "Partagé: localisation", "Partagé: cookies", "Partagé: e-mail", "Partagé: réseaux sociaux"}
	ftTrustFR = []string{"Pas du tout d'accord", "Plutôt pas d'accord", "Ni d'accord ni pas d'accord", "Plutôt d'accord", "Très d'accord"}
	// ftGerman translates the French file's answers for the German one.
	ftGerman = map[string]string{
		"Pas du tout d'accord": "Überhaupt nicht", "Plutôt pas d'accord": "Eher nicht",
		"Ni d'accord ni pas d'accord": "Teils, teils", "Plutôt d'accord": "Eher ja", "Très d'accord": "Voll und ganz",
		"Yes": "Ja", "No": "Nein", "Don't know": "Weiß nicht",
	}
	// ftGermanHeader names the German file's columns, in its own order.
	ftGermanHeader = map[string]string{
		"rid": "Befragten-ID", "region": "Bundesland", "psu": "Cluster", "weight": "Gewicht", "gender": "Geschlecht",
		"pc1": "F1_1", "pc2": "F1_2", "pc3": "F1_3", "tr1": "V1", "tr2": "V2", "sh1": "T1", "sh2": "T2", "sh3": "T3", "sh4": "T4",
	}
	ftGermanOrder = []string{"Befragten-ID", "Geschlecht", "Bundesland", "Cluster", "V1", "V2", "F1_1", "F1_2", "F1_3", "T1", "T2", "T3", "T4", "Gewicht"}
	ftRegions     = []string{"Île-de-France", "Provence", "Bayern", "Sachsen"}
	ftFrench      = map[string]bool{"Île-de-France": true, "Provence": true}
)

// ftStudy returns the canonical table: each cell is a float64 (written as
// a number), a string, or nil (an empty cell). It is deterministic.
func ftStudy() [][]any {
	rng := rand.New(rand.NewPCG(20240301, 7))
	var rows [][]any
	for i := 0; i < 320; i++ {
		region := ftRegions[i%len(ftRegions)]
		psu := fmt.Sprintf("%s-%02d", strings.ToUpper(strings.NewReplacer("Î", "I").Replace(region))[:3], 1+rng.IntN(5))
		// Weights with four decimals, so that a decimal comma matters.
		weight := math.Round((0.4+1.8*rng.Float64())*1e4) / 1e4
		gender := []string{"F", "M"}[rng.IntN(2)]
		row := []any{fmt.Sprintf("R%04d", i+1), region, psu, weight, gender}
		lean := rng.Float64() // respondents differ, so flags vary
		for k := 0; k < 3; k++ {
			switch u := rng.Float64(); {
			case u < 0.05:
				row = append(row, nil)
			case u < 0.08:
				row = append(row, "Don't know")
			case u < 0.12:
				row = append(row, 3.5) // a slider's half step
			default:
				row = append(row, float64(1+min(4, int(5*(0.6*lean+0.4*rng.Float64())))))
			}
		}
		for k := 0; k < 2; k++ {
			if rng.Float64() < 0.07 {
				row = append(row, nil)
				continue
			}
			row = append(row, ftTrustFR[min(4, int(5*(0.5*lean+0.5*rng.Float64())))])
		}
		for k := 0; k < 4; k++ {
			switch u := rng.Float64(); {
			case u < 0.04:
				row = append(row, nil)
			case u < 0.3+0.4*lean:
				row = append(row, "Yes")
			default:
				row = append(row, "No")
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// ftCell renders a cell as text: numbers with a decimal point or comma,
// text through translate (nil: as is).
func ftCell(v any, decimalComma bool, translate map[string]string) string {
	switch v := v.(type) {
	case nil:
		return ""
	case float64:
		s := strconv.FormatFloat(v, 'f', -1, 64)
		if decimalComma {
			s = strings.Replace(s, ".", ",", 1)
		}
		return s
	case string:
		if t, ok := translate[v]; ok {
			return t
		}
		return v
	}
	panic(fmt.Sprintf("ftCell: %T", v))
}

// ftText renders rows as delimited text.
func ftText(t *testing.T, header []string, extra [][]string, rows [][]string, comma rune, crlf bool) []byte {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Comma, w.UseCRLF = comma, crlf
	if err := w.Write(header); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteAll(append(slices.Clone(extra), rows...)); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// ftTextRows renders the canonical rows as text.
func ftTextRows(rows [][]any, decimalComma bool) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = make([]string, len(r))
		for j, v := range r {
			out[i][j] = ftCell(v, decimalComma, nil)
		}
	}
	return out
}

func ftEncode(t *testing.T, enc encoding.Encoding, b []byte) []byte {
	t.Helper()
	out, err := enc.NewEncoder().Bytes(b)
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	return out
}

func ftWrite(t *testing.T, path string, b []byte) string {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// ftXLSX writes a workbook whose first sheet holds notes and whose second,
// "Responses", holds the data, numbers as numbers.
func ftXLSX(t *testing.T, path string, rows [][]any) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetSheetName("Sheet1", "Notes"))
	must(f.SetCellValue("Notes", "A1", "Fieldwork notes: data on the Responses sheet"))
	must(f.SetCellValue("Notes", "A2", "rid"))
	must(f.SetCellValue("Notes", "B2", 42))
	if _, err := f.NewSheet("Responses"); err != nil {
		t.Fatal(err)
	}
	for j, h := range ftHeader {
		cell, _ := excelize.CoordinatesToCellName(j+1, 1)
		must(f.SetCellValue("Responses", cell, h))
	}
	for i, r := range rows {
		for j, v := range r {
			if v == nil {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(j+1, i+2)
			must(f.SetCellValue("Responses", cell, v))
		}
	}
	must(f.SaveAs(path))
	return path
}

// ftVariant is one way of writing the study: the --data files (or stdin)
// and extra flags.
type ftVariant struct {
	name  string
	data  []string
	stdin []byte
	flags []string
}

// ftVariants writes every variant of rows into dir.
func ftVariants(t *testing.T, dir string, rows [][]any) (plain ftVariant, others []ftVariant) {
	t.Helper()
	text := ftTextRows(rows, false)
	plainCSV := ftText(t, ftHeader, nil, text, ',', false)
	plain = ftVariant{name: "plain CSV", data: []string{ftWrite(t, filepath.Join(dir, "plain.csv"), plainCSV)}}

	// Qualtrics: UTF-8 with BOM, CRLF, two metadata columns first, question
	// texts in row 2 and import ids in row 3.
	qHeader := append([]string{"StartDate", "ResponseId"}, ftHeader...)
	qLabels := append([]string{"Start Date", "Response ID"}, ftQuestions...)
	qIDs := []string{`{"ImportId":"startDate","timeZone":"Europe/Paris"}`, `{"ImportId":"_recordId"}`}
	for j := range ftHeader {
		qIDs = append(qIDs, fmt.Sprintf(`{"ImportId":"QID%d"}`, j+1))
	}
	var qRows [][]string
	for i, r := range text {
		qRows = append(qRows, append([]string{fmt.Sprintf("2024-03-%02d 10:%02d:00", 1+i%28, i%60), fmt.Sprintf("R_%016x", 0x5eed0000+i)}, r...))
	}
	qualtrics := append([]byte("\xEF\xBB\xBF"), ftText(t, qHeader, [][]string{qLabels, qIDs}, qRows, ',', true)...)

	// Dutch/German Excel: ;-separated, decimal commas, Windows-1252, CRLF.
	semi := ftText(t, ftHeader, nil, ftTextRows(rows, true), ';', true)

	// Excel "Unicode text": UTF-16 LE with BOM, tab-separated, CRLF.
	utf16 := ftText(t, ftHeader, nil, text, '\t', true)

	// Two country files with their own headers, column order and labels;
	// the German one also as German Excel writes it.
	var fr, de, deExcel [][]string
	for _, r := range rows {
		if ftFrench[r[1].(string)] {
			fr = append(fr, ftTextRowsOne(r, nil))
			continue
		}
		for _, dc := range []bool{false, true} {
			byName := map[string]string{}
			for j, v := range r {
				byName[ftGermanHeader[ftHeader[j]]] = ftCell(v, dc, ftGerman)
			}
			out := make([]string, len(ftGermanOrder))
			for k, h := range ftGermanOrder {
				out[k] = byName[h]
			}
			if dc {
				deExcel = append(deExcel, out)
			} else {
				de = append(de, out)
			}
		}
	}
	franceCSV := ftWrite(t, filepath.Join(dir, "france.csv"), ftText(t, ftHeader, nil, fr, ',', false))
	unicodeText := ftEncode(t, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), utf16)
	xlsx := ftXLSX(t, filepath.Join(dir, "study.xlsx"), rows)
	xlsxBytes, err := os.ReadFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}

	others = []ftVariant{
		{name: "Qualtrics export", data: []string{ftWrite(t, filepath.Join(dir, "qualtrics.csv"), qualtrics)}},
		{name: "semicolon decimal-comma windows-1252", data: []string{ftWrite(t, filepath.Join(dir, "excel-nl.csv"), ftEncode(t, charmap.Windows1252, semi))}},
		{name: "UTF-16 LE tab-separated with BOM", data: []string{ftWrite(t, filepath.Join(dir, "unicode.txt"), unicodeText)}},
		{name: "XLSX second sheet", data: []string{xlsx}, flags: []string{"--sheet", "Responses"}},
		{name: "two country files stacked", data: []string{franceCSV,
			ftWrite(t, filepath.Join(dir, "deutschland.csv"), ftText(t, ftGermanOrder, nil, de, ',', false)),
		}},
		{name: "two country files in two formats stacked", data: []string{franceCSV,
			ftWrite(t, filepath.Join(dir, "deutschland-excel.csv"), ftEncode(t, charmap.Windows1252, ftText(t, ftGermanOrder, nil, deExcel, ';', true))),
		}},
		{name: "standard input", data: []string{"-"}, stdin: plainCSV},
		{name: "UTF-16 on standard input", data: []string{"-"}, stdin: unicodeText},
		{name: "XLSX on standard input", data: []string{"-"}, stdin: xlsxBytes, flags: []string{"--sheet", "responses"}},
	}
	return plain, others
}

func ftTextRowsOne(r []any, translate map[string]string) []string {
	out := make([]string, len(r))
	for j, v := range r {
		out[j] = ftCell(v, false, translate)
	}
	return out
}

// ftRow is the part of a describe row the comparison reads.
type ftRow struct {
	Statistic string            `json:"statistic"`
	Domain    map[string]string `json:"domain"`
	Estimate  *float64          `json:"estimate"`
	SE        *float64          `json:"se"`
	CILow     *float64          `json:"ci_low"`
	CIHigh    *float64          `json:"ci_high"`
	N         int               `json:"n"`
	WeightedN *float64          `json:"weighted_n"`
}

func (r ftRow) key() string {
	k := r.Statistic + " Total"
	for v, l := range r.Domain {
		k = r.Statistic + " " + v + "=" + l
	}
	return k
}

// ftDescribe runs describe --format json on a variant and returns its rows
// by statistic and domain.
func ftDescribe(t *testing.T, codebook string, v ftVariant) map[string]ftRow {
	t.Helper()
	args := []string{"describe", "--format", "json", "--codebook", codebook}
	for _, d := range v.data {
		args = append(args, "--data", d)
	}
	args = append(args, v.flags...)
	s, in, out, errOut := TestStreams()
	in.Write(v.stdin)
	code := run(context.Background(), s, args)
	if code != 0 {
		t.Fatalf("%s: trustgap %q: exit %d\nstderr: %s", v.name, args, code, errOut)
	}
	var res struct {
		Estimates []ftRow `json:"estimates"`
	}
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatalf("%s: describe --format json: %v\n%s", v.name, err, out)
	}
	rows := map[string]ftRow{}
	for _, r := range res.Estimates {
		if _, dup := rows[r.key()]; dup {
			t.Fatalf("%s: describe gives %s twice", v.name, r.key())
		}
		rows[r.key()] = r
	}
	return rows
}

func ftClose(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return math.Abs(*a-*b) <= ftTolerance
}

func ftStr(p *float64) string {
	if p == nil {
		return "null"
	}
	return strconv.FormatFloat(*p, 'g', 10, 64)
}

// ftExpectedShare is the weighted share flagged in the whole sample,
// computed here from the canonical table, so that a mistake every reader
// shared (weights ignored, a label unmapped) would still be caught.
func ftExpectedShare(rows [][]any, construct string) float64 {
	var num, den float64
	for _, r := range rows {
		w := r[3].(float64)
		var vals []float64
		var need int
		var flagged func(score float64) bool
		switch construct {
		case "concern":
			for k := 5; k < 8; k++ {
				if x, ok := r[k].(float64); ok {
					if k == 7 {
						x = 6 - x // reverse-coded
					}
					vals = append(vals, x)
				}
			}
			need, flagged = 2, func(s float64) bool { return s >= 3.5 }
		case "trust":
			for k := 8; k < 10; k++ {
				if s, ok := r[k].(string); ok {
					vals = append(vals, float64(1+slices.Index(ftTrustFR, s)))
				}
			}
			need, flagged = 1, func(s float64) bool { return s >= 4 }
		case "sharing":
			yes := 0.0
			for k := 10; k < 14; k++ {
				if s, ok := r[k].(string); ok {
					vals = append(vals, 0)
					if s == "Yes" {
						yes++
					}
				}
			}
			if len(vals) >= 3 {
				vals = []float64{yes}
			} else {
				vals = nil
			}
			need, flagged = 1, func(s float64) bool { return s >= 2 }
		}
		if len(vals) < need || len(vals) == 0 {
			continue
		}
		score := 0.0
		for _, x := range vals {
			score += x
		}
		if construct != "sharing" {
			score /= float64(len(vals))
		}
		den += w
		if flagged(score) {
			num += w
		}
	}
	return num / den
}

// TestFormatsDescribeAgree checks that describe gives the same figures, to
// ftTolerance, from the study written as plain CSV, a Qualtrics export, a
// ;-separated decimal-comma Windows-1252 file, a UTF-16 LE tab-separated
// file, the second sheet of a workbook, two country files with different
// headers stacked through columns: aliases, and standard input.
func TestFormatsDescribeAgree(t *testing.T) {
	dir := t.TempDir()
	rows := ftStudy()
	codebook := ftWrite(t, filepath.Join(dir, "codebook.yaml"), []byte(ftCodebook))
	plain, variants := ftVariants(t, dir, rows)
	want := ftDescribe(t, codebook, plain)

	// The plain CSV's figures must be the study's own: every construct
	// reported in the total, each region and each gender, and the shares
	// flagged in the total as computed from the canonical table.
	for _, c := range []string{"concern", "trust", "sharing"} {
		for _, s := range []string{c, c + "_score"} {
			for _, d := range append([]string{"Total", "gender=F", "gender=M"}, func() (out []string) {
				for _, r := range ftRegions {
					out = append(out, "region="+r)
				}
				return out
			}()...) {
				if _, ok := want[s+" "+d]; !ok {
					t.Errorf("plain CSV: describe has no %s for %s", s, d)
				}
			}
		}
		got := want[c+" Total"]
		if got.Estimate == nil || math.Abs(*got.Estimate-ftExpectedShare(rows, c)) > 1e-9 {
			t.Errorf("plain CSV: %s share = %s, want %v (computed from the table)", c, ftStr(got.Estimate), ftExpectedShare(rows, c))
		}
		if got.N < 250 {
			t.Errorf("plain CSV: %s base %d, want most of the 320 respondents", c, got.N)
		}
	}
	if len(want) != 3*2*7 {
		t.Errorf("plain CSV: %d rows, want %d", len(want), 3*2*7)
	}

	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			got := ftDescribe(t, codebook, v)
			for k, w := range want {
				g, ok := got[k]
				if !ok {
					t.Errorf("no row for %s", k)
					continue
				}
				for _, f := range []struct {
					name string
					g, w *float64
				}{{"estimate", g.Estimate, w.Estimate}, {"se", g.SE, w.SE}, {"ci_low", g.CILow, w.CILow}, {"ci_high", g.CIHigh, w.CIHigh}, {"weighted_n", g.WeightedN, w.WeightedN}} {
					if !ftClose(f.g, f.w) {
						t.Errorf("%s %s = %s, want %s as from the plain CSV", k, f.name, ftStr(f.g), ftStr(f.w))
					}
				}
				if g.N != w.N {
					t.Errorf("%s n = %d, want %d as from the plain CSV", k, g.N, w.N)
				}
			}
			for k := range got {
				if _, ok := want[k]; !ok {
					t.Errorf("row %s is not in the plain CSV's result", k)
				}
			}
		})
	}
}
