package workbook

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/confbot/confbot/conffile"
)

// Field paths and the line references of the parser's messages.
var (
	// A list may be nested in a section (paperwork.counting_board[2].name)
	// or in a list's items (ballots[1].counting_board[0].name) when its
	// sheet's List names it so.
	itemIndex = regexp.MustCompile(`\[(\d+)\]`)
	indexes   = regexp.MustCompile(`\[\d+\]`)
	lineRef   = regexp.MustCompile(`\bline (\d+)\b`)
)

// place turns the parser's problems, located by field path and by the
// lines the reader gave its nodes, into problems named by sheet, row and
// column.
func (r *reader) place(errs conffile.Errors) conffile.Errors {
	out := make(conffile.Errors, len(errs))
	for i, e := range errs {
		p, ok := r.fieldPlace(e.Field)
		if !ok && e.Line > 0 && e.Line <= len(r.places) {
			p, ok = r.places[e.Line-1], true
		}
		e.Msg = lineRef.ReplaceAllStringFunc(e.Msg, func(m string) string {
			line, _ := strconv.Atoi(lineRef.FindStringSubmatch(m)[1])
			if line < 1 || line > len(r.places) {
				return m
			}
			return "row " + strconv.Itoa(r.places[line-1].row)
		})
		if ok {
			e.Place = p.String()
		}
		e.Msg = vietnamese(e.Msg)
		out[i] = e
	}
	return out
}

// fieldPlace finds the cell of a field path such as units[2].code or
// conference.quorum.percent.
func (r *reader) fieldPlace(field string) (place, bool) {
	if field == "" {
		return place{}, false
	}
	if at := itemIndex.FindAllStringSubmatchIndex(field, -1); at != nil {
		// The innermost list with a sheet of its own holds the item.
		for k := len(at) - 1; k >= 0; k-- {
			list := field[:at[k][0]]
			sh, ok := listSheet(indexes.ReplaceAllString(list, "[]"))
			if !ok {
				continue
			}
			i, _ := strconv.Atoi(field[at[k][2]:at[k][3]])
			rows := r.rows[list]
			if i >= len(rows) {
				return place{sheet: sh.Name}, true
			}
			p := place{sheet: sh.Name, row: rows[i]}
			if rest := strings.TrimPrefix(field[at[k][1]:], "."); rest != "" {
				if col, ok := columnOf(sh, indexes.ReplaceAllString(rest, "")); ok {
					p.column = col.Header
				}
			}
			return p, true
		}
		return place{}, false
	}
	if sh, ok := listSheet(indexes.ReplaceAllString(field, "[]")); ok {
		return place{sheet: sh.Name}, true
	}
	first := layout[0]
	col, ok := columnOf(first, field)
	if !ok {
		return place{sheet: first.Name}, strings.HasPrefix(field, "cluster") || strings.HasPrefix(field, "conference") ||
			strings.HasPrefix(field, "paperwork")
	}
	p := place{sheet: first.Name, column: headValue + " (" + col.Header + ")"}
	if row, ok := r.fieldRows[col.Field]; ok {
		p.row = row
	}
	return p, true
}

// listSheet finds the sheet of a list field.
func listSheet(list string) (sheet, bool) {
	at := slices.IndexFunc(layout, func(s sheet) bool { return s.List == list })
	if at < 0 {
		return sheet{}, false
	}
	return layout[at], true
}

// columnOf finds the column of a field, or of the first field under it
// ("threshold" names the first threshold column).
func columnOf(sh sheet, field string) (column, bool) {
	for _, exact := range []bool{true, false} {
		for _, c := range sh.Columns {
			if (exact && c.Field == field) || (!exact && strings.HasPrefix(c.Field, field+".")) {
				return c, true
			}
		}
	}
	return column{}, false
}
