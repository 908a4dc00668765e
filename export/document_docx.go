package export

import (
	"archive/zip"
	"fmt"
	"io"
	"strings"
	"time"
)

// The DOCX is written by hand (WordprocessingML in a zip): a handful of
// parts, every one of them fixed but document.xml, so Word, LibreOffice
// and the tests read exactly what is set here. Secretaries correct the text
// in Word before signing, so the layout is plain: paragraphs, tables, the
// page setup of the PDF (A4, the same margins, Times New Roman 13 pt, page
// numbers centred at the top from page 2).

// Page setup in twentieths of a point (twips): 1 mm is 56.7 twips.
const (
	twipsPerMM      = 56.6929
	docxPageWidth   = 11906
	docxPageHeight  = 16838
	docxBodySize    = 26 // half-points: 13 pt
	docxSmallSize   = 24 // 12 pt
	docxFootnoteSiz = 18 // 9 pt, the check line
	spaceAfter      = 60 // 3 pt after a body paragraph
)

// twips converts millimetres.
func twips(mm float64) int { return int(mm*twipsPerMM + 0.5) }

// writeDocumentDOCX writes doc as a .docx; the package's dates are date, and
// the zip's entries carry it too, so the same document gives the same bytes.
func writeDocumentDOCX(w io.Writer, doc *document, date time.Time) error {
	z := zip.NewWriter(w)
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", docxContentTypes},
		{"_rels/.rels", docxRootRels},
		{"docProps/core.xml", docxCore(doc, date)},
		{"word/_rels/document.xml.rels", docxDocumentRels},
		{"word/styles.xml", docxStyles},
		{"word/header1.xml", docxHeader(true)},
		{"word/header2.xml", docxHeader(false)},
		{"word/document.xml", docxDocument(doc)},
	}
	for _, part := range parts {
		f, err := z.CreateHeader(&zip.FileHeader{Name: part.name, Method: zip.Deflate, Modified: date.UTC()})
		if err != nil {
			return fmt.Errorf("write docx %s: %w", part.name, err)
		}
		if _, err := io.WriteString(f, part.body); err != nil {
			return fmt.Errorf("write docx %s: %w", part.name, err)
		}
	}
	if err := z.Close(); err != nil {
		return fmt.Errorf("write docx: %w", err)
	}
	return nil
}

// docxDocument is word/document.xml: the header table, the body, the
// signatures, Nơi nhận, the check line, and the section's page setup.
func docxDocument(doc *document) string {
	var b strings.Builder
	b.WriteString(xmlHeader + `<w:document xmlns:w="` + nsW + `" xmlns:r="` + nsR + `"><w:body>`)
	h := doc.head
	leftTop := []string{run(h.superior, runStyle{size: docxSmallSize}), run(h.issuer, runStyle{bold: true, size: docxSmallSize})}
	if h.superior == "" {
		leftTop = leftTop[1:]
	}
	headCols := []int{twips(headLeftWidth), twips(headRightWidth)}
	b.WriteString(tableStart(headCols, false))
	b.WriteString(`<w:tr>` + cell(headCols[0], paragraphs(leftTop, paraStyle{align: "center", after: 0})))
	b.WriteString(cell(headCols[1], paragraphs([]string{
		run(nationalName, runStyle{bold: true, size: docxSmallSize}),
		run(nationalMotto, runStyle{bold: true, underline: true}),
	}, paraStyle{align: "center", after: 0})) + `</w:tr>`)
	b.WriteString(`<w:tr>` + cell(headCols[0], para(run(h.number, runStyle{}), paraStyle{align: "center", before: 120})))
	b.WriteString(cell(headCols[1], para(run(h.placeDate, runStyle{italic: true}), paraStyle{align: "center", before: 120})) + `</w:tr>`)
	b.WriteString(`</w:tbl>`)
	if doc.draft {
		b.WriteString(para(run(draftMark, runStyle{bold: true}), paraStyle{align: "center", before: 240, boxed: true}))
	}
	b.WriteString(para(run(doc.kind, runStyle{bold: true, size: 28}), paraStyle{align: "center", before: 360, after: 0}))
	for _, s := range doc.summary {
		b.WriteString(para(run(s, runStyle{bold: true, size: 28}), paraStyle{align: "center", after: 240}))
	}
	for _, bl := range doc.blocks {
		b.WriteString(docxBlock(bl))
	}
	b.WriteString(docxSignatures(doc.signers))
	if len(doc.recipients) > 0 {
		b.WriteString(para(run(recipientsTo, runStyle{bold: true, italic: true, size: docxSmallSize}), paraStyle{before: 240, after: 0}))
		for _, r := range doc.recipients {
			b.WriteString(para(run("- "+r, runStyle{size: 22}), paraStyle{after: 0}))
		}
	}
	if doc.check != "" {
		b.WriteString(para(run(checkLabel+" "+doc.check, runStyle{italic: true, size: docxFootnoteSiz}), paraStyle{before: 240, ruleAbove: true}))
	}
	// The body ends with a paragraph, never a table: Word wants one there.
	b.WriteString(para("", paraStyle{after: 0}))
	fmt.Fprintf(&b, `<w:sectPr><w:headerReference w:type="default" r:id="rIdHeader1"/><w:headerReference w:type="first" r:id="rIdHeader2"/>`+
		`<w:pgSz w:w="%d" w:h="%d"/><w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="567" w:footer="567" w:gutter="0"/>`+
		`<w:titlePg/></w:sectPr></w:body></w:document>`,
		docxPageWidth, docxPageHeight, twips(marginTop), twips(marginRight), twips(marginBottom), twips(marginLeft))
	return b.String()
}

