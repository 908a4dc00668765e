package workbook

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"
	"go.yaml.in/yaml/v3"

	"github.com/confbot/confbot/conffile"
	"github.com/confbot/confbot/domain"
)

// validRows is how far down a list sheet the drop-down lists and the date
// checks reach; rows past it are read all the same.
const validRows = 500

// styles are the cell styles the workbook uses.
type styles struct {
	header, note, when, date, whole, plain int
}

// Write writes c as a workbook that Parse reads back to the same conference.
func Write(w io.Writer, c *domain.Conference) error { return writeTree(w, conffile.Node(c)) }

// writeTree writes the node tree of a conference file as a workbook; the
// tree need not be valid (tests write broken files this way).
func writeTree(w io.Writer, root *yaml.Node) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	for i, sh := range layout {
		if i == 0 {
			err = f.SetSheetName("Sheet1", sh.Name)
		} else {
			_, err = f.NewSheet(sh.Name)
		}
		if err != nil {
			return fmt.Errorf("sheet %s: %w", sh.Name, err)
		}
		switch {
		case sh.List == "":
			err = writeFields(f, sh, root, st)
		case sh.Key != nil:
			err = writeList(f, sh, keyedItems(root, sh), st)
		default:
			err = writeList(f, sh, lookup(root, sh.List), st)
		}
		if err != nil {
			return fmt.Errorf("sheet %s: %w", sh.Name, err)
		}
	}
	f.SetActiveSheet(0)
	if err := f.Write(w); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	return nil
}

func newStyles(f *excelize.File) (styles, error) {
	var st styles
	border := []excelize.Border{{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1},
		{Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1}}
	for _, s := range []struct {
		id    *int
		style excelize.Style
	}{
		{&st.header, excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}}},
		{&st.note, excelize.Style{Font: &excelize.Font{Italic: true, Color: "666666", Size: 9}, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}},
		{&st.when, excelize.Style{CustomNumFmt: ptr("yyyy-mm-dd hh:mm"), Alignment: &excelize.Alignment{Horizontal: "left"}}},
		{&st.date, excelize.Style{CustomNumFmt: ptr("yyyy-mm-dd"), Alignment: &excelize.Alignment{Horizontal: "left"}}},
		{&st.whole, excelize.Style{NumFmt: 1, Alignment: &excelize.Alignment{Horizontal: "left"}}},
		{&st.plain, excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}},
	} {
		s.style.Border = border
		id, err := f.NewStyle(&s.style)
		if err != nil {
			return st, fmt.Errorf("workbook style: %w", err)
		}
		*s.id = id
	}
	return st, nil
}

func ptr[T any](v T) *T { return &v }

// writeFields writes the cluster and conference sheet: one row per field.
func writeFields(f *excelize.File, sh sheet, root *yaml.Node, st styles) error {
	name := sh.Name
	if err := f.SetSheetRow(name, "A1", &[]any{headItem, headValue, headNote}); err != nil {
		return err
	}
	if err := f.SetCellStyle(name, "A1", "C1", st.header); err != nil {
		return err
	}
	if err := f.SetCellStyle(name, "A2", cell(2, len(sh.Columns)+1), st.plain); err != nil {
		return err
	}
	for i, col := range sh.Columns {
		row := i + 2
		if err := f.SetCellStr(name, cell(1, row), col.Header); err != nil {
			return err
		}
		if err := f.SetCellStr(name, cell(3, row), col.Note); err != nil {
			return err
		}
		if err := writeCell(f, name, cell(2, row), col, lookup(root, col.Field), st); err != nil {
			return err
		}
		if err := validate(f, name, cell(2, row), col); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(name, "C2", cell(3, len(sh.Columns)+1), st.note); err != nil {
		return err
	}
	for col, width := range map[string]float64{"A": 30, "B": 95, "C": 70} {
		if err := f.SetColWidth(name, col, col, width); err != nil {
			return err
		}
	}
	if err := printSetup(f, name); err != nil {
		return err
	}
	return f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

// keyedItems gathers the rows of a keyed sheet: the inner list of every
// item of the outer list, each entry led by its item's key.
func keyedItems(root *yaml.Node, sh sheet) *yaml.Node {
	outer, field := sh.outer()
	rows := &yaml.Node{Kind: yaml.SequenceNode}
	items := lookup(root, outer)
	if items == nil {
		return rows
	}
	for _, item := range items.Content {
		inner, key := lookup(item, field), lookup(item, sh.Key.Field)
		if inner == nil || key == nil {
			continue
		}
		for _, entry := range inner.Content {
			row := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{scalar(sh.Key.Field, "!!str", 0), key}}
			row.Content = append(row.Content, entry.Content...)
			rows.Content = append(rows.Content, row)
		}
	}
	return rows
}

// writeList writes a list sheet: headings, notes, then one row per item.
func writeList(f *excelize.File, sh sheet, items *yaml.Node, st styles) error {
	name := sh.Name
	columns := sh.columns()
	last := len(columns)
	for i, col := range columns {
		if err := f.SetCellStr(name, cell(i+1, 1), col.Header); err != nil {
			return err
		}
		if err := f.SetCellStr(name, cell(i+1, 2), col.Note); err != nil {
			return err
		}
		width := col.Width
		if width == 0 {
			width = 14
		}
		letter := column1(i + 1)
		if err := f.SetColWidth(name, letter, letter, width); err != nil {
			return err
		}
		if err := validate(f, name, fmt.Sprintf("%s%d:%s%d", letter, firstDataRow, letter, validRows), col); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(name, "A1", cell(last, 1), st.header); err != nil {
		return err
	}
	if err := f.SetCellStyle(name, "A2", cell(last, 2), st.note); err != nil {
		return err
	}
	// Headings and notes wrap; their rows are made tall enough to show them.
	if err := f.SetRowHeight(name, 1, 30); err != nil {
		return err
	}
	if err := f.SetRowHeight(name, 2, 62); err != nil {
		return err
	}
	if items != nil && len(items.Content) > 0 {
		if err := f.SetCellStyle(name, cell(1, firstDataRow), cell(last, firstDataRow+len(items.Content)-1), st.plain); err != nil {
			return err
		}
		for r, item := range items.Content {
			for i, col := range columns {
				if err := writeCell(f, name, cell(i+1, firstDataRow+r), col, lookup(item, col.Field), st); err != nil {
					return err
				}
			}
		}
	}
	if err := printSetup(f, name); err != nil {
		return err
	}
	return f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"})
}

// printSetup prints a sheet on A4 landscape, as wide as one page.
func printSetup(f *excelize.File, sheet string) error {
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: ptr(true)}); err != nil {
		return err
	}
	return f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: ptr(9), Orientation: ptr("landscape"), FitToWidth: ptr(1), FitToHeight: ptr(0)})
}

