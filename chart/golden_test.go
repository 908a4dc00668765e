package chart_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden PNGs in testdata/")

// TestGoldenReferenceBallot compares the reference chart byte for byte with
// testdata/sample-co-bca.png. After a deliberate change of the drawing,
// regenerate it with `go test ./chart -run Golden -update` and look at it.
// A new Go release may change compress/flate's output and so the bytes
// while the picture stays the same; regenerate then too.
func TestGoldenReferenceBallot(t *testing.T) {
	got, _ := render(t, referenceChart())
	path := filepath.Join("testdata", "sample-co-bca.png")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatalf("write golden: %v", err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run with -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("rendering differs from %s (%d bytes, want %d); if the change is deliberate, run with -update and look at the image", path, len(got), len(want))
	}
}
