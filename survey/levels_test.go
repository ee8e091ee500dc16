package survey

import (
	"context"
	"slices"
	"strings"
	"testing"
)

func TestLevelsAndLabels(t *testing.T) {
	cb := mustCodebook(t, `
region: region
segments: [gen]
levels:
  gen: [Gen Z, Millennials, Gen X, Boomers]
  region: [South]
labels:
  q1: How concerned are you?
constructs:
  concern: {items: [q1], scale: [1, 5], flag: ">= 4"}
`)
	csv := "region,gen,q1\nNorth,Boomers,5\nSouth,Gen X,4\nNorth,Gen Z,1\nEast,Millennials,\nSouth,Gen Z,2\n"
	ds, err := Load(context.Background(), cb, tables(newMemTable(t, "a.csv", csv)), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		col        *Column
		levels     string
		firstLevel string
	}{
		{ds.Segments[0], "Gen Z,Millennials,Gen X,Boomers", "Boomers"},
		{ds.Region, "South,North,East", "North"},
	} {
		if got := strings.Join(tt.col.Levels, ","); got != tt.levels {
			t.Errorf("levels of %s = %s, want %s", tt.col.Name, got, tt.levels)
		}
		if got := tt.col.Levels[tt.col.Codes[0]]; got != tt.firstLevel {
			t.Errorf("%s of respondent 1 = %q after reordering, want %q", tt.col.Name, got, tt.firstLevel)
		}
	}
	if got := ds.Construct("concern").Items[0].Label; got != "How concerned are you?" {
		t.Errorf("label of q1 = %q, want the codebook's", got)
	}
	if _, err := ParseCodebook(strings.NewReader("levls: {a: [b]}\n"), "cb.yaml"); err == nil || !strings.Contains(err.Error(), `"levels"`) {
		t.Errorf("ParseCodebook(levls:) error = %v, want a suggestion of \"levels\"", err)
	}
}

func TestBandLabels(t *testing.T) {
	for _, tt := range []struct {
		cuts []float64
		want string
	}{
		{[]float64{18, 25, 35, 45, 55, 65}, "under 18|18–24|25–34|35–44|45–54|55–64|65+"},
		{[]float64{1, 2, 3}, "under 1|1|2|3+"},
		{[]float64{0.5, 1.5}, "under 0.5|0.5 to under 1.5|1.5+"},
		{[]float64{10}, "under 10|10+"},
		{nil, ""},
	} {
		if got := strings.Join(BandLabels(tt.cuts), "|"); got != tt.want {
			t.Errorf("BandLabels(%v) = %s, want %s", tt.cuts, got, tt.want)
		}
	}
}

func TestBandsLevelLabels(t *testing.T) {
	cb := mustCodebook(t, `
region: country
segments: [age, gender]
bands:
  age: [18, 25, 35, 45, 55, 65]
labels:
  DE: Germany            # a level of the region
  country: {GB: Great Britain}
  gender: {f: Female, m: Male}
  q1: How concerned are you?
levels:
  country: [US]
constructs:
  concern: {items: [q1], scale: [1, 5], flag: ">= 4"}
`)
	csv := "country,age,gender,q1\nDE,19,f,5\nGB,70,m,4\nUS,34,f,1\nDE,25,m,\nDE,,f,2\nUS,65,m,3\n"
	ds, err := Load(context.Background(), cb, tables(newMemTable(t, "a.csv", csv)), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		col   *Column
		want  string // levels
		codes string // each respondent's level
	}{
		{ds.Region, "US,Germany,Great Britain", "Germany,Great Britain,US,Germany,Germany,US"},
		{ds.Segments[0], "18–24,25–34,65+", "18–24,65+,25–34,25–34,,65+"},
		{ds.Segments[1], "Female,Male", "Female,Male,Female,Male,Female,Male"},
	} {
		if got := strings.Join(tt.col.Levels, ","); got != tt.want {
			t.Errorf("levels of %s = %s, want %s", tt.col.Name, got, tt.want)
		}
		var codes []string
		for _, k := range tt.col.Codes {
			if k < 0 {
				codes = append(codes, "")
			} else {
				codes = append(codes, tt.col.Levels[k])
			}
		}
		if got := strings.Join(codes, ","); got != tt.codes {
			t.Errorf("respondents' %s = %s, want %s", tt.col.Name, got, tt.codes)
		}
	}
	if got := ds.Construct("concern").Items[0].Label; got != "How concerned are you?" {
		t.Errorf("label of q1 = %q, want the codebook's", got)
	}
}

