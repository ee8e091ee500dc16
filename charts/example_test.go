package charts_test

import (
	"bytes"
	"fmt"
	"image/png"
	"log"
	"math"

	"github.com/trustgap/trustgap/charts"
	"gonum.org/v1/plot/vg"
)

// A report builder converts estimates into rows, builds the chart and
// saves it; a zero size takes the chart's suggested size.
func ExampleSayDoGap() {
	rows := []charts.GapRow{
		{Region: "Россия", Concern: charts.Interval{Est: 0.71, Lo: 0.66, Hi: 0.76}, Protects: charts.Interval{Est: 0.28, Lo: 0.24, Hi: 0.33}},
		{Region: "Türkiye", Concern: charts.Interval{Est: 0.64, Lo: 0.59, Hi: 0.69}, Protects: charts.Interval{Est: 0.35, Lo: 0.30, Hi: 0.40}},
		{Region: "São Paulo", Concern: charts.Interval{Est: 0.58, Lo: 0.50, Hi: 0.66}, Protects: charts.Interval{Est: 0.41, Lo: 0.34, Hi: 0.49}, LowBase: true},
		{Region: "Oceania", Concern: charts.Interval{Est: math.NaN()}, Protects: charts.Interval{Est: math.NaN()}},
		{Region: "Total", Concern: charts.Interval{Est: 0.67, Lo: 0.65, Hi: 0.69}, Protects: charts.Interval{Est: 0.39, Lo: 0.37, Hi: 0.41}, Total: true},
	}
	ch, err := charts.SayDoGap(rows, charts.Options{MinBase: 30, Notes: []string{"Source: trustgap survey."}})
	if err != nil {
		log.Fatal(err)
	}
	var buf bytes.Buffer
	if err := charts.Save(ch, &buf, charts.PNG, 0, 0); err != nil {
		log.Fatal(err)
	}
	cfg, err := png.DecodeConfig(&buf)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ch.Title)
	fmt.Printf("%d×%d px\n", cfg.Width, cfg.Height)
	for _, n := range ch.Notes {
		fmt.Println(n)
	}
	// Output:
	// The say-do gap: privacy concern and protective behaviour by region
	// 1050×637 px
	// Whiskers show 95% confidence intervals.
	// * Base below 30 respondents (hollow dots); interpret with caution.
	// Source: trustgap survey.
}

// Save takes a format from a file name or flag and any size.
func ExampleSave() {
	ch, err := charts.ComfortByDataType([]charts.BarRow{
		{Label: "Purchase history", Value: charts.Interval{Est: 0.48, Lo: 0.45, Hi: 0.51}},
		{Label: "Location", Value: charts.Interval{Est: 0.22, Lo: 0.19, Hi: 0.25}},
	}, charts.Options{})
	if err != nil {
		log.Fatal(err)
	}
	f, err := charts.ParseFormat(".svg")
	if err != nil {
		log.Fatal(err)
	}
	var buf bytes.Buffer
	if err := charts.Save(ch, &buf, f, 6*vg.Inch, 3*vg.Inch); err != nil {
		log.Fatal(err)
	}
	fmt.Println(bytes.Contains(buf.Bytes(), []byte(`width="432pt" height="216pt"`)))
	// Output: true
}

// MissingGlyphs flags labels the chart typeface cannot set.
func ExampleMissingGlyphs() {
	for _, label := range []string{"Россия", "Türkiye", "São Paulo", "北京"} {
		fmt.Printf("%s: %q\n", label, charts.MissingGlyphs(label))
	}
	// Output:
	// Россия: []
	// Türkiye: []
	// São Paulo: []
	// 北京: ['北' '京']
}
