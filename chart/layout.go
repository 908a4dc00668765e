package chart

import (
	"math"

	"golang.org/x/image/font"
)

// Geometry of the chart, in pixels. A row is one bar with its label; rows
// shrink from rowHeight towards minRowHeight when there are too many bars
// for Telegram's limits, losing the second label line below
// twoLineRowHeight and switching to smaller text below compactRowHeight.
const (
	margin           = 32
	labelWidth       = 330 // the label column, left of the bars
	labelGap         = 16  // between the label column and the bars
	valueWidth       = 170 // right of the longest bar: "12 (100,00%) ★ ⚖"
	rowHeight        = 48
	twoLineRowHeight = 40
	compactRowHeight = 26
	minRowHeight     = 14
	maxHeight        = MaxPhotoSideSum - Width // width + height ≤ 10000; the ratio then holds too

	titleSize   = 26
	textSize    = 16 // subtitle
	labelSize   = 15 // labels, counts, legend
	compactSize = 12 // labels and counts in thin rows
	smallSize   = 12 // axis ticks, threshold label
)

// legendItem is one entry of the legend: a swatch, an optional mark and a
// text, placed at (x, row).
type legendItem struct {
	kind swatch
	mark string
	text string
	x    int
	row  int
}

// layout is a Chart measured and placed; draw turns it into pixels.
type layout struct {
	c      Chart
	height int

	titleFace, textFace, legendFace, labelFace, valueFace, valueBoldFace, smallFace font.Face

	title, subtitle []string
	titleTop        int
	subtitleTop     int
	legend          []legendItem
	legendTop       int
	barsTop         int
	rowH, barH      int
	labels          [][]string
	stacked         bool // some bar has a Secondary: bars are split in two
	scaleMax        int
}

// Columns of the bar area.
const (
	barLeft  = margin + labelWidth + labelGap
	barRight = Width - margin - valueWidth
)

func layOut(c Chart, faces *faceSet) (*layout, error) {
	l := &layout{c: c, scaleMax: scaleMax(c)}
	var err error
	if l.titleFace, err = faces.face(true, titleSize); err != nil {
		return nil, err
	}
	if l.textFace, err = faces.face(false, textSize); err != nil {
		return nil, err
	}
	if l.smallFace, err = faces.face(false, smallSize); err != nil {
		return nil, err
	}
	if l.legendFace, err = faces.face(false, labelSize); err != nil {
		return nil, err
	}

	contentWidth := Width - 2*margin
	y := margin
	l.titleTop = y
	l.title = wrapText(l.titleFace, c.Title, contentWidth, 2)
	y += len(l.title) * lineHeight(l.titleFace)
	if len(l.title) > 0 {
		y += 6
	}
	l.subtitleTop = y
	l.subtitle = wrapText(l.textFace, c.Subtitle, contentWidth, 2)
	y += len(l.subtitle) * lineHeight(l.textFace)
	l.legend = legendItems(c, l.legendFace, contentWidth)
	if len(l.legend) > 0 {
		y += 14
		l.legendTop = y
		y += (l.legend[len(l.legend)-1].row + 1) * lineHeight(l.legendFace)
	}
	n := len(c.Bars)
	if n == 0 {
		// Only the header: an axis with nothing on it would read as a
		// result of zero votes. The minimum keeps the photo's aspect ratio.
		l.height = max(y+margin, Width/MaxPhotoAspectRatio)
		return l, nil
	}
	y += 18
	if c.ThresholdLabel != "" && c.Threshold >= 0 {
		y += lineHeight(l.smallFace) + 4
	}
	l.barsTop = y
	chrome := y + 8 + lineHeight(l.smallFace) + margin // the axis below the bars, then the margin

	l.rowH = rowHeight
	if n > 0 && chrome+n*rowHeight > maxHeight {
		l.rowH = (maxHeight - chrome) / n
	}
	if l.rowH < minRowHeight {
		return nil, ErrTooManyBars
	}
	l.barH = max(6, l.rowH*11/20)
	size, lines := float64(labelSize), 2
	if l.rowH < twoLineRowHeight {
		lines = 1
	}
	if l.rowH < compactRowHeight {
		size = compactSize
	}
	if l.labelFace, err = faces.face(false, size); err != nil {
		return nil, err
	}
	l.valueFace = l.labelFace
	if l.valueBoldFace, err = faces.face(true, size); err != nil {
		return nil, err
	}
	l.labels = make([][]string, n)
	for i, b := range c.Bars {
		l.stacked = l.stacked || b.Secondary > 0
		l.labels[i] = wrapText(l.labelFace, b.Label, labelWidth, lines)
	}
	l.height = chrome + n*l.rowH
	return l, nil
}

// scaleMax is the count at the right end of the bars: c.Max, or else the
// largest bar or the threshold, and never 0 so there is always a scale.
func scaleMax(c Chart) int {
	if c.Max > 0 {
		return c.Max
	}
	m := int(math.Ceil(c.Threshold))
	for _, b := range c.Bars {
		m = max(m, b.Value+b.Secondary)
	}
	return max(m, 1)
}

// legendItems lists the legend's entries and flows them into rows no wider
// than width.
func legendItems(c Chart, f font.Face, width int) []legendItem {
	var items []legendItem
	if len(c.Legend) > 0 && c.Legend[0] != "" {
		items = append(items, legendItem{kind: swatchValue, text: c.Legend[0]})
	}
	if len(c.Legend) > 1 && c.Legend[1] != "" {
		items = append(items, legendItem{kind: swatchSecondary, text: c.Legend[1]})
	}
	anyAwarded, anyTied := false, false
	for _, b := range c.Bars {
		anyAwarded = anyAwarded || b.Awarded
		anyTied = anyTied || b.Tied
	}
	if anyAwarded && c.AwardedLabel != "" {
		items = append(items, legendItem{kind: swatchAwarded, mark: markAwarded, text: c.AwardedLabel})
	}
	if anyTied && c.TiedLabel != "" {
		items = append(items, legendItem{kind: swatchTied, mark: markTied, text: c.TiedLabel})
	}
	x, row := 0, 0
	for i := range items {
		w := legendItemWidth(f, items[i], width)
		if x > 0 && x+w > width {
			x, row = 0, row+1
		}
		items[i].x, items[i].row = x, row
		x += w + 28
	}
	return items
}

// legendItemWidth is the swatch, the gap, the mark and the text, capped at
// the whole width (drawing ellipsises a text that long).
func legendItemWidth(f font.Face, it legendItem, width int) int {
	w := swatchSize + 8 + measure(f, it.text)
	if it.mark != "" {
		w += measure(f, it.mark+" ")
	}
	return min(w, width)
}
