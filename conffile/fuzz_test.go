package conffile_test

import (
	"errors"
	"os"
	"testing"

	"github.com/confbot/confbot/conffile"
)

// FuzzParse checks that no input panics and that Parse returns either a
// conference or a non-empty *Errors, never both and never neither.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"testdata/cum8-2022.yaml", "testdata/cum12-full.yaml", "testdata/broken-many.yaml"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(smallFile))
	f.Fuzz(func(t *testing.T, data []byte) {
		conf, err := conffile.Parse(data)
		if err == nil {
			if conf == nil {
				t.Fatal("nil conference without an error")
			}
			// A valid file must be equal to itself.
			if diff := conffile.Diff(conf, conf); len(diff) != 0 {
				t.Fatalf("Diff of a conference with itself: %v", diff)
			}
			return
		}
		var errs *conffile.Errors
		if conf != nil || !errors.As(err, &errs) || len(*errs) == 0 {
			t.Fatalf("Parse = %v, %T %v", conf, err, err)
		}
	})
}
