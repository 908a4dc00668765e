package export

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/go-fonts/liberation/liberationserifbold"
	"github.com/go-fonts/liberation/liberationserifbolditalic"
	"github.com/go-fonts/liberation/liberationserifitalic"
	"github.com/go-fonts/liberation/liberationserifregular"
	"github.com/go-pdf/fpdf"
)

// Page geometry of a record (A4, millimetres), within the bounds of Nghị
// định 30/2020/NĐ-CP: top and bottom 20–25, left 30–35, right 15–20; the
// body in 13 pt Times New Roman metrics (Liberation Serif, which covers
// every Vietnamese letter).
const (
	pageWidth    = 210.0
	pageHeight   = 297.0
	marginLeft   = 30.0
	marginRight  = 15.0
	marginTop    = 20.0
	marginBottom = 20.0
	bodySize     = 13.0
	smallSize    = 12.0
	lineHeight   = 6.2
	cellHeight   = 5.6
	itemIndent   = 8.0
	firstIndent  = 10.0
	signSpace    = 22.0 // room for a signature and seal
	serif        = "LiberationSerif"
)

// textWidth is the width between the margins.
const textWidth = pageWidth - marginLeft - marginRight

// writeDocumentPDF renders doc as an A4 PDF: Liberation Serif embedded,
// page numbers centred in the top margin from page 2, the check code in a
// footer line after the last block. The creation date is date and the
// catalogue is sorted, so the same document gives the same bytes.
func writeDocumentPDF(w io.Writer, doc *document, date time.Time) error {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(date)
	pdf.SetModificationDate(date)
	pdf.SetTitle(doc.title, true)
	pdf.SetAuthor(doc.author, true)
	pdf.SetLang("vi-VN")
	pdf.AddUTF8FontFromBytes(serif, "", liberationserifregular.TTF)
	pdf.AddUTF8FontFromBytes(serif, "B", liberationserifbold.TTF)
	pdf.AddUTF8FontFromBytes(serif, "I", liberationserifitalic.TTF)
	pdf.AddUTF8FontFromBytes(serif, "BI", liberationserifbolditalic.TTF)
	pdf.SetMargins(marginLeft, marginTop, marginRight)
	pdf.SetCellMargin(0)
	pdf.SetAutoPageBreak(true, marginBottom)
	pdf.SetHeaderFuncMode(func() {
		if pdf.PageNo() < 2 {
			return
		}
		pdf.SetFont(serif, "", bodySize)
		pdf.SetXY(marginLeft, 10)
		pdf.CellFormat(textWidth, 6, strconv.Itoa(pdf.PageNo()), "", 0, "C", false, 0, "")
		pdf.SetXY(marginLeft, marginTop)
	}, true)
	pdf.AddPage()
	p := &pdfDoc{pdf: pdf}
	p.head(doc)
	for i, b := range doc.blocks {
		if i == len(doc.blocks)-1 && b.kind == blockPara && len(doc.signers) > 0 {
			// The last paragraph goes with the signatures: a page of
			// signatures alone would sign nothing.
			pdf.SetFont(serif, "", bodySize)
			p.keepWithNext(float64(len(pdf.SplitText(b.text, textWidth)))*lineHeight + signRowHeight)
		}
		p.block(b)
	}
	p.signatures(doc.signers)
	p.recipients(doc.recipients)
	if doc.check != "" {
		p.checkLine(doc.check)
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("write pdf: %w", err)
	}
	return nil
}

// pdfDoc sets a document's parts on the page.
type pdfDoc struct{ pdf *fpdf.Fpdf }

// Header columns: the left one holds the bodies and the number, the right
// one the national name, the motto, the place and date.
const (
	headLeftWidth  = 76.0
	headRightX     = marginLeft + headLeftWidth
	headRightWidth = pageWidth - marginRight - headRightX
)

