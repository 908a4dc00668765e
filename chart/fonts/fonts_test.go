package fonts_test

import (
	"strings"
	"testing"

	"github.com/confbot/confbot/chart/fonts"
	"golang.org/x/image/font/sfnt"
)

func TestFontsParse(t *testing.T) {
	tests := []struct {
		name string
		ttf  []byte
		want string // the font's full name
	}{
		{name: "regular", ttf: fonts.SansRegular, want: "DejaVu Sans"},
		{name: "bold", ttf: fonts.SansBold, want: "DejaVu Sans Bold"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := sfnt.Parse(tt.ttf)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			got, err := f.Name(nil, sfnt.NameIDFull)
			if err != nil {
				t.Fatalf("name: %v", err)
			}
			if got != tt.want {
				t.Errorf("full name = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLicenseTravelsWithTheFonts(t *testing.T) {
	for _, want := range []string{"Bitstream Vera", "DejaVu changes are in public domain"} {
		if !strings.Contains(fonts.License, want) {
			t.Errorf("License lacks %q", want)
		}
	}
}
