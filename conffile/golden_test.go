package conffile_test

import (
	"flag"
	"os"
	"testing"
)

// update rewrites golden files: go test ./conffile -run Golden -update
var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

func TestBrokenManyGolden(t *testing.T) {
	errs := parseErrors(t, readFile(t, "testdata/broken-many.yaml"))
	if len(errs) < 10 {
		t.Errorf("got %d errors, want at least 10", len(errs))
	}
	got := errs.Error() + "\n"
	const golden = "testdata/broken-many.golden"
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want := string(readFile(t, golden))
	if got != want {
		t.Errorf("errors differ from %s (run with -update to accept):\ngot:\n%s\nwant:\n%s", golden, got, want)
	}
}
