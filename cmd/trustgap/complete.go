package main

import (
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/trustgap/trustgap/survey"
)

// nameKind says which codebook names a flag completes.
type nameKind int

const (
	domainNames   nameKind = iota // region and segments (--by)
	flaggedNames                  // constructs with a flag (--factor, --outcome)
	variableNames                 // every column and construct (--rows, --cols, --mean)
)

// completeNames completes a flag with names from the study's codebook:
// the one given with --codebook, else the embedded study's. Each name
// comes with its label where the codebook gives one. A comma-separated
// list (--by region,gen…) completes its last element.
func completeNames(o *studyOptions, kind nameKind) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		cb, err := o.codebook()
		if err != nil || cb == nil {
			return nil, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveError
		}
		prefix := ""
		if kind == domainNames {
			if i := strings.LastIndexByte(toComplete, ','); i >= 0 {
				prefix, toComplete = toComplete[:i+1], toComplete[i+1:]
			}
		}
		var out []cobra.Completion
		for _, n := range codebookNames(cb, kind) {
			if strings.HasPrefix(n.name, toComplete) && !strings.Contains(","+prefix, ","+n.name+",") {
				out = append(out, cobra.CompletionWithDesc(prefix+n.name, n.desc))
			}
		}
		dir := cobra.ShellCompDirectiveNoFileComp
		if kind == domainNames {
			dir |= cobra.ShellCompDirectiveNoSpace // room for ",another"
		}
		return out, dir
	}
}

type codebookName struct{ name, desc string }

// codebookNames lists the names of kind the codebook defines, in the
// codebook's order.
func codebookNames(cb *survey.Codebook, kind nameKind) []codebookName {
	var out []codebookName
	seen := map[string]bool{}
	add := func(name, desc string) {
		if name != "" && !seen[name] {
			seen[name] = true
			out = append(out, codebookName{name, desc})
		}
	}
	constructs := func(flagged bool) {
		order := cb.ConstructOrder
		if len(order) == 0 {
			for n := range cb.Constructs {
				order = append(order, n)
			}
			sort.Strings(order)
		}
		for _, n := range order {
			def := cb.Constructs[n]
			if flagged && def.Flag == "" {
				continue
			}
			desc := def.Label
			if def.Flag != "" {
				desc = strings.TrimSpace(desc + " (flag " + def.Flag + ")")
			}
			add(n, desc)
		}
	}
	switch kind {
	case domainNames:
		if cb.Region != "" {
			add("region", "the region: "+cb.Region)
		}
		for _, s := range cb.Segments {
			add(s, "segment")
		}
	case flaggedNames:
		constructs(true)
	case variableNames:
		if cb.Region != "" {
			add("region", "the region: "+cb.Region)
		}
		for _, s := range cb.Segments {
			add(s, "segment")
		}
		constructs(false)
		names := make([]string, 0, len(cb.Columns))
		for n := range cb.Columns {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			add(n, cb.Labels[n])
		}
	}
	return out
}
