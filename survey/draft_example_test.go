package survey_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/trustgap/trustgap/survey"
)

// ExampleDraftCodebook drafts a codebook for a small export and shows
// what it guessed.
func ExampleDraftCodebook() {
	csv := `respondent_id,country,weight,concern
1,DE,0.8,Very concerned
2,DE,1.1,Not very concerned
3,NL,1.2,Somewhat concerned
4,NL,0.9,Not concerned at all
`
	t, err := survey.NewCSVReader(strings.NewReader(csv), "wave1.csv", survey.ReadOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer t.Close()
	d, err := survey.DraftCodebook(context.Background(), []survey.TableReader{t}, survey.DraftOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("design:", d.Design.ID, d.Design.Weight)
	fmt.Println("region:", d.Region, d.Levels["country"])
	for _, c := range d.Constructs {
		fmt.Println("construct:", c.Name, c.Items, c.Scale.Answers, "flag", c.Flag)
	}
	// Output:
	// design: respondent_id weight
	// region: country [DE NL]
	// construct: concern [concern] [Not concerned at all Not very concerned Somewhat concerned Very concerned] flag >= 3
}
