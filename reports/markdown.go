package reports

import (
	"bufio"
	"fmt"
	"io"
	"net/url"
	"strings"
	"unicode/utf8"
)

// WriteMarkdown writes tables as GitHub-flavoured Markdown: the title in
// bold, a pipe table (text left-aligned, numbers right-aligned, formatted
// as in WriteText) and the footnotes. Pipes and other Markdown syntax in
// labels are escaped so a label cannot break the table or inject a link.
func WriteMarkdown(w io.Writer, tables ...*Table) error {
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
		writeMDTable(bw, t, "")
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write markdown table: %w", err)
	}
	return nil
}

// writeMDTable writes t; title overrides t.Title when set.
func writeMDTable(w *bufio.Writer, t *Table, title string) {
	if title == "" {
		title = t.Title
	}
	if title != "" {
		w.WriteString("**" + mdEscape(title) + "**\n\n")
	}
	head := make([]string, len(t.cols))
	align := make([]string, len(t.cols))
	for j, c := range t.cols {
		head[j] = mdEscape(c.Name)
		align[j] = ":--"
		if c.numeric() {
			align[j] = "--:"
		}
	}
	mdRow(w, head)
	mdRow(w, align)
	row := make([]string, len(t.cols))
	for i := range t.NumRows() {
		for j, c := range t.cols {
			row[j] = mdCell(parts(c, t.Cell(i, j)))
		}
		mdRow(w, row)
	}
	mdNotes(w, t.Footnotes())
}

// mdCell renders display parts, escaping only the parts that come from
// callers so generated notation stays readable in the source.
func mdCell(p cellParts) string {
	s := mdEscape(p.value)
	if p.dash {
		s = p.value
	}
	if p.star {
		s += `\*`
	}
	if p.ci != "" {
		s += " " + p.ci
	}
	if p.mark != "" {
		if s != "" {
			s += " "
		}
		s += mdEscape(p.mark)
	}
	return s
}

func mdRow(w *bufio.Writer, cells []string) {
	w.WriteString("|")
	for _, c := range cells {
		if c == "" {
			w.WriteString(" |")
			continue
		}
		w.WriteString(" " + c + " |")
	}
	w.WriteByte('\n')
}

// mdNotes writes footnotes as one paragraph each.
func mdNotes(w *bufio.Writer, notes []string) {
	for _, n := range notes {
		w.WriteString("\n" + mdBlock(n) + "\n")
	}
}

// mdEscape makes caller text literal inside a Markdown line or table
// cell and flattens line breaks. It backslash-escapes what always has a
// meaning (\ ` * _ ~ |) and the rest only where it would take effect
// ("](" and "]:" of links, "[^" footnotes, a leading "[" of task boxes,
// "<" opening a tag, "&" spelling an entity), so ordinary text such as
// "55.1% [52.7–57.5] (p < 0.001)" stays readable in the source.
func mdEscape(s string) string {
	s = oneLine(s)
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		first := i == 0
		char, rest := s[i:i+size], s[i+size:]
		i += size
		esc := false
		switch r {
		case '\\', '`', '*', '_', '~', '|':
			esc = true
		case '[':
			esc = first || strings.HasPrefix(rest, "^")
		case ']':
			esc = strings.HasPrefix(rest, "(") || strings.HasPrefix(rest, "[") || strings.HasPrefix(rest, ":")
		case '<':
			esc = rest != "" && (isASCIILetter(rest[0]) || strings.ContainsRune("/!?", rune(rest[0])))
		case '&':
			esc = isEntityTail(rest)
		}
		if esc {
			b.WriteByte('\\')
		}
		// The original bytes, so invalid UTF-8 passes through unchanged.
		b.WriteString(char)
	}
	return b.String()
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// isEntityTail reports whether s starts like the rest of an HTML entity:
// "amp;", "#38;", "#x26;".
func isEntityTail(s string) bool {
	n := 0
	for n < len(s) && n < 32 && (isASCIILetter(s[n]) || (s[n] >= '0' && s[n] <= '9') || s[n] == '#') {
		n++
	}
	return n > 0 && n < len(s) && s[n] == ';'
}

