package chart_test

import (
	"bytes"
	"errors"
	"image"
	"strings"
	"sync"
	"testing"

	"github.com/confbot/confbot/chart"
)

func TestRenderReferenceBallotSize(t *testing.T) {
	out, img := render(t, referenceChart())
	// The header, six rows of 48 px and the axis. A change here is a change
	// of the layout: look at the golden image.
	if got, want := img.Bounds().Size(), image.Pt(chart.Width, 498); got != want {
		t.Errorf("size = %v, want %v", got, want)
	}
	checkTelegramLimits(t, out, img.Bounds())
}

func TestRenderWithinTelegramLimits(t *testing.T) {
	tests := []struct {
		name      string
		chart     chart.Chart
		minHeight int // the image must be at least this tall (the rows are there)
		slow      bool
	}{
		{name: "no bars", chart: chart.Chart{Title: "Cờ thi đua của Bộ Công an"}},
		{name: "zero value chart", chart: chart.Chart{}},
		{name: "one bar", chart: manyBars(1), minHeight: 48},
		{name: "60 bars", chart: manyBars(60), minHeight: 60 * 48},
		// Thin rows, one label line, smaller text; the image is as tall as
		// Telegram allows, which makes this the slowest case (seconds with
		// -race), skipped with -short.
		{name: "400 bars shrink", chart: manyBars(400), minHeight: 400 * 14, slow: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.slow && testing.Short() {
				t.Skip("slow: a 1000×8600 image")
			}
			out, bounds := renderConfig(t, tt.chart)
			if w := bounds.Dx(); w != chart.Width {
				t.Errorf("width = %d, want %d", w, chart.Width)
			}
			if h := bounds.Dy(); h < tt.minHeight {
				t.Errorf("height = %d, want at least %d", h, tt.minHeight)
			}
			checkTelegramLimits(t, out, bounds)
		})
	}
}

func TestRenderTooManyBars(t *testing.T) {
	_, err := chart.Render(manyBars(2000))
	if !errors.Is(err, chart.ErrTooManyBars) {
		t.Errorf("Render(2000 bars) error = %v, want ErrTooManyBars", err)
	}
}

func TestRenderZeroScale(t *testing.T) {
	tests := []struct {
		name  string
		chart chart.Chart
	}{
		{name: "zero max and zero votes", chart: chart.Chart{
			Title: "Bằng khen của Bộ trưởng", Threshold: -1,
			Bars: []chart.Bar{{Label: "KHTC"}, {Label: "QLXD"}},
		}},
		{name: "zero max takes the largest bar", chart: chart.Chart{
			Bars: []chart.Bar{{Label: "KHTC", Value: 3, Secondary: 2, Percent: 50}},
		}},
		{name: "bars beyond max are clipped", chart: chart.Chart{
			Max: 2, Threshold: 5,
			Bars: []chart.Bar{{Label: "KHTC", Value: 30, Secondary: 20, Percent: 500}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, img := render(t, tt.chart)
			checkTelegramLimits(t, out, img.Bounds())
		})
	}
}

func TestRenderRejectsInvalidInput(t *testing.T) {
	nan := func() float64 { var zero float64; return zero / zero }()
	tests := []struct {
		name string
		bar  chart.Bar
	}{
		{name: "negative value", bar: chart.Bar{Label: "A", Value: -1}},
		{name: "negative secondary", bar: chart.Bar{Label: "A", Secondary: -1}},
		{name: "NaN percent", bar: chart.Bar{Label: "A", Percent: nan}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := chart.Render(chart.Chart{Bars: []chart.Bar{tt.bar}})
			if !errors.Is(err, chart.ErrInvalid) {
				t.Errorf("error = %v, want ErrInvalid", err)
			}
		})
	}
}

func TestRenderIsDeterministic(t *testing.T) {
	first, _ := render(t, referenceChart())
	for range 3 {
		again, _ := render(t, referenceChart())
		if !bytes.Equal(first, again) {
			t.Fatal("two renderings of the same chart differ")
		}
	}
}

