package export_test

import (
	"bytes"
	"fmt"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/confbot/confbot/export"
)

// TestXLSXCellByCell opens the workbook again with excelize and compares
// every cell of every sheet with the tables it was made from.
func TestXLSXCellByCell(t *testing.T) {
	d := referenceData(t)
	tables := export.Tables(d)
	var buf bytes.Buffer
	if err := export.WriteXLSX(&buf, d.Conference.Title, d.DocumentDate(), tables); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	wantSheets := []string{"Điểm danh", "Báo cáo", "Kết quả", "Phiếu công khai", "Nhật ký", "Xếp hạng"}
	if got := f.GetSheetList(); fmt.Sprint(got) != fmt.Sprint(wantSheets) {
		t.Fatalf("sheets %v, want %v", got, wantSheets)
	}
	for _, tb := range tables {
		t.Run(tb.Sheet, func(t *testing.T) {
			check := func(col, row int, want any) {
				t.Helper()
				cell, _ := excelize.CoordinatesToCellName(col+1, row+1)
				got, err := f.GetCellValue(tb.Sheet, cell)
				if err != nil {
					t.Fatal(err)
				}
				if w := cellString(want); got != w {
					t.Errorf("%s!%s = %q, want %q", tb.Sheet, cell, got, w)
				}
				typ, err := f.GetCellType(tb.Sheet, cell)
				if err != nil {
					t.Fatal(err)
				}
				switch want.(type) {
				case int, int64, float64:
					if typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
						t.Errorf("%s!%s holds a number as type %v", tb.Sheet, cell, typ)
					}
				}
			}
			for c, h := range tb.Header {
				check(c, 0, h)
			}
			for r, row := range tb.Rows {
				for c, v := range row {
					check(c, r+1, v)
				}
			}
			rows, err := f.GetRows(tb.Sheet)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != len(tb.Rows)+1 {
				t.Errorf("%d rows, want %d", len(rows), len(tb.Rows)+1)
			}
		})
	}
	// A spot check that reads like a person would: CNTT's co-bca row.
	if v, _ := f.GetCellValue("Kết quả", "L2"); v != "100" {
		t.Errorf("Kết quả!L2 (Tỷ lệ) = %q, want 100", v)
	}
	if v, _ := f.GetCellValue("Báo cáo", "G3"); v != "96.5" {
		t.Errorf("Báo cáo!G3 (Điểm tự chấm) = %q, want 96.5", v)
	}
}

func cellString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}
