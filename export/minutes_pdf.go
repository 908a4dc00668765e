package export

import (
	"bytes"
	"fmt"
	"io"

	"github.com/go-pdf/fpdf"

	"github.com/confbot/confbot/chart/fonts"
)

// Page geometry of the minutes (A4, millimetres): margins close to those of
// Vietnamese administrative documents, a line height that suits 11 pt.
const (
	marginLeft   = 25.0
	marginTop    = 20.0
	marginRight  = 20.0
	marginBottom = 20.0
	lineHeight   = 5.5
	itemIndent   = 6.0
	fontFamily   = "DejaVu"
)

// WriteMinutesPDF renders the minutes as an A4 PDF: DejaVu Sans embedded
// (every Vietnamese letter, whatever fonts the reader has), page numbers,
// and last the check code of the canonical text. The creation date is the
// minutes' own date and the catalogue is sorted, so the same records give
// the same bytes.
func WriteMinutesPDF(w io.Writer, d *Data) error {
	lines := minutesLines(d)
	var text bytes.Buffer
	for _, l := range lines {
		text.WriteString(l.Text())
		text.WriteByte('\n')
	}
	hash := MinutesHash(text.String())

	c := d.Conference
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCatalogSort(true)
	date := d.DocumentDate()
	pdf.SetCreationDate(date)
	pdf.SetModificationDate(date)
	pdf.SetTitle("Biên bản: "+c.Title, true)
	pdf.SetAuthor(c.Cluster.Name, true)
	pdf.SetCreator("confbot", true)
	pdf.SetLang("vi-VN")
	pdf.AddUTF8FontFromBytes(fontFamily, "", fonts.SansRegular)
	pdf.AddUTF8FontFromBytes(fontFamily, "B", fonts.SansBold)
	pdf.SetMargins(marginLeft, marginTop, marginRight)
	pdf.SetAutoPageBreak(true, marginBottom)
	pdf.AliasNbPages("{nb}")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-15)
		pdf.SetFont(fontFamily, "", 8)
		pdf.CellFormat(0, 10, fmt.Sprintf("Trang %d/{nb}", pdf.PageNo()), "", 0, "C", false, 0, "")
	})
	pdf.AddPage()
	for _, l := range lines {
		setLine(pdf, l)
	}
	pdf.Ln(4)
	pdf.SetFont(fontFamily, "", 8)
	pdf.MultiCell(0, 4, HashLabel+" "+hash, "", "L", false)
	pdf.MultiCell(0, 4, "Mã kiểm tra là SHA-256 của nội dung văn bản biên bản (tệp .txt đi kèm, UTF-8). Cách kiểm tra: sha256sum <tệp .txt>.", "", "L", false)
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("write minutes: %w", err)
	}
	return nil
}

// setLine prints one line in its style.
func setLine(pdf *fpdf.Fpdf, l Line) {
	text := l.Text()
	pageWidth, _ := pdf.GetPageSize()
	width := pageWidth - marginLeft - marginRight
	switch l.style {
	case styleMotto:
		pdf.SetFont(fontFamily, "B", 11)
		pdf.MultiCell(0, lineHeight, text, "", "C", false)
		if text != "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" {
			// The short rule under the motto, as on every official document.
			y := pdf.GetY() + 0.5
			half := pdf.GetStringWidth(text) / 2
			pdf.SetLineWidth(0.3)
			pdf.Line(marginLeft+width/2-half, y, marginLeft+width/2+half, y)
			pdf.Ln(4)
		}
	case styleOrg:
		pdf.SetFont(fontFamily, "B", 10)
		pdf.MultiCell(0, lineHeight, text, "", "L", false)
	case stylePlace:
		pdf.SetFont(fontFamily, "", 11)
		pdf.MultiCell(0, lineHeight, text, "", "R", false)
		pdf.Ln(6)
	case styleTitle:
		pdf.SetFont(fontFamily, "B", 15)
		pdf.MultiCell(0, 8, text, "", "C", false)
	case styleSubtitle:
		pdf.SetFont(fontFamily, "B", 12)
		pdf.MultiCell(0, 6, text, "", "C", false)
		pdf.Ln(2)
	case styleNote:
		pdf.SetFont(fontFamily, "", 10)
		pdf.MultiCell(0, lineHeight, text, "", "C", false)
		pdf.Ln(2)
	case styleHeading:
		pdf.Ln(3)
		pdf.SetFont(fontFamily, "B", 11)
		pdf.MultiCell(0, lineHeight, text, "", "L", false)
	case styleBallot:
		pdf.Ln(1.5)
		pdf.SetFont(fontFamily, "B", 11)
		pdf.MultiCell(0, lineHeight, text, "", "L", false)
	case styleItem:
		pdf.SetFont(fontFamily, "", 11)
		pdf.SetX(marginLeft + itemIndent)
		pdf.MultiCell(width-itemIndent, lineHeight, text, "", "L", false)
	case styleSign, styleSignNote:
		if l.style == styleSign {
			pdf.Ln(8)
			pdf.SetFont(fontFamily, "B", 11)
		} else {
			pdf.SetFont(fontFamily, "", 9)
		}
		for i, col := range l.Cols {
			next := 0
			if i == len(l.Cols)-1 {
				next = 1
			}
			pdf.CellFormat(width/float64(len(l.Cols)), lineHeight, col, "", next, "C", false, 0, "")
		}
		if l.style == styleSignNote {
			pdf.Ln(25) // room for the signatures
		}
	default:
		pdf.SetFont(fontFamily, "", 11)
		pdf.MultiCell(0, lineHeight, text, "", "L", false)
	}
}