// head sets the two-column header, the draft mark, the kind and summary.
func (p *pdfDoc) head(doc *document) {
	pdf, h := p.pdf, doc.head
	top := pdf.GetY()
	// Left: the superior body, the issuing body in bold, a short rule.
	pdf.SetXY(marginLeft, top)
	if h.superior != "" {
		pdf.SetFont(serif, "", smallSize)
		pdf.MultiCell(headLeftWidth, cellHeight, h.superior, "", "C", false)
		pdf.SetX(marginLeft)
	}
	pdf.SetFont(serif, "B", smallSize)
	pdf.MultiCell(headLeftWidth, cellHeight, h.issuer, "", "C", false)
	leftRule := pdf.GetY() + 1.5
	p.rule(marginLeft+headLeftWidth/2, leftRule, headLeftWidth/3)
	// Right: the national name and the motto, the motto underlined.
	pdf.SetXY(headRightX, top)
	pdf.SetFont(serif, "B", smallSize)
	pdf.MultiCell(headRightWidth, cellHeight, nationalName, "", "C", false)
	pdf.SetX(headRightX)
	pdf.SetFont(serif, "B", bodySize)
	pdf.MultiCell(headRightWidth, cellHeight+0.4, nationalMotto, "", "C", false)
	rightRule := pdf.GetY() + 1
	p.rule(headRightX+headRightWidth/2, rightRule, pdf.GetStringWidth(nationalMotto))
	// The number and the place and date share a row under both.
	row := max(leftRule, rightRule) + 3
	pdf.SetXY(marginLeft, row)
	pdf.SetFont(serif, "", bodySize)
	pdf.CellFormat(headLeftWidth, cellHeight, h.number, "", 0, "C", false, 0, "")
	pdf.SetXY(headRightX, row)
	pdf.SetFont(serif, "I", bodySize)
	pdf.CellFormat(headRightWidth, cellHeight, h.placeDate, "", 1, "C", false, 0, "")
	pdf.SetX(marginLeft)
	pdf.Ln(6)
	if doc.draft {
		pdf.SetFont(serif, "B", bodySize)
		width := pdf.GetStringWidth(draftMark) + 6
		x := marginLeft + (textWidth-width)/2
		pdf.SetX(x)
		pdf.CellFormat(width, 7, draftMark, "1", 1, "C", false, 0, "")
		pdf.Ln(3)
	}
	pdf.SetFont(serif, "B", 14)
	pdf.MultiCell(textWidth, 7, doc.kind, "", "C", false)
	for _, s := range doc.summary {
		pdf.MultiCell(textWidth, 7, s, "", "C", false)
	}
	p.rule(marginLeft+textWidth/2, pdf.GetY()+1.5, 40)
	pdf.Ln(6)
}

// rule draws a short horizontal line centred at x.
func (p *pdfDoc) rule(centre, y, width float64) {
	p.pdf.SetLineWidth(0.3)
	p.pdf.Line(centre-width/2, y, centre+width/2, y)
}

// block sets one block of the body.
func (p *pdfDoc) block(b block) {
	pdf := p.pdf
	switch b.kind {
	case blockHeading:
		pdf.Ln(1.5)
		p.keepWithNext(3 * lineHeight)
		pdf.SetFont(serif, "B", bodySize)
		pdf.MultiCell(textWidth, lineHeight, b.text, "", "L", false)
	case blockSub:
		p.keepWithNext(3 * lineHeight)
		pdf.SetFont(serif, "B", bodySize)
		pdf.SetX(marginLeft + firstIndent)
		pdf.MultiCell(textWidth-firstIndent, lineHeight, b.text, "", "L", false)
	case blockItem:
		pdf.SetFont(serif, "", bodySize)
		pdf.SetX(marginLeft + itemIndent)
		pdf.MultiCell(textWidth-itemIndent, lineHeight, b.text, "", "J", false)
	case blockTable:
		p.table(b.table)
	default:
		pdf.SetFont(serif, "", bodySize)
		pdf.SetX(marginLeft)
		pdf.MultiCell(textWidth, lineHeight, b.text, "", "J", false)
	}
}

// keepWithNext starts a new page when less than need is left on this one.
func (p *pdfDoc) keepWithNext(need float64) {
	if p.pdf.GetY()+need > pageHeight-marginBottom {
		p.pdf.AddPage()
	}
}
