package survey

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// Names that look alike: a column or key typed with a letter of another
// script ("pс1" with a Cyrillic с, pasted from a document) matches nothing
// and looks, in the message, exactly like the name it should be. The
// messages point the letter out.

// scripts are the scripts whose letters pass for Latin ones.
var scripts = []struct {
	name  string
	table *unicode.RangeTable
}{
	{"Cyrillic", unicode.Cyrillic},
	{"Greek", unicode.Greek},
	{"Armenian", unicode.Armenian},
	{"Cherokee", unicode.Cherokee},
	{"Latin", unicode.Latin},
}

// scriptOf names r's script, "fullwidth" for fullwidth forms, or "".
func scriptOf(r rune) string {
	if r >= 0xFF01 && r <= 0xFF5E {
		return "fullwidth"
	}
	for _, s := range scripts {
		if unicode.Is(s.table, r) {
			return s.name
		}
	}
	return ""
}

// lookAlike returns a note such as `; "pс1" has a Cyrillic "с" at
// position 2` for the first letter of name that is not ASCII while the
// rest of it is, or while near (the suggested name, "" if none) has an
// ASCII letter there; else "". Positions count characters from 1.
func lookAlike(name, near string) string {
	nonASCII := 0
	for _, r := range name {
		if r >= utf8.RuneSelf {
			nonASCII++
		}
	}
	if nonASCII == 0 {
		return ""
	}
	nr := []rune(near)
	pos := 0
	for _, r := range name {
		pos++
		if r < utf8.RuneSelf || !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			continue
		}
		// A name mostly in another script is that script's, not a slip.
		if near == "" && nonASCII*2 > utf8.RuneCountInString(name) {
			return ""
		}
		if near != "" && (len(nr) != utf8.RuneCountInString(name) || nr[pos-1] >= utf8.RuneSelf) {
			continue
		}
		what := "non-ASCII"
		if s := scriptOf(r); s == "fullwidth" {
			what = "fullwidth"
		} else if s != "" {
			what = s
		}
		return fmt.Sprintf("; %q has a %s %q at position %d", name, what, string(r), pos)
	}
	return ""
}