// mdBlock is mdEscape for a paragraph: it also escapes a leading marker
// that would turn the line into a heading, list, quote or rule.
func mdBlock(s string) string {
	s = mdEscape(s)
	if s == "" {
		return s
	}
	switch s[0] {
	case '#', '+', '-', '=', '>', '~':
		return `\` + s
	}
	// "1. text" and "1) text" start ordered lists; "53.6%" does not (the
	// marker must be followed by a space or end the line).
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > 0 && i < len(s) && (s[i] == '.' || s[i] == ')') && (i+1 == len(s) || s[i+1] == ' ' || s[i+1] == '\t') {
		return s[:i] + `\` + s[i:]
	}
	return s
}

// mdParagraphs writes text as paragraphs, keeping the caller's blank-line
// paragraph breaks.
func mdParagraphs(w *bufio.Writer, text string) {
	for _, p := range paragraphs(text) {
		w.WriteString(mdBlock(p) + "\n\n")
	}
}

// paragraphs splits text at blank lines and trims each paragraph.
func paragraphs(text string) []string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	var out []string
	for _, p := range strings.Split(text, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// WriteReportMarkdown writes r as one Markdown document for pasting into
// documents: the title, key findings, each section's intro, tables,
// charts and banners, and the methodology. Charts are linked as relative
// images charts/<Name>.png, which the caller writes beside the document.
// Native charts, having no image, are shown as their tables.
func WriteReportMarkdown(w io.Writer, r *Report) error {
	if err := r.validate(); err != nil {
		return fmt.Errorf("write markdown report: %w", err)
	}
	bw := bufio.NewWriter(w)
	bw.WriteString("# " + mdEscape(r.Title) + "\n\n")
	if r.Subtitle != "" {
		bw.WriteString("*" + mdEscape(r.Subtitle) + "*\n\n")
	}
	if !r.Date.IsZero() {
		bw.WriteString(r.Date.Format(humanDate) + "\n\n")
	}
	if len(r.Findings) > 0 {
		bw.WriteString("## Key findings\n\n")
		for _, f := range r.Findings {
			bw.WriteString("- " + mdBlock(f.Text) + "\n")
		}
		bw.WriteString("\n")
	}
	if nm := r.notMeasuredLines(); len(nm) > 0 {
		for _, l := range nm {
			bw.WriteString("*" + mdEscape(l) + "*\n\n")
		}
	}
	for _, s := range r.Sections {
		bw.WriteString("## " + mdEscape(s.Name) + "\n\n")
		mdParagraphs(bw, s.Intro)
		// Banners first, as in the deck and the HTML.
		for _, b := range s.Banners {
			writeMDBanner(bw, b)
			bw.WriteString("\n")
		}
		for _, t := range s.Tables {
			writeMDTable(bw, t, "")
			bw.WriteString("\n")
		}
		for _, t := range s.chartTables() {
			writeMDTable(bw, t.Table, t.title)
			bw.WriteString("\n")
		}
		for _, im := range s.Images {
			alt := im.AltText
			if alt == "" {
				alt = im.Title
			}
			bw.WriteString("![" + mdEscape(alt) + "](charts/" + url.PathEscape(im.Name) + ".png)\n\n")
			if im.Title != "" {
				bw.WriteString("*" + mdEscape(im.Title) + "*\n\n")
			}
		}
	}
	bw.WriteString("## Methodology\n\n")
	for _, kv := range r.methodology() {
		bw.WriteString("- **" + mdEscape(kv.Key) + ":** " + mdEscape(kv.Value) + "\n")
	}
	if len(r.Files) > 0 {
		bw.WriteString("\nSources:\n\n")
		for _, f := range r.Files {
			bw.WriteString("- `" + strings.ReplaceAll(oneLine(f), "`", "'") + "`\n")
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write markdown report: %w", err)
	}
	return nil
}

func writeMDBanner(w *bufio.Writer, b *Banner) {
	if b.Title != "" {
		w.WriteString("**" + mdEscape(b.Title) + "**\n\n")
	}
	head := []string{""}
	align := []string{":--"}
	for _, c := range b.Columns {
		head = append(head, mdEscape(c.headerLabel())+" ("+mdEscape(c.Letter)+")")
		align = append(align, "--:")
	}
	mdRow(w, head)
	mdRow(w, align)
	for _, base := range b.bases() {
		row := []string{"*" + base.name + "*"}
		for _, v := range base.v {
			row = append(row, formatNum(Integer, 0, v))
		}
		mdRow(w, row)
	}
	for _, r := range b.Rows {
		label := mdEscape(r.Label)
		if r.Net || r.Mean {
			label = "**" + label + "**"
		}
		row := []string{label}
		for _, c := range r.Cells {
			s := strings.ReplaceAll(bannerValue(r, c), "*", `\*`)
			if c.Sig != "" && !c.Suppressed {
				s += " " + mdEscape(c.Sig)
			}
			row = append(row, s)
		}
		mdRow(w, row)
	}
	mdNotes(w, b.footnotes())
}
