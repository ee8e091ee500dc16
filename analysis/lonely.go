package analysis

// SinglePSUStrata names the strata that have a single PSU and are not
// fully enumerated: those for which R's svydesign stops under
// options(survey.lonely.psu = "fail") and which the LonelyPSU rule
// decides. Names are as in the design's messages (quoted names, or codes).
func (d *Design) SinglePSUStrata() []string {
	out := make([]string, 0, len(d.single))
	for _, h := range d.single {
		out = append(out, d.stratumName(h))
	}
	return out
}
