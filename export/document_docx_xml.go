package export

import (
	"encoding/xml"
	"fmt"
	"strings"
	"time"
)

// The WordprocessingML pieces the DOCX is made of.

const (
	xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	nsW       = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsR       = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
)

// runStyle is how a run of text is set; size is in half-points, 0 for the
// body's 13 pt.
type runStyle struct {
	bold, italic, underline bool
	size                    int
}

// run is one run of text; an empty text gives no run.
func run(text string, s runStyle) string {
	if text == "" {
		return ""
	}
	var props strings.Builder
	if s.bold {
		props.WriteString(`<w:b/>`)
	}
	if s.italic {
		props.WriteString(`<w:i/>`)
	}
	// The schema fixes the order of run properties: sz before u.
	if s.size != 0 {
		fmt.Fprintf(&props, `<w:sz w:val="%d"/><w:szCs w:val="%d"/>`, s.size, s.size)
	}
	if s.underline {
		props.WriteString(`<w:u w:val="single"/>`)
	}
	return `<w:r><w:rPr>` + props.String() + `</w:rPr><w:t xml:space="preserve">` + escapeXML(text) + `</w:t></w:r>`
}

// paraStyle is how a paragraph is set.
type paraStyle struct {
	align           string // left (default), center, right, both
	before, after   int    // spacing in twips
	indent, left    int    // first-line indent and left indent, twips
	keepNext, boxed bool   // kept with the next paragraph; framed (the draft mark)
	ruleAbove       bool   // a thin rule above (the check line)
}

// para is one paragraph holding the runs.
func para(runs string, s paraStyle) string {
	var props strings.Builder
	if s.keepNext {
		props.WriteString(`<w:keepNext/>`)
	}
	if s.boxed {
		props.WriteString(`<w:pBdr><w:top w:val="single" w:sz="6" w:space="1" w:color="000000"/><w:left w:val="single" w:sz="6" w:space="4" w:color="000000"/>` +
			`<w:bottom w:val="single" w:sz="6" w:space="1" w:color="000000"/><w:right w:val="single" w:sz="6" w:space="4" w:color="000000"/></w:pBdr>`)
	}
	if s.ruleAbove {
		props.WriteString(`<w:pBdr><w:top w:val="single" w:sz="4" w:space="1" w:color="000000"/></w:pBdr>`)
	}
	fmt.Fprintf(&props, `<w:spacing w:before="%d" w:after="%d"/>`, s.before, s.after)
	if s.indent != 0 || s.left != 0 {
		fmt.Fprintf(&props, `<w:ind w:left="%d" w:firstLine="%d"/>`, s.left, s.indent)
	}
	if s.align != "" {
		fmt.Fprintf(&props, `<w:jc w:val="%s"/>`, s.align)
	}
	return `<w:p><w:pPr>` + props.String() + `</w:pPr>` + runs + `</w:p>`
}

// paragraphs makes one paragraph of each run, all in style s; empty runs
// are skipped.
func paragraphs(runs []string, s paraStyle) string {
	var b strings.Builder
	for _, r := range runs {
		if r != "" {
			b.WriteString(para(r, s))
		}
	}
	return b.String()
}

// tableStart opens a table of the given column widths, ruled or not.
func tableStart(cols []int, ruled bool) string {
	var b strings.Builder
	total := 0
	for _, c := range cols {
		total += c
	}
	border := "nil"
	if ruled {
		border = "single"
	}
	// The schema fixes the order of table properties: width, borders, layout, cell margins.
	fmt.Fprintf(&b, `<w:tbl><w:tblPr><w:tblW w:w="%d" w:type="dxa"/><w:tblBorders>`, total)
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		fmt.Fprintf(&b, `<w:%s w:val="%s" w:sz="4" w:space="0" w:color="000000"/>`, side, border)
	}
	b.WriteString(`</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>`)
	for _, c := range cols {
		fmt.Fprintf(&b, `<w:gridCol w:w="%d"/>`, c)
	}
	b.WriteString(`</w:tblGrid>`)
	return b.String()
}

// cell is one table cell of the given width holding paragraphs (a cell
// must hold at least one).
func cell(width int, content string) string {
	if content == "" {
		content = para("", paraStyle{})
	}
	return fmt.Sprintf(`<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/></w:tcPr>%s</w:tc>`, width, content)
}

func escapeXML(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // a strings.Builder does not fail
	return b.String()
}

// docxHeader is a page header: the page number centred, or nothing (the
// first page's).
func docxHeader(pageNumber bool) string {
	body := `<w:p><w:pPr><w:jc w:val="center"/></w:pPr></w:p>`
	if pageNumber {
		body = `<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:fldChar w:fldCharType="begin"/></w:r>` +
			`<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>` +
			`<w:r><w:t>2</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>`
	}
	return xmlHeader + `<w:hdr xmlns:w="` + nsW + `" xmlns:r="` + nsR + `">` + body + `</w:hdr>`
}

// docxCore is docProps/core.xml: title, author, the document's date.
func docxCore(doc *document, date time.Time) string {
	stamp := date.UTC().Format(time.RFC3339)
	return xmlHeader + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
		`xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<dc:title>` + escapeXML(doc.title) + `</dc:title><dc:creator>` + escapeXML(doc.author) + `</dc:creator><dc:language>vi-VN</dc:language>` +
		`<dcterms:created xsi:type="dcterms:W3CDTF">` + stamp + `</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">` + stamp + `</dcterms:modified>` +
		`</cp:coreProperties>`
}

const docxContentTypes = xmlHeader + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
	`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
	`<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>` +
	`<Override PartName="/word/header2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>` +
	`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
	`</Types>`

const docxRootRels = xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`</Relationships>`

const docxDocumentRels = xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
	`<Relationship Id="rIdHeader1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>` +
	`<Relationship Id="rIdHeader2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header2.xml"/>` +
	`</Relationships>`

// docxStyles sets Times New Roman 13 pt, single-and-a-bit line spacing, for
// every paragraph, in Vietnamese.
const docxStyles = xmlHeader + `<w:styles xmlns:w="` + nsW + `"><w:docDefaults><w:rPrDefault><w:rPr>` +
	`<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="Times New Roman" w:cs="Times New Roman"/>` +
	`<w:sz w:val="26"/><w:szCs w:val="26"/><w:lang w:val="vi-VN"/></w:rPr></w:rPrDefault>` +
	`<w:pPrDefault><w:pPr><w:spacing w:after="60" w:line="276" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>` +
	`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>` +
	`<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/></w:style>` +
	`</w:styles>`
