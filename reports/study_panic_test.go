package reports

import (
	"context"
	"errors"
	"testing"

	"github.com/trustgap/trustgap/internal/pool"
)

// TestBuildStudyReportSectionFailure injects a panic or an error into one
// section through StudyOptions.BeforeSection: the report returns it as an
// error (a panic as a *pool.PanicError), built in order or concurrently,
// and never ends the process.
func TestBuildStudyReportSectionFailure(t *testing.T) {
	ds := defaultStudy(t)
	errInjected := errors.New("injected")
	tests := []struct {
		name    string
		section string
		workers int
		panics  bool
	}{
		{"panic in order", "trust", 1, true},
		{"panic concurrent", "trust", 3, true},
		{"panic in banner concurrent", "crosstabs", 2, true},
		{"panic after banner", "regions", 2, true},
		{"panic with an error value", "segments", 3, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := StudyOptions{Workers: tt.workers, BeforeSection: func(s string) {
				if s != tt.section {
					return
				}
				if tt.panics {
					panic("injected in " + s)
				}
				panic(errInjected) // an error value: reachable through Unwrap
			}}
			sr, err := BuildStudyReport(context.Background(), ds, opts)
			if sr != nil {
				t.Errorf("BuildStudyReport with a failing %s section returned a report", tt.section)
			}
			var pe *pool.PanicError
			if !errors.As(err, &pe) {
				t.Fatalf("BuildStudyReport = %v, want a *pool.PanicError", err)
			}
			if tt.panics && pe.Value != "injected in "+tt.section {
				t.Errorf("panic value = %v, want %q", pe.Value, "injected in "+tt.section)
			}
			if !tt.panics && !errors.Is(err, errInjected) {
				t.Errorf("errors.Is(%v, errInjected) = false, want true", err)
			}
		})
	}
}
