package main

import (
	"errors"
	"fmt"
	"testing"

	"github.com/spf13/cobra"

	"github.com/trustgap/trustgap/analysis"
	"github.com/trustgap/trustgap/survey"
)

func TestWithFlagHints(t *testing.T) {
	s, _, _, _ := TestStreams()
	describe := NewCmdDescribe(s, nil)
	bare := &cobra.Command{Use: "bare"} // has none of the flags
	lonely := fmt.Errorf("a.csv: %w", &analysis.LonelyPSUError{Stratum: `"s2"`})
	plain := errors.New("plain")
	tests := []struct {
		name string
		cmd  *cobra.Command
		err  error
		want string
	}{
		{"lonely", describe, lonely, lonely.Error() + "\n(" + flagHints[3].hint + ")"},
		{"lonely, no such flag", bare, lonely, lonely.Error()},
		{"unzip", describe, &survey.UnzipLimitError{Limit: 1 << 20}, "workbook larger than the 1 MiB unzip limit\n(--max-unzip-mb raises the unzip limit)"},
		{"plain", describe, plain, "plain"},
	}
	for _, tt := range tests {
		got := withFlagHints(tt.cmd, tt.err)
		if got.Error() != tt.want {
			t.Errorf("%s: withFlagHints = %q, want %q", tt.name, got.Error(), tt.want)
		}
		if !errors.Is(got, tt.err) {
			t.Errorf("%s: withFlagHints lost the error for errors.Is", tt.name)
		}
	}
}
