package survey_test

import (
	"context"
	"fmt"
	"log"
	"math"
	"strings"

	"github.com/trustgap/trustgap/survey"
)

const exampleCodebook = `
title: Privacy tracker
columns:
  country: ["dem.country_code", "[dem] country_code"]
  w: ["meta.weight", "[meta] Weight"]
design: {weight: w}
region: country
constructs:
  concern:
    items: [pc1, pc2]
    values: {"Not concerned": 1, "Somewhat concerned": 3, "Very concerned": 4}
    scale: [1, 4]
    flag: ">= 3"
  protection: {items: [adblock, vpn], score: count, flag: ">= 1"}
`

func ExampleParseCodebook() {
	cb, err := survey.ParseCodebook(strings.NewReader(exampleCodebook), "codebook.yaml")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cb.Title, cb.ConstructOrder, cb.Constructs["concern"].Flag)

	// A typo is reported with its line and the key that was probably meant.
	_, err = survey.ParseCodebook(strings.NewReader("title: x\nsegmnts: [sex]\n"), "typo.yaml")
	fmt.Println(err)
	// Output:
	// Privacy tracker [concern protection] >= 3
	// typo.yaml: line 2: unknown key "segmnts" in the codebook; did you mean "segments"?
}

func ExampleLoad() {
	cb, err := survey.ParseCodebook(strings.NewReader(exampleCodebook), "codebook.yaml")
	if err != nil {
		log.Fatal(err)
	}
	// Two exports of the same survey with different header spellings.
	de := "[dem] country_code,[meta] Weight,pc1,pc2,adblock,vpn\n" +
		"DE,1.2,Very concerned,Somewhat concerned,TRUE,FALSE\n" +
		"DE,0.8,Not concerned,Not concerned,FALSE,FALSE\n"
	us := "dem.country_code,meta.weight,pc1,pc2,adblock,vpn\n" +
		"US,1,Somewhat concerned,Very concerned,FALSE,TRUE\n"
	var tables []survey.TableReader
	for _, f := range []struct{ name, text string }{{"de.csv", de}, {"us.csv", us}} {
		t, err := survey.NewCSVReader(strings.NewReader(f.text), f.name, survey.ReadOptions{})
		if err != nil {
			log.Fatal(err)
		}
		tables = append(tables, t)
	}
	ds, err := survey.Load(context.Background(), cb, tables, survey.LoadOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("respondents:", ds.N, "weights:", ds.Weights)
	fmt.Println("regions:", ds.Region.Levels)
	for _, c := range ds.Constructs {
		fmt.Println(c.Name, "score:", c.Scores().All(nil), "flag:", c.Flags().All(nil))
	}
	// Output:
	// respondents: 3 weights: [1.2 0.8 1]
	// regions: [DE US]
	// concern score: [3.5 1 3.5] flag: [1 0 1]
	// protection score: [1 0 1] flag: [1 0 1]
}

// A construct's values are read the same way however the load stored
// them: whole, or in blocks so that a large study is never copied whole.
func ExampleValues() {
	cb, err := survey.ParseCodebook(strings.NewReader(exampleCodebook), "codebook.yaml")
	if err != nil {
		log.Fatal(err)
	}
	data := "dem.country_code,meta.weight,pc1,pc2,adblock,vpn\n" +
		"DE,1,Very concerned,Somewhat concerned,TRUE,FALSE\n" +
		"DE,1,Not concerned,Not concerned,FALSE,FALSE\n" +
		"US,1,Somewhat concerned,Very concerned,FALSE,TRUE\n"
	t, err := survey.NewCSVReader(strings.NewReader(data), "s.csv", survey.ReadOptions{})
	if err != nil {
		log.Fatal(err)
	}
	ds, err := survey.Load(context.Background(), cb, []survey.TableReader{t}, survey.LoadOptions{})
	if err != nil {
		log.Fatal(err)
	}
	scores := ds.Construct("concern").Scores()
	fmt.Println("all:", scores.All(nil))
	blk := make([]float64, 2)
	scores.Read(blk, 1)
	fmt.Println("respondents 2-3:", blk)
	// Output:
	// all: [3.5 1 3.5]
	// respondents 2-3: [1 3.5]
}

func ExampleValidate() {
	cb, err := survey.ParseCodebook(strings.NewReader(`
design: {id: rid, weight: wt}
constructs: {trust: {items: [tr1], scale: [1, 5]}}
`), "codebook.yaml")
	if err != nil {
		log.Fatal(err)
	}
	data := "rid,wt,tr1,email\n1,1,4,ann@example.org\n2,-1,7,bob@example.org\n2,1,3,\n"
	t, err := survey.NewCSVReader(strings.NewReader(data), "data.csv", survey.ReadOptions{})
	if err != nil {
		log.Fatal(err)
	}
	problems, warnings, err := survey.Validate(context.Background(), cb, []survey.TableReader{t}, survey.LoadOptions{})
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range problems {
		fmt.Println(p)
	}
	for _, w := range warnings {
		fmt.Println("warning:", w)
	}
	// Output:
	// data.csv: row 3, column "wt": weight "-1" is negative
	// data.csv: row 3, column "tr1": "7" is outside the scale [1, 5]
	// data.csv: row 4, column "rid": duplicate id (the same as row 3; the id is not shown)
	// warning: data.csv: column "email": 2 of 2 values look like e-mail addresses (personal data: remove the column before sharing the file)
}

func ExampleParseCondition() {
	c, err := survey.ParseCondition(`region != "Europe"`)
	if err != nil {
		log.Fatal(err)
	}
	region := &survey.Column{Name: "region", Levels: []string{"Europe", "Asia"}, Codes: []int32{0, 1, -1}}
	v, err := c.Eval(region)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.Column, c.Op, c.Value, v)
	// Output: region != Europe [0 1 NaN]
}

// A Dataset can also be built in memory, for data that do not come from
// files: columns and constructs are made with their values, and read as
// those Load makes.
func ExampleNewConstruct() {
	nan := math.NaN()
	tr1 := survey.NewNumericColumn("tr1", []float64{4, 2, nan, 5})
	trust := survey.NewConstruct("trust", survey.ConstructDef{Items: []string{"tr1"}, Flag: ">= 4"},
		[]*survey.Column{tr1}, []float64{4, 2, nan, 5}, []float64{1, 0, nan, 1})
	ds := &survey.Dataset{N: 4, Constructs: []*survey.Construct{trust}}
	fmt.Println("item:", tr1.Values().All(nil))
	fmt.Println("flags:", ds.Construct("trust").Flags().All(nil))
	// Output:
	// item: [4 2 NaN 5]
	// flags: [1 0 NaN 1]
}
