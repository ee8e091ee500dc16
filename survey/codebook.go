package survey

// Codebook is the YAML contract every command reads. See the README for the
// format; ParseCodebook checks it.
type Codebook struct {
	Title      string                  `yaml:"title"`
	Missing    []string                `yaml:"missing"`
	HeaderRows int                     `yaml:"header_rows"` // 2 for SurveyMonkey's two-row header
	Columns    map[string][]string     `yaml:"columns"`     // logical name -> raw names; first present wins
	Design     DesignDef               `yaml:"design"`
	Region     string                  `yaml:"region"`
	Segments   []string                `yaml:"segments"`
	Constructs map[string]ConstructDef `yaml:"constructs"`
	// ConstructOrder lists construct names in the order the YAML gives them.
	ConstructOrder []string `yaml:"-"`
}

// DesignDef names the design columns (logical or raw names).
type DesignDef struct {
	ID     string `yaml:"id"`
	Weight string `yaml:"weight"`
	Strata string `yaml:"strata"`
	PSU    string `yaml:"psu"`
	FPC    string `yaml:"fpc"`
}

// ConstructDef defines a construct: its items, how text answers map to
// numbers, the item scale, reverse-coded items, the score and the flag.
type ConstructDef struct {
	Items    []string           `yaml:"items"`
	Values   map[string]float64 `yaml:"values"`
	Scale    []float64          `yaml:"scale"` // [min, max]
	Reverse  []string           `yaml:"reverse"`
	Score    string             `yaml:"score"` // mean (default) | sum | count
	Flag     string             `yaml:"flag"`  // "OP NUMBER"
	MinItems int                `yaml:"min_items"`
}
