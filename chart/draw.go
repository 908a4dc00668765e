package chart

import (
	"image"
	"image/color"
	"image/draw"
	"strconv"
	"strings"
)

// The palette: bars in one blue, the awarded in green, the tied in amber,
// the second count in a light red that reads as "against" next to them.
var (
	colorBackground = color.RGBA{0xFF, 0xFF, 0xFF, 0xFF}
	colorInk        = color.RGBA{0x1E, 0x29, 0x3B, 0xFF}
	colorMuted      = color.RGBA{0x64, 0x74, 0x8B, 0xFF}
	colorGrid       = color.RGBA{0xE2, 0xE8, 0xF0, 0xFF}
	colorTrack      = color.RGBA{0xF4, 0xF6, 0xF9, 0xFF}
	colorValue      = color.RGBA{0x25, 0x63, 0xEB, 0xFF}
	colorAwarded    = color.RGBA{0x15, 0x80, 0x3D, 0xFF}
	colorTied       = color.RGBA{0xD9, 0x77, 0x06, 0xFF}
	colorSecondary  = color.RGBA{0xFC, 0xA5, 0xA5, 0xFF}
	colorSecondInk  = color.RGBA{0x99, 0x1B, 0x1B, 0xFF}
	colorStar       = color.RGBA{0xCA, 0x8A, 0x04, 0xFF}
	colorThreshold  = color.RGBA{0x0F, 0x17, 0x2A, 0xFF}
)

// Marks after the count of an awarded or a tied bar, and in the legend.
const (
	markAwarded = "★"
	markTied    = "⚖"
)

// swatch is a colour the legend explains.
type swatch int

const (
	swatchValue swatch = iota
	swatchSecondary
	swatchAwarded
	swatchTied
)

const swatchSize = 14

func (s swatch) color() color.RGBA {
	switch s {
	case swatchSecondary:
		return colorSecondary
	case swatchAwarded:
		return colorAwarded
	case swatchTied:
		return colorTied
	default:
		return colorValue
	}
}

func (l *layout) draw() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, Width, l.height))
	fill(img, img.Bounds(), colorBackground)
	l.drawHeader(img)
	if len(l.c.Bars) == 0 {
		return img
	}
	l.drawAxis(img)
	for i := range l.c.Bars {
		l.drawBar(img, i)
	}
	l.drawThreshold(img)
	return img
}

func (l *layout) drawHeader(img *image.RGBA) {
	y := l.titleTop
	for _, line := range l.title {
		drawString(img, l.titleFace, margin, y+ascent(l.titleFace), line, colorInk)
		y += lineHeight(l.titleFace)
	}
	y = l.subtitleTop
	for _, line := range l.subtitle {
		drawString(img, l.textFace, margin, y+ascent(l.textFace), line, colorMuted)
		y += lineHeight(l.textFace)
	}
	f := l.legendFace
	lh := lineHeight(f)
	for _, it := range l.legend {
		x := margin + it.x
		top := l.legendTop + it.row*lh
		box := image.Rect(x, top+(lh-swatchSize)/2, x+swatchSize, top+(lh-swatchSize)/2+swatchSize)
		fill(img, box, it.kind.color())
		x += swatchSize + 8
		baseline := top + (lh+ascent(f))/2 - 2
		if it.mark != "" {
			x = drawString(img, f, x, baseline, it.mark+" ", markColor(it.mark))
		}
		text := ellipsize(f, it.text, Width-margin-x)
		drawString(img, f, x, baseline, text, colorInk)
	}
}

func (l *layout) barsBottom() int { return l.barsTop + len(l.c.Bars)*l.rowH }

// xOf maps a count on the scale to a pixel column of the bar area.
func (l *layout) xOf(v float64) int {
	x := barLeft + int(v/float64(l.scaleMax)*float64(barRight-barLeft)+0.5)
	return min(max(x, barLeft), barRight)
}

// drawAxis draws the tracks behind the bars, the grid and its counts.
func (l *layout) drawAxis(img *image.RGBA) {
	for i := range l.c.Bars {
		top := l.barsTop + i*l.rowH + (l.rowH-l.barH)/2
		fill(img, image.Rect(barLeft, top, barRight, top+l.barH), colorTrack)
	}
	top, bottom := l.barsTop-6, l.barsBottom()+4
	baseline := bottom + 4 + ascent(l.smallFace)
	step := tickStep(l.scaleMax)
	lastLabelled := -1 << 30
	for t := 0; t <= l.scaleMax; t += step {
		x := l.xOf(float64(t))
		fill(img, image.Rect(x, top, x+1, bottom), colorGrid)
		lastLabelled = l.drawTick(img, x, baseline, t)
	}
	if end := l.xOf(float64(l.scaleMax)); l.scaleMax%step != 0 {
		fill(img, image.Rect(end, top, end+1, bottom), colorGrid)
		if end-lastLabelled >= 28 {
			l.drawTick(img, end, baseline, l.scaleMax)
		}
	}
}

func (l *layout) drawTick(img *image.RGBA, x, baseline, v int) int {
	s := strconv.Itoa(v)
	drawString(img, l.smallFace, x-measure(l.smallFace, s)/2, baseline, s, colorMuted)
	return x
}

