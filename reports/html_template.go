package reports

// htmlTemplate lays out an htmlView. It is a constant rather than an
// embedded file so the package has no mutable state and no init-time I/O.
const htmlTemplate = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="trustgap">
<title>{{.Title}}</title>
<style>
:root{--ink:#1f2933;--muted:#6b7280;--navy:#1f3a5f;--rule:#d0d7de;--zebra:#f5f7fa;--accent:#2a9d8f;--sig:#1d4ed8;--paper:#fff}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:#eef1f5;color:var(--ink);font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif}
.page{max-width:1200px;margin:0 auto;padding:0 24px 64px}
header.cover{background:var(--navy);color:#fff;padding:56px 0 40px;margin-bottom:32px}
header.cover .page{padding-bottom:0}
.kicker{margin:0 0 8px;text-transform:uppercase;letter-spacing:.12em;font-size:.78rem;opacity:.75}
h1{margin:0;font-size:2.3rem;line-height:1.15;font-weight:700}
.subtitle{margin:10px 0 0;font-size:1.2rem;opacity:.9}
.date{margin:18px 0 0;font-size:.9rem;opacity:.75}
h2{color:var(--navy);font-size:1.55rem;margin:0 0 14px;line-height:1.25}
h3{color:var(--navy);font-size:1.05rem;margin:28px 0 8px}
section,nav.toc{background:var(--paper);border-radius:10px;box-shadow:0 1px 3px rgba(15,23,42,.08);padding:28px 32px;margin:0 0 24px}
nav.toc ol{margin:0;padding-left:1.3em}
nav.toc li{margin:4px 0}
a{color:#0b5cad}
ol.findings{list-style:none;counter-reset:f;margin:0;padding:0}
ol.findings li{counter-increment:f;position:relative;padding:12px 0 12px 52px;border-bottom:1px solid var(--rule);font-size:1.05rem}
ol.findings li:last-child{border-bottom:0}
ol.findings li::before{content:counter(f);position:absolute;left:0;top:10px;width:34px;height:34px;border-radius:50%;background:var(--accent);color:#fff;font-weight:700;text-align:center;line-height:34px;font-variant-numeric:tabular-nums}
.notation{border-left:4px solid var(--accent);background:#f0faf8;padding:12px 16px;margin:0 0 24px;border-radius:0 8px 8px 0;font-size:.92rem}
.notation p{margin:2px 0}
.intro{max-width:72ch;color:#374151}
.table-wrap{overflow-x:auto;margin:22px 0 8px}
table{border-collapse:collapse;width:100%;font-size:.93rem;font-variant-numeric:tabular-nums}
caption{caption-side:top;text-align:left;font-weight:650;color:var(--navy);font-size:1.02rem;padding:0 0 8px}
thead th{background:var(--navy);color:#fff;font-weight:600;text-align:left;padding:8px 10px;vertical-align:bottom;font-size:.92em}
th,td{padding:7px 10px;border-bottom:1px solid var(--rule);vertical-align:top}
tbody th{text-align:left;font-weight:500}
tbody tr:nth-child(even){background:var(--zebra)}
.num{text-align:right}
.v,.ci{white-space:nowrap;display:inline-block}
thead th.num{text-align:right}
.ci{color:var(--muted);font-size:.84em}
.star{color:#b45309;font-weight:700}
.dash{color:var(--muted)}
.mark,.sig{color:var(--sig);font-weight:700;font-size:.8em;margin-left:.3em}
.notes{margin:6px 0 0;padding:0;list-style:none;color:var(--muted);font-size:.82rem}
figure{margin:26px 0}
figcaption{font-weight:650;color:var(--navy);margin:0 0 10px}
figure.image img{display:block;max-width:100%;height:auto;margin:0 auto}
figure.image figcaption{margin:10px 0 0;text-align:center}
.legend{display:flex;flex-wrap:wrap;gap:6px 18px;margin:0 0 10px;padding:0;list-style:none;font-size:.85rem;color:#374151}
.legend span{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:6px;vertical-align:-1px}
.bars{display:grid;grid-template-columns:minmax(120px,220px) 1fr;gap:8px 14px;align-items:center}
.bar-label{font-size:.9rem;text-align:right}
.track{display:flex;flex-direction:column;gap:3px}
.bar-line{display:flex;align-items:center;gap:6px;font-size:.82rem;font-variant-numeric:tabular-nums;white-space:nowrap}
.bar{display:block;height:16px;border-radius:0 3px 3px 0;min-width:1px}
.stack{display:flex;height:24px;border-radius:3px;overflow:hidden}
.stack .bar{height:24px;border-radius:0;color:#fff;font-size:.78rem;line-height:24px;text-align:center;overflow:hidden;white-space:nowrap}
{{.SeriesCSS}}
table.banner{font-size:.82rem;table-layout:fixed}
table.banner col.label{width:17rem}
.banner-wrap{overflow:auto;max-height:88vh}
table.banner thead{position:sticky;top:0;z-index:3}
table.banner th[scope=row],table.banner th.corner{position:sticky;left:0;z-index:2;background:#fff;text-align:left;white-space:normal}
table.banner tbody tr:nth-child(even) th[scope=row]{background:var(--zebra)}
table.banner tbody.bases th[scope=row]{background:#fafbfc}
table.banner th,table.banner td{padding-left:4px;padding-right:4px}
table.banner .sig{display:inline-block;min-width:var(--sigw,2.2em);text-align:left}
table.banner thead th{text-align:center;vertical-align:middle;border-left:2px solid #fff}
table.banner thead tr.labels th{background:#e4ebf2;color:var(--ink)}
table.banner thead th.corner{background:#fff;border:0}
table.banner .letter{display:block;color:var(--sig);font-weight:700;font-size:.92em}
table.banner tbody.bases th,table.banner tbody.bases td{color:var(--muted);font-style:italic;font-size:.92em;background:#fafbfc}
table.banner td{text-align:right;white-space:nowrap}
table.banner tbody.bases td{padding-right:calc(.8 * var(--sigw,2.2em) + 4px)}
table.banner tbody tr:nth-child(even){background:var(--zebra)}
.not-measured{color:var(--muted);font-size:.9rem;margin:.2rem 0}
table.banner tr.net th,table.banner tr.net td,table.banner tr.mean th,table.banner tr.mean td{font-weight:700}
dl.method{display:grid;grid-template-columns:minmax(140px,220px) 1fr;gap:10px 24px;margin:0}
dl.method dt{font-weight:650}
dl.method dd{margin:0}
footer{color:var(--muted);font-size:.82rem;text-align:center;margin-top:8px}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:700px){.bars{grid-template-columns:1fr}.bar-label{text-align:left}section{padding:20px 16px}}
@media print{
  @page{ {{- .PageCSS -}} }
  body{background:#fff;font-size:10.5pt}
  .page{max-width:none;padding:0}
  header.cover{background:none;color:var(--navy);padding:0 0 12px;border-bottom:2px solid var(--navy)}
  section,nav.toc{box-shadow:none;border-radius:0;padding:0;margin:0 0 16px}
  section.chapter,#methodology{break-before:page}
  .table-wrap{overflow:visible}
  table{font-size:8.5pt;width:auto;max-width:100%}
  table.banner{font-size:7pt;min-width:0!important}
  table.banner col.label{width:9rem}
  .banner-wrap{max-height:none;overflow:visible}
  table.banner thead{position:static}
  table.banner th[scope=row],table.banner th.corner{position:static}
  th,td{padding:3px 5px}
  thead{display:table-header-group}
  tr,figure,.bars{break-inside:avoid}
  thead th,.bar,.stack .bar,.s0,.s1,.s2,.s3,.s4,.s5,.s6,.s7,ol.findings li::before{print-color-adjust:exact;-webkit-print-color-adjust:exact}
  a{color:inherit;text-decoration:none}
  nav.toc{display:none}
}
</style>
</head>
<body>
<header class="cover"><div class="page">
<p class="kicker">Survey report</p>
<h1>{{.Title}}</h1>
{{- if .Subtitle}}
<p class="subtitle">{{.Subtitle}}</p>
{{- end}}
{{- if .Date}}
<p class="date"><time datetime="{{.DateISO}}">{{.Date}}</time></p>
{{- end}}
</div></header>
<div class="page">
<nav class="toc" aria-labelledby="contents"><h2 id="contents">Contents</h2>
<ol>
{{- if .Findings}}
<li><a href="#findings">Key findings</a></li>
{{- end}}
{{- range .Sections}}
<li><a href="#{{.ID}}">{{.Name}}</a></li>
{{- end}}
<li><a href="#methodology">Methodology</a></li>
</ol>
{{- range .NotMeasured}}
<p class="not-measured">{{.}}</p>
{{- end}}
</nav>
<main>
{{- if .Findings}}
<section id="findings" aria-labelledby="findings-h"><h2 id="findings-h">Key findings</h2>
<ol class="findings">
{{- range .Findings}}
<li>{{.}}</li>
{{- end}}
</ol>
</section>
{{- end}}
<aside class="notation" id="notation" aria-label="How to read the tables">
{{- range .Notation}}
<p>{{.}}</p>
{{- end}}
</aside>
{{- range .Sections}}
<section class="chapter" id="{{.ID}}" aria-labelledby="{{.ID}}-h"><h2 id="{{.ID}}-h">{{.Name}}</h2>
{{- range .Intro}}
<p class="intro">{{.}}</p>
{{- end}}
{{- range .Banners}}
<div class="table-wrap banner-wrap">
<table class="banner" style="{{.Style}}" aria-describedby="notation">
{{- if .Caption}}
<caption>{{.Caption}}</caption>
{{- end}}
<colgroup><col class="label">{{range .Cols}}<col>{{end}}</colgroup>
<thead>
<tr><th class="corner" rowspan="2"><span class="sr-only">Answer</span></th>
{{- range .Groups}}<th scope="colgroup" colspan="{{.Span}}">{{.Name}}</th>{{end -}}
</tr>
<tr class="labels">
{{- range .Cols}}<th scope="col">{{.Label}}<span class="letter">{{.Letter}}</span></th>{{end -}}
</tr>
</thead>
<tbody class="bases">
{{- range .Bases}}
<tr><th scope="row">{{.Name}}</th>{{range .Values}}<td>{{.}}</td>{{end}}</tr>
{{- end}}
</tbody>
<tbody>
{{- range .Rows}}
<tr{{if .Net}} class="net"{{else if .Mean}} class="mean"{{end}}><th scope="row">{{.Label}}</th>
{{- range .Cells}}<td>{{if .Dash}}<span class="dash" title="Not shown: base too small, or hidden with such a cell">{{.Value}}</span>{{else}}{{.Value}}{{end}}{{if .Star}}<span class="star" title="Low base">*</span>{{end}}<span class="sig">{{.Sig}}</span></td>{{end -}}
</tr>
{{- end}}
</tbody>
</table>
<ul class="notes">
{{- range .Notes}}
<li>{{.}}</li>
{{- end}}
</ul>
</div>
{{- end}}
{{- range .Tables}}
<div class="table-wrap">
<table aria-describedby="notation">
{{- if .Caption}}
<caption>{{.Caption}}</caption>
{{- end}}
<thead><tr>
{{- range .Head}}<th scope="col"{{if .Num}} class="num"{{end}}>{{.Text}}</th>{{end -}}
</tr></thead>
<tbody>
{{- range .Rows}}
<tr>
{{- range .}}
{{- if .Header}}<th scope="row">{{.Value}}{{if .Mark}}<span class="mark">{{.Mark}}</span>{{end}}</th>
{{- else}}<td{{if .Num}} class="num"{{end}}>{{if .Dash}}<span class="dash" title="Not shown: base too small, or hidden with such a cell">{{.Value}}</span>{{else}}<span class="v">{{.Value}}
{{- if .Star}}<span class="star" title="Low base">*</span>{{end}}</span>{{end}}
{{- if .CI}} <span class="ci">{{.CI}}</span>{{end}}
{{- if .Mark}}<span class="mark">{{.Mark}}</span>{{end}}</td>
{{- end}}
{{- end}}
</tr>
{{- end}}
</tbody>
</table>
{{- if .Notes}}
<ul class="notes">
{{- range .Notes}}
<li>{{.}}</li>
{{- end}}
</ul>
{{- end}}
</div>
{{- end}}
{{- range .Charts}}
<figure class="chart">
<figcaption>{{.Title}}</figcaption>
{{- if gt (len .Legend) 1}}
<ul class="legend" aria-hidden="true">
{{- range .Legend}}
<li><span class="{{.Class}}"></span>{{.Name}}</li>
{{- end}}
</ul>
{{- end}}
<div class="bars" role="img" aria-label="{{.Label}}">
{{- $stacked := .Stacked}}
{{- range .Rows}}
<div class="bar-label" aria-hidden="true">{{.Label}}</div>
{{- if $stacked}}
<div class="stack" aria-hidden="true">
{{- range .Bars}}<span class="bar {{.Class}}" style="{{.Style}}" title="{{.Value}}">{{if .ShowValue}}{{.Value}}{{end}}</span>{{end -}}
</div>
{{- else}}
<div class="track" aria-hidden="true">
{{- range .Bars}}
<div class="bar-line"><span class="bar {{.Class}}" style="{{.Style}}"></span>{{.Value}}</div>
{{- end}}
</div>
{{- end}}
{{- end}}
</div>
</figure>
{{- end}}
{{- range .Images}}
<figure class="image">
<img src="{{.Src}}" alt="{{.Alt}}">
{{- if .Title}}
<figcaption>{{.Title}}</figcaption>
{{- end}}
</figure>
{{- end}}
</section>
{{- end}}
<section id="methodology" aria-labelledby="methodology-h"><h2 id="methodology-h">Methodology</h2>
<dl class="method">
{{- range .Methodology}}
<dt>{{.Key}}</dt><dd>{{.Value}}</dd>
{{- end}}
</dl>
{{- if .Files}}
<h3>Sources</h3>
<ul>
{{- range .Files}}
<li><code>{{.}}</code></li>
{{- end}}
</ul>
{{- end}}
</section>
</main>
<footer>Prepared with trustgap{{if .Date}} · {{.Date}}{{end}}</footer>
</div>
</body>
</html>
`
