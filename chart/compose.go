package chart

import (
	"slices"
	"strings"
)

// composeVietnamese rewrites letters typed as a vowel followed by combining
// marks (what Windows keyboards in "Unicode tổ hợp" mode and some PDFs
// produce) into the precomposed letters the font draws well. The renderer
// draws one glyph per rune with no shaping, so a decomposed "ế" would stack
// a circumflex and an acute on top of each other; precomposed, it is one
// glyph the type designer placed. Marks are put in canonical order first
// (horn, dot below, then the marks above), as Unicode's NFC does, so any
// typing order gives the same letter; marks that compose with nothing are
// kept.
func composeVietnamese(s string) string {
	if !strings.ContainsFunc(s, isCombiningMark) {
		return s
	}
	in := []rune(s)
	out := make([]rune, 0, len(in))
	for i := 0; i < len(in); {
		if !isCombiningMark(in[i]) {
			out = append(out, in[i])
			i++
			continue
		}
		end := i
		for end < len(in) && isCombiningMark(in[end]) {
			end++
		}
		marks := slices.Clone(in[i:end])
		slices.SortStableFunc(marks, func(a, b rune) int { return combiningClass(a) - combiningClass(b) })
		out = composeMarks(out, marks)
		i = end
	}
	return string(out)
}

// composeMarks appends marks (in canonical order) to out, folding each into
// the letter before them when a precomposed letter exists and no kept mark
// of the same class stands between them (Unicode's blocking rule).
func composeMarks(out []rune, marks []rune) []rune {
	starter := len(out) - 1
	blockedClass := 0
	for _, m := range marks {
		if starter >= 0 && blockedClass < combiningClass(m) {
			if composed, ok := vietnameseCompositions[[2]rune{out[starter], m}]; ok {
				out[starter] = composed
				continue
			}
		}
		out = append(out, m)
		blockedClass = combiningClass(m)
	}
	return out
}

// isCombiningMark reports whether r is in the Combining Diacritical Marks
// block, the only marks Vietnamese text uses.
func isCombiningMark(r rune) bool { return r >= 0x0300 && r <= 0x036F }

// combiningClass is the Unicode canonical combining class of the marks that
// matter for ordering Vietnamese text; other marks of the block count as
// "above" (230), which keeps them in typing order.
func combiningClass(r rune) int {
	switch {
	case r == 0x031B: // horn
		return 216
	case r == 0x0327 || r == 0x0328: // cedilla, ogonek
		return 202
	case r >= 0x0323 && r <= 0x0333: // dot below and the other marks below
		return 220
	default:
		return 230
	}
}