// TestRenderConcurrently guards the faces: each call must have its own
// (run with -race).
func TestRenderConcurrently(t *testing.T) {
	want, _ := render(t, referenceChart())
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			got, err := chart.Render(referenceChart())
			if err == nil && !bytes.Equal(got, want) {
				err = errors.New("concurrent rendering differs")
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

// TestLabelsAreDrawn renders the reference chart with and without its
// labels: the pixels that differ must exist, and lie in the label column on
// the left (not spill over the bars).
func TestLabelsAreDrawn(t *testing.T) {
	with := referenceChart()
	without := referenceChart()
	without.Bars = append([]chart.Bar(nil), without.Bars...)
	for i := range without.Bars {
		without.Bars[i].Label = ""
	}
	_, a := render(t, with)
	_, b := render(t, without)
	differing, outside := 0, 0
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				differing++
				if x >= chart.Width*37/100 { // the label column is the left 36%
					outside++
				}
			}
		}
	}
	if differing < 1000 {
		t.Errorf("only %d pixels differ with labels drawn; want the text of six labels", differing)
	}
	if outside > 0 {
		t.Errorf("%d pixels of the labels are right of the label column", outside)
	}
}

// TestDiacriticsAreDrawn renders a bar labelled with a letter and with the
// same letter carrying Vietnamese marks: the marks must change the picture.
func TestDiacriticsAreDrawn(t *testing.T) {
	tests := []struct{ name, plain, marked string }{
		{name: "dot below", plain: "A", marked: "Ạ"},
		{name: "circumflex and acute", plain: "Â", marked: "Ấ"},
		{name: "horn", plain: "U O", marked: "Ư Ơ"},
		{name: "stroke", plain: "D", marked: "Đ"},
		{name: "tilde over breve", plain: "ă", marked: "ẵ"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, _ := render(t, chart.Chart{Bars: []chart.Bar{{Label: tt.plain}}})
			b, _ := render(t, chart.Chart{Bars: []chart.Bar{{Label: tt.marked}}})
			if bytes.Equal(a, b) {
				t.Errorf("%q draws the same as %q", tt.marked, tt.plain)
			}
		})
	}
}

// TestDecomposedTextDrawsLikePrecomposed: a label typed as vowels followed
// by combining marks, in any order of the marks, draws exactly as the
// precomposed label.
func TestDecomposedTextDrawsLikePrecomposed(t *testing.T) {
	tests := []struct{ name, precomposed, decomposed string }{
		{name: "canonical order", precomposed: "Cục Kế hoạch", decomposed: "Cu\u0323c Ke\u0302\u0301 hoa\u0323ch"},
		{name: "dot below typed last", precomposed: "Việt Nam", decomposed: "Vie\u0302\u0323t Nam"},
		{name: "horn and hook", precomposed: "Phường Ở", decomposed: "Phu\u031Bo\u031B\u0300ng O\u031B\u0309"},
		{name: "mark with no letter to join", precomposed: "x\u0301", decomposed: "x\u0301"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := referenceChart()
			c.Title = tt.precomposed
			c.Bars = []chart.Bar{{Label: tt.precomposed, Value: 1}}
			want, _ := render(t, c)
			c.Title = tt.decomposed
			c.Bars = []chart.Bar{{Label: tt.decomposed, Value: 1}}
			got, _ := render(t, c)
			if !bytes.Equal(got, want) {
				t.Errorf("%q does not draw as %q", tt.decomposed, tt.precomposed)
			}
		})
	}
}

// TestLongLabelsAreShortened: a label far too long for two lines still
// renders, within the label column (TestLabelsAreDrawn's bound), ending
// in an ellipsis rather than overflowing.
func TestLongLabelsAreShortened(t *testing.T) {
	long := strings.Repeat("Phòng Cảnh sát quản lý hành chính về trật tự xã hội ", 10)
	unbroken := strings.Repeat("Đ", 300)
	for _, label := range []string{long, unbroken} {
		with := chart.Chart{Bars: []chart.Bar{{Label: label, Value: 1}}}
		without := chart.Chart{Bars: []chart.Bar{{Value: 1}}}
		_, a := render(t, with)
		_, b := render(t, without)
		if a.Bounds() != b.Bounds() {
			t.Fatalf("a long label changed the size: %v, want %v", a.Bounds(), b.Bounds())
		}
		for y := 0; y < a.Bounds().Dy(); y++ {
			for x := chart.Width * 37 / 100; x < chart.Width; x++ {
				if a.At(x, y) != b.At(x, y) {
					t.Fatalf("label %.20q… spills to (%d,%d)", label, x, y)
				}
			}
		}
	}
}
