package analysis

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/trustgap/trustgap/survey"
)

// TestDomainChecks: a segment missing for everyone and a region with more
// levels than the cap (an id given as the region) are refused before any
// estimate, with a *DomainError naming the variable, the column and the
// count; raising MaxLevels lets the region through.
func TestDomainChecks(t *testing.T) {
	emptySeg := func() *survey.Dataset {
		ds := tinyStudy()
		age := ds.Segments[0]
		codes := make([]int32, ds.N)
		for i := range codes {
			codes[i] = -1
		}
		ds.Segments[0] = &survey.Column{Name: age.Name, Levels: nil, Codes: codes}
		return ds
	}
	idRegion := func() *survey.Dataset {
		ds := tinyStudy()
		r := &survey.Column{Name: "rid"}
		for i := range ds.N {
			r.Levels = append(r.Levels, strconv.Itoa(i+1))
			r.Codes = append(r.Codes, int32(i))
		}
		ds.Region = r
		return ds
	}
	tests := []struct {
		name    string
		ds      *survey.Dataset
		opts    Options
		wantErr error
		msg     []string
	}{
		{"empty segment", emptySeg(), Options{}, ErrEmptyDomain, []string{`segment "age"`, "empty for every respondent"}},
		{"id as region", idRegion(), Options{MaxLevels: 10}, ErrTooManyLevels, []string{`region (column "rid")`, "16 levels", "limit of 10", "band"}},
		{"id as region, limit raised", idRegion(), Options{MaxLevels: 16}, nil, nil},
		{"empty segment left out with by", emptySeg(), Options{By: []string{"region"}}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for name, f := range map[string]func() error{
				"Describe": func() error { _, err := Describe(tt.ds, tt.opts); return err },
				"Paradox":  func() error { _, err := Paradox(tt.ds, tt.opts); return err },
			} {
				err := f()
				if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
					t.Fatalf("%s() = %v, want %v", name, err, tt.wantErr)
				}
				if err == nil {
					continue
				}
				var de *DomainError
				if !errors.As(err, &de) {
					t.Errorf("%s() = %T, want a *DomainError", name, err)
				}
				for _, m := range tt.msg {
					if !strings.Contains(err.Error(), m) {
						t.Errorf("%s() = %q, want it to contain %q", name, err, m)
					}
				}
			}
		})
	}
}
