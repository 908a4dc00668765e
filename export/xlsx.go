package export

import (
	"fmt"
	"io"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// maxColumnWidth caps a column (in characters) so a long summary text does
// not make a sheet unreadable; the cell keeps all of it.
const maxColumnWidth = 60

// WriteXLSX writes one workbook with a sheet per table, in order: a bold
// frozen header row, numbers as numbers, columns sized to their content.
// The document's dates are set to created, so the same data gives the same
// workbook content.
func WriteXLSX(w io.Writer, title string, created time.Time, tables []Table) error {
	f := excelize.NewFile()
	defer f.Close()
	stamp := created.UTC().Format(time.RFC3339)
	if err := f.SetDocProps(&excelize.DocProperties{Title: title, Creator: "confbot", Created: stamp, Modified: stamp, Language: "vi-VN"}); err != nil {
		return fmt.Errorf("workbook properties: %w", err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("workbook style: %w", err)
	}
	for i, t := range tables {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", t.Sheet); err != nil {
				return fmt.Errorf("sheet %s: %w", t.Sheet, err)
			}
		} else if _, err := f.NewSheet(t.Sheet); err != nil {
			return fmt.Errorf("sheet %s: %w", t.Sheet, err)
		}
		if err := writeSheet(f, t, bold); err != nil {
			return fmt.Errorf("sheet %s: %w", t.Sheet, err)
		}
	}
	f.SetActiveSheet(0)
	if err := f.Write(w); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	return nil
}

func writeSheet(f *excelize.File, t Table, bold int) error {
	header := make([]any, len(t.Header))
	widths := make([]int, len(t.Header))
	for i, h := range t.Header {
		header[i] = h
		widths[i] = utf8.RuneCountInString(h)
	}
	if err := f.SetSheetRow(t.Sheet, "A1", &header); err != nil {
		return err
	}
	if err := f.SetRowStyle(t.Sheet, 1, 1, bold); err != nil {
		return err
	}
	for r, row := range t.Rows {
		cells := make([]any, len(row))
		for i, cell := range row {
			cells[i] = cell
			if i < len(widths) {
				widths[i] = max(widths[i], utf8.RuneCountInString(cellText(cell)))
			}
		}
		at, err := excelize.CoordinatesToCellName(1, r+2)
		if err != nil {
			return err
		}
		if err := f.SetSheetRow(t.Sheet, at, &cells); err != nil {
			return err
		}
	}
	for i, wd := range widths {
		col, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return err
		}
		if err := f.SetColWidth(t.Sheet, col, col, float64(min(wd, maxColumnWidth)+2)); err != nil {
			return err
		}
	}
	return f.SetPanes(t.Sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}