// firstDataRow is a list sheet's first item row, under the headings and notes.
const firstDataRow = 3

// writeCell writes one field's value in the form its kind takes.
func writeCell(f *excelize.File, sheet, at string, col column, n *yaml.Node, st styles) error {
	if n == nil {
		return nil
	}
	switch col.Kind {
	case moment, momentOrDate:
		if t, err := time.Parse(localLayout, n.Value); err == nil {
			return setDate(f, sheet, at, serial(t), st.when)
		}
		if t, err := time.Parse(dateLayout, n.Value); err == nil {
			return setDate(f, sheet, at, serial(t), st.date)
		}
	case integer:
		if v, err := strconv.ParseInt(n.Value, 10, 64); err == nil {
			return setStyled(f, sheet, at, v, st.whole)
		}
	case plain:
		if isNumber(n) {
			v, _ := strconv.ParseFloat(n.Value, 64)
			return f.SetCellFloat(sheet, at, v, -1, 64)
		}
	case lines:
		return f.SetCellStr(sheet, at, joined(n, "\n"))
	}
	// Seconds in a time, for one, stay text in RFC 3339: a date cell would
	// lose them.
	return f.SetCellStr(sheet, at, joined(n, ", "))
}

// setDate writes a date number. Cut to 15 digits, 11:30 falls a hair short
// and a spreadsheet that truncates shows 11:29; so the number is written a
// hair over instead (under a millisecond; reading rounds to the minute).
func setDate(f *excelize.File, sheet, at string, v float64, style int) error {
	const hair = 1e-9 // of a day: 86 µs
	if err := f.SetCellFloat(sheet, at, v+hair, 10, 64); err != nil {
		return err
	}
	return f.SetCellStyle(sheet, at, at, style)
}

func setStyled(f *excelize.File, sheet, at string, v any, style int) error {
	if err := f.SetCellValue(sheet, at, v); err != nil {
		return err
	}
	return f.SetCellStyle(sheet, at, at, style)
}

// validate adds the column's drop-down list or date check to cells.
func validate(f *excelize.File, sheet, sqref string, col column) error {
	dv := excelize.NewDataValidation(true)
	dv.SetSqref(sqref)
	switch {
	case len(col.Choices) > 0:
		if err := dv.SetDropList(col.Choices); err != nil {
			return err
		}
		if col.Loose {
			dv.SetError(excelize.DataValidationErrorStyleWarning, col.Header, "Giá trị khác danh sách gợi ý; hãy kiểm tra lại.")
		} else {
			dv.SetError(excelize.DataValidationErrorStyleStop, col.Header, "Hãy chọn một giá trị trong danh sách.")
		}
	case col.Kind == moment || col.Kind == momentOrDate:
		from, until := serial(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)), serial(time.Date(2101, 1, 1, 0, 0, 0, 0, time.UTC))
		if err := dv.SetRange(from, until, excelize.DataValidationTypeDate, excelize.DataValidationOperatorBetween); err != nil {
			return err
		}
		dv.SetError(excelize.DataValidationErrorStyleStop, col.Header, "Hãy nhập ngày và giờ, ví dụ 2022-11-24 08:00.")
	default:
		return nil
	}
	return f.AddDataValidation(sheet, dv)
}

// cell names a cell by column (from 1) and row: cell(2, 5) is B5.
func cell(col, row int) string { return column1(col) + strconv.Itoa(row) }

// column1 is a column's letters: 1 is A, 27 is AA.
func column1(col int) string {
	name, _ := excelize.ColumnNumberToName(col)
	return name
}
