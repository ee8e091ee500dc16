package reports

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/rivo/uniseg"
)

// WriteText writes tables for a terminal: the title, a header, a rule,
// aligned rows (text left, numbers right, percentages with one decimal,
// intervals in brackets, "*" for low bases, "–" for suppressed cells) and
// the footnotes. Tables are separated by a blank line. Widths count
// terminal cells, so accented and East Asian labels stay aligned.
func WriteText(w io.Writer, tables ...*Table) error {
	for _, t := range tables {
		if err := t.Err(); err != nil {
			return err
		}
	}
	bw := bufio.NewWriter(w)
	for n, t := range tables {
		if n > 0 {
			bw.WriteByte('\n')
		}
		writeTextTable(bw, t)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write text table: %w", err)
	}
	return nil
}

func writeTextTable(w *bufio.Writer, t *Table) {
	if t.Title != "" {
		w.WriteString(oneLine(t.Title))
		w.WriteByte('\n')
	}
	grid := make([][]string, 0, t.NumRows()+1)
	head := make([]string, len(t.cols))
	for j, c := range t.cols {
		head[j] = oneLine(c.Name)
	}
	grid = append(grid, head)
	for i := range t.NumRows() {
		row := make([]string, len(t.cols))
		for j := range t.cols {
			row[j] = oneLine(t.Display(i, j))
		}
		grid = append(grid, row)
	}
	widths := make([]int, len(t.cols))
	for _, row := range grid {
		for j, s := range row {
			widths[j] = max(widths[j], uniseg.StringWidth(s))
		}
	}
	rule := make([]string, len(t.cols))
	for j := range rule {
		rule[j] = strings.Repeat("-", widths[j])
	}
	for r, row := range grid {
		writeTextRow(w, t.cols, widths, row)
		if r == 0 {
			writeTextRow(w, t.cols, widths, rule)
		}
	}
	for _, n := range t.Footnotes() {
		w.WriteString(oneLine(n))
		w.WriteByte('\n')
	}
}

func writeTextRow(w *bufio.Writer, cols []Col, widths []int, row []string) {
	var line strings.Builder
	for j, s := range row {
		if j > 0 {
			line.WriteString("  ")
		}
		pad := strings.Repeat(" ", widths[j]-uniseg.StringWidth(s))
		if cols[j].numeric() {
			line.WriteString(pad + s)
		} else {
			line.WriteString(s + pad)
		}
	}
	w.WriteString(strings.TrimRight(line.String(), " "))
	w.WriteByte('\n')
}

// oneLine flattens line breaks and tabs so one cell stays one line, and
// drops other control characters so a label cannot send escape sequences
// to the terminal.
func oneLine(s string) string {
	if strings.IndexFunc(s, unicode.IsControl) < 0 {
		return s
	}
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			return ' '
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}
