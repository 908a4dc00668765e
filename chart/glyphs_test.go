package chart_test

import (
	"testing"

	"github.com/confbot/confbot/chart/fonts"
	"golang.org/x/image/font/sfnt"
)

// vietnamese is every letter Vietnamese adds to ASCII, with the quotes its
// documents use.
const vietnamese = "ĐđƠơƯưẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹ“”" +
	"ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúýĂăĨĩŨũ"

// chartSymbols are what the chart draws besides the caller's text.
const chartSymbols = "★⚖…—·%"

// TestEmbeddedFontsCoverEveryRune checks both weights have a real glyph
// (not .notdef) for printable ASCII, all of Vietnamese, the chart's own
// symbols and every rune of the reference ballot's texts.
func TestEmbeddedFontsCoverEveryRune(t *testing.T) {
	text := vietnamese + chartSymbols
	for r := rune(0x20); r < 0x7F; r++ {
		text += string(r)
	}
	c := referenceChart()
	text += c.Title + c.Subtitle + c.ThresholdLabel + c.AwardedLabel + c.TiedLabel
	for _, s := range c.Legend {
		text += s
	}
	for _, b := range c.Bars {
		text += b.Label
	}
	for _, tt := range []struct {
		name string
		ttf  []byte
	}{
		{name: "regular", ttf: fonts.SansRegular},
		{name: "bold", ttf: fonts.SansBold},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f, err := sfnt.Parse(tt.ttf)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			var buf sfnt.Buffer
			for _, r := range text {
				i, err := f.GlyphIndex(&buf, r)
				if err != nil || i == 0 {
					t.Errorf("no glyph for %q (%U): index %d, err %v", r, r, i, err)
				}
			}
		})
	}
}
