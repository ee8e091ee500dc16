package analysis

import (
	"errors"
	"testing"

	"github.com/trustgap/trustgap/internal/pool"
)

// TestForEachPanic checks that a panic in a statistic, run in order (a
// small sample) or on the cores (a large one), is returned as an error.
func TestForEachPanic(t *testing.T) {
	for _, respondents := range []int{10, 1000} {
		ran := make([]bool, 8)
		err := forEach(len(ran), respondents, 100, func(k int) {
			ran[k] = true
			if k == 3 {
				panic("statistic 3")
			}
		})
		var pe *pool.PanicError
		if !errors.As(err, &pe) || pe.Value != "statistic 3" {
			t.Errorf("forEach(respondents=%d) with a panic = %v, want it as a *pool.PanicError", respondents, err)
		}
		if err := forEach(len(ran), respondents, 100, func(k int) { ran[k] = true }); err != nil {
			t.Errorf("forEach(respondents=%d) = %v, want nil", respondents, err)
		}
	}
}
