package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/confbot/confbot/config"
	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/export"
)

// exportConference is `confbot export CONF DIR`: the same files /export
// sends in chat, written to DIR (created if missing), and logged in the
// conference's audit log as done from the command line.
func exportConference(ctx context.Context, cfg *config.Config, typed, dir string, out io.Writer) error {
	store, ref, err := openConference(ctx, cfg, typed)
	if err != nil {
		return err
	}
	defer store.Close()
	if _, err := store.Conference(ctx, ref); err != nil {
		return err
	}
	if _, err := store.AppendAudit(ctx, ref, domain.AuditEntry{ActorName: "confbot export (CLI)", Action: "export", Detail: dir}); err != nil {
		return err
	}
	d, err := export.Gather(ctx, store, ref)
	if err != nil {
		return err
	}
	bundle, err := export.Build(d)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, f := range bundle.Files {
		path := filepath.Join(dir, f.Name)
		if err := os.WriteFile(path, f.Data, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(out, "%s (%d bytes)\n", path, len(f.Data))
	}
	fmt.Fprintf(out, "minutes check code (SHA-256 of the .txt): %s\n", bundle.MinutesHash)
	return nil
}
