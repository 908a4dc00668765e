package domain

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxCodeLen is the longest unit code, in characters. A Vietnamese capital
// with marks takes at most 3 bytes, so a code fits in 48 bytes: with a
// button's prefix ("pr:" … ":1") it stays within Telegram's 64-byte callback
// data.
const MaxCodeLen = 16

// NormalizeCode is how a code is stored: trimmed and in NFC, so that a file
// typed with combining marks names the same unit as one typed precomposed.
func NormalizeCode(s string) string { return norm.NFC.String(strings.TrimSpace(s)) }

// ValidCode reports whether s (normalised) is a unit code: 1 to MaxCodeLen
// of upper-case letters (Đ and the Vietnamese vowels with their marks
// included), digits and _.
func ValidCode(s string) bool {
	n := utf8.RuneCountInString(s)
	if n < 1 || n > MaxCodeLen || s != norm.NFC.String(s) {
		return false
	}
	for _, r := range s {
		switch {
		case r == '_', r >= '0' && r <= '9':
		case unicode.IsUpper(r):
			// A Latin capital, perhaps with Vietnamese marks: it folds to A-Z.
			if f := FoldCode(string(r)); len(f) != 1 || f[0] < 'A' || f[0] > 'Z' {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// FoldCode is the form in which typed codes are compared: marks removed, Đ
// read as D, upper case. "nd", "ND" and "NĐ" all fold to "ND".
func FoldCode(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.TrimSpace(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue // a combining mark: the tone or the vowel's hat, breve or horn
		case r == 'đ' || r == 'Đ':
			r = 'D'
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}

// LookupUnit finds a member unit or guest by a code as a person typed it: in
// any case, with or without its marks. An exact match wins, so that a
// conference is never ambiguous (the file parser refuses two codes that
// fold alike).
func (c *Conference) LookupUnit(typed string) (Unit, bool) {
	if u, ok := c.Unit(NormalizeCode(typed)); ok {
		return u, true
	}
	folded := FoldCode(typed)
	for _, list := range [][]Unit{c.Units, c.Guests} {
		for _, u := range list {
			if FoldCode(u.Code) == folded {
				return u, true
			}
		}
	}
	return Unit{}, false
}

// CodeOf returns the code of the unit a person typed, or the typed text in
// upper case when no unit matches, for the caller to refuse by name.
func (c *Conference) CodeOf(typed string) string {
	if u, ok := c.LookupUnit(typed); ok {
		return u.Code
	}
	return strings.ToUpper(NormalizeCode(typed))
}

// ResolveCodes returns v with every typed unit code replaced by the code of
// the unit it names (see CodeOf); codes naming no unit are kept for the
// vote's checks to refuse.
func (c *Conference) ResolveCodes(v Vote) Vote {
	out := Vote{Picks: make([]string, len(v.Picks))}
	if v.Approve != nil {
		out.Approve = make(map[string]Choice, len(v.Approve))
		for code, choice := range v.Approve {
			out.Approve[c.CodeOf(code)] = choice
		}
	}
	for i, code := range v.Picks {
		out.Picks[i] = c.CodeOf(code)
	}
	if v.Picks == nil {
		out.Picks = nil
	}
	return out
}
