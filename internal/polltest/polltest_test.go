package polltest

import (
	"context"
	"errors"
	"testing"
)

func TestCtx(t *testing.T) {
	cause := errors.New("interrupted")
	for _, tc := range []struct {
		limit     int64
		cause     error
		wantAt    int64 // the poll whose Err is first non-nil; 0: never within 10
		wantCause error
	}{
		{0, nil, 0, nil},
		{1, nil, 1, context.Canceled},
		{4, cause, 4, cause},
	} {
		c := NewCause(tc.limit, tc.cause)
		var at int64
		for i := int64(1); i <= 10; i++ {
			if c.Err() != nil && at == 0 {
				at = i
			}
		}
		if at != tc.wantAt {
			t.Errorf("NewCause(%d).Err() first non-nil at poll %d, want %d", tc.limit, at, tc.wantAt)
		}
		if got := c.Polls(); got != 10 {
			t.Errorf("Polls() = %d, want 10", got)
		}
		if tc.wantAt > 0 && !errors.Is(context.Cause(c), tc.wantCause) {
			t.Errorf("context.Cause = %v, want %v", context.Cause(c), tc.wantCause)
		}
	}
}
