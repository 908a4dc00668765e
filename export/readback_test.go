package export_test

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
)

// Reading the records back as a person would: the PDF's text with
// pdftotext, its pages as images with pdftoppm (both poppler-utils), the
// DOCX's text from its XML.

// tool finds a poppler program: skipped when missing, unless CI asks for it
// with CONFBOT_REQUIRE_TOOLS.
func tool(t *testing.T, name string) string {
	t.Helper()
	bin, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CONFBOT_REQUIRE_TOOLS") != "" {
			t.Fatalf("CONFBOT_REQUIRE_TOOLS is set but %s (poppler-utils) is missing", name)
		}
		t.Skipf("%s (poppler-utils) is not installed", name)
	}
	return bin
}

// pdfPages renders every page at dpi with pdftoppm.
func pdfPages(t *testing.T, pdf []byte, dpi int) []image.Image {
	t.Helper()
	bin := tool(t, "pdftoppm")
	dir := t.TempDir()
	path := filepath.Join(dir, "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, "-r", fmt.Sprint(dpi), "-gray", "-png", path, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
	names, err := filepath.Glob(filepath.Join(dir, "page-*.png"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names) // pdftoppm pads the page numbers to one width
	var pages []image.Image
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		pages = append(pages, img)
	}
	return pages
}

// inkBox is the smallest rectangle holding every dark pixel of img (darker
// than about 60 % grey; lighter is paper), and false on a blank page.
func inkBox(img image.Image) (image.Rectangle, bool) {
	gray, ok := img.(*image.Gray)
	if !ok {
		g := image.NewGray(img.Bounds())
		draw.Draw(g, g.Bounds(), img, img.Bounds().Min, draw.Src)
		gray = g
	}
	b := gray.Bounds()
	minX, minY, maxX, maxY := b.Max.X, b.Max.Y, b.Min.X-1, b.Min.Y-1
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := gray.Pix[gray.PixOffset(b.Min.X, y) : gray.PixOffset(b.Max.X-1, y)+1]
		for i, v := range row {
			if v <= 0xa0 {
				minX, maxX = min(minX, b.Min.X+i), max(maxX, b.Min.X+i)
				minY, maxY = min(minY, y), max(maxY, y)
			}
		}
	}
	if maxX < minX {
		return image.Rectangle{}, false
	}
	return image.Rect(minX, minY, maxX+1, maxY+1), true
}

// docxParts unzips a DOCX: part name → content.
func docxParts(t *testing.T, docx []byte) map[string]string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(docx), int64(len(docx)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	parts := map[string]string{}
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		parts[f.Name] = string(data)
	}
	return parts
}

// docxParagraphs reads a DOCX's word/document.xml and gives the text of
// each non-empty paragraph, in document order (the cells of a table one
// after another).
func docxParagraphs(t *testing.T, docx []byte) []string {
	t.Helper()
	body, ok := docxParts(t, docx)["word/document.xml"]
	if !ok {
		t.Fatal("the DOCX has no word/document.xml")
	}
	dec := xml.NewDecoder(strings.NewReader(body))
	var paras []string
	var cur strings.Builder
	inText := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("word/document.xml: %v", err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			inText = el.Name.Local == "t"
		case xml.EndElement:
			inText = false
			if el.Name.Local == "p" {
				if s := strings.TrimSpace(cur.String()); s != "" {
					paras = append(paras, s)
				}
				cur.Reset()
			}
		case xml.CharData:
			if inText {
				cur.Write(el)
			}
		}
	}
	return paras
}

// words is the sorted multiset of a text's words: two renderings of one
// document have the same words, whatever order their columns come out in.
func words(s string) []string {
	w := strings.Fields(s)
	slices.Sort(w)
	return w
}

// sameWords reports the words one sorted list has more (+) or fewer (-)
// of than the other.
func sameWords(a, b []string) (string, bool) {
	if slices.Equal(a, b) {
		return "", true
	}
	var diff []string
	for w, n := range surplus(a, b) {
		if n != 0 {
			diff = append(diff, fmt.Sprintf("%q×%+d", w, n))
		}
	}
	slices.Sort(diff)
	return strings.Join(diff, " "), false
}

// surplus counts, for each word, how many more a has than b.
func surplus(a, b []string) map[string]int {
	extra := map[string]int{}
	for _, w := range a {
		extra[w]++
	}
	for _, w := range b {
		extra[w]--
	}
	return extra
}
