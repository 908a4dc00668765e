package workbook

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
	"go.yaml.in/yaml/v3"

	"github.com/confbot/confbot/conffile"
	"github.com/confbot/confbot/domain"
)

// Bounds on what a workbook may unpack to: a real one is a few hundred
// kilobytes, and a ZIP can claim far more than it holds.
const (
	unzipLimit    = 64 << 20
	unzipXMLLimit = 16 << 20
	maxRows       = 5000 // per sheet
)

// zipMagic starts every XLSX file (a ZIP archive).
var zipMagic = []byte("PK\x03\x04")

// IsWorkbook reports whether data looks like an XLSX file rather than a
// text conference file; Parse then says whether it really is one.
func IsWorkbook(data []byte) bool { return bytes.HasPrefix(data, zipMagic) }

// Parse reads a workbook into a conference with the conference file's own
// checks. When it is invalid the error is a *conffile.Errors whose entries
// name their sheet, row and column in Place.
func Parse(data []byte) (*domain.Conference, error) {
	if len(data) > conffile.MaxFileSize {
		return nil, &conffile.Errors{{Msg: fmt.Sprintf("tệp có %d byte, quá giới hạn %d byte", len(data), conffile.MaxFileSize)}}
	}
	r := &reader{rows: map[string][]int{}, fieldRows: map[string]int{}}
	root, err := r.open(data)
	if err != nil {
		return nil, err
	}
	if len(r.errs) > 0 {
		return nil, &r.errs
	}
	conf, err := conffile.ParseNode(root)
	if errs, ok := err.(*conffile.Errors); ok {
		placed := r.place(*errs)
		return nil, &placed
	}
	return conf, err
}

// reader turns sheets into the node tree of a conference file, noting
// where each node came from.
type reader struct {
	places    []place          // by node line, from 1
	rows      map[string][]int // list field → sheet row of each item
	fieldRows map[string]int   // field of the first sheet → its row
	errs      conffile.Errors  // problems of the workbook's own shape
}

// place is a cell (or a row or a sheet, when column or row is empty).
type place struct {
	sheet  string
	row    int
	column string
}

// String renders a place as a secretary reads it.
func (p place) String() string {
	s := "Trang “" + p.sheet + "”"
	if p.row > 0 {
		s += ", dòng " + strconv.Itoa(p.row)
	}
	if p.column != "" {
		s += ", cột " + p.column
	}
	return s
}

// at records a place and returns the line that stands for it.
func (r *reader) at(p place) int {
	r.places = append(r.places, p)
	return len(r.places)
}

// problem records a problem of the workbook's own shape.
func (r *reader) problem(p place, format string, args ...any) {
	r.errs = append(r.errs, conffile.Error{Place: p.String(), Msg: fmt.Sprintf(format, args...)})
}

// open reads every sheet of the layout into one mapping node.
func (r *reader) open(data []byte) (root *yaml.Node, err error) {
	// A damaged archive must not take the bot down with it.
	defer func() {
		if p := recover(); p != nil {
			root, err = nil, &conffile.Errors{{Msg: "tệp không phải sổ tính Excel (XLSX) đọc được"}}
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: unzipLimit, UnzipXMLSizeLimit: unzipXMLLimit})
	if err != nil {
		return nil, &conffile.Errors{{Msg: "tệp không phải sổ tính Excel (XLSX) đọc được: " + err.Error()}}
	}
	defer f.Close()
	root = &yaml.Node{Kind: yaml.MappingNode, Line: 0}
	names := f.GetSheetList()
	for _, name := range names {
		if !slices.ContainsFunc(layout, func(s sheet) bool { return s.Name == name }) {
			r.problem(place{sheet: name}, "trang này không có trong mẫu (các trang của mẫu: %s)", sheetNames())
		}
	}
	for _, sh := range layout {
		if !slices.Contains(names, sh.Name) {
			continue // the parser says what the missing sheet lacked
		}
		shown, err := f.GetRows(sh.Name)
		if err != nil {
			return nil, &conffile.Errors{{Place: place{sheet: sh.Name}.String(), Msg: "không đọc được: " + err.Error()}}
		}
		raw, err := f.GetRows(sh.Name, excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, &conffile.Errors{{Place: place{sheet: sh.Name}.String(), Msg: "không đọc được: " + err.Error()}}
		}
		if len(shown) > maxRows {
			r.problem(place{sheet: sh.Name}, "có %d dòng, quá giới hạn %d dòng", len(shown), maxRows)
			continue
		}
		if sh.List == "" {
			r.fields(sh, shown, raw, root)
		} else {
			r.list(sh, shown, raw, root)
		}
	}
	return root, nil
}

// sheetNames lists the template's sheets for a message.
func sheetNames() string {
	names := make([]string, len(layout))
	for i, s := range layout {
		names[i] = "“" + s.Name + "”"
	}
	return strings.Join(names, ", ")
}

