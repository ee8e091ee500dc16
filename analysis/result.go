package analysis

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
)

// Num is a float64 that encodes NaN and ±Inf as JSON null, so a statistic
// that is undefined for a domain never breaks the output.
type Num float64

// MarshalJSON writes null for non-finite values, else the shortest
// representation that round-trips.
func (x Num) MarshalJSON() ([]byte, error) {
	f := float64(x)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, f, 'g', -1, 64), nil
}

// UnmarshalJSON reads null as NaN.
func (x *Num) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		*x = Num(math.NaN())
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	*x = Num(f)
	return nil
}

// Domain names the subpopulation an estimate is for: the zero value is the
// total sample; otherwise Var is the variable ("region" or a segment's name
// as written in the codebook) and Level its value. It encodes as {} or
// {"region": "Europe"}.
type Domain struct {
	Var, Level string
}

// IsTotal reports whether d is the whole sample.
func (d Domain) IsTotal() bool { return d.Var == "" }

// String is "Total" or "Var=Level" (crossed: "a=x, b=y").
func (d Domain) String() string {
	if d.IsTotal() {
		return "Total"
	}
	vars, levels := d.Parts()
	parts := make([]string, len(vars))
	for k := range vars {
		parts[k] = vars[k] + "=" + levels[k]
	}
	return strings.Join(parts, ", ")
}

// MarshalJSON writes {} or {"Var": "Level"} (crossed, see CrossDomain:
// {"a": "x", "b": "y"}).
func (d Domain) MarshalJSON() ([]byte, error) {
	return d.marshalParts()
}

// UnmarshalJSON reads {} or an object of variable: level pairs.
func (d *Domain) UnmarshalJSON(b []byte) error {
	dom, err := unmarshalParts(b)
	if err != nil {
		return err
	}
	*d = dom
	return nil
}

// Row is one reported estimate, the JSON shape every analysis command
// shares: {"statistic", "domain", "estimate", "se", "ci_low", "ci_high",
// "n", "weighted_n", ...}. Proportions are fractions.
type Row struct {
	Variable   string `json:"variable,omitempty"`
	Statistic  string `json:"statistic"`
	Domain     Domain `json:"domain"`
	Estimate   Num    `json:"estimate"`
	SE         Num    `json:"se"`
	CILow      Num    `json:"ci_low"`
	CIHigh     Num    `json:"ci_high"`
	Deff       *Num   `json:"deff,omitempty"`
	EffectiveN *Num   `json:"effective_n,omitempty"`
	N          int    `json:"n"`
	WeightedN  Num    `json:"weighted_n"`
	DF         int    `json:"df"`
	// Proportion is true when Estimate is a share (shown as a percentage).
	Proportion bool `json:"-"`
	// Points is true when Estimate is a difference of two shares
	// (Proportion is true too): people read it in percentage points.
	Points bool `json:"-"`
	// LowBase is true when N is below the minimum base (Options.MinBase).
	LowBase bool `json:"low_base,omitempty"`
	// NoiseSD is, in a differentially private release, the standard
	// deviation of the noise in Estimate (see Privacy.ShareNoiseSD); CILow
	// and CIHigh then bound the 95% noise interval, not a confidence
	// interval. 0 in exact results.
	NoiseSD Num `json:"noise_sd,omitempty"`
	// Unreliable marks a private share whose noise SD exceeds
	// UnreliableNoise times the share.
	Unreliable bool `json:"unreliable,omitempty"`
}

// NewRow fills a Row from an Estimate.
func NewRow(statistic string, dom Domain, e Estimate, proportion bool) Row {
	return Row{
		Statistic: statistic, Domain: dom,
		Estimate: Num(e.Estimate), SE: Num(e.SE), CILow: Num(e.CILow), CIHigh: Num(e.CIHigh),
		N: e.N, WeightedN: Num(e.WeightedN), DF: e.DF, Proportion: proportion,
	}
}
