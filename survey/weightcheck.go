package survey

import (
	"fmt"
	"math"
)

// MaxWeightShare is the share of the total weight above which one
// respondent's weight is a warning: such a respondent's answers are a
// tenth or more of every weighted figure, which trimmed or capped weights
// avoid. Studies of fewer than minWeightCheckN respondents are not
// warned, where a tenth is one or two people.
const MaxWeightShare = 0.1

const minWeightCheckN = 30

// weightCheck follows the weights as they are read: their sum, and the
// largest with its file and row. Each weight's own validity (a finite
// number > 0) is checked where the column is converted.
type weightCheck struct {
	sum  float64
	max  float64
	file string
	row  int
}

func (c *weightCheck) add(cell string, dc bool, file string, row int) {
	x, ok := parseDecimal(cell, dc)
	if !ok || !(x > 0) || math.IsInf(x, 0) {
		return // reported by the column's own check
	}
	c.sum += x
	if x > c.max {
		c.max, c.file, c.row = x, file, row
	}
}

// problem is an error for weights whose total is not a finite number:
// every weighted figure would be Inf or NaN.
func (c *weightCheck) problem(column string) *Problem {
	if !math.IsInf(c.sum, 0) {
		return nil
	}
	return &Problem{File: c.file, Column: column,
		Msg: "the weights add up to more than the largest number a computer holds (1.8e308): every weighted figure would be infinite; rescale them (divide each by their mean)"}
}

// warning names the row of a respondent whose weight is more than
// MaxWeightShare of the total.
func (c *weightCheck) warning(column string, n int) *Warning {
	if n < minWeightCheckN || !(c.sum > 0) || math.IsInf(c.sum, 0) || c.max/c.sum <= MaxWeightShare {
		return nil
	}
	return &Warning{File: c.file, Column: column,
		Msg: fmt.Sprintf("the respondent in row %d has %.0f%% of the total weight (weight %.4g): their answers move every weighted figure; check the weight, or trim extreme weights", c.row, 100*(c.max/c.sum), c.max)}
}
