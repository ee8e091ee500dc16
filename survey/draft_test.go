package survey

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestRecognizeScale(t *testing.T) {
	for _, tt := range []struct {
		name    string
		answers []string
		family  string // "" for no scale
		order   string // answers in scale order, | separated
		values  string
		missing string
	}{
		{"agreement 5", []string{"Agree", "Strongly disagree", "Neither agree nor disagree", "Strongly agree", "Disagree"},
			"agreement", "Strongly disagree|Disagree|Neither agree nor disagree|Agree|Strongly agree", "1 2 3 4 5", ""},
		{"agreement 7", []string{"Somewhat agree", "Agree", "Strongly agree", "Somewhat disagree", "Disagree", "Strongly disagree", "Neither agree nor disagree"},
			"agreement", "Strongly disagree|Disagree|Somewhat disagree|Neither agree nor disagree|Somewhat agree|Agree|Strongly agree", "1 2 3 4 5 6 7", ""},
		{"agreement German", []string{"Stimme eher zu", "Stimme voll und ganz zu", "Weder noch", "Stimme überhaupt nicht zu", "Stimme eher nicht zu"},
			"agreement", "Stimme überhaupt nicht zu|Stimme eher nicht zu|Weder noch|Stimme eher zu|Stimme voll und ganz zu", "1 2 3 4 5", ""},
		{"trifft zu German", []string{"Trifft eher zu", "Trifft voll und ganz zu", "Trifft überhaupt nicht zu", "Trifft eher nicht zu"},
			"agreement", "Trifft überhaupt nicht zu|Trifft eher nicht zu|Trifft eher zu|Trifft voll und ganz zu", "1 2 3 4", ""},
		{"agreement Dutch", []string{"Mee eens", "Helemaal mee oneens", "Neutraal", "Helemaal mee eens", "Mee oneens", "Weet ik niet"},
			"agreement", "Helemaal mee oneens|Mee oneens|Neutraal|Mee eens|Helemaal mee eens", "1 2 3 4 5", "Weet ik niet"},
		{"concern", []string{"Somewhat concerned", "Very concerned", "Not very concerned", "Not concerned at all"},
			"concern", "Not concerned at all|Not very concerned|Somewhat concerned|Very concerned", "1 2 3 4", ""},
		{"concern German", []string{"Sehr besorgt", "Gar nicht besorgt", "Etwas besorgt", "Nicht sehr besorgt"},
			"concern", "Gar nicht besorgt|Nicht sehr besorgt|Etwas besorgt|Sehr besorgt", "1 2 3 4", ""},
		{"concern Dutch", []string{"Zeer bezorgd", "Helemaal niet bezorgd", "Enigszins bezorgd", "Niet erg bezorgd"},
			"concern", "Helemaal niet bezorgd|Niet erg bezorgd|Enigszins bezorgd|Zeer bezorgd", "1 2 3 4", ""},
		{"comfort", []string{"Very comfortable", "Somewhat uncomfortable", "Very uncomfortable", "Somewhat comfortable", "Don't know"},
			"comfort", "Very uncomfortable|Somewhat uncomfortable|Somewhat comfortable|Very comfortable", "1 2 3 4", "Don't know"},
		{"acceptability", []string{"Somewhat acceptable", "Not very acceptable", "Very acceptable", "Not acceptable at all"},
			"acceptability", "Not acceptable at all|Not very acceptable|Somewhat acceptable|Very acceptable", "1 2 3 4", ""},
		{"likelihood", []string{"Very likely", "Somewhat unlikely", "Neither likely nor unlikely", "Very unlikely", "Somewhat likely"},
			"likelihood", "Very unlikely|Somewhat unlikely|Neither likely nor unlikely|Somewhat likely|Very likely", "1 2 3 4 5", ""},
		{"likelihood German", []string{"Sehr wahrscheinlich", "Eher unwahrscheinlich", "Sehr unwahrscheinlich", "Eher wahrscheinlich"},
			"likelihood", "Sehr unwahrscheinlich|Eher unwahrscheinlich|Eher wahrscheinlich|Sehr wahrscheinlich", "1 2 3 4", ""},
		{"trust", []string{"Trust a little", "Trust completely", "Trust somewhat", "Do not trust at all"},
			"trust", "Do not trust at all|Trust a little|Trust somewhat|Trust completely", "1 2 3 4", ""},
		{"trust Dutch", []string{"Veel vertrouwen", "Helemaal geen vertrouwen", "Weinig vertrouwen"}, "", "", "", ""},
		{"importance", []string{"Not at all important", "Very important", "Extremely important", "Somewhat important", "Not very important"},
			"importance", "Not at all important|Not very important|Somewhat important|Very important|Extremely important", "1 2 3 4 5", ""},
		{"frequency", []string{"Often", "Never", "Sometimes", "Always", "Rarely"},
			"frequency", "Never|Rarely|Sometimes|Often|Always", "1 2 3 4 5", ""},
		{"frequency German", []string{"Oft", "Nie", "Manchmal", "Immer", "Selten"},
			"frequency", "Nie|Selten|Manchmal|Oft|Immer", "1 2 3 4 5", ""},
		{"frequency Dutch", []string{"Vaak", "Nooit", "Soms", "Altijd", "Zelden"},
			"frequency", "Nooit|Zelden|Soms|Vaak|Altijd", "1 2 3 4 5", ""},
		{"yes/no", []string{"Yes", "No"}, "yes/no", "No|Yes", "0 1", ""},
		{"ja/nein", []string{"Nein", "Ja", "Keine Angabe"}, "yes/no", "Nein|Ja", "0 1", "Keine Angabe"},
		{"ja/nee", []string{"Ja", "Nee"}, "yes/no", "Nee|Ja", "0 1", ""},
		{"selected", []string{"Selected", "Not selected"}, "selected", "Not selected|Selected", "0 1", ""},
		{"ausgewählt", []string{"nicht ausgewählt", "ausgewählt"}, "selected", "nicht ausgewählt|ausgewählt", "0 1", ""},
		{"TRUE/FALSE", []string{"TRUE", "FALSE"}, "true/false", "FALSE|TRUE", "0 1", ""},
		{"numbered", []string{"4 (center)", "3", "1 (left-wing)", "7 (right-wing)", "2", "5", "6"},
			"numbered", "1 (left-wing)|2|3|4 (center)|5|6|7 (right-wing)", "1 2 3 4 5 6 7", ""},
		{"numbered dash", []string{"0 - Not at all likely", "5", "10 - Extremely likely"}, "numbered", "0 - Not at all likely|5|10 - Extremely likely", "0 5 10", ""},
		{"cities", []string{"city", "rural"}, "", "", "", ""},
		{"two families", []string{"Very concerned", "Very likely"}, "", "", "", ""},
		{"ties", []string{"Agree", "agree "}, "", "", "", ""},
		{"one answer", []string{"Agree", "Don't know"}, "", "", "", ""},
		{"countries", []string{"DE", "GB", "US"}, "", "", "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := RecognizeScale(tt.answers)
			if tt.family == "" {
				if s != nil {
					t.Errorf("RecognizeScale(%q) = %s %q, want no scale", tt.answers, s.Family, s.Answers)
				}
				return
			}
			if s == nil {
				t.Fatalf("RecognizeScale(%q) = nil, want the %s scale", tt.answers, tt.family)
			}
			var vals []string
			for _, v := range s.Values {
				vals = append(vals, fmtNum(v))
			}
			got := fmt.Sprintf("%s: %s = %s; missing %s", s.Family, strings.Join(s.Answers, "|"), strings.Join(vals, " "), strings.Join(s.NonSubstantive, "|"))
			want := fmt.Sprintf("%s: %s = %s; missing %s", tt.family, tt.order, tt.values, tt.missing)
			if got != want {
				t.Errorf("RecognizeScale(%q) = %s, want %s", tt.answers, got, want)
			}
		})
	}
}

