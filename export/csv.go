package export

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Table is one export table: a CSV file and a sheet of the workbook.
// Cells are string, int or float64; the workbook keeps numbers as numbers.
type Table struct {
	File   string // attendance.csv, …
	Sheet  string // Điểm danh, …
	Header []string
	Rows   [][]any
}

// bom is the UTF-8 byte order mark: without it Excel reads a CSV in the
// machine's ANSI code page and garbles every Vietnamese letter.
const bom = "\ufeff"

// WriteCSV writes t as CSV: the byte order mark, the header row, then the
// rows, comma-separated, CRLF line ends (RFC 4180, what Excel writes).
// Numbers keep a decimal point so that any program reads them back. A text
// that a spreadsheet would run as a formula (=, +, -, @ first: names and
// summary texts come from people) is prefixed with an apostrophe.
func WriteCSV(w io.Writer, t Table) error {
	if _, err := io.WriteString(w, bom); err != nil {
		return fmt.Errorf("write %s: %w", t.File, err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(t.Header); err != nil {
		return fmt.Errorf("write %s: %w", t.File, err)
	}
	for _, row := range t.Rows {
		rec := make([]string, len(row))
		for i, cell := range row {
			rec[i] = cellText(cell)
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write %s: %w", t.File, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write %s: %w", t.File, err)
	}
	return nil
}

// CSV renders t as WriteCSV writes it.
func CSV(t Table) []byte {
	var b bytes.Buffer
	_ = WriteCSV(&b, t) // a bytes.Buffer does not fail
	return b.Bytes()
}

func cellText(cell any) string {
	switch v := cell.(type) {
	case string:
		return defuse(v)
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case nil:
		return ""
	}
	return fmt.Sprint(cell)
}

// defuse keeps a spreadsheet from reading text as a formula (CSV injection):
// a leading =, +, -, @, tab or carriage return gets an apostrophe in front,
// which Excel and LibreOffice show as plain text.
func defuse(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
