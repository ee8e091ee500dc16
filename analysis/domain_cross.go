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

// crossKey identifies a crossed domain variable for the engine's cache:
// one per study, so never shared.
type crossKey struct{ name string }

// crossVar builds the domain variable "a*b" (Options.By) from the
// variables a and b: one level per combination of their levels held by
// at least one respondent (svyby(~y, ~a + b) drops the empty ones), a's
// levels varying slowest; a respondent missing either has none.
func crossVar(all []domainVar, name string) (domainVar, error) {
	parts := strings.Split(name, "*")
	var vars []domainVar
	for _, p := range parts {
		p = strings.TrimSpace(p)
		found := false
		for _, v := range all {
			if v.name == p {
				vars = append(vars, v)
				found = true
				break
			}
		}
		if !found {
			return domainVar{}, fmt.Errorf("options: %w %q in by %q", ErrUnknownDomain, p, name)
		}
	}
	n := len(vars[0].codes)
	size := 1
	for _, v := range vars {
		if size > 1<<20/max(len(v.levels), 1) {
			return domainVar{}, fmt.Errorf("options: by %q crosses too many levels", name)
		}
		size *= len(v.levels)
	}
	key := make([]int, n)
	held := make([]bool, size)
	for i := range key {
		k := 0
		for _, v := range vars {
			c := v.codes[i]
			if c < 0 {
				k = -1
				break
			}
			k = k*len(v.levels) + int(c)
		}
		key[i] = k
		if k >= 0 {
			held[k] = true
		}
	}
	code := make([]int32, size)
	var names, levels []string
	for _, v := range vars {
		names = append(names, v.name)
	}
	for k := range size {
		code[k] = -1
		if !held[k] {
			continue
		}
		code[k] = int32(len(levels))
		lv := make([]string, len(vars))
		r := k
		for j := len(vars) - 1; j >= 0; j-- {
			L := len(vars[j].levels)
			lv[j] = vars[j].levels[r%L]
			r /= L
		}
		levels = append(levels, strings.Join(lv, crossSep))
	}
	codes := make([]int32, n)
	for i, k := range key {
		codes[i] = -1
		if k >= 0 {
			codes[i] = code[k]
		}
	}
	joined := strings.Join(names, crossSep)
	return domainVar{name: joined, codes: codes, levels: levels, key: &crossKey{joined}}, nil
}
