package analysis

import "flag"

// The package's golden tests read -update through flag.Lookup, so it is
// registered once here: with it, they re-run the R scripts that write the
// expected values under testdata/ (R and the survey package are needed
// only then).
var _ = flag.Bool("update", false, "re-run the R scripts that write the golden values under testdata/")
