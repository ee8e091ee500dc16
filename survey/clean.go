package survey

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// CleanLabel returns a label (a level, a column's question text, a
// codebook label or title) as it is safe to show: without byte order
// marks, C0 and C1 control characters (NUL, ESC and the rest, which
// terminals obey and XML forbids), bidirectional embeddings, overrides
// and isolates (which reorder the text around them: "Trojan Source"),
// zero-width characters, and invalid UTF-8 are removed; tabs and line
// breaks become spaces, runs of spaces one, and the ends are trimmed. Text that needs
// none of this is returned as is, without allocating.
func CleanLabel(s string) string {
	if !needsClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1, dropped(r):
			continue
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case unicode.IsControl(r):
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// dropped reports format characters removed from labels outright.
func dropped(r rune) bool {
	switch {
	case r == '\uFEFF', // byte order mark, zero-width no-break space
		r >= '\u200B' && r <= '\u200F', // zero-width space, joiners, LRM, RLM
		r >= '\u202A' && r <= '\u202E', // bidi embeddings and overrides
		r >= '\u2066' && r <= '\u2069', // bidi isolates
		r == '\u2028' || r == '\u2029', // line and paragraph separators
		r == '\u061C':                  // Arabic letter mark
		return true
	}
	return false
}

func needsClean(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return true
	}
	prevSpace := false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7F || (c == ' ' && prevSpace) {
				return true
			}
			prevSpace = c == ' '
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || dropped(r) || unicode.IsControl(r) || unicode.IsSpace(r) {
			return true
		}
		prevSpace = false
		i += size
	}
	return false
}

// cleanLevels cleans a categorical column's level names and merges levels
// that become the same ("North" and "North" with a byte order mark), so
// that one answer is one level.
func cleanLevels(c *Column) {
	dirty := false
	for _, l := range c.Levels {
		if needsClean(l) {
			dirty = true
			break
		}
	}
	if !dirty {
		return
	}
	index := make(map[string]int32, len(c.Levels))
	remap := make([]int32, len(c.Levels))
	var levels []string
	merged := false
	for k, l := range c.Levels {
		l = CleanLabel(l)
		if j, ok := index[l]; ok {
			remap[k] = j
			merged = true
			continue
		}
		index[l] = int32(len(levels))
		remap[k] = int32(len(levels))
		levels = append(levels, l)
	}
	c.Levels = levels
	if !merged {
		return
	}
	for i, code := range c.Codes {
		if code >= 0 {
			c.Codes[i] = remap[code]
		}
	}
}
