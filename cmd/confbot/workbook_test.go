package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/confbot/confbot/conffile"
	"github.com/confbot/confbot/conffile/conffiletest"
	"github.com/confbot/confbot/examples"
	"github.com/confbot/confbot/setup"
	"github.com/confbot/confbot/storage/storagetest"
)

// TestWorkbookCLI: template → check → import → export-config to XLSX and
// YAML gives the reference conference back, and CONF may be a bare id.
func TestWorkbookCLI(t *testing.T) {
	url, prefix := storagetest.URL(t)
	env := map[string]string{"REDIS_URL": url, "REDIS_PREFIX": prefix}
	dir := t.TempDir()
	book := filepath.Join(dir, "hoi-nghi.xlsx")

	if code, out, errs := runCLI(nil, "template", book); code != 0 || !strings.Contains(out, "cum8-bt/tk-2022") {
		t.Fatalf("template: %d %q %q", code, out, errs)
	}
	if code, out, errs := runCLI(env, "check", book); code != 0 || !strings.Contains(out, "would create cum8-bt/tk-2022 (6 units, 5 ballots, 9 people)") {
		t.Fatalf("check: %d %q %q", code, out, errs)
	}
	if code, out, errs := runCLI(env, "import", book); code != 0 || !strings.Contains(out, "imported cum8-bt/tk-2022") {
		t.Fatalf("import: %d %q %q", code, out, errs)
	}
	if code, out, _ := runCLI(env, "check", book); code != 0 || !strings.Contains(out, "unchanged") {
		t.Errorf("check after import: %d %q", code, out)
	}
	want, _ := conffile.Parse(examples.Cum8)
	for _, name := range []string{"back.xlsx", "back.yaml"} {
		path := filepath.Join(dir, name)
		if code, out, errs := runCLI(env, "export-config", "tk-2022", path); code != 0 || !strings.Contains(out, "cum8-bt/tk-2022") {
			t.Fatalf("export-config %s: %d %q %q", name, code, out, errs)
		}
		data, _ := os.ReadFile(path)
		got, err := setup.ParseFile(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		conffiletest.AssertSame(t, want, got)
	}
	if code, _, errs := runCLI(env, "export-config", "tk-2022", filepath.Join(dir, "x.csv")); code != 1 || !strings.Contains(errs, "FILE.xlsx") {
		t.Errorf("export-config to .csv: %d %q", code, errs)
	}

	// A second cluster with a tk-2022 makes the bare id ambiguous.
	other := filepath.Join(dir, "other.yaml")
	_ = os.WriteFile(other, bytes.Replace(examples.Cum8, []byte("id: cum8-bt"), []byte("id: cum9-bt"), 1), 0o600)
	if code, _, errs := runCLI(env, "import", other); code != 0 {
		t.Fatalf("import other: %q", errs)
	}
	code, _, errs := runCLI(env, "export-config", "tk-2022", filepath.Join(dir, "y.yaml"))
	if code != 1 || !strings.Contains(errs, "cum8-bt/tk-2022, cum9-bt/tk-2022") {
		t.Errorf("ambiguous id: %d %q", code, errs)
	}

	broken := filepath.Join(dir, "broken.xlsx")
	_ = os.WriteFile(broken, []byte("PK\x03\x04 junk"), 0o600)
	if code, _, errs := runCLI(env, "check", broken); code != 1 || !strings.Contains(errs, "không phải sổ tính Excel (XLSX)") {
		t.Errorf("check junk: %d %q", code, errs)
	}
}

// TestHealth asks a /healthz that answers and one that does not.
func TestHealth(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write([]byte("ok\n"))
	}))
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")
	if code, out, errs := runCLI(map[string]string{"HTTP_ADDR": addr}, "health"); code != 0 || out != "ok\n" {
		t.Errorf("health: %d %q %q", code, out, errs)
	}
	srv.Close()
	if code, _, _ := runCLI(map[string]string{"HTTP_ADDR": addr}, "health"); code != 1 {
		t.Errorf("health of a stopped bot: %d, want 1", code)
	}
}
