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
	// A list may be nested in a section (conference.board[2].name) when
	// its sheet's List names it so.
	itemPath = regexp.MustCompile(`^([a-z_.]+)\[(\d+)\](?:\.(.*))?$`)
	indexes  = regexp.MustCompile(`\[\d+\]`)
	lineRef  = regexp.MustCompile(`\bline (\d+)\b`)
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
	if m := itemPath.FindStringSubmatch(field); m != nil {
		sh, ok := listSheet(m[1])
		if !ok {
			return place{}, false
		}
		i, _ := strconv.Atoi(m[2])
		rows := r.rows[m[1]]
		if i >= len(rows) {
			return place{sheet: sh.Name}, true
		}
		p := place{sheet: sh.Name, row: rows[i]}
		if m[3] != "" {
			if col, ok := columnOf(sh, indexes.ReplaceAllString(m[3], "")); ok {
				p.column = col.Header
			}
		}
		return p, true
	}
	if sh, ok := listSheet(field); ok {
		return place{sheet: sh.Name}, true
	}
	first := layout[0]
	col, ok := columnOf(first, field)
	if !ok {
		return place{sheet: first.Name}, strings.HasPrefix(field, "cluster") || strings.HasPrefix(field, "conference")
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