func TestHeaderKeyAndStem(t *testing.T) {
	group := func(s string) bool { return s == "question" || s == "dem" }
	for _, tt := range []struct {
		header, key, text, stem string
	}{
		{"[dem] age", "dem.age", "", "dem.age"},
		{"dem.age", "dem.age", "", "dem.age"},
		{"[question] [concern_privacy] How concerned are you?", "question.concern_privacy", "How concerned are you?", "question.concern_privacy"},
		{"question.use_ai.Answers given by smart assistants (e.g., Siri, Alexa, ...)", "question.use_ai.Answers given by smart assistants (e.g., Siri, Alexa, ...)", "", "question.use_ai"},
		{"[question] [privacy_tools.VPN] Which tools?", "question.privacy_tools.VPN", "Which tools?", "question.privacy_tools"},
		{"tools.vpn", "tools.vpn", "", "tools"},
		{"Q5_2", "Q5_2", "", "Q5"},
		{"pc1", "pc1", "", "pc1"},
	} {
		key, text := headerKey(tt.header)
		if key != tt.key || text != tt.text {
			t.Errorf("headerKey(%q) = %q, %q, want %q, %q", tt.header, key, text, tt.key, tt.text)
		}
		if stem := keyStem(key, group); stem != tt.stem {
			t.Errorf("keyStem(%q) = %q, want %q", key, stem, tt.stem)
		}
	}
}