// docxBlock writes one block of the body.
func docxBlock(bl block) string {
	switch bl.kind {
	case blockHeading:
		return para(run(bl.text, runStyle{bold: true}), paraStyle{before: 120, after: spaceAfter, keepNext: true})
	case blockSub:
		return para(run(bl.text, runStyle{bold: true}), paraStyle{indent: twips(firstIndent), after: spaceAfter, keepNext: true})
	case blockItem:
		return para(run(bl.text, runStyle{}), paraStyle{align: "both", left: twips(itemIndent), after: spaceAfter})
	case blockTable:
		return docxTable(bl.table)
	}
	return para(run(bl.text, runStyle{}), paraStyle{align: "both", indent: twips(firstIndent), after: spaceAfter})
}

// docxTable writes a ruled table, its header row repeated on each page.
func docxTable(t *table) string {
	var total float64
	for _, w := range t.widths {
		total += w
	}
	cols := make([]int, len(t.widths))
	for i, w := range t.widths {
		cols[i] = int(w / total * float64(twips(textWidth)))
	}
	var b strings.Builder
	b.WriteString(tableStart(cols, true))
	b.WriteString(`<w:tr><w:trPr><w:tblHeader/></w:trPr>`)
	for i, h := range t.header {
		b.WriteString(cell(cols[i], para(run(h, runStyle{bold: true, size: docxSmallSize}), paraStyle{align: "center", after: 0})))
	}
	b.WriteString(`</w:tr>`)
	aligns := map[byte]string{'L': "left", 'C': "center", 'R': "right"}
	for _, r := range t.rows {
		b.WriteString(`<w:tr><w:trPr><w:cantSplit/></w:trPr>`)
		for i, c := range r {
			b.WriteString(cell(cols[i], para(run(c, runStyle{size: docxSmallSize}), paraStyle{align: aligns[t.align[i]], after: 0})))
		}
		b.WriteString(`</w:tr>`)
	}
	b.WriteString(`</w:tbl>` + para("", paraStyle{after: 0}))
	return b.String()
}

// docxSignatures writes the signature rows as borderless two-column tables.
func docxSignatures(signers []signer) string {
	var b strings.Builder
	half := twips(textWidth / 2)
	for _, row := range signerRows(signers) {
		b.WriteString(para("", paraStyle{after: 0}))
		b.WriteString(tableStart([]int{half, half}, false) + `<w:tr><w:trPr><w:cantSplit/></w:trPr>`)
		if len(row) == 1 {
			b.WriteString(cell(half, para("", paraStyle{})))
		}
		for _, s := range row {
			var ps []string
			ps = append(ps, para(run(s.role, runStyle{bold: true}), paraStyle{align: "center", after: 0, keepNext: true}))
			ps = append(ps, para(run(s.note, runStyle{italic: true}), paraStyle{align: "center", after: 0, keepNext: true}))
			for range 4 {
				ps = append(ps, para("", paraStyle{after: 0, keepNext: true}))
			}
			ps = append(ps, para(run(s.name, runStyle{bold: true}), paraStyle{align: "center", after: 0}))
			b.WriteString(cell(half, strings.Join(ps, "")))
		}
		b.WriteString(`</w:tr></w:tbl>`)
	}
	return b.String()
}
