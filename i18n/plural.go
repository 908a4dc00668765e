package i18n

import (
	"strconv"
	"strings"
)

// Plural categories, as CLDR names them. Only those some supported language
// uses are listed; a catalogue using another is refused.
const (
	pluralOne   = "one"
	pluralOther = "other"
)

// pluralCategories lists the categories lang's plural rule can select (CLDR
// cardinal rules). Vietnamese has no grammatical number.
func pluralCategories(lang Lang) []string {
	if lang == EN {
		return []string{pluralOne, pluralOther}
	}
	return []string{pluralOther}
}

// operands are the CLDR plural operands this package's rules need: i, the
// integer digits of the absolute value, and v, the number of visible
// fraction digits. They are taken from the number as it is displayed, so
// "1" and 1.0 (shown as "1") are singular in English while "1.5" is not.
type operands struct {
	i uint64
	v int
}

// pluralOperands derives operands from a count argument. ok is false when
// count is not a number; such a count selects "other".
func pluralOperands(count any) (ops operands, ok bool) {
	s := FormatValue(EN, count) // English formatting: '.' is the decimal point
	s = strings.TrimPrefix(strings.TrimSpace(s), "-")
	intPart, frac, _ := strings.Cut(s, ".")
	i, err := strconv.ParseUint(intPart, 10, 64)
	if err != nil {
		return operands{}, false
	}
	for _, c := range frac {
		if c < '0' || c > '9' {
			return operands{}, false
		}
	}
	return operands{i: i, v: len(frac)}, true
}

// pluralCategory selects the plural form of lang for count.
func pluralCategory(lang Lang, count any) string {
	ops, ok := pluralOperands(count)
	if !ok {
		return pluralOther
	}
	switch lang {
	case EN: // one: i = 1 and v = 0
		if ops.i == 1 && ops.v == 0 {
			return pluralOne
		}
	}
	return pluralOther // vi: always other
}
