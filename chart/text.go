package chart

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"strings"

	"github.com/confbot/confbot/chart/fonts"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// faceSet makes the faces of one Render, one per weight and size. Faces
// keep per-glyph scratch buffers and are not safe for concurrent use, so
// each call gets its own.
type faceSet struct {
	regular, bold *opentype.Font
	made          map[faceKey]font.Face
}

type faceKey struct {
	bold bool
	size float64
}

func newFaceSet() (*faceSet, error) {
	regular, err := opentype.Parse(fonts.SansRegular)
	if err != nil {
		return nil, fmt.Errorf("parse regular font: %w", err)
	}
	bold, err := opentype.Parse(fonts.SansBold)
	if err != nil {
		return nil, fmt.Errorf("parse bold font: %w", err)
	}
	return &faceSet{regular: regular, bold: bold, made: map[faceKey]font.Face{}}, nil
}

// face returns the face of that weight and size in pixels (72 DPI makes
// points pixels). Hinting is off so glyphs sit at fractional positions and
// spacing stays even at small sizes.
func (s *faceSet) face(bold bool, size float64) (font.Face, error) {
	key := faceKey{bold, size}
	if f, ok := s.made[key]; ok {
		return f, nil
	}
	src := s.regular
	if bold {
		src = s.bold
	}
	f, err := opentype.NewFace(src, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil, fmt.Errorf("make face %v px: %w", size, err)
	}
	s.made[key] = f
	return f, nil
}

func (s *faceSet) close() {
	for _, f := range s.made {
		_ = f.Close() // opentype faces hold no resources; Close never fails
	}
}

// measure is the advance of s in whole pixels, rounded up.
func measure(f font.Face, s string) int {
	return font.MeasureString(f, s).Ceil()
}

// lineHeight is the distance between baselines of f, in pixels.
func lineHeight(f font.Face) int {
	return f.Metrics().Height.Ceil()
}

// ascent is the height above the baseline of f's tallest letters, with
// room for Vietnamese stacked marks (Ấ, Ỗ).
func ascent(f font.Face) int {
	return f.Metrics().Ascent.Ceil()
}

// descent is the depth below the baseline of f's letters (g, ạ).
func descent(f font.Face) int {
	return f.Metrics().Descent.Ceil()
}

// drawString draws s with its baseline at y, starting at x, and returns the
// x where it ended.
func drawString(dst draw.Image, f font.Face, x, y int, s string, c color.Color) int {
	d := font.Drawer{Dst: dst, Src: image.NewUniform(c), Face: f, Dot: fixed.P(x, y)}
	d.DrawString(s)
	return d.Dot.X.Ceil()
}

// wrapText breaks s into at most maxLines lines no wider than width,
// at spaces where it can and inside a word only when the word alone is too
// wide; what does not fit ends the last line with "…".
func wrapText(f font.Face, s string, width, maxLines int) []string {
	words := strings.Fields(s)
	if len(words) == 0 || maxLines <= 0 {
		return nil
	}
	var lines []string
	line := ""
	for _, w := range words {
		candidate := w
		if line != "" {
			candidate = line + " " + w
		}
		if measure(f, candidate) <= width {
			line = candidate
			continue
		}
		if line != "" {
			lines = append(lines, line)
		}
		line = w
		for measure(f, line) > width {
			head, tail := splitToFit(f, line, width)
			lines = append(lines, head)
			line = tail
		}
	}
	lines = append(lines, line)
	if len(lines) <= maxLines {
		return lines
	}
	rest := strings.Join(lines[maxLines-1:], " ")
	return append(lines[:maxLines-1], ellipsize(f, rest+"…", width))
}

// splitToFit cuts a word too wide for one line after the last rune that
// fits (at least one, so wrapping always advances).
func splitToFit(f font.Face, word string, width int) (head, tail string) {
	runes := []rune(word)
	n := 1
	for n < len(runes) && measure(f, string(runes[:n+1])) <= width {
		n++
	}
	return string(runes[:n]), string(runes[n:])
}

// ellipsize shortens s to width by cutting runes from its end and putting
// "…" in their place; s already ending in "…" keeps one.
func ellipsize(f font.Face, s string, width int) string {
	if measure(f, s) <= width {
		return s
	}
	runes := []rune(strings.TrimSuffix(s, "…"))
	for len(runes) > 0 {
		cut := strings.TrimRight(string(runes), " ,;·—-") + "…"
		if measure(f, cut) <= width {
			return cut
		}
		runes = runes[:len(runes)-1]
	}
	return "…"
}
