package bot

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Telegram's length limits, in characters. Telegram counts UTF-16 code units
// (an emoji outside the Basic Multilingual Plane counts twice), so the
// splitter measures in those units: it can only err on the short side.
const (
	MessageLimit = 4096
	CaptionLimit = 1024
)

// SplitText cuts text into parts of at most limit UTF-16 code units each
// (limit <= 0 means MessageLimit). Each part ends at the last line break that
// fits; a single line longer than the limit is cut at its last space that
// fits, and a line without such a space at a rune boundary, so no rune and no
// surrogate pair is ever split. The line break or space at a cut is dropped,
// since Telegram trims it anyway, and parts that would be only white space
// are left out because Telegram rejects empty messages. A text that fits is
// returned unchanged as the only part (even when empty).
func SplitText(text string, limit int) []string {
	if limit <= 0 {
		limit = MessageLimit
	}
	if utf16Len(text) <= limit {
		return []string{text}
	}
	var parts []string
	rest := text
	for utf16Len(rest) > limit {
		prefix := prefixWithin(rest, limit)
		part, next := cutAt(rest, prefix)
		if strings.TrimSpace(part) != "" {
			parts = append(parts, part)
		}
		rest = next
	}
	if strings.TrimSpace(rest) != "" {
		parts = append(parts, rest)
	}
	if len(parts) == 0 {
		// Only white space, longer than the limit: one part that fits.
		return []string{prefixWithin(text, limit)}
	}
	return parts
}

// cutAt chooses where to end the next part inside prefix (a prefix of rest
// that fits): at its last line break (or one just after it), else its last
// space, else its end. It returns the part and what remains after the cut;
// blank lines at a cut are dropped with it.
func cutAt(rest, prefix string) (part, next string) {
	if strings.HasPrefix(rest[len(prefix):], "\n") || strings.HasPrefix(rest[len(prefix):], "\r\n") {
		return strings.TrimRight(prefix, "\r\n"), strings.TrimLeft(rest[len(prefix):], "\r\n")
	}
	if i := strings.LastIndexByte(prefix, '\n'); i >= 0 {
		return strings.TrimRight(prefix[:i], "\r\n"), strings.TrimLeft(rest[i+1:], "\r\n")
	}
	if i := strings.LastIndexAny(prefix, " \t"); i > 0 {
		return prefix[:i], rest[i+1:]
	}
	return prefix, rest[len(prefix):]
}

// prefixWithin returns the longest prefix of s, ending on a rune boundary,
// that is at most limit UTF-16 code units long. limit must be positive; a
// first rune of two units with limit 1 still yields one rune, so that the
// splitter always makes progress.
func prefixWithin(s string, limit int) string {
	units := 0
	for i, r := range s {
		n := utf16.RuneLen(r)
		if n < 0 {
			n = 1 // invalid UTF-8 decodes to U+FFFD, one unit
		}
		if units+n > limit {
			if i == 0 {
				_, size := utf8.DecodeRuneInString(s)
				return s[:size]
			}
			return s[:i]
		}
		units += n
	}
	return s
}

// utf16Len is the length of s as Telegram counts it.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if l := utf16.RuneLen(r); l > 0 {
			n += l
		} else {
			n++
		}
	}
	return n
}
