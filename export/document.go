package export

import (
	"strings"
)

// A document is a formal record in the form of Nghị định 30/2020/NĐ-CP
// (Phụ lục I): the two-column header, the type of document and its
// summary, the body, the signature blocks, Nơi nhận. The minutes and each
// round's biên bản kiểm phiếu are documents; one PDF renderer and one DOCX
// renderer set them, and the canonical text (the lines a check code is the
// SHA-256 of) is read from the same value, so the three always say the
// same words.
type document struct {
	head       documentHead
	draft      bool     // prints "DỰ THẢO" until the conference is closed
	kind       string   // "BIÊN BẢN", "BIÊN BẢN KIỂM PHIẾU"
	summary    []string // what the record is of, centred under kind
	blocks     []block
	signers    []signer // side by side, two to a row
	recipients []string // Nơi nhận; none on a biên bản kiểm phiếu
	check      string   // the check code printed last; empty for none
	title      string   // the file's title property
	author     string   // the file's author property
}

// documentHead is the two-column header: the superior body over the issuing
// body and the number on the left, the national name and motto over the
// place and date on the right.
type documentHead struct {
	superior  string // in capitals; may be empty
	issuer    string // in capitals, bold
	number    string // "Số:      /BB-CTĐ8"
	placeDate string // "Hà Nội, ngày 24 tháng 11 năm 2022"
}

// The national name and motto every administrative document carries.
const (
	nationalName  = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
	nationalMotto = "Độc lập - Tự do - Hạnh phúc"
	draftMark     = "DỰ THẢO"
	checkLabel    = "Mã xác thực nội dung (SHA-256):"
	recipientsTo  = "Nơi nhận:"
)

// blockKind says how a block of the body is set.
type blockKind int

const (
	blockHeading blockKind = iota // bold: I., II., …
	blockSub                      // bold: 1., 2., … under a heading
	blockPara                     // a justified paragraph
	blockItem                     // an indented list item
	blockTable                    // a ruled table
)

// block is one paragraph or table of the body.
type block struct {
	kind  blockKind
	text  string
	table *table
}

// table is a ruled table: a bold header row, then rows of text cells.
// widths are relative; align has one letter a column (L, C, R).
type table struct {
	header []string
	rows   [][]string
	widths []float64
	align  string
}

// signer is one signature block: the role in capitals, the note, the space
// for the signature, the typed name.
type signer struct {
	role string // "THƯ KÝ", "CHỦ TRÌ", "TRƯỞNG BAN"
	note string // "(Ký, ghi rõ họ tên)"
	name string // "Thiếu tướng Dương Văn Tính"; blank space when unknown
}

// builder collects a document's blocks.
type builder struct{ blocks []block }

func (b *builder) heading(s string) { b.blocks = append(b.blocks, block{kind: blockHeading, text: s}) }
func (b *builder) sub(s string)     { b.blocks = append(b.blocks, block{kind: blockSub, text: s}) }
func (b *builder) para(s string)    { b.blocks = append(b.blocks, block{kind: blockPara, text: s}) }
func (b *builder) item(s string)    { b.blocks = append(b.blocks, block{kind: blockItem, text: s}) }
func (b *builder) grid(t *table)    { b.blocks = append(b.blocks, block{kind: blockTable, table: t}) }

// lines is the document as canonical text, one line a paragraph, the
// columns of a row joined by a tab, the check code left out.
func (doc *document) lines() []string {
	h := doc.head
	out := []string{
		join(h.superior, nationalName),
		join(h.issuer, nationalMotto),
		join(h.number, h.placeDate),
	}
	if doc.draft {
		out = append(out, draftMark)
	}
	out = append(out, doc.kind)
	out = append(out, doc.summary...)
	for _, b := range doc.blocks {
		if b.kind != blockTable {
			out = append(out, b.text)
			continue
		}
		out = append(out, strings.Join(b.table.header, "\t"))
		for _, r := range b.table.rows {
			out = append(out, strings.Join(r, "\t"))
		}
	}
	for _, row := range signerRows(doc.signers) {
		var roles, notes, names []string
		for _, s := range row {
			roles, notes, names = append(roles, s.role), append(notes, s.note), append(names, s.name)
		}
		out = append(out, strings.Join(roles, "\t"), strings.Join(notes, "\t"), strings.Join(names, "\t"))
	}
	if len(doc.recipients) > 0 {
		out = append(out, recipientsTo)
		for _, r := range doc.recipients {
			out = append(out, "- "+r)
		}
	}
	return out
}

// text is the canonical text: every line ended by "\n".
func (doc *document) text() string {
	var b strings.Builder
	for _, l := range doc.lines() {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.String()
}

// signerRows lays signature blocks out two to a row; an odd last one sits
// alone on the right, where a single signer signs.
func signerRows(signers []signer) [][]signer {
	var rows [][]signer
	for i := 0; i < len(signers); i += 2 {
		rows = append(rows, signers[i:min(i+2, len(signers))])
	}
	return rows
}

// join puts a header row's two columns on one canonical line.
func join(left, right string) string { return left + "\t" + right }
