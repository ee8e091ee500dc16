package survey

// Codebook is the YAML contract every command reads. See the README for the
// format; ParseCodebook reads and checks it.
type Codebook struct {
	Title string `yaml:"title"`
	// Missing lists raw values (compared after trimming spaces) read as
	// missing in every column. Empty cells are always missing.
	Missing []string `yaml:"missing"`
	// HeaderRows is 2 for SurveyMonkey's two-row header; 0 means 1. The
	// file readers use it (ReadOptions); Load does not.
	HeaderRows int `yaml:"header_rows"`
	// DecimalComma says the files write numbers with a decimal comma
	// (1,5), whatever their delimiter; the file readers use it
	// (ReadOptions.DecimalComma), Load does not.
	DecimalComma bool                    `yaml:"decimal_comma"`
	Columns      map[string][]string     `yaml:"columns"` // logical name -> raw names; first present wins
	Design       DesignDef               `yaml:"design"`
	Region       string                  `yaml:"region"`
	Segments     []string                `yaml:"segments"`
	Constructs   map[string]ConstructDef `yaml:"constructs"`
	// Levels orders the levels of categorical columns (region, segments):
	// listed levels first, in the given order, then any others as first
	// seen. Tables and charts follow it.
	Levels map[string][]string `yaml:"levels"`
	// Labels gives a column (an item) the question text shown in reports,
	// overriding any label the file carries, or gives a level of a
	// categorical column (region, segments) the name shown for it
	// ("DE: Germany" renames the level DE wherever it occurs). A key that
	// is neither a column nor a level is a problem.
	Labels map[string]string `yaml:"labels"`
	// LevelLabels names the levels of one column:
	// `labels: {country: {DE: Germany}}`; each key must be a level.
	LevelLabels map[string]map[string]string `yaml:"level_labels,omitempty"`
	// Bands cuts a numeric column used as region or segment into bands at
	// the given lower bounds ([18, 25, 65]: "under 18", "18–24",
	// "25–64", "65+"); it is then categorical, its levels in band order.
	Bands map[string][]float64 `yaml:"bands"`
	// AllowPII lists columns (logical or raw names) that may be published
	// although their values look like personal data (see PIIScanner):
	// without it Load refuses such a column as region, segment, stratum or
	// any column an analysis groups or labels by. Listing a column says its
	// owner has checked that publishing its values is intended and lawful.
	AllowPII []string `yaml:"allow_pii"`
	// Report and Study are the report: and study: blocks (see ReportDef
	// and StudyDef).
	Report ReportDef `yaml:"report" json:",omitzero"`
	Study  StudyDef  `yaml:"study" json:",omitzero"`
	// Weighting, when set, calibrates the design to population margins
	// (the weighting: block; see WeightingDef).
	Weighting *WeightingDef `yaml:"-" json:",omitempty"`
	// ConstructOrder lists construct names in the order the YAML gives them.
	ConstructOrder []string `yaml:"-"`

	// name is the file name used in messages about the codebook.
	name string
	// parseProblems are problems only the YAML shows (unknown or duplicate
	// keys, values of the wrong type); Validate reports them with the rest.
	parseProblems []Problem
	// lines maps a key path ("constructs.concern.scale") to its YAML line.
	lines map[string]int
}

// DesignDef names the design columns (logical or raw names).
type DesignDef struct {
	ID     string `yaml:"id"`
	Weight string `yaml:"weight"`
	Strata string `yaml:"strata"`
	PSU    string `yaml:"psu"`
	FPC    string `yaml:"fpc"`
	// IDScope is where an ID is unique: "study" (the default: no
	// respondent id may be in two files) or "file" (each file numbers its
	// respondents afresh, as waves whose ids restart at 1: duplicates
	// are looked for within each file only).
	IDScope string `yaml:"id_scope"`
}

// ConstructDef defines a construct: its items, how text answers map to
// numbers, the item scale, reverse-coded items, the score and the flag.
type ConstructDef struct {
	// Label names the construct in reports ("Privacy concern"); empty
	// means its name.
	Label    string             `yaml:"label" json:",omitempty"`
	Items    []string           `yaml:"items"`
	Values   map[string]float64 `yaml:"values"`
	Scale    []float64          `yaml:"scale"` // [min, max]
	Reverse  []string           `yaml:"reverse"`
	Score    string             `yaml:"score"` // mean (default) | sum | count
	Flag     string             `yaml:"flag"`  // "OP NUMBER"
	MinItems int                `yaml:"min_items"`
}