func TestYAMLString(t *testing.T) {
	for _, s := range []string{"age", "no", "Yes", "NA", "1 (left-wing)", `say "hi"`, "a: b", "# x", "tab\there", "line\nbreak", "Don't know", "€5", "", "true", "-1", "null", "\u0081", "a\u009fb", "\uFFFE"} {
		cb, err := ParseCodebook(strings.NewReader("title: "+yamlString(s)+"\n"), "t.yaml")
		if err != nil {
			t.Errorf("yamlString(%q) = %s: %v", s, yamlString(s), err)
			continue
		}
		if cb.Title != s {
			t.Errorf("yamlString(%q) = %s reads back as %q", s, yamlString(s), cb.Title)
		}
	}
}

// TestLongKeys checks the two places a draft writes data as a YAML key:
// a column name is cut to a name's length however long the header's
// one word is, and a level above YAML's 1,024-character implicit-key limit
// is written as an explicit key that reads back unchanged.
func TestLongKeys(t *testing.T) {
	for _, tc := range []struct{ key, want string }{
		{strings.Repeat("í", 600), strings.Repeat("í", 20)}, // 2 bytes a rune: 40 bytes
		{strings.Repeat("x", 45), strings.Repeat("x", 40)},
		{"trust in " + strings.Repeat("y", 50), "trust"},
	} {
		if got := slug(tc.key, 40); got != tc.want {
			t.Errorf("slug(%d-byte key, 40) = %q, want %q", len(tc.key), got, tc.want)
		}
	}
	for _, level := range []string{"DE", strings.Repeat("í", 1100), strings.Repeat(`a\"`, 600)} {
		doc := "labels:\n  country: {" + yamlFlowKey(level) + ": Germany, x: y}\n"
		var m map[string]map[string]map[string]string
		if err := yaml.Unmarshal([]byte(doc), &m); err != nil {
			t.Errorf("yamlFlowKey(%d-byte level) does not parse: %v", len(level), err)
			continue
		}
		if got := m["labels"]["country"][level]; got != "Germany" {
			t.Errorf("yamlFlowKey(%d-byte level) reads back as %q, want %q", len(level), got, "Germany")
		}
	}
}

// TestComment checks that whatever a header holds, a comment line made
// from it parses as a comment.
func TestComment(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain  text\n here", "plain text here"},
		{"\x19", `\u0019`},
		{"a\u0085b\u009fc", `a b\u009Fc`}, // U+0085 is a space to strings.Fields
		{"x\uFFFEy", `x\uFFFEy`},
		{"bad \xff byte", "bad \uFFFD byte"},
	} {
		got := comment(tc.in)
		if got != tc.want {
			t.Errorf("comment(%q) = %q, want %q", tc.in, got, tc.want)
		}
		var v any
		if err := yaml.Unmarshal([]byte("a: 1 # "+got+"\n"), &v); err != nil {
			t.Errorf("comment(%q) = %q does not parse as a comment: %v", tc.in, got, err)
		}
	}
}

