package survey

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// ReportDef is the codebook's report: block: what the deliverables show
// beyond what the constructs imply.
//
//	report:
//	  title: Privacy Tracker 2026 — wave 3
//	  subtitle: Concern, protection and comfort with personalization
//	  region_label: Country
//	  effects: [{factor: concern, outcome: comfort}]
//	  paper: letter
type ReportDef struct {
	Title    string `yaml:"title"`
	Subtitle string `yaml:"subtitle"`
	// RegionLabel names the region variable in tables and charts; empty
	// means the region column's name, capitalised ("country" → "Country").
	RegionLabel string `yaml:"region_label"`
	// Effects are the factor → outcome effects (two flagged constructs)
	// the report shows, each as a section like trust on comfort.
	Effects []EffectDef `yaml:"effects"`
	// Paper is the paper the deck's sheets are set up for: "a4" or
	// "letter" (written in lower case whatever the codebook's case); empty
	// means A4.
	Paper string `yaml:"paper"`
}

// EffectDef is one effect of a flagged construct on another.
type EffectDef struct {
	Factor  string `yaml:"factor"`
	Outcome string `yaml:"outcome"`
}

// StudyDef is the codebook's study: block, which the report's Methodology
// states as written.
//
//	study:
//	  fieldwork: 5–19 March 2026
//	  population: Adults 18+ with internet access in DE, GB and US
//	  sample: Online access panel (quota sample)
//	  weighting: Raked to age × gender and education within country
type StudyDef struct {
	Fieldwork  string `yaml:"fieldwork"`
	Population string `yaml:"population"`
	Sample     string `yaml:"sample"`
	Weighting  string `yaml:"weighting"`
}

func reportKeys() []string { return []string{"title", "subtitle", "region_label", "effects", "paper"} }
func studyKeys() []string  { return []string{"fieldwork", "population", "sample", "weighting"} }

// report reads the report: block.
func (p *cbParser) report(n *yaml.Node) {
	if isNull(n) {
		return
	}
	if n.Kind != yaml.MappingNode {
		p.problem(n.Line, "report must be a mapping with keys such as title: and effects:")
		return
	}
	r := &p.cb.Report
	p.pairs(n, "report", func(key string, k, v *yaml.Node) {
		p.cb.lines["report."+key] = k.Line
		switch key {
		case "title":
			r.Title, _ = p.str(v, "report: title")
		case "subtitle":
			r.Subtitle, _ = p.str(v, "report: subtitle")
		case "region_label":
			r.RegionLabel, _ = p.str(v, "report: region_label")
		case "effects":
			r.Effects = p.effects(v)
		case "paper":
			paper, ok := p.str(v, "report: paper")
			switch lower := strings.ToLower(strings.TrimSpace(paper)); {
			case !ok || lower == "":
			case lower == "a4" || lower == "letter":
				r.Paper = lower
			default:
				p.problem(v.Line, "report: paper is %q; want a4 or letter", paper)
			}
		default:
			p.unknownKey(k, "report", reportKeys())
		}
	})
}

// effects reads report: effects:, a list of {factor, outcome} mappings.
func (p *cbParser) effects(n *yaml.Node) []EffectDef {
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		p.problem(n.Line, "report: effects must be a list such as [{factor: concern, outcome: comfort}]")
		return nil
	}
	var out []EffectDef
	for i, e := range n.Content {
		e = deref(e)
		where := fmt.Sprintf("report: effects: entry %d", i+1)
		if e.Kind != yaml.MappingNode {
			p.problem(e.Line, "%s must be a mapping such as {factor: concern, outcome: comfort}", where)
			continue
		}
		var ef EffectDef
		p.pairs(e, where, func(key string, k, v *yaml.Node) {
			switch key {
			case "factor":
				ef.Factor, _ = p.str(v, where+": factor")
			case "outcome":
				ef.Outcome, _ = p.str(v, where+": outcome")
			default:
				p.unknownKey(k, where, []string{"factor", "outcome"})
			}
		})
		if ef.Factor == "" || ef.Outcome == "" {
			p.problem(e.Line, "%s needs both factor: and outcome: (construct names)", where)
			continue
		}
		out = append(out, ef)
	}
	return out
}

// study reads the study: block.
func (p *cbParser) study(n *yaml.Node) {
	if isNull(n) {
		return
	}
	if n.Kind != yaml.MappingNode {
		p.problem(n.Line, "study must be a mapping with keys such as fieldwork: and population:")
		return
	}
	s := &p.cb.Study
	p.pairs(n, "study", func(key string, k, v *yaml.Node) {
		p.cb.lines["study."+key] = k.Line
		dst := map[string]*string{"fieldwork": &s.Fieldwork, "population": &s.Population, "sample": &s.Sample, "weighting": &s.Weighting}[key]
		if dst == nil {
			p.unknownKey(k, "study", studyKeys())
			return
		}
		*dst, _ = p.str(v, "study: "+key)
	})
}

// checkReport reports effects naming constructs the codebook lacks or
// constructs without a flag.
func (cb *Codebook) checkReport() []Problem {
	var out []Problem
	for i, e := range cb.Report.Effects {
		for _, name := range []string{e.Factor, e.Outcome} {
			def, ok := cb.Constructs[name]
			switch {
			case !ok:
				out = append(out, Problem{File: cb.fileName(), Line: cb.line("report.effects"),
					Msg: fmt.Sprintf("report: effects: entry %d names construct %q, which the codebook does not define%s", i+1, name, suggestKey(name, cb.constructNames()))})
			case def.Flag == "":
				out = append(out, Problem{File: cb.fileName(), Line: cb.line("report.effects"),
					Msg: fmt.Sprintf("report: effects: entry %d: construct %q has no flag: an effect compares flagged respondents", i+1, name)})
			}
		}
	}
	return out
}
