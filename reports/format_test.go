package reports

import (
	"math"
	"testing"
)

func TestFormatNum(t *testing.T) {
	tests := []struct {
		kind   Kind
		digits int
		x      float64
		want   string
	}{
		{Decimal, 1, 3216, "3,216.0"},
		{Decimal, 1, 1065, "1,065.0"},
		{Decimal, 1, 476.5, "476.5"},
		{Decimal, 2, 19289.454, "19,289.45"},
		{Decimal, 1, -1234567.25, "-1,234,567.2"},
		{Decimal, 3, 7.1624, "7.162"},
		{Decimal, 0, 999.6, "1,000"},
		{Decimal, 1, -0.04, "0.0"},
		{Integer, 0, 3216, "3,216"},
		{Integer, 0, -1065.4, "-1,065"},
		{Percent, 1, 0.8166, "81.7%"},
		{PValue, 3, 0.0004, "<0.001"},
		{Decimal, 1, math.NaN(), ""},
		{Decimal, 1, math.Inf(1), "∞"},
	}
	for _, tt := range tests {
		if got := formatNum(tt.kind, tt.digits, tt.x); got != tt.want {
			t.Errorf("formatNum(%v, %d, %v) = %q, want %q", tt.kind, tt.digits, tt.x, got, tt.want)
		}
	}
}