// TestCodebookKeysMatchingNothing: levels:, labels: and bands: keys that
// match no column, level or number are problems, not ignored.
func TestCodebookKeysMatchingNothing(t *testing.T) {
	const data = "country,age,gender,q1\nDE,19,f,5\nGB,70,m,4\nUS,refused,f,1\n"
	for _, tt := range []struct {
		name, yml, want string
	}{
		{"label matches nothing", "labels: {FR: France}\n", `labels: "FR" is neither a column nor a level of the region or a segment`},
		{"label typo of a level", "labels: {GBR: Great Britain}\n", `did you mean "GB"?`},
		{"label of a construct", "labels: {concern: Concern}\n", `labels: "concern" is a construct`},
		{"level label of no level", "labels: {country: {UK: United Kingdom}}\n", `labels: "country": no respondent has the level "UK" (levels: "DE", "GB", "US")`},
		{"level labels of no column", "labels: {contry: {DE: Germany}}\n", `labels: "contry" matches no column; did you mean "country"?`},
		{"two levels one name", "labels: {country: {GB: UK, US: UK}}\n", `levels "GB" and "US" would both be called "UK"`},
		{"levels of no column", "levels: {gendr: [f, m]}\n", `levels: "gendr" matches no column; did you mean "gender"?`},
		{"levels typo", "levels: {country: [de, GB]}\n", `levels: "country" lists "de", which no respondent has; did you mean "DE"?`},
		{"bands of no column", "bands: {agee: [18, 30]}\n", `bands: "agee" matches no column; did you mean "age"?`},
		{"bands over text", "bands: {age: [18, 30]}\n", `bands: "age" has answers that are not numbers ("refused")`},
		{"bands not increasing", "bands: {age: [30, 18]}\n", `bands: "age": bounds must increase: 18 comes after 30`},
		{"bands empty", "bands: {age: []}\n", `bands: "age": lists no bounds`},
		{"bands not numbers", "bands: {age: [18, old]}\n", `bands: "age": "old" is not a number`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			yml := "region: country\nsegments: [age, gender]\nconstructs:\n  concern: {items: [q1]}\n" + tt.yml
			cb, err := ParseCodebook(strings.NewReader(yml), "codebook.yaml")
			if err == nil {
				_, err = Load(context.Background(), cb, tables(newMemTable(t, "a.csv", data)), LoadOptions{})
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load with %q: error = %v, want one containing %q", tt.yml, err, tt.want)
			}
		})
	}
	// Names the analysis does not load are not errors: a label for an item
	// of a construct left out, levels for a raw header.
	cb := mustCodebook(t, "region: country\nlabels: {q1: Question one, US: United States}\nlevels: {gender: [m, f]}\nconstructs:\n  concern: {items: [q1]}\n")
	if _, err := Load(context.Background(), cb, tables(newMemTable(t, "a.csv", data)), LoadOptions{Constructs: []string{}}); err != nil {
		t.Errorf("Load with names not loaded: %v, want no error", err)
	}
}

// TestDeclaredLevels: the levels a codebook fixes, named as loading names
// them: listed ones in order, then unlisted bands, renamed by labels:.
func TestDeclaredLevels(t *testing.T) {
	cb := &Codebook{
		Region:      "country",
		Segments:    []string{"age", "gender"},
		Levels:      map[string][]string{"country": {"DE", "GB", "DE"}, "age": {"65+"}},
		Bands:       map[string][]float64{"age": {18, 65}},
		Labels:      map[string]string{"DE": "Germany"},
		LevelLabels: map[string]map[string]string{"country": {"GB": "United Kingdom"}},
	}
	for _, tc := range []struct {
		col  string
		want []string
	}{
		{"country", []string{"Germany", "United Kingdom"}},
		{"age", []string{"65+", "under 18", "18–64"}},
		{"gender", nil},
	} {
		if got := cb.DeclaredLevels(tc.col); !slices.Equal(got, tc.want) {
			t.Errorf("DeclaredLevels(%q) = %q, want %q", tc.col, got, tc.want)
		}
	}
}

// TestDeclaredLevelsAsLoaded: when every declared level occurs in the
// data, the loaded column's levels begin with DeclaredLevels, name for
// name: a private report pooling by name pools nobody by mistake.
func TestDeclaredLevelsAsLoaded(t *testing.T) {
	cb := mustCodebook(t, `
region: country
segments: [age]
levels:
  country: [GB, DE]
  age: ["65+"]
bands:
  age: [18, 65]
labels:
  DE: Germany
  country: {GB: United Kingdom}
constructs:
  concern: {items: [q1], scale: [1, 5], flag: ">= 4"}
`)
	csv := "country,age,q1\nDE,70,5\nGB,30,4\nUS,12,1\nDE,40,2\n"
	ds, err := Load(context.Background(), cb, tables(newMemTable(t, "a.csv", csv)), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []*Column{ds.Region, ds.Segments[0]} {
		want := cb.DeclaredLevels(c.Name)
		if len(want) == 0 || len(c.Levels) < len(want) || !slices.Equal(c.Levels[:len(want)], want) {
			t.Errorf("loaded levels of %s = %q, want them to begin with DeclaredLevels %q", c.Name, c.Levels, want)
		}
	}
}
