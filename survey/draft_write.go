package survey

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// WriteYAML writes the draft as a commented YAML codebook: a codebook
// Validate accepts as it is, each guess with a comment saying why, and
// the proposals that need a check commented out.
func (d *Draft) WriteYAML(w io.Writer) error {
	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }

	p("# Codebook drafted by trustgap init from\n")
	for _, f := range d.Files {
		more := ""
		if f.Partial {
			more = " (the first rows only: the file has more)"
		}
		p("#   %s: %s rows, %d columns%s\n", comment(filepathBase(f.Name)), thousands(f.Rows), f.Columns, more)
	}
	p("# Every guess says why in a comment; proposals that need a check are\n")
	p("# commented out (remove the # to use them). The README's codebook\n")
	p("# reference explains every key.")
	if len(d.commands) > 0 {
		p(" Then:\n")
		for _, c := range d.commands {
			p("#   %s\n", comment(c))
		}
	} else {
		p("\n")
	}
	var names []string
	for _, f := range d.Files {
		names = append(names, strings.TrimSuffix(filepathBase(f.Name), extOf(f.Name)))
	}
	p("title: %s   # the report's title and the deck's cover: put the study's name here\n", yamlString(strings.Join(names, ", ")))
	if len(d.Missing) > 0 {
		p("missing: %s   # read as missing in every column\n", flowList(d.Missing))
	}

	// columns:
	p("columns:\n")
	p("  # Each logical name lists its header in each file (the first present\n")
	p("  # wins), so that files with different headers stack.\n")
	var pii, empty []*DraftColumn
	for _, c := range d.Columns {
		if c.Role == "pii" {
			pii = append(pii, c)
			continue
		}
		if c.Role == "empty" {
			empty = append(empty, c)
		}
		d.writeColumn(bw, c)
	}
	if len(d.noHeader) > 0 {
		p("  # Left out, having no header to name them by: %s\n", comment(strings.Join(d.noHeader, ", ")))
	}
	if len(pii) > 0 {
		p("  # Left out: these look like direct identifiers, which reports must\n")
		p("  # never hold. Keep them out of the files you share.\n")
		for _, c := range pii {
			p("  #   %s: %s\n", comment(firstRaw(c)), comment(c.Why))
		}
	}

	// design, region, segments
	var design []string
	for _, r := range []struct{ key, name string }{{"id", d.Design.ID}, {"weight", d.Design.Weight}, {"strata", d.Design.Strata}, {"psu", d.Design.PSU}, {"fpc", d.Design.FPC}} {
		if r.name != "" {
			design = append(design, fmt.Sprintf("  %s: %s   # %s\n", r.key, yamlString(r.name), comment(d.column(r.name).Why)))
		}
	}
	if len(design) > 0 {
		p("design:\n")
		for _, l := range design {
			p("%s", l)
		}
		if d.Design.Strata == "" && d.Design.PSU == "" {
			p("  # No strata or PSU (cluster) columns found: estimates treat the\n")
			p("  # sample as drawn without them. Add strata: and psu: if it was not.\n")
		}
	} else {
		p("# design: no weight, strata or PSU columns found; add them under\n# design: (weight:, strata:, psu:, fpc:, id:) if the sample has them.\n")
	}
	if d.Region != "" {
		p("region: %s   # %s\n", yamlString(d.Region), comment(d.column(d.Region).Why))
	} else {
		p("# region: no column named like a country, region or market was found.\n")
	}
	if len(d.Segments) > 0 {
		p("segments: %s\n", flowList(d.Segments))
		for _, s := range d.Segments {
			p("  # %s: %s\n", comment(s), comment(d.column(s).Why))
		}
	}
	if len(d.Bands) > 0 {
		p("bands:   # numeric segments cut into bands at these lower bounds\n")
		for _, s := range d.Segments {
			if cuts, ok := d.Bands[s]; ok {
				labels := BandLabels(cuts)
				p("  %s: %s   # %s, %s, …, %s\n", yamlString(s), numList(cuts), labels[0], labels[1], labels[len(labels)-1])
			}
		}
	}
	if len(d.Levels) > 0 {
		p("levels:   # the order tables and charts show levels in; reorder freely\n")
		for _, name := range append([]string{d.Region}, d.Segments...) {
			if l, ok := d.Levels[name]; ok {
				p("  %s: %s\n", yamlString(name), flowList(l))
			}
		}
	}
	d.writeLabels(bw)
	d.writeConstructs(bw)
	if len(empty) > 0 {
		p("# No answers in any file: %s\n", comment(joinNames(empty)))
	}
	return bw.Flush()
}