// draftFiles drafts a codebook for the files and returns its YAML.
func draftFiles(t *testing.T, paths ...string) []byte {
	t.Helper()
	var ts []TableReader
	for _, p := range paths {
		tr, err := OpenTable(context.Background(), p, ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		defer tr.Close()
		ts = append(ts, tr)
	}
	d, err := DraftCodebook(context.Background(), ts, DraftOptions{})
	if err != nil {
		t.Fatalf("DraftCodebook: %v", err)
	}
	var b bytes.Buffer
	if err := d.WriteYAML(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// validateDraft parses a draft and validates the files with it, failing
// on any problem; it returns the codebook.
func validateDraft(t *testing.T, yml []byte, paths ...string) *Codebook {
	t.Helper()
	cb, err := ParseCodebook(bytes.NewReader(yml), "draft.yaml")
	if err != nil {
		t.Fatalf("the draft does not parse: %v", err)
	}
	var ts []TableReader
	for _, p := range paths {
		tr, err := OpenTable(context.Background(), p, ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		defer tr.Close()
		ts = append(ts, tr)
	}
	problems, _, err := Validate(context.Background(), cb, ts, LoadOptions{})
	if err != nil || len(problems) > 0 {
		t.Fatalf("Validate(draft) = %v, %v; want no problems", problems, err)
	}
	return cb
}

// TestDraftGolden drafts a codebook for a Qualtrics export and a plain
// CSV of one questionnaire with other headers, and compares it with
// testdata/draft/waves.golden.yaml (go test -update rewrites it). The
// draft must validate as it is.
func TestDraftGolden(t *testing.T) {
	files := []string{filepath.Join("testdata", "draft", "wave1_qualtrics.csv"), filepath.Join("testdata", "draft", "wave2.csv")}
	got := draftFiles(t, files...)
	checkGolden(t, filepath.Join("testdata", "draft", "waves.golden.yaml"), got)
	cb := validateDraft(t, got, files...)
	for _, tt := range []struct{ what, got, want string }{
		{"region", cb.Region, "country"},
		{"segments", strings.Join(cb.Segments, ","), "age,gender"},
		{"design", fmt.Sprint(cb.Design), "{responseid weight    }"},
		{"constructs", strings.Join(cb.ConstructOrder, ","), "concern,protection,trust,comfort,sharing"},
		{"protection items", strings.Join(cb.Constructs["protection"].Items, ","), "q2_1,q2_2,q2_3"},
		{"id headers", strings.Join(cb.Columns["responseid"], "|"), "ResponseId|response_id"},
		{"protection headers", strings.Join(cb.Columns["q2_1"], "|"), "Q2_1|q2_adblock"},
		{"missing", strings.Join(cb.Missing, "|"), "Don't know"},
	} {
		if tt.got != tt.want {
			t.Errorf("draft %s = %s, want %s", tt.what, tt.got, tt.want)
		}
	}
	if bytes.Contains(got, []byte("@example.org")) {
		t.Errorf("the draft repeats an e-mail address")
	}
	for _, email := range []string{"RecipientEmail", "email_address"} {
		if _, ok := cb.Columns[email]; ok || !bytes.Contains(got, []byte("#   "+email+":")) {
			t.Errorf("e-mail column %s: want it named in a comment and left out of columns:", email)
		}
	}
}

// TestDraftKozyreva drafts a codebook for the two Kozyreva et al. files
// (headers spelled differently), checks it against
// testdata/kozyreva/draft.golden.yaml, validates the files with it
// unchanged, and checks that its concern flag gives the published shares
// (82% DE, 81% GB, 82% US).
func TestDraftKozyreva(t *testing.T) {
	dir := kozyrevaDir(t)
	files := []string{filepath.Join(dir, "data_GER.csv"), filepath.Join(dir, "data_GB_US.csv")}
	got := draftFiles(t, files...)
	checkGolden(t, filepath.Join("testdata", "kozyreva", "draft.golden.yaml"), got)
	cb := validateDraft(t, got, files...)
	if len(cb.Columns) != 83 {
		t.Errorf("draft has %d columns, want all 83 (none left out)", len(cb.Columns))
	}
	for _, name := range []string{"age", "country", "education", "uuid", "weight", "concern_privacy"} {
		if raws := cb.Columns[name]; len(raws) != 2 {
			t.Errorf("columns %s = %q, want the header of each file", name, raws)
		}
	}
	if want := []float64{18, 25, 35, 45, 55, 65}; fmt.Sprint(cb.Bands["age"]) != fmt.Sprint(want) {
		t.Errorf("bands age = %v, want %v", cb.Bands["age"], want)
	}
	var ts []TableReader
	for _, p := range files {
		tr, err := OpenTable(context.Background(), p, ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		defer tr.Close()
		ts = append(ts, tr)
	}
	ds, err := Load(context.Background(), cb, ts, LoadOptions{})
	if err != nil {
		t.Fatalf("Load(draft): %v", err)
	}
	published := map[string]float64{"Germany": 0.82, "Great Britain": 0.81, "United States": 0.82}
	flag := ds.Construct("concern").flag
	sum, sumW := map[string]float64{}, map[string]float64{}
	for i, k := range ds.Region.Codes {
		l := ds.Region.Levels[k]
		sum[l] += ds.Weights[i] * flag[i]
		sumW[l] += ds.Weights[i]
	}
	for country, want := range published {
		if got := sum[country] / sumW[country]; math.Abs(got-want) > 0.01 {
			t.Errorf("concerned in %s = %.4f, want the published %.2f ± 0.01", country, got, want)
		}
	}
	for _, c := range []string{"protection", "comfort"} {
		if ds.Construct(c) == nil {
			t.Errorf("the draft proposes no %s construct", c)
		}
	}
	// Comfort is the battery on personalised services (the paper's), not
	// the other two questions on the same acceptability scale.
	if got := strings.Join(cb.Constructs["comfort"].Items, ","); got != "commercials,political_campaigns,personalised_events,personalised_contacts,personalised_locations,personalised_entertainment,customised_posts_social_media,customised_search_results,customised_newspapers" {
		t.Errorf("comfort items = %s, want the nine personalised services", got)
	}
	if got := strings.Join(cb.Constructs["protection"].Items, ","); !strings.HasPrefix(got, "privacy_tools_") || strings.Contains(got, "none") || len(cb.Constructs["protection"].Items) != 6 {
		t.Errorf("protection items = %s, want the six privacy tools without \"none of the above\"", got)
	}
}

// TestDraftIdentifiers: columns of e-mail addresses, phone numbers, names
// and free text are named in a comment and left out, without their values.
func TestDraftIdentifiers(t *testing.T) {
	var b strings.Builder
	b.WriteString("rid,contact,tel,fullname,remarks,country,q1\n")
	first := []string{"Anna", "Ben", "Carla", "Dirk", "Eva", "Frank", "Greta", "Hans"}
	last := []string{"Jansen", "Smith", "Müller", "de Vries", "Bakker", "Meyer"}
	for i := range 60 {
		fmt.Fprintf(&b, "%d,user%d@mail.example,+31 6 %08d,%s %s,I think that companies should ask first %d,%s,%s\n", i+1, i, 12345678+i*7919,
			first[i%len(first)], last[i%len(last)], i, []string{"NL", "DE"}[i%2], []string{"Agree", "Disagree", "Strongly agree"}[i%3])
	}
	tr := newMemTable(t, "people.csv", b.String())
	d, err := DraftCodebook(context.Background(), []TableReader{tr}, DraftOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := d.WriteYAML(&out); err != nil {
		t.Fatal(err)
	}
	yml := out.String()
	for _, col := range []string{"contact", "tel", "fullname", "remarks"} {
		if !strings.Contains(yml, "#   "+col+":") {
			t.Errorf("identifier column %s is not named in the left-out comment:\n%s", col, yml)
		}
		if strings.Contains(yml, "  "+col+":") && !strings.Contains(yml, "#   "+col+":") {
			t.Errorf("identifier column %s is under columns:", col)
		}
	}
	for _, leak := range []string{"@mail.example", "+31 6", "Jansen", "companies should ask"} {
		if strings.Contains(yml, leak) {
			t.Errorf("the draft repeats an identifier's value %q", leak)
		}
	}
	if _, err := ParseCodebook(strings.NewReader(yml), "d.yaml"); err != nil {
		t.Errorf("draft does not parse: %v", err)
	}
}

// TestDraftSPSS: variable labels become question texts, value labels name
// the region's levels and give a labelled item its scale, and the draft
// validates.
func TestDraftSPSS(t *testing.T) {
	file := filepath.Join("testdata", "sav", "haven_byte.sav")
	yml := draftFiles(t, file)
	cb := validateDraft(t, yml, file)
	for _, tt := range []struct{ what, got, want string }{
		{"region", cb.Region, "country"},
		{"region levels", strings.Join(cb.Levels["country"], "|"), "Germany|Great Britain|United States"},
		{"concern items", strings.Join(cb.Constructs["concern"].Items, ","), "q1"},
		{"concern scale", fmt.Sprint(cb.Constructs["concern"].Scale), "[1 5]"},
		{"q1 label", cb.Labels["q1"], "I worry about how companies use my data"},
		{"weight", cb.Design.Weight, "weight_variable_with_a_long_name"},
	} {
		if tt.got != tt.want {
			t.Errorf("draft of %s: %s = %q, want %q", file, tt.what, tt.got, tt.want)
		}
	}
	if !bytes.Contains(yml, []byte("#   name: ")) {
		t.Errorf("the first-name column is not left out:\n%s", yml)
	}
}

// FuzzDraftCodebook: whatever the file, the draft is valid YAML that
// ParseCodebook accepts, and validating the same file with it finds no
// problem (the draft must work unchanged).
func FuzzDraftCodebook(f *testing.F) {
	for _, s := range []string{
		"id,country,w,q1\n1,DE,1.1,Agree\n2,GB,0.9,Disagree\n",
		"rid,age,gender,weight,c1,c2\n1,34,f,1,Very concerned,Somewhat concerned\n2,71,m,2,Not concerned at all,NA\n3,,f,0.5,Don't know,Very concerned\n",
		"Q1,Q2_1,Q2_2\nHow concerned?,Tools - VPN,Tools - None of these\n{\"ImportId\":\"QID1\"},{\"ImportId\":\"QID2_1\"},{\"ImportId\":\"QID2_2\"}\nSehr besorgt,ausgewählt,nicht ausgewählt\nGar nicht besorgt,nicht ausgewählt,ausgewählt\n",
		"email,phone,q\na@b.co,+31 6 1234 5678,yes\nc@d.org,+31 6 8765 4321,no\n",
		"country,region,market\nNL,N,x\nNL,S,y\n",
		"a,a,A\n1,2,3\n",
		"age,income\n18,1000\n99,2000\n45,\n",
		"q\n1 (left)\n2\n7 (right)\n",
		"weight\n0\n1\n",
		"q,r\n\"He said \"\"yes\"\"\",a: b\n# no,yes\nYes,No\n",
		"id,q\n1,Often\n1,Never\n2,Sometimes\n",
		"freq,trust\nNooit,Helemaal geen vertrouwen\nAltijd,Veel vertrouwen\nSoms,Weinig vertrouwen\n",
		"agree\nStrongly agree\n Agree\nagree\nDon't know\n",
		"w,gender,income\n1.2,f,10.5\n0.8,m,20000\n1.0,x,300\n1,f,12\n1,m,7\n1,f,8\n1,m,9\n1,f,10\n1,m,11\n1,f,13\n1,m,14\n1,f,15\n1,m,16\n1,f,17\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		open := func() TableReader {
			tr, err := NewCSVReader(bytes.NewReader(data), "fuzz.csv", ReadOptions{MaxCellBytes: 1 << 12})
			if err != nil {
				return nil
			}
			return tr
		}
		tr := open()
		if tr == nil {
			return
		}
		d, err := DraftCodebook(context.Background(), []TableReader{tr}, DraftOptions{})
		tr.Close()
		if err != nil {
			return // the file fails to read
		}
		var b bytes.Buffer
		if err := d.WriteYAML(&b); err != nil {
			t.Fatal(err)
		}
		cb, err := ParseCodebook(bytes.NewReader(b.Bytes()), "draft.yaml")
		if err != nil {
			t.Fatalf("the draft does not parse: %v\n%s", err, b.Bytes())
		}
		tr = open()
		defer tr.Close()
		problems, _, err := Validate(context.Background(), cb, []TableReader{tr}, LoadOptions{})
		if err != nil {
			return
		}
		if len(problems) > 0 {
			t.Fatalf("Validate(draft) = %v\n%s", problems, b.Bytes())
		}
	})
}

// TestDraftNumericStudy drafts a codebook for the embedded synthetic study,
// whose items are numbers and whose headers carry no question text: the
// draft validates, finds the design, and groups items by their names'
// prefixes; ratings of "phone" or "address" are not identifiers.
func TestDraftNumericStudy(t *testing.T) {
	file := filepath.Join("..", "datasets", "study", "responses.csv")
	yml := draftFiles(t, file)
	cb := validateDraft(t, yml, file)
	for _, tt := range []struct{ what, got, want string }{
		{"design", fmt.Sprint(cb.Design), "{rid weight  psu  }"},
		{"region", cb.Region, "region"},
		{"segments", strings.Join(cb.Segments, ","), "generation,gender"},
		{"protection", strings.Join(cb.Constructs["protection"].Items, ","), "pr_adblock,pr_vpn,pr_decline_cookies,pr_privacy_settings"},
		{"missing", strings.Join(cb.Missing, "|"), "Don't know"},
	} {
		if tt.got != tt.want {
			t.Errorf("draft %s = %s, want %s", tt.what, tt.got, tt.want)
		}
	}
	for _, want := range []string{
		"# pc_items:\n  #   items: [pc1, pc2, pc3, pc4]\n  #   scale: [1, 5]",
		"items: [cf_overall, cf_name, cf_phone, cf_address, cf_purchases, cf_browsing, cf_location]",
		"# sh_items:\n  #   items: [sh_location, sh_cookies, sh_email_discount, sh_social_login, sh_purchase_history]",
		"# w_items:\n  #   items: [w1, w2, w3]\n  #   scale: [1, 4]",
	} {
		if !bytes.Contains(yml, []byte(want)) {
			t.Errorf("the draft lacks %q", want)
		}
	}
	if bytes.Contains(yml, []byte("Left out")) {
		t.Errorf("the draft leaves out columns of a study without personal data")
	}
}

// TestDraftScaleCodedDownward: an SPSS scale coded from its positive answer
// down (1 = "Strongly agree") gets a flag on its lowest codes, so the
// proposed construct counts those who agree, not those who disagree.
func TestDraftScaleCodedDownward(t *testing.T) {
	file := filepath.Join("..", "reports", "testdata", "sav", "labelled.sav")
	yml := draftFiles(t, file)
	cb := validateDraft(t, yml, file)
	for _, tt := range []struct{ construct, want string }{
		{"trust", "<= 2"}, // r1: 1 = Strongly agree … 5 = Strongly disagree
	} {
		c, ok := cb.Constructs[tt.construct]
		if !ok {
			t.Fatalf("draft of %s has no %s construct:\n%s", file, tt.construct, yml)
		}
		if c.Flag != tt.want {
			t.Errorf("draft of %s: %s flag = %q, want %q", file, tt.construct, c.Flag, tt.want)
		}
	}
	// Commented-out proposals: r2 (coded downward) and the upward-coded
	// agreement items a1, a2, d1, d2.
	for _, want := range []string{"#   items: [r2]\n  #   # 5 = Strongly disagree, 4 = Disagree, 3 = Neither agree nor disagree, 2 = Agree, 1 = Strongly agree\n  #   scale: [1, 5]\n  #   flag: \"<= 2\"", "#   flag: \"> 3\""} {
		if !bytes.Contains(yml, []byte(want)) {
			t.Errorf("draft of %s lacks %q:\n%s", file, want, yml)
		}
	}
}
