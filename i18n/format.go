package i18n

import (
	"fmt"
	"html"
	"strconv"
	"strings"
)

// floatDecimals is how many fraction digits a float keeps when shown: the
// numbers confbot shows are percentages of a base and self-assessed scores,
// which are quoted to hundredths (66,67 %; 96,25 điểm).
const floatDecimals = 2

// FormatValue formats v the way T substitutes it into a message: floats are
// rounded to two decimals and lose trailing zeros (96.50 → "96.5"), with a
// decimal comma in Vietnamese ("96,5") and a dot in English; everything else
// goes through fmt's %v. Integers get no thousands separators. Handlers that
// build lists or tables outside a catalogue message use it to stay
// consistent with T.
func FormatValue(lang Lang, v any) string {
	switch n := v.(type) {
	case float64:
		return formatFloat(lang, n, 64)
	case float32:
		return formatFloat(lang, float64(n), 32)
	}
	return fmt.Sprintf("%v", v)
}

func formatFloat(lang Lang, f float64, bitSize int) string {
	s := strconv.FormatFloat(f, 'f', floatDecimals, bitSize)
	if strings.IndexByte(s, '.') >= 0 {
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, ".")
	}
	if s == "-0" { // -0.001 rounds to a negative zero, which reads as a typo
		s = "0"
	}
	if lang == VI {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// HTML is text that is already Telegram HTML — markup the bot made, with
// whatever people or files wrote in it escaped — and is substituted as is.
// Any other argument of T is escaped.
type HTML string

// Escape makes text safe to put into an HTML message: it is what T does
// to every argument that is not HTML.
func Escape(s string) HTML { return HTML(html.EscapeString(s)) }

// formatArg formats one argument of T: HTML as is, anything else formatted
// and, when escape is set, escaped.
func formatArg(lang Lang, v any, escape bool) string {
	if h, ok := v.(HTML); ok {
		return string(h)
	}
	s := FormatValue(lang, v)
	if escape {
		s = html.EscapeString(s)
	}
	return s
}
