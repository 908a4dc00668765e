package export

import "strings"

// table sets a ruled table in 12 pt: the header row in bold, repeated on
// a new page, each row as tall as its tallest cell.
func (p *pdfDoc) table(t *table) {
	pdf := p.pdf
	var total float64
	for _, w := range t.widths {
		total += w
	}
	widths := make([]float64, len(t.widths))
	for i, w := range t.widths {
		widths[i] = w / total * textWidth
	}
	centred := strings.Repeat("C", len(widths))
	pdf.Ln(1)
	first := 0.0
	if len(t.rows) > 0 {
		first = p.rowHeight(t.rows[0], widths, "")
	}
	p.keepWithNext(p.rowHeight(t.header, widths, "B") + first)
	p.row(t.header, widths, centred, "B")
	for _, r := range t.rows {
		if p.rowHeight(r, widths, "") > pageHeight-marginBottom-pdf.GetY() {
			pdf.AddPage()
			p.row(t.header, widths, centred, "B")
		}
		p.row(r, widths, t.align, "")
	}
	pdf.Ln(2)
}

// rowHeight is how tall a row's tallest cell is in style.
func (p *pdfDoc) rowHeight(cells []string, widths []float64, style string) float64 {
	p.pdf.SetFont(serif, style, smallSize)
	lines := 1
	for i, c := range cells {
		lines = max(lines, len(p.pdf.SplitText(c, widths[i]-2)))
	}
	return float64(lines)*cellHeight + 1
}

// row sets one table row, each cell framed and its text wrapped inside.
func (p *pdfDoc) row(cells []string, widths []float64, align, style string) {
	pdf := p.pdf
	height := p.rowHeight(cells, widths, style)
	x, y := marginLeft, pdf.GetY()
	// The row was measured to fit: no cell may break the page on its own.
	pdf.SetAutoPageBreak(false, marginBottom)
	defer pdf.SetAutoPageBreak(true, marginBottom)
	for i, c := range cells {
		pdf.Rect(x, y, widths[i], height, "D")
		pdf.SetXY(x+1, y+0.5)
		pdf.MultiCell(widths[i]-2, cellHeight, c, "", align[i:i+1], false)
		x += widths[i]
	}
	pdf.SetXY(marginLeft, y+height)
}

// A row of signature blocks: the gap above it, then role, note, the space,
// the name.
const (
	signGap       = 4.0
	signRowHeight = signGap + 3*cellHeight + signSpace
)

// signatures sets the signature blocks two to a row: the role in bold
// capitals, the note in italics, the space, the typed name in bold. A row
// is never split across pages.
func (p *pdfDoc) signatures(signers []signer) {
	pdf := p.pdf
	half := textWidth / 2
	for _, row := range signerRows(signers) {
		pdf.Ln(signGap)
		p.keepWithNext(signRowHeight - signGap)
		y := pdf.GetY()
		for i, s := range row {
			x := marginLeft
			if len(row) == 1 || i == 1 {
				x += half
			}
			pdf.SetXY(x, y)
			pdf.SetFont(serif, "B", bodySize)
			pdf.MultiCell(half, cellHeight, s.role, "", "C", false)
			pdf.SetX(x)
			pdf.SetFont(serif, "I", bodySize)
			pdf.MultiCell(half, cellHeight, s.note, "", "C", false)
			pdf.SetXY(x, pdf.GetY()+signSpace)
			pdf.SetFont(serif, "B", bodySize)
			pdf.MultiCell(half, cellHeight, s.name, "", "C", false)
		}
		pdf.SetX(marginLeft)
	}
}

// recipients sets Nơi nhận in the left half: the label in bold italics, the
// list in 11 pt.
func (p *pdfDoc) recipients(list []string) {
	if len(list) == 0 {
		return
	}
	pdf := p.pdf
	pdf.Ln(6)
	p.keepWithNext(float64(len(list)+1) * cellHeight)
	pdf.SetFont(serif, "BI", smallSize)
	pdf.MultiCell(textWidth/2, cellHeight, recipientsTo, "", "L", false)
	pdf.SetFont(serif, "", 11)
	for _, r := range list {
		pdf.SetX(marginLeft)
		pdf.MultiCell(textWidth/2, 5, "- "+r, "", "L", false)
	}
}

// checkLine closes the document with the footer line that prints the
// check code under a thin rule.
func (p *pdfDoc) checkLine(code string) {
	pdf := p.pdf
	pdf.Ln(6)
	p.keepWithNext(10)
	pdf.SetLineWidth(0.2)
	pdf.Line(marginLeft, pdf.GetY(), marginLeft+textWidth, pdf.GetY())
	pdf.Ln(1)
	pdf.SetFont(serif, "I", 9)
	pdf.MultiCell(textWidth, 4.5, checkLabel+" "+code, "", "L", false)
}
