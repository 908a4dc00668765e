package i18n

import "strings"

// Lang is a language confbot speaks, as a lower-case ISO 639-1 code.
type Lang string

// The languages confbot ships catalogues for. VI is the default (SPEC F9).
const (
	VI Lang = "vi"
	EN Lang = "en"
)

// Languages lists the supported languages, default first. It returns a fresh
// slice so callers may modify it.
func Languages() []Lang { return []Lang{VI, EN} }

// ParseLang reads a language from what a person typed (`/lang en`) or from
// Telegram's language_code, which is an IETF tag such as "en-US": only the
// primary subtag counts and case is ignored. It returns VI and false when s
// names no supported language, so callers can use the default directly.
func ParseLang(s string) (Lang, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "-_"); i >= 0 {
		s = s[:i]
	}
	switch Lang(s) {
	case VI:
		return VI, true
	case EN:
		return EN, true
	}
	return VI, false
}

// known reports whether l has a catalogue; T and friends treat any other
// value as VI.
func (l Lang) known() bool { return l == VI || l == EN }