// tickStep is 1, 2 or 5 times a power of ten, the smallest that puts at
// most ten intervals on the scale.
func tickStep(scale int) int {
	for p := 1; ; p *= 10 {
		for _, m := range []int{1, 2, 5} {
			if scale/(m*p) <= 10 {
				return m * p
			}
		}
	}
}

func (l *layout) drawBar(img *image.RGBA, i int) {
	b := l.c.Bars[i]
	rowTop := l.barsTop + i*l.rowH
	centre := rowTop + l.rowH/2

	lh := lineHeight(l.labelFace)
	lines := l.labels[i]
	y := centre - len(lines)*lh/2
	for _, line := range lines {
		drawString(img, l.labelFace, margin, y+ascent(l.labelFace)-1, line, colorInk)
		y += lh
	}

	top := rowTop + (l.rowH-l.barH)/2
	valueEnd := l.xOf(float64(b.Value))
	end := l.xOf(float64(b.Value + b.Secondary))
	fill(img, image.Rect(barLeft, top, valueEnd, top+l.barH), barColor(b))
	fill(img, image.Rect(valueEnd, top, end, top+l.barH), colorSecondary)
	textBaseline := centre + (ascent(l.valueFace)*7/10)/2 + 1
	// Each segment carries its count when there is room, so the split of
	// the stacked bar reads without the legend.
	if l.stacked {
		l.drawInside(img, barLeft, valueEnd, textBaseline, b.Value, colorBackground)
		l.drawInside(img, valueEnd, end, textBaseline, b.Secondary, colorSecondInk)
	}

	face := l.valueFace
	if b.Awarded {
		face = l.valueBoldFace
	}
	// The counts stand in one column right of the scale, where the eye
	// compares them, rather than at each bar's end.
	x := drawString(img, face, barRight+12, textBaseline, countText(b), l.countColor(b))
	if b.Awarded {
		x = drawString(img, face, x, textBaseline, " "+markAwarded, colorStar)
	}
	if b.Tied {
		drawString(img, face, x, textBaseline, " "+markTied, colorTied)
	}
}

// drawInside writes n centred between x0 and x1 if it fits there, moving
// it clear of the pass line when the line would cross it.
func (l *layout) drawInside(img *image.RGBA, x0, x1, baseline, n int, c color.RGBA) {
	if n <= 0 {
		return
	}
	s := strconv.Itoa(n)
	w := measure(l.valueFace, s) + 8
	spans := [][2]int{{x0, x1}}
	if l.c.Threshold >= 0 {
		if line := l.xOf(l.c.Threshold); line > x0+(x1-x0-w)/2-2 && line < x0+(x1-x0+w)/2+2 {
			// The larger side first, so the count stays as central as it can.
			spans = [][2]int{{x0, line - 2}, {line + 2, x1}}
			if line-x0 < x1-line {
				spans[0], spans[1] = spans[1], spans[0]
			}
		}
	}
	for _, sp := range spans {
		if w <= sp[1]-sp[0] {
			drawString(img, l.valueFace, sp[0]+(sp[1]-sp[0]-w)/2+4, baseline, s, c)
			return
		}
	}
}

// countText is "5 (83,33%)": the count, then the percentage with a decimal
// comma as Vietnamese documents print it.
func countText(b Bar) string {
	pct := strings.Replace(strconv.FormatFloat(b.Percent, 'f', 2, 64), ".", ",", 1)
	return strconv.Itoa(b.Value) + " (" + pct + "%)"
}

// barColor is the colour of b's first segment.
func barColor(b Bar) color.RGBA {
	switch {
	case b.Awarded:
		return colorAwarded
	case b.Tied:
		return colorTied
	default:
		return colorValue
	}
}

// countColor greys the count of a bar that missed the pass line, so pass
// and fail read down the column of counts without another colour of bar.
func (l *layout) countColor(b Bar) color.RGBA {
	if !b.Passed && l.c.Threshold >= 0 {
		return colorMuted
	}
	return colorInk
}

func markColor(mark string) color.RGBA {
	if mark == markTied {
		return colorTied
	}
	return colorStar
}

// drawThreshold draws the pass line dashed over the bars, with its label
// above it.
func (l *layout) drawThreshold(img *image.RGBA) {
	if l.c.Threshold < 0 {
		return
	}
	x := l.xOf(l.c.Threshold)
	top, bottom := l.barsTop-6, l.barsBottom()+4
	for y := top; y < bottom; y += 10 {
		fill(img, image.Rect(x-1, y, x+1, min(y+6, bottom)), colorThreshold)
	}
	if l.c.ThresholdLabel == "" {
		return
	}
	s := ellipsize(l.smallFace, l.c.ThresholdLabel, Width-2*margin)
	w := measure(l.smallFace, s)
	left := min(max(x-w/2, margin), Width-margin-w)
	drawString(img, l.smallFace, left, top-6-descent(l.smallFace), s, colorThreshold)
}

func fill(img *image.RGBA, r image.Rectangle, c color.RGBA) {
	draw.Draw(img, r, image.NewUniform(c), image.Point{}, draw.Src)
}