// fields reads the cluster and conference sheet: a field per row.
func (r *reader) fields(sh sheet, shown, raw [][]string, root *yaml.Node) {
	seen := map[string]int{}
	for i := 1; i < len(shown); i++ {
		row := i + 1
		label := strings.TrimSpace(get(shown[i], 0))
		value := get(shown[i], 1)
		if label == "" {
			if strings.TrimSpace(value) != "" {
				r.problem(place{sheet: sh.Name, row: row, column: headItem}, "có giá trị nhưng thiếu tên mục")
			}
			continue
		}
		at := slices.IndexFunc(sh.Columns, func(c column) bool { return c.Header == label })
		switch {
		case at < 0:
			r.problem(place{sheet: sh.Name, row: row, column: headItem}, "“%s” không phải một mục của trang này", label)
			continue
		case seen[label] != 0:
			r.problem(place{sheet: sh.Name, row: row, column: headItem}, "mục “%s” được ghi hai lần (lần đầu ở dòng %d)", label, seen[label])
			continue
		}
		seen[label] = row
		col := sh.Columns[at]
		r.fieldRows[col.Field] = row
		line := r.at(place{sheet: sh.Name, row: row, column: headValue + " (" + col.Header + ")"})
		if n := cellNode(col, value, get(rowAt(raw, i), 1), line); n != nil {
			put(root, col.Field, n, line)
		}
	}
}

// list reads a list sheet: headings, an optional notes row, then an item
// per row; empty rows are skipped.
func (r *reader) list(sh sheet, shown, raw [][]string, root *yaml.Node) {
	if len(shown) == 0 {
		return
	}
	columns := sh.columns()
	cols := make([]*column, len(shown[0]))
	reported := make([]bool, len(shown[0])) // a heading already named as wrong
	for i, h := range shown[0] {
		h = strings.TrimSpace(h)
		if h == "" {
			continue
		}
		at := slices.IndexFunc(columns, func(c column) bool { return c.Header == h })
		if at < 0 {
			r.problem(place{sheet: sh.Name, row: 1, column: column1(i + 1)}, "“%s” không phải một cột của trang này", h)
			reported[i] = true
			continue
		}
		if slices.ContainsFunc(cols[:i], func(c *column) bool { return c != nil && c.Header == h }) {
			r.problem(place{sheet: sh.Name, row: 1, column: column1(i + 1)}, "cột “%s” bị lặp lại", h)
			reported[i] = true
			continue
		}
		cols[i] = &columns[at]
	}
	items := &yaml.Node{Kind: yaml.SequenceNode, Line: r.at(place{sheet: sh.Name})}
	var rows []int // the sheet row of each item
	for i := 1; i < len(shown); i++ {
		if i == 1 && isNotes(shown[i], cols) {
			continue
		}
		row := i + 1
		item := &yaml.Node{Kind: yaml.MappingNode, Line: r.at(place{sheet: sh.Name, row: row})}
		for j := range max(len(cols), len(shown[i])) {
			var col *column
			if j < len(cols) {
				col = cols[j]
			}
			if col == nil {
				if (j >= len(reported) || !reported[j]) && strings.TrimSpace(get(shown[i], j)) != "" {
					r.problem(place{sheet: sh.Name, row: row, column: column1(j + 1)}, "có giá trị trong một cột không có tiêu đề của mẫu")
				}
				continue
			}
			line := r.at(place{sheet: sh.Name, row: row, column: col.Header})
			if n := cellNode(*col, get(shown[i], j), get(rowAt(raw, i), j), line); n != nil {
				put(item, col.Field, n, line)
			}
		}
		if len(item.Content) > 0 {
			items.Content = append(items.Content, item)
			rows = append(rows, row)
		}
	}
	switch {
	case sh.Key != nil:
		r.keyed(sh, items, rows, root)
	case len(items.Content) > 0 || !strings.Contains(sh.List, "."):
		// A list inside a section is optional, and left out when empty.
		put(root, sh.List, items, items.Line)
		r.rows[sh.List] = rows
	}
}

// keyed hands the rows of a keyed sheet to the items of the outer list
// their key names, as each item's inner list, in the sheet's order.
func (r *reader) keyed(sh sheet, entries *yaml.Node, rows []int, root *yaml.Node) {
	outer, field := sh.outer()
	var items []*yaml.Node
	if list := lookup(root, outer); list != nil {
		items = list.Content
	}
	inner := map[int]*yaml.Node{} // item index → its inner list
	for i, entry := range entries.Content {
		at := place{sheet: sh.Name, row: rows[i], column: sh.Key.Header}
		key := take(entry, sh.Key.Field)
		if key == nil {
			r.problem(at, "chưa điền (bắt buộc)")
			continue
		}
		j := slices.IndexFunc(items, func(item *yaml.Node) bool {
			id := lookup(item, sh.Key.Field)
			return id != nil && strings.TrimSpace(id.Value) == key.Value
		})
		if j < 0 {
			outerSheet, _ := listSheet(outer)
			r.problem(at, "“%s” không có ở trang “%s”", key.Value, outerSheet.Name)
			continue
		}
		if inner[j] == nil {
			inner[j] = &yaml.Node{Kind: yaml.SequenceNode, Line: entry.Line}
			put(items[j], field, inner[j], entry.Line)
		}
		inner[j].Content = append(inner[j].Content, entry)
		path := fmt.Sprintf("%s[%d].%s", outer, j, field)
		r.rows[path] = append(r.rows[path], rows[i])
	}
}

// isNotes reports whether a row is the template's notes row: a cell holds
// its column's note word for word.
func isNotes(cells []string, cols []*column) bool {
	for j, col := range cols {
		if col != nil && col.Note != "" && strings.TrimSpace(get(cells, j)) == col.Note {
			return true
		}
	}
	return false
}
