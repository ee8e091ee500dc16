package reports

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
)

// WriteCSV writes t in machine form: a header of machine keys (see
// Col.MachineKey), then one record per row. Numbers are written at full
// precision and unformatted, percentages as fractions; a column with CI
// is followed by <key>_ci_low and <key>_ci_high. When some cell of a
// column is flagged or marked, the column is also followed by <key>_flag
// ("low_base" or "suppressed") and <key>_mark. Suppressed and missing
// values are empty. The title and footnotes are not written: a CSV file
// is one rectangle.
//
// Text cells (and headers) that a spreadsheet would run as a formula —
// starting with =, +, -, @, tab or carriage return — get a leading
// apostrophe (OWASP CSV injection); numbers are written as numbers.
func WriteCSV(w io.Writer, t *Table) error {
	if err := t.Err(); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	type colOut struct{ flag, mark bool }
	outs := make([]colOut, len(t.cols))
	var head []string
	for j, c := range t.cols {
		key := c.MachineKey()
		head = append(head, key)
		if c.CI {
			head = append(head, key+"_ci_low", key+"_ci_high")
		}
		for i := range t.NumRows() {
			f := t.flags[i][j]
			outs[j].flag = outs[j].flag || f.lowBase || f.suppressed
			outs[j].mark = outs[j].mark || f.mark != ""
		}
		if outs[j].flag {
			head = append(head, key+"_flag")
		}
		if outs[j].mark {
			head = append(head, key+"_mark")
		}
	}
	for k := range head {
		head[k] = DefuseCSV(head[k])
	}
	if err := cw.Write(head); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	rec := make([]string, 0, len(head))
	for i := range t.NumRows() {
		rec = rec[:0]
		for j, col := range t.cols {
			c := t.Cell(i, j)
			switch {
			case col.Kind == Text:
				rec = append(rec, DefuseCSV(c.Text))
			case c.Suppressed:
				rec = append(rec, "")
			default:
				rec = append(rec, machineNum(c.Num))
			}
			if col.CI {
				if c.Suppressed || !c.HasCI {
					rec = append(rec, "", "")
				} else {
					rec = append(rec, machineNum(c.Lo), machineNum(c.Hi))
				}
			}
			if outs[j].flag {
				switch {
				case c.Suppressed:
					rec = append(rec, "suppressed")
				case c.LowBase:
					rec = append(rec, "low_base")
				default:
					rec = append(rec, "")
				}
			}
			if outs[j].mark {
				rec = append(rec, DefuseCSV(c.Mark))
			}
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write csv: row %d: %w", i+1, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// machineNum writes x so that it parses back to the same float64; missing
// is empty and infinities are spelled as R reads them.
func machineNum(x float64) string {
	switch {
	case math.IsNaN(x):
		return ""
	case math.IsInf(x, 1):
		return "Inf"
	case math.IsInf(x, -1):
		return "-Inf"
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// DefuseCSV prefixes s with an apostrophe when a spreadsheet would treat
// it as a formula (OWASP CSV injection: a leading =, +, -, @, tab or
// carriage return), and returns other text unchanged.
func DefuseCSV(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
