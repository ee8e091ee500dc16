package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"slices"

	"github.com/spf13/cobra"

	"github.com/trustgap/trustgap/analysis"
	"github.com/trustgap/trustgap/reports"
	"github.com/trustgap/trustgap/survey"
)

// addTargetsFlag adds --targets, which calibrates the design of an
// analysis command to population margins.
func addTargetsFlag(cmd *cobra.Command, o *studyOptions) {
	cmd.Flags().StringVar(&o.Targets, "targets", "", "calibrate the design to population margins in `YAML` (margins: {COLUMN: {LEVEL: share}}), as R's rake(); replaces the codebook's weighting:")
	_ = cmd.MarkFlagFilename("targets", "yaml", "yml")
}

// weighting returns the calibration the study asks for: --targets, else
// the codebook's weighting: block, else nil.
func (o *studyOptions) weighting(cb *survey.Codebook) (*survey.WeightingDef, error) {
	if o.Targets == "" {
		return cb.Weighting, nil
	}
	f, err := os.Open(o.Targets)
	if err != nil {
		return nil, fmt.Errorf("targets: %w", err)
	}
	defer f.Close()
	return survey.ParseTargets(f, o.Targets)
}

// withWeighting makes lo load the margins' columns as categorical.
func withWeighting(lo survey.LoadOptions, wd *survey.WeightingDef) survey.LoadOptions {
	if wd == nil {
		return lo
	}
	for _, c := range wd.Columns() {
		if !slices.Contains(lo.Extra, c) {
			lo.Extra = append(lo.Extra, c)
		}
		if !slices.Contains(lo.Categorical, c) {
			lo.Categorical = append(lo.Categorical, c)
		}
	}
	return lo
}

// calibrateDesign rakes d to wd's margins on ds, as R's rake() inside the
// design (analysis.Design.Calibrate).
func calibrateDesign(ctx context.Context, d *analysis.Design, ds *survey.Dataset, wd *survey.WeightingDef, source string) (*analysis.Design, error) {
	margins, err := marginsOf(ds, wd, source)
	if err != nil {
		return nil, err
	}
	var cd *analysis.Design
	if len(wd.Bounds) == 2 {
		cd, err = d.CalibrateBounded(margins, [2]float64{wd.Bounds[0], wd.Bounds[1]}, analysis.CalibrationOptions{Total: wd.Total, Context: ctx})
	} else {
		cd, err = d.Calibrate(margins, analysis.CalibrationOptions{Total: wd.Total, Context: ctx})
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	return cd, nil
}

// marginsOf matches wd's margins to the dataset's columns: every level in
// the data needs a share, and every share a level in the data.
func marginsOf(ds *survey.Dataset, wd *survey.WeightingDef, source string) ([]analysis.Margin, error) {
	var out []analysis.Margin
	for _, md := range wd.Rake {
		col, ok := ds.Columns[md.Column]
		if !ok && ds.Region != nil && ds.Region.Name == md.Column {
			col, ok = ds.Region, true
		}
		if !ok || col == nil {
			return nil, fmt.Errorf("%s: margin %q is not a column of the data", source, md.Column)
		}
		m := analysis.Margin{Var: md.Column, Codes: col.Codes, Levels: col.Levels, Targets: make([]float64, len(col.Levels))}
		for k, l := range col.Levels {
			share, ok := md.Share(l)
			if !ok {
				return nil, fmt.Errorf("%s: %s level %q occurs in the data but has no population share", source, md.Column, l)
			}
			m.Targets[k] = share
		}
		for k, l := range md.Levels {
			if !slices.Contains(col.Levels, l) && md.Shares[k] > 0 {
				return nil, fmt.Errorf("%s: %s level %q does not occur in the data (levels: %q)", source, md.Column, l, col.Levels)
			}
		}
		if s := sum(m.Targets); math.Abs(s-1) > 1e-6 {
			return nil, fmt.Errorf("%s: the shares of the levels of %s found in the data sum to %v, not 1", source, md.Column, s)
		}
		out = append(out, m)
	}
	return out, nil
}

func sum(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v
	}
	return s
}

// calibrationJSON states how a design was calibrated.
type calibrationJSON struct {
	Method             string                        `json:"method"` // R's call
	Margins            map[string]map[string]float64 `json:"margins"`
	Order              []string                      `json:"margin_order"`
	Total              float64                       `json:"total"`
	Iterations         int                           `json:"iterations"`
	MaxMarginError     float64                       `json:"max_margin_error"`
	Efficiency         float64                       `json:"weighting_efficiency"`
	InputEfficiency    float64                       `json:"input_weighting_efficiency"`
	MinWeight          float64                       `json:"min_weight"`
	MaxWeight          float64                       `json:"max_weight"`
	VarianceConvention string                        `json:"variance"`
}

