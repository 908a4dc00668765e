package export_test

import (
	"testing"

	"github.com/confbot/confbot/export"
)

// BenchmarkBuild is one /export of the reference conference: every table,
// the minutes and each round's biên bản kiểm phiếu, as PDF and DOCX.
func BenchmarkBuild(b *testing.B) {
	t := &testing.T{}
	d := referenceData(t)
	for b.Loop() {
		if _, err := export.Build(d); err != nil {
			b.Fatal(err)
		}
	}
}
