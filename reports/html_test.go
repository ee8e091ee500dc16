package reports

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func writeHTML(t *testing.T, r *Report) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteHTML(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestWriteHTMLGolden(t *testing.T) {
	a, b := writeHTML(t, sampleReport(t)), writeHTML(t, sampleReport(t))
	if !bytes.Equal(a, b) {
		t.Error("WriteHTML gave different bytes for the same report")
	}
	golden(t, "report.html", a)
}

// walk calls visit for every element of the document.
func walk(n *html.Node, visit func(*html.Node)) {
	if n.Type == html.ElementNode {
		visit(n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, visit)
	}
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func TestWriteHTMLStructure(t *testing.T) {
	out := writeHTML(t, sampleReport(t))
	doc, err := html.Parse(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]int{}
	var hrefs []string
	tables, captions, images := 0, 0, 0
	walk(doc, func(n *html.Node) {
		if id, ok := attr(n, "id"); ok {
			ids[id]++
		}
		switch n.Data {
		case "a":
			h, _ := attr(n, "href")
			hrefs = append(hrefs, h)
		case "table":
			tables++
			if d, _ := attr(n, "aria-describedby"); d != "notation" {
				t.Errorf("table without aria-describedby=notation")
			}
		case "caption":
			captions++
		case "th":
			if _, ok := attr(n, "scope"); !ok && !hasClass(n, "corner") {
				t.Errorf("th %q without scope", text(n))
			}
		case "img":
			images++
			alt, _ := attr(n, "alt")
			src, _ := attr(n, "src")
			// PNG, drawn with the embedded fonts: an SVG would depend on
			// the reader's fonts.
			if alt == "" || !strings.HasPrefix(src, "data:image/png;base64,") {
				t.Errorf("img alt=%q src=%.40q, want alt text and an inline PNG", alt, src)
			}
		case "script", "link", "iframe", "object":
			t.Errorf("unexpected <%s> element", n.Data)
		}
	})
	for id, n := range ids {
		if n > 1 {
			t.Errorf("id %q used %d times", id, n)
		}
	}
	for _, h := range hrefs {
		if !strings.HasPrefix(h, "#") || ids[h[1:]] == 0 {
			t.Errorf("link %q does not point into the document", h)
		}
	}
	// Three section tables, one chart-only table and the banner.
	if tables != 5 || captions != 5 {
		t.Errorf("got %d tables and %d captions, want 5 and 5", tables, captions)
	}
	if images != 1 {
		t.Errorf("got %d images, want 1", images)
	}
	for _, want := range []string{"findings", "regions", "segments", "crosstab-trust", "methodology", "notation"} {
		if ids[want] != 1 {
			t.Errorf("no element with id %q", want)
		}
	}
	s := string(out)
	for _, bad := range []string{"http://", "https://", "url(", "@import", "<script"} {
		if strings.Contains(s, bad) {
			t.Errorf("output contains %q, want a self-contained file", bad)
		}
	}
	for _, want := range []string{"@media print", "break-before:page", "tabular-nums",
		`<span class="ci">[39.1–43.3]</span>`, `<span class="star" title="Low base">*</span>`,
		`<span class="sig">BC</span>`, "Figures in brackets are 95% confidence intervals"} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q", want)
		}
	}
}

func hasClass(n *html.Node, c string) bool {
	v, _ := attr(n, "class")
	return strings.Contains(" "+v+" ", " "+c+" ")
}

func text(n *html.Node) string {
	var b strings.Builder
	var f func(*html.Node)
	f = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			f(c)
		}
	}
	f(n)
	return b.String()
}

func TestWriteHTMLEscapes(t *testing.T) {
	r := formulaReport()
	evil := `<script>alert("x")</script>`
	r.Title = evil
	r.Findings = append(r.Findings, Finding{evil})
	r.Sections[0].Name = evil
	r.Sections[0].ID = `x" onmouseover="alert(1)`
	r.Sections[0].Tables[0].AddRow(Str(evil), Num(0.1).WithMark(evil))
	r.Sections[0].Banners[0].Rows[0].Label = evil
	r.Methodology = append(r.Methodology, KeyValue{Key: evil, Value: evil})
	r.Sections[0].Images = []Image{{Name: "x", Title: evil, AltText: `" onerror="alert(1)`, PNG: []byte("\x89PNG")}}
	s := string(writeHTML(t, r))
	if strings.Contains(s, "<script") || strings.Contains(s, `" onerror=`) || strings.Contains(s, `" onmouseover=`) {
		t.Errorf("WriteHTML let markup through:\n%s", s)
	}
	if n := strings.Count(s, "&lt;script&gt;"); n < 7 {
		t.Errorf("escaped script tags = %d, want every label shown escaped", n)
	}
	if !strings.Contains(s, `src="data:image/png;base64,iVBORw==`) {
		t.Error("an image without SVG is not inlined as PNG")
	}
}

func ExampleWriteHTML() {
	t := NewTable("Trust by region", TextCol("Region"), PercentCol("Trust").WithCI())
	t.AddRow(Str("Europe"), NumCI(0.364, 0.345, 0.384))
	r := &Report{
		Title:     "Privacy tracker",
		ConfLevel: 0.95,
		Sections:  []Section{{Name: "Regions", Tables: []*Table{t}}},
	}
	var buf bytes.Buffer
	if err := WriteHTML(&buf, r); err != nil {
		fmt.Println(err)
		return
	}
	for _, line := range strings.Split(buf.String(), "\n") {
		if strings.HasPrefix(line, "<title>") || strings.HasPrefix(line, "<tr><th scope=\"row\">") {
			fmt.Println(line)
		}
	}
	// Output:
	// <title>Privacy tracker</title>
	// <tr><th scope="row">Europe</th><td class="num"><span class="v">36.4%</span> <span class="ci">[34.5–38.4]</span></td>
}
