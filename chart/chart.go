// Package chart draws a ballot's tally as a PNG bar chart for Telegram:
// one horizontal bar per candidate, the label on the left (Vietnamese, with
// all its diacritics, in the embedded DejaVu Sans of chart/fonts), the count
// and percentage on the right, the pass line dashed across the bars, the
// awarded marked with ★ and the tied with ⚖.
//
// It is pure Go (golang.org/x/image), so the same input gives the same bytes
// on every machine with the same Go toolchain; the tests keep a golden PNG.
// It knows no domain types: the caller fills Chart from a tally and supplies
// every word (title, legend) in the conference's language.
package chart

import (
	"bytes"
	"errors"
	"fmt"
	"image/png"
	"math"
)

// Width is the width of every chart, in pixels.
const Width = 1000

// Telegram's limits on a photo (sendPhoto); Render never returns a PNG
// that breaks them.
const (
	MaxPhotoBytes       = 10 << 20 // at most 10 MB
	MaxPhotoSideSum     = 10000    // width + height
	MaxPhotoAspectRatio = 20       // longer side / shorter side
)

// ErrTooManyBars is returned when the bars cannot be made thin enough to fit
// Telegram's photo limits and still be read (several hundred bars).
var ErrTooManyBars = errors.New("chart: too many bars for one photo")

// ErrInvalid is wrapped by the errors Render returns for input it cannot
// draw: a negative count or a percentage that is not a number.
var ErrInvalid = errors.New("chart: invalid input")

// Bar is one candidate's line of the chart.
type Bar struct {
	Label     string  // the candidate, e.g. "CNTT — Cục Công nghệ thông tin"; wrapped to two lines, then ellipsised
	Value     int     // the count that passes or not (đồng ý, or picks), the bar's first segment
	Secondary int     // a second count drawn after Value in its own colour (không đồng ý); 0 if unused
	Percent   float64 // Value as a percentage of the base, printed "83,33%"
	Passed    bool    // the threshold is met; with a pass line, the count of a bar that did not pass is greyed
	Awarded   bool    // within the quota: drawn in the awarded colour and marked ★
	Tied      bool    // undecided at the quota's edge: drawn in the tied colour and marked ⚖
}

// Chart is everything drawn on one image.
type Chart struct {
	Title    string // the ballot, e.g. "Cờ thi đua của Bộ Công an"; bold, up to two lines
	Subtitle string // e.g. "Vòng 1 · 6/6 đơn vị đã bỏ phiếu · ngưỡng > 50% số thành viên"
	Bars     []Bar  // in display order; none draws an empty axis

	// Max is the end of the scale (e.g. the base the percentages are of);
	// 0 takes the largest Value+Secondary (and the threshold), so a chart
	// of zeros still has a scale.
	Max int
	// Threshold is the pass line as a count on the same scale (3.0 of 6
	// for "> 50%" of six members), drawn dashed; negative draws no line.
	// Note that the zero value draws the line at 0.
	Threshold float64
	// ThresholdLabel is written above the pass line, e.g. "ngưỡng > 3"; optional.
	ThresholdLabel string

	// Legend names the two segments, e.g. "Đồng ý", "Không đồng ý"; empty
	// entries and a missing second entry are not shown.
	Legend []string
	// AwardedLabel and TiedLabel explain ★ and ⚖ in the legend, e.g.
	// "Đề nghị tặng" and "Bằng phiếu, bỏ phiếu lại"; each is shown only when
	// non-empty and some bar is so marked.
	AwardedLabel string
	TiedLabel    string
}

// Render draws c as a PNG Width pixels wide; the height grows with the bars
// (48 px each) and, for long ballots, the bars get thinner so the image
// stays within Telegram's photo limits. Text in combining form (a vowel
// followed by its marks) is composed first, so it draws as the precomposed
// letters. Errors wrap ErrInvalid or are ErrTooManyBars.
func Render(c Chart) ([]byte, error) {
	for i, b := range c.Bars {
		if b.Value < 0 || b.Secondary < 0 {
			return nil, fmt.Errorf("%w: bar %d: negative count", ErrInvalid, i)
		}
		if math.IsNaN(b.Percent) || math.IsInf(b.Percent, 0) {
			return nil, fmt.Errorf("%w: bar %d: percentage is not a number", ErrInvalid, i)
		}
	}
	if math.IsNaN(c.Threshold) || math.IsInf(c.Threshold, 0) {
		return nil, fmt.Errorf("%w: threshold is not a number", ErrInvalid)
	}
	faces, err := newFaceSet()
	if err != nil {
		return nil, err
	}
	defer faces.close()
	l, err := layOut(normalize(c), faces)
	if err != nil {
		return nil, err
	}
	img := l.draw()
	var out bytes.Buffer
	// BestSpeed: a chart goes to every secretary and the group at each
	// close; the default level costs five times the time for a tenth less.
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&out, img); err != nil {
		return nil, fmt.Errorf("encode chart: %w", err)
	}
	if out.Len() > MaxPhotoBytes {
		return nil, fmt.Errorf("%w: %d bytes", ErrTooManyBars, out.Len())
	}
	return out.Bytes(), nil
}

// normalize composes every text of c (see composeVietnamese) on a copy.
func normalize(c Chart) Chart {
	c.Title = composeVietnamese(c.Title)
	c.Subtitle = composeVietnamese(c.Subtitle)
	c.ThresholdLabel = composeVietnamese(c.ThresholdLabel)
	c.AwardedLabel = composeVietnamese(c.AwardedLabel)
	c.TiedLabel = composeVietnamese(c.TiedLabel)
	legend := make([]string, len(c.Legend))
	for i, s := range c.Legend {
		legend[i] = composeVietnamese(s)
	}
	c.Legend = legend
	bars := make([]Bar, len(c.Bars))
	for i, b := range c.Bars {
		b.Label = composeVietnamese(b.Label)
		bars[i] = b
	}
	c.Bars = bars
	return c
}
