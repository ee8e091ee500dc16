package analysis

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// crossSep joins the variables, and the levels, of a crossed domain in a
// Domain's Var and Level, which keeps Domain comparable (a map key). It
// is the ASCII unit separator, which no column name or level read from a
// survey file holds.
const crossSep = "\x1f"

// CrossDomain names the domain where every vars[k] has levels[k]: one
// combination of svyby(~y, ~a + b)'s domains. It encodes as
// {"a": "x", "b": "y"}, in the order given. With one variable it is the
// plain Domain{Var, Level}.
func CrossDomain(vars, levels []string) Domain {
	if len(vars) != len(levels) {
		panic("analysis: CrossDomain with unequal lengths")
	}
	return Domain{Var: strings.Join(vars, crossSep), Level: strings.Join(levels, crossSep)}
}

// Parts returns the variables and levels of d: none for the total, one
// for a plain domain, several for a crossed one.
func (d Domain) Parts() (vars, levels []string) {
	if d.IsTotal() {
		return nil, nil
	}
	return strings.Split(d.Var, crossSep), strings.Split(d.Level, crossSep)
}

// Label is d for tables: "Total", the variable and level, or the crossed
// variables and levels joined by " × ".
func (d Domain) Label() (variable, level string) {
	if d.IsTotal() {
		return "Total", ""
	}
	return strings.ReplaceAll(d.Var, crossSep, " × "), strings.ReplaceAll(d.Level, crossSep, " × ")
}

// marshalParts writes {"a": "x", "b": "y"} in the order of d's parts.
func (d Domain) marshalParts() ([]byte, error) {
	vars, levels := d.Parts()
	var b bytes.Buffer
	b.WriteByte('{')
	for k := range vars {
		if k > 0 {
			b.WriteByte(',')
		}
		kb, err := json.Marshal(vars[k])
		if err != nil {
			return nil, err
		}
		vb, err := json.Marshal(levels[k])
		if err != nil {
			return nil, err
		}
		b.Write(kb)
		b.WriteByte(':')
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// unmarshalParts reads a JSON object of variable: level pairs in order.
func unmarshalParts(data []byte) (Domain, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return Domain{}, fmt.Errorf("domain: want a JSON object, got %s", data)
	}
	var vars, levels []string
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return Domain{}, err
		}
		var v string
		if err := dec.Decode(&v); err != nil {
			return Domain{}, fmt.Errorf("domain: level of %v: %w", kt, err)
		}
		vars = append(vars, fmt.Sprint(kt))
		levels = append(levels, v)
	}
	if len(vars) == 0 {
		return Domain{}, nil
	}
	return CrossDomain(vars, levels), nil
}