// rakeCall is the R call a calibrated design equals.
const rakeCall = "rake(design, margins, population totals = shares × Σ input weights, control = list(maxit = 1000, epsilon = 1e-13))"

func newCalibrationJSON(d *analysis.Design) *calibrationJSON {
	c, ok := d.Calibrated()
	if !ok {
		return nil
	}
	method, variance := rakeCall, "rake()'s: influence values residualized on the margins (ten sweeps, as svyrecvar) before the between-PSU variance"
	if c.Bounds[1] > 0 {
		method = fmt.Sprintf("calibrate(design, margins, population, calfun = \"raking\", bounds = c(%g, %g) * mean(weights), bounds.const = TRUE)", c.Bounds[0], c.Bounds[1])
		variance = "calibrate()'s: residuals of the influence values on the margins' model matrix (svyrecvar's greg_calibration)"
	}
	out := &calibrationJSON{Method: method, Margins: map[string]map[string]float64{}, Total: c.Total,
		Iterations: c.Diagnostics.Iterations, MaxMarginError: c.Diagnostics.MaxMarginError,
		Efficiency: c.Diagnostics.Efficiency, InputEfficiency: c.InputEfficiency,
		MinWeight: c.Diagnostics.MinWeight, MaxWeight: c.Diagnostics.MaxWeight,
		VarianceConvention: variance}
	for _, m := range c.Margins {
		out.Order = append(out.Order, m.Var)
		out.Margins[m.Var] = map[string]float64{}
		for k, l := range m.Levels {
			out.Margins[m.Var][l] = m.Targets[k]
		}
	}
	return out
}

// calibrationTable lists a calibrated design's margins and convergence;
// nil for a design that is not calibrated.
func calibrationTable(d *analysis.Design) *reports.Table {
	c, ok := d.Calibrated()
	if !ok {
		return nil
	}
	title := "Calibration (raked as R's rake(); SEs account for it)"
	if c.Bounds[1] > 0 {
		title = fmt.Sprintf("Calibration (bounded raking to [%g, %g] × the mean weight, as R's calibrate(); SEs account for it)", c.Bounds[0], c.Bounds[1])
	}
	t := reports.NewTable(title, reports.TextCol("Margin"), reports.TextCol("Level"), reports.PercentCol("Population share"))
	for _, m := range c.Margins {
		for k, l := range m.Levels {
			t.AddRow(reports.Str(m.Var), reports.Str(l), reports.Num(m.Targets[k]))
		}
	}
	t.Notes = append(t.Notes, fmt.Sprintf("Converged in %d iterations (largest margin error %.2g); weighting efficiency %.1f%% after calibration, %.1f%% before; weights %.4g to %.4g.",
		c.Diagnostics.Iterations, c.Diagnostics.MaxMarginError, 100*c.Diagnostics.Efficiency, 100*c.InputEfficiency, c.Diagnostics.MinWeight, c.Diagnostics.MaxWeight))
	return t
}

// designTables is the design table, and the calibration's when the design
// is calibrated.
func designTables(d *analysis.Design) []*reports.Table {
	out := []*reports.Table{designTable(d)}
	if t := calibrationTable(d); t != nil {
		out = append(out, t)
	}
	return out
}

// The analyses' JSON states the design they ran on, as estimate's does:
// "design": {n, strata, psus, degf, calibration}, the calibration block
// (margins, convergence, weighting efficiency, R call) present when the
// design is calibrated. Each wraps the analysis's result, whose fields
// come first.
type (
	describeJSON struct {
		*analysis.DescribeResult
		Design designJSON `json:"design"`
	}
	paradoxJSON struct {
		*analysis.ParadoxResult
		Design designJSON `json:"design"`
	}
	effectJSON struct {
		*analysis.EffectResult
		Design designJSON `json:"design"`
	}
	segmentsJSON struct {
		*analysis.SegmentsResult
		Design designJSON `json:"design"`
	}
	compareOutJSON struct {
		*analysis.CompareResult
		Design designJSON `json:"design"`
	}
)

// withCalibration is tables followed by the calibration table of a
// calibrated design (text and markdown output state the raking as
// estimate's do); tables itself for another design.
func withCalibration(tables []*reports.Table, d *analysis.Design) []*reports.Table {
	t := calibrationTable(d)
	if t == nil {
		return tables
	}
	return append(tables[:len(tables):len(tables)], t)
}
