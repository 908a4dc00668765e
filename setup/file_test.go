package setup_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/confbot/confbot/conffile"
	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/examples"
	"github.com/confbot/confbot/setup"
	"github.com/confbot/confbot/workbook"
)

// lister is a fixed list of conferences.
type lister []string

func (l lister) Conferences(context.Context) ([]string, error) { return l, nil }

func TestResolveRef(t *testing.T) {
	l := lister{"cum8-bt/tk-2022", "cum8-bt/tk-2023", "cum12/tk-2022", "cum12/tk-2025"}
	for _, tc := range []struct {
		typed, want string
		err         error
		mention     string
	}{
		{"cum8-bt/tk-2022", "cum8-bt/tk-2022", nil, ""},
		{"tk-2025", "cum12/tk-2025", nil, ""},
		{"tk-2023", "cum8-bt/tk-2023", nil, ""},
		{"tk-2022", "", setup.ErrAmbiguous, "cum8-bt/tk-2022, cum12/tk-2022"},
		{"tk-1999", "", domain.ErrNotFound, "known: cum8-bt/tk-2022"},
		{"cum9/tk-2022", "", domain.ErrNotFound, ""},
	} {
		got, err := setup.ResolveRef(context.Background(), l, tc.typed)
		if got != tc.want || !errors.Is(err, tc.err) || (tc.mention != "" && !strings.Contains(err.Error(), tc.mention)) {
			t.Errorf("ResolveRef(%s) = %q, %v; want %q, %v mentioning %q", tc.typed, got, err, tc.want, tc.err, tc.mention)
		}
	}
}

// TestParseFileBothForms: the example and its workbook are one conference.
func TestParseFileBothForms(t *testing.T) {
	fromYAML, err := setup.ParseFile(examples.Cum8)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := workbook.Write(&buf, fromYAML); err != nil {
		t.Fatal(err)
	}
	fromXLSX, err := setup.ParseFile(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if d := conffile.Diff(fromYAML, fromXLSX); len(d) > 0 {
		t.Errorf("the forms differ: %v", d)
	}
	var errs *conffile.Errors
	if _, err := setup.ParseFile([]byte("PK\x03\x04junk")); !errors.As(err, &errs) {
		t.Errorf("junk: %v, want *conffile.Errors", err)
	}
}

// TestCheckStoresNothing says what an import would do without doing it,
// and an import of the workbook then stores the YAML's conference.
func TestCheckStoresNothing(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2022, 11, 1, 9, 0, 0, 0, time.UTC)
	svc, store := newService(t, &now)
	res, err := svc.Check(ctx, examples.Cum8)
	if err != nil || !res.Created {
		t.Fatalf("check of a new conference: %+v, %v", res, err)
	}
	if _, err := store.Conference(ctx, ref); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("check stored the conference: %v", err)
	}
	if _, err := svc.Import(ctx, examples.Cum8); err != nil {
		t.Fatal(err)
	}
	conf, _ := setup.ParseFile(examples.Cum8)
	conf.Location = "Đà Nẵng"
	var buf bytes.Buffer
	if err := workbook.Write(&buf, conf); err != nil {
		t.Fatal(err)
	}
	res, err = svc.Check(ctx, buf.Bytes())
	if err != nil || res.Created || len(res.Changes) != 1 || !strings.Contains(res.Changes[0], "Đà Nẵng") {
		t.Fatalf("check of a changed workbook: %+v, %v", res.Changes, err)
	}
	if stored, _ := store.Conference(ctx, ref); stored.Location != "Hà Nội" {
		t.Errorf("check changed the location to %s", stored.Location)
	}
	if res, err = svc.Import(ctx, buf.Bytes()); err != nil || len(res.Changes) != 1 {
		t.Fatalf("import of the workbook: %+v, %v", res, err)
	}
	if stored, _ := store.Conference(ctx, ref); stored.Location != "Đà Nẵng" {
		t.Errorf("the workbook's import stored %s", stored.Location)
	}
}
