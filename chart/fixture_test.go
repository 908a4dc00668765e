package chart_test

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"testing"

	"github.com/confbot/confbot/chart"
)

// referenceChart is the tally of "Cờ thi đua của Bộ Công an" at the
// reference conference (examples/cum8-2022.yaml: six member units, "> 50%"
// of members, quota 2), with votes chosen to show every state: CNTT awarded,
// KHTC and TBKV tied for the last place, QLXD and VKHCN at exactly 50% (not
// passed), VTCY far below.
func referenceChart() chart.Chart {
	return chart.Chart{
		Title:          "Cờ thi đua của Bộ Công an",
		Subtitle:       "Vòng 1 · 6/6 đơn vị đã bỏ phiếu · ngưỡng > 50% số thành viên",
		Max:            6,
		Threshold:      3,
		ThresholdLabel: "ngưỡng > 3 phiếu",
		Legend:         []string{"Đồng ý", "Không đồng ý"},
		AwardedLabel:   "Đề nghị tặng (chỉ tiêu 2)",
		TiedLabel:      "Bằng phiếu, bỏ phiếu lại",
		Bars: []chart.Bar{
			{Label: "CNTT — Cục Công nghệ thông tin", Value: 6, Percent: 100, Passed: true, Awarded: true},
			{Label: "KHTC — Cục Kế hoạch và tài chính", Value: 4, Secondary: 2, Percent: 66.67, Passed: true, Tied: true},
			{Label: "QLXD — Cục Quản lý xây dựng và doanh trại", Value: 3, Secondary: 3, Percent: 50},
			{Label: "TBKV — Cục Trang bị và kho vận", Value: 4, Secondary: 1, Percent: 66.67, Passed: true, Tied: true},
			{Label: "VTCY — Cục Viễn thông và cơ yếu", Value: 2, Secondary: 4, Percent: 33.33},
			{Label: "VKHCN — Viện Khoa học và công nghệ", Value: 3, Secondary: 2, Percent: 50},
		},
	}
}

// manyBars is a chart of n bars with long labels, as a ballot of a large
// cluster would have.
func manyBars(n int) chart.Chart {
	c := referenceChart()
	c.Bars = make([]chart.Bar, n)
	for i := range c.Bars {
		c.Bars[i] = chart.Bar{
			Label:     fmt.Sprintf("ĐV%02d — Phòng Cảnh sát quản lý hành chính về trật tự xã hội số %d", i+1, i+1),
			Value:     i % 7,
			Secondary: (i + 3) % 4,
			Percent:   float64(i%7) * 100 / 6,
			Awarded:   i%11 == 0,
			Tied:      i%13 == 0,
		}
	}
	return c
}

// render renders c and decodes the PNG, failing the test on any error.
func render(t *testing.T, c chart.Chart) ([]byte, image.Image) {
	t.Helper()
	out, err := chart.Render(c)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("decode PNG: %v", err)
	}
	return out, img
}

// renderConfig renders c and reads only the PNG's header: the size of a
// tall image without the cost of decoding it.
func renderConfig(t *testing.T, c chart.Chart) ([]byte, image.Rectangle) {
	t.Helper()
	out, err := chart.Render(c)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("decode PNG header: %v", err)
	}
	return out, image.Rect(0, 0, cfg.Width, cfg.Height)
}

// checkTelegramLimits fails the test if a photo of these bytes and size
// would be refused by sendPhoto.
func checkTelegramLimits(t *testing.T, out []byte, bounds image.Rectangle) {
	t.Helper()
	w, h := bounds.Dx(), bounds.Dy()
	if len(out) > chart.MaxPhotoBytes {
		t.Errorf("PNG is %d bytes, over %d", len(out), chart.MaxPhotoBytes)
	}
	if w+h > chart.MaxPhotoSideSum {
		t.Errorf("width+height = %d, over %d", w+h, chart.MaxPhotoSideSum)
	}
	if long, short := max(w, h), min(w, h); short == 0 || long > chart.MaxPhotoAspectRatio*short {
		t.Errorf("%dx%d: aspect ratio over %d", w, h, chart.MaxPhotoAspectRatio)
	}
}
