package workbook_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/confbot/confbot/conffile"
	"github.com/confbot/confbot/examples"
	"github.com/confbot/confbot/workbook"
)

// FuzzParse: whatever bytes arrive as a workbook, Parse returns a
// conference or *conffile.Errors, and never panics.
func FuzzParse(f *testing.F) {
	conf, err := conffile.Parse(examples.Cum8)
	if err != nil {
		f.Fatal(err)
	}
	var buf bytes.Buffer
	if err := workbook.Write(&buf, conf); err != nil {
		f.Fatal(err)
	}
	data := buf.Bytes()
	for _, seed := range [][]byte{[]byte("PK\x03\x04"), []byte("PK\x03\x04 junk"), data, data[:len(data)/2]} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		conf, err := workbook.Parse(data)
		var errs *conffile.Errors
		if err != nil && !errors.As(err, &errs) {
			t.Fatalf("error %T: %v", err, err)
		}
		if (conf == nil) == (err == nil) {
			t.Fatalf("conference %v with error %v", conf != nil, err)
		}
	})
}