func (d *Draft) writeColumn(w io.Writer, c *DraftColumn) {
	var raws []string
	var only []string
	for fi, r := range c.Raw {
		if r == "" {
			continue
		}
		raws = append(raws, r)
		only = append(only, filepathBase(d.Files[fi].Name))
	}
	why := c.Role
	if c.Why != "" {
		why += ": " + c.Why
	}
	if len(only) < len(d.Files) {
		why += "; only in " + strings.Join(only, ", ")
	}
	if c.Text == "" && len(strings.Join(raws, "")) < 60 {
		fmt.Fprintf(w, "  %s: %s   # %s\n", yamlString(c.Name), flowList(dedupe(raws)), comment(why))
		return
	}
	fmt.Fprintf(w, "  %s:   # %s\n", yamlString(c.Name), comment(why))
	if c.Text != "" {
		fmt.Fprintf(w, "    # %s\n", comment(c.Text))
	}
	for _, r := range dedupe(raws) {
		fmt.Fprintf(w, "    - %s\n", yamlString(r))
	}
}

func (d *Draft) writeLabels(w io.Writer) {
	var lines []string
	for _, name := range append([]string{d.Region}, d.Segments...) {
		names, ok := d.LevelNames[name]
		if ok {
			var pairs []string
			for _, l := range d.Levels[name] {
				if n, ok := names[l]; ok {
					pairs = append(pairs, yamlFlowKey(l)+": "+yamlString(n))
				}
			}
			lines = append(lines, fmt.Sprintf("  %s: {%s}\n", yamlString(name), strings.Join(pairs, ", ")))
		}
	}
	for _, c := range d.Columns {
		label := c.Text
		if c.option != "" {
			label = c.option // the question is in the columns: comment
		}
		if c.used && label != "" {
			lines = append(lines, fmt.Sprintf("  %s: %s\n", yamlString(c.Name), yamlString(label)))
		}
	}
	if len(lines) == 0 {
		return
	}
	fmt.Fprintf(w, "labels:   # names of levels, and the question texts reports show for items\n")
	for _, l := range lines {
		io.WriteString(w, l)
	}
}

func (d *Draft) writeConstructs(w io.Writer) {
	if len(d.Constructs) == 0 {
		fmt.Fprintf(w, "# constructs: none proposed: no answer scale or question was recognised.\n")
		return
	}
	anySure := false
	for _, c := range d.Constructs {
		anySure = anySure || c.Sure
	}
	if anySure {
		fmt.Fprintf(w, "constructs:\n")
	} else {
		fmt.Fprintf(w, "# constructs: none is certain; remove the # of those to use.\n# constructs:\n")
	}
	fmt.Fprintf(w, "  # Proposed from the question texts and answer scales. The analyses use\n")
	fmt.Fprintf(w, "  # concern, protection (or sharing), trust, comfort and westin.\n")
	anchors := map[string]string{}
	for _, c := range d.Constructs {
		pre := "  "
		if !c.Sure {
			pre = "  # "
		}
		fmt.Fprintf(w, "\n  # %s\n", comment(c.Why))
		if !c.Sure {
			fmt.Fprintf(w, "  # (not certain: check, then remove the # of the lines below)\n")
		}
		fmt.Fprintf(w, "%s%s:\n", pre, yamlString(c.Name))
		fmt.Fprintf(w, "%s  items: %s\n", pre, flowList(c.Items))
		if c.Scale != nil && c.Scale.Labels != nil {
			var ls []string
			for i, l := range c.Scale.Labels {
				ls = append(ls, c.Scale.Answers[i]+" = "+l)
			}
			fmt.Fprintf(w, "%s  # %s\n", pre, comment(strings.Join(ls, ", ")))
		}
		if c.Scale != nil && hasText(c.Scale.Answers) {
			key := c.Scale.Family + "|" + strings.Join(c.Scale.Answers, "|")
			if a, ok := anchors[key]; ok && c.Sure {
				fmt.Fprintf(w, "%s  values: *%s\n", pre, a)
			} else {
				anchor := ""
				if c.Sure {
					a := strings.ReplaceAll(strings.ReplaceAll(c.Scale.Family, "/", "_"), " ", "_")
					anchor = " &" + a
					for i := 2; anchorTaken(anchors, anchor[2:]); i++ {
						anchor = fmt.Sprintf(" &%s%d", a, i)
					}
					anchors[key] = anchor[2:]
				}
				fmt.Fprintf(w, "%s  values:%s   # %s\n", pre, anchor, comment(valuesWhy(c.Scale)))
				fmt.Fprint(w, c.Scale.ValuesBlock(pre+"    "))
			}
		}
		if c.Score != "count" {
			fmt.Fprintf(w, "%s  scale: %s\n", pre, numList([]float64{c.Lo, c.Hi}))
		}
		if c.Score != "" {
			fmt.Fprintf(w, "%s  score: %s\n", pre, c.Score)
		}
		fmt.Fprintf(w, "%s  flag: %s\n", pre, yamlString(c.Flag))
	}
}

