package survey

import (
	"context"
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
