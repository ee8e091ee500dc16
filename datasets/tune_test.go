package datasets

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"

	"github.com/trustgap/trustgap/analysis"
)

func TestTune(t *testing.T) {
	if os.Getenv("TUNE") == "" {
		t.Skip()
	}
	n, _ := strconv.Atoi(os.Getenv("TUNE_N"))
	seed, _ := strconv.ParseUint(os.Getenv("TUNE_SEED"), 10, 64)
	var buf bytes.Buffer
	if err := Generate(context.Background(), GenerateOptions{N: n, Seed: seed}, &buf); err != nil {
		t.Fatal(err)
	}
	ds := load(t, &buf, bytes.NewReader(Codebook()))
	res, err := analysis.Paradox(ds, analysis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tab := map[string]map[string]float64{}
	for _, r := range res.Estimates {
		if tab[r.Statistic] == nil {
			tab[r.Statistic] = map[string]float64{}
		}
		tab[r.Statistic][r.Domain.Level] = float64(r.Estimate)
	}
	for _, st := range []string{"concerned", "protects", "gap", "paradox_rate"} {
		fmt.Printf("%-13s", st)
		for _, l := range []string{"", "North America", "Europe", "Asia-Pacific", "Latin America", "Middle East & Africa", "Gen Z", "Millennials", "Gen X", "Boomers"} {
			fmt.Printf(" %6.3f", tab[st][l])
		}
		fmt.Println()
	}
	fmt.Printf("corr %.4f\n", float64(res.Correlation.Estimate))
	for _, it := range res.Items {
		if it.Domain.IsTotal() {
			fmt.Printf("%-20s concerned %.3f unconcerned %.3f\n", it.Item, float64(it.Concerned.Estimate), float64(it.Unconcerned.Estimate))
		}
	}
	w := ds.Weights
	gen := segmentColumn(t, ds, "generation")
	for _, c := range ds.Constructs {
		if c.Name != "protection" && c.Name != "sharing" {
			continue
		}
		var items [][]float64
		for _, it := range c.Items {
			items = append(items, it.Num)
			fmt.Printf("%-20s", it.Name)
			for _, g := range []string{"Gen Z", "Millennials", "Gen X", "Boomers"} {
				fmt.Printf(" %.3f", share(w, it.Num, level(t, gen, g)))
			}
			fmt.Println()
		}
		a, _, _ := analysis.CronbachAlpha(items)
		fmt.Printf("%s flag by gen:", c.Name)
		for _, g := range []string{"Gen Z", "Millennials", "Gen X", "Boomers"} {
			fmt.Printf(" %.3f", share(w, c.Flag, level(t, gen, g)))
		}
		fmt.Printf(" alpha %.3f\n", a)
	}
	checkToplines(t, ds, 0.02, 0.03)
}