func anchorTaken(anchors map[string]string, a string) bool {
	for _, v := range anchors {
		if v == a {
			return true
		}
	}
	return false
}

func hasText(answers []string) bool {
	for _, a := range answers {
		if _, ok := parseDecimal(a, false); !ok {
			return true
		}
	}
	return false
}

func valuesWhy(s *AnswerScale) string {
	if s.Binary() {
		return s.Family + " answers as 0/1"
	}
	if s.Family == "numbered" {
		return "the numbers the answers start with"
	}
	return fmt.Sprintf("the %s scale, lowest first", s.Family)
}

func firstRaw(c *DraftColumn) string {
	for _, r := range c.Raw {
		if r != "" {
			return r
		}
	}
	return c.Name
}

func joinNames(cs []*DraftColumn) string {
	var names []string
	for _, c := range cs {
		names = append(names, c.Name)
	}
	return strings.Join(names, ", ")
}

func dedupe(xs []string) []string {
	var out []string
	for _, x := range xs {
		dup := false
		for _, y := range out {
			dup = dup || y == x
		}
		if !dup {
			out = append(out, x)
		}
	}
	return out
}

func extOf(name string) string {
	if i := strings.LastIndexByte(name, '.'); i > 0 && !strings.ContainsAny(name[i:], "/\\") {
		return name[i:]
	}
	return ""
}

// comment makes text safe for a YAML comment: one line.
// comment writes s on one comment line: whitespace runs become one space,
// and characters YAML allows in no comment (C0 and C1 controls, U+FFFE,
// U+FFFF, invalid UTF-8) are shown as \uXXXX.
func comment(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	var b strings.Builder
	for _, r := range s {
		if r < 0x20 || r >= 0x7f && r <= 0x9f || r == 0x2028 || r == 0x2029 || r == 0xFEFF || r == 0xFFFE || r == 0xFFFF {
			fmt.Fprintf(&b, `\u%04X`, r)
			continue
		}
		b.WriteRune(r) // an invalid byte arrives as U+FFFD
	}
	return b.String()
}

func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// yamlString writes s as a YAML scalar that reads back as the string s:
// plain when it is a simple name, double-quoted otherwise.
func yamlString(s string) string {
	plain := s != "" && len(s) <= 80
	for i, r := range s {
		if !(unicode.IsLetter(r) && r < unicode.MaxASCII || r == '_' || (i > 0 && (unicode.IsDigit(r) || r == '-' || r == '.'))) {
			plain = false
			break
		}
	}
	switch strings.ToLower(s) {
	case "true", "false", "yes", "no", "on", "off", "null", "y", "n", "nan", "inf":
		plain = false
	}
	if plain {
		return s
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r >= 0x7f && r <= 0x9f || r == 0x2028 || r == 0x2029 || r == 0xFEFF || r == 0xFFFE || r == 0xFFFF:
			// YAML allows C0 and C1 control characters (and the
			// noncharacters U+FFFE, U+FFFF) only as escapes.
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// yamlFlowKey writes s as a key of a flow mapping: an explicit key ("? ")
// when it is longer than the 1,024 characters YAML allows an implicit key.
func yamlFlowKey(s string) string {
	q := yamlString(s)
	if utf8.RuneCountInString(q) > 1000 {
		return "? " + q + " "
	}
	return q
}

func flowList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = yamlString(x)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

func numList(xs []float64) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = fmtNum(x)
	}
	return "[" + strings.Join(q, ", ") + "]"
}
