package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/examples"
	"github.com/confbot/confbot/export"
	"github.com/confbot/confbot/storage"
	"github.com/confbot/confbot/storage/storagetest"
)

func TestExportAndNewYearCLI(t *testing.T) {
	ctx := context.Background()
	url, prefix := storagetest.URL(t)
	env := map[string]string{"REDIS_URL": url, "REDIS_PREFIX": prefix}
	dir := t.TempDir()
	file := filepath.Join(dir, "cum8.yaml")
	if err := os.WriteFile(file, examples.Cum8, 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := runCLI(env, "import", file); code != 0 {
		t.Fatalf("import: %d %q %q", code, out, errs)
	}

	outDir := filepath.Join(dir, "out")
	code, out, errs := runCLI(env, "export", "cum8-bt/tk-2022", outDir)
	if code != 0 {
		t.Fatalf("export: %d %q %q", code, out, errs)
	}
	names := []string{"attendance.csv", "summaries.csv", "results.csv", "votes.csv", "audit.csv",
		"confbot-cum8-bt-tk-2022.xlsx", "bien-ban-cum8-bt-tk-2022.pdf", "bien-ban-cum8-bt-tk-2022.txt",
		"scores.csv", "bien-ban-cum8-bt-tk-2022.docx"}
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join(outDir, n))
		if err != nil || len(data) == 0 {
			t.Errorf("%s: %v (%d bytes)", n, err, len(data))
		}
	}
	text, _ := os.ReadFile(filepath.Join(outDir, "bien-ban-cum8-bt-tk-2022.txt"))
	if hash := export.MinutesHash(string(text)); !strings.Contains(out, hash) {
		t.Errorf("the printed check code is not the .txt's SHA-256 %s:\n%s", hash, out)
	}
	if !strings.Contains(string(text), "\nDỰ THẢO\n") {
		t.Error("the minutes of a draft conference do not say so")
	}
	audit, _ := os.ReadFile(filepath.Join(outDir, "audit.csv"))
	if !strings.Contains(string(audit), "confbot export (CLI),export,"+outDir) {
		t.Errorf("the export is not in its own audit log:\n%s", audit)
	}
	if code, _, errs := runCLI(env, "export", "cum8-bt/nope", outDir); code != 1 || !strings.Contains(errs, "not found") {
		t.Errorf("export of an unknown conference: %d %q", code, errs)
	}

	if code, _, errs := runCLI(env, "newyear", "cum8-bt/tk-2022", "2023"); code != 1 || !strings.Contains(errs, "not closed") {
		t.Errorf("newyear of a draft: %d %q", code, errs)
	}
	if code, _, errs := runCLI(env, "newyear", "cum8-bt/tk-2022", "next"); code != 1 || !strings.Contains(errs, "not a year") {
		t.Errorf("newyear with a bad year: %d %q", code, errs)
	}
	rdb, err := storage.NewClient(storage.Options{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	store := storage.New(rdb, prefix)
	if _, err := store.UpdateConference(ctx, "cum8-bt/tk-2022", func(c *domain.Conference) error {
		c.State, c.NextChairUnit = domain.StateClosed, "VKHCN"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	code, out, errs = runCLI(env, "newyear", "cum8-bt/tk-2022", "2023")
	if code != 0 || !strings.Contains(out, "created cum8-bt/tk-2023 (draft): chair VKHCN, starts 2023-11-24 08:00") {
		t.Fatalf("newyear: %d %q %q", code, out, errs)
	}
	n, err := store.Conference(ctx, "cum8-bt/tk-2023")
	if err != nil || n.State != domain.StateDraft || n.ChairUnit != "VKHCN" || n.Year != 2023 {
		t.Fatalf("the 2023 draft: %+v, %v", n, err)
	}
	if code, _, errs := runCLI(env, "newyear", "cum8-bt/tk-2022", "2023"); code != 1 || !strings.Contains(errs, "exists already") {
		t.Errorf("a second newyear: %d %q", code, errs)
	}
	entries, err := store.AuditTail(ctx, "cum8-bt/tk-2023", 0)
	if err != nil || len(entries) != 1 || entries[0].Action != "newyear" || entries[0].Detail != "from cum8-bt/tk-2022" {
		t.Errorf("the new conference's log: %+v, %v", entries, err)
	}
	if code, _, _ := runCLI(env, "newyear", "cum8-bt/tk-2022"); code != 2 {
		t.Errorf("newyear without a year: exit %d, want 2", code)
	}
}
