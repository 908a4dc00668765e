package export_test

import (
	"bytes"
	"flag"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/confbot/confbot/export"
)

var writeDocs = flag.Bool("docs", false, "write the README's page images to ../docs")

// Nghị định 30/2020/NĐ-CP's margins, in millimetres, for the ink of a page.
const (
	leftMin, leftMax   = 30.0, 35.0
	rightMin, rightMax = 15.0, 20.0
	topMin, topMax     = 20.0, 25.0
	bottomMin          = 20.0
	slack              = 0.6 // a pixel at 72 dpi is 0.35 mm; antialiasing adds one
)

// TestRecordMargins renders every page of the minutes of both fixtures and
// of the biên bản kiểm phiếu of every layout with pdftoppm and measures the
// ink:
// the body keeps inside the margins of Nghị định 30 and fills the width
// between them (left edge at 30–35 mm, right at 15–20 mm from the edges),
// page 1 has nothing in its top margin, and from page 2 the top margin
// holds only the page number, centred over the text.
func TestRecordMargins(t *testing.T) {
	type doc struct {
		name string
		pdf  []byte
	}
	var docs []doc
	for _, fx := range fixtures {
		d := fx.data(t)
		var b bytes.Buffer
		if err := export.WriteMinutesPDF(&b, d); err != nil {
			t.Fatal(err)
		}
		docs = append(docs, doc{"minutes-" + fx.name, b.Bytes()})
		for _, rec := range d.TallyRecords() {
			if name := export.TallyRecordName(rec); fx.name == "cum12" && !strings.Contains(name, "bang-khen-tt") && !strings.HasSuffix(name, "vong-2") {
				continue // cum8's records and these two (three signers, a revote) cover every layout; each page costs time
			}
			var b bytes.Buffer
			if err := export.WriteTallyRecordPDF(&b, rec); err != nil {
				t.Fatal(err)
			}
			docs = append(docs, doc{export.TallyRecordName(rec), b.Bytes()})
		}
	}
	const dpi = 72
	mm := func(px int) float64 { return float64(px) * 25.4 / dpi }
	for _, dc := range docs {
		t.Run(dc.name, func(t *testing.T) {
			pages := pdfPages(t, dc.pdf, dpi)
			if len(pages) == 0 {
				t.Fatal("no pages")
			}
			for i, page := range pages {
				b := page.Bounds()
				if w, h := mm(b.Dx()), mm(b.Dy()); math.Abs(w-210) > 1 || math.Abs(h-297) > 1 {
					t.Fatalf("page %d is %.0f×%.0f mm, not A4", i+1, w, h)
				}
				topBand := b.Min.Y + int(math.Floor(topMin*dpi/25.4))
				body, ok := inkBox(page.(subImager).SubImage(image.Rect(b.Min.X, topBand, b.Max.X, b.Max.Y)))
				if !ok {
					t.Fatalf("page %d is blank", i+1)
				}
				left, right := mm(body.Min.X), 210-mm(body.Max.X)
				bottom := 297 - mm(body.Max.Y)
				if left < leftMin-slack || left > leftMax {
					t.Errorf("page %d: left margin %.1f mm, want %.0f–%.0f", i+1, left, leftMin, leftMax)
				}
				if right < rightMin-slack || (i == 0 && right > rightMax) {
					t.Errorf("page %d: right margin %.1f mm, want %.0f–%.0f", i+1, right, rightMin, rightMax)
				}
				if bottom < bottomMin-slack {
					t.Errorf("page %d: bottom margin %.1f mm, want at least %.0f", i+1, bottom, bottomMin)
				}
				head, inMargin := inkBox(page.(subImager).SubImage(image.Rect(b.Min.X, b.Min.Y, b.Max.X, topBand)))
				switch {
				case i == 0 && inMargin:
					t.Errorf("page 1 has ink in the top margin at %.1f mm (page 1 carries no number)", mm(head.Min.Y))
				case i == 0:
					if top := mm(body.Min.Y); top > topMax {
						t.Errorf("page 1: top margin %.1f mm, want %.0f–%.0f", top, topMin, topMax)
					}
				case !inMargin:
					t.Errorf("page %d has no page number in the top margin", i+1)
				default:
					centre := (mm(head.Min.X) + mm(head.Max.X)) / 2
					if textCentre := (30 + 195) / 2.0; math.Abs(centre-textCentre) > 2 {
						t.Errorf("page %d: page number centred at %.1f mm, want %.1f", i+1, centre, textCentre)
					}
				}
			}
		})
	}
	if *writeDocs {
		writePageImage(t, docs[0].pdf, "../docs/minutes-page1.png")
		writePageImage(t, docs[1].pdf, "../docs/kiem-phieu.png")
	}
}

type subImager interface {
	SubImage(r image.Rectangle) image.Image
}

// writePageImage writes the first page of a PDF at 80 dpi, for the README.
func writePageImage(t *testing.T, pdf []byte, path string) {
	t.Helper()
	pages := pdfPages(t, pdf, 80)
	var b bytes.Buffer
	if err := png.Encode(&b, pages[0]); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Clean(path), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
