package survey

import (
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
)

// Respondents in two files: a study stacked from several files (waves,
// countries) must not count anyone twice, and the same file given twice
// must not double the sample. Load checks that no respondent id of one
// file is in another, without keeping the ids themselves: each file's ids
// are kept as 64-bit hashes with their rows (16 bytes a respondent, and
// only when there are several files), sorted, and matched against the
// earlier files'. Duplicates within one file are Validate's to list. The
// messages give rows only, never the id (it can be an e-mail address).

// idRef is one respondent's id hash and spreadsheet row.
type idRef struct {
	h   uint64
	row int
}

// idChecker collects the ids of the file being read and compares them
// with the earlier files'.
type idChecker struct {
	files []string
	ids   [][]idRef // per earlier file, sorted by h
	cur   []idRef
}

func hashID(s string) uint64 {
	f := fnv.New64a()
	_, _ = f.Write([]byte(s))
	return f.Sum64()
}

// add records the current file's respondent at row with id (trimmed; an
// empty id is not compared).
func (c *idChecker) add(id string, row int) {
	id = strings.TrimSpace(id)
	if id == "" {
		return
	}
	c.cur = append(c.cur, idRef{hashID(id), row})
}

// endFile finishes file: the first of its rows whose id an earlier file
// has, as a problem naming both files and rows.
func (c *idChecker) endFile(file, column string) []Problem {
	cur := c.cur
	c.cur = nil
	slices.SortFunc(cur, func(a, b idRef) int {
		if a.h != b.h {
			if a.h < b.h {
				return -1
			}
			return 1
		}
		return a.row - b.row
	})
	var probs []Problem
	for k, prev := range c.ids {
		first, firstPrev, matches := 0, 0, 0
		i, j := 0, 0
		for i < len(cur) && j < len(prev) {
			switch {
			case cur[i].h < prev[j].h:
				i++
			case cur[i].h > prev[j].h:
				j++
			default:
				matches++
				if first == 0 || cur[i].row < first {
					first, firstPrev = cur[i].row, prev[j].row
				}
				i++
			}
		}
		if matches == 0 {
			continue
		}
		msg := fmt.Sprintf("respondent id also in %s row %d (the id is not shown): a respondent in two files", c.files[k], firstPrev)
		// The way forward for files that each number their respondents
		// from 1 (waves, countries), said last so the finding comes first.
		hint := "; if each file numbers its respondents afresh (waves whose ids restart at 1), add id_scope: file to the codebook's design:"
		if matches == len(cur) && len(cur) == len(prev) {
			msg = fmt.Sprintf("every respondent id is also in %s (first at row %d; ids not shown): the same file given twice?", c.files[k], firstPrev)
		} else if matches > 1 {
			msg += fmt.Sprintf("; %d ids of this file are in %s", matches, c.files[k])
		}
		msg += hint
		probs = append(probs, Problem{File: file, Row: first, Column: column, Msg: msg})
	}
	c.files = append(c.files, file)
	c.ids = append(c.ids, cur)
	return probs
}
