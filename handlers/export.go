package handlers

import (
	"context"
	"encoding/json"
	"fmt"
	"path"
	"strings"

	"github.com/confbot/confbot/ballots"
	"github.com/confbot/confbot/export"
)

// exportFiles is `/export`: the conference's tables as CSV and XLSX, its
// minutes as PDF and DOCX (with their canonical text) and each round's biên
// bản kiểm phiếu as PDF and DOCX. The files name people, so they go only to
// a private chat. The export is logged before the data are read, so the
// exported log shows who exported. The files are built now and recorded
// with a job in one step; the answer comes at once and the scheduler
// delivers them as albums at the chat's pace, each once, then "done" —
// however long that takes and whatever fails in between.
func (r *Router) exportFiles(ctx context.Context, req *request) error {
	if !req.private {
		return r.reply(ctx, req, "export.private_only")
	}
	c, ok, err := r.staffConference(ctx, req)
	if !ok {
		return err
	}
	job := r.svc.NewEffect(ballots.EffectExport, "", 0, req.chatID, nil)
	// Checked before building the files; EnqueueEffect refuses a second one all the same.
	if pending, err := r.Effects.EffectPending(ctx, c.Ref(), job.ID); err != nil || pending {
		if err != nil {
			return err
		}
		return r.reply(ctx, req, "effect.already_sending")
	}
	r.audit(ctx, c.Ref(), req, "export", "")
	d, err := export.Gather(ctx, r.records(), c.Ref())
	if err != nil {
		return err
	}
	bundle, err := export.Build(d)
	if err != nil {
		return err
	}
	b := exportBundle{Title: c.Title, Hash: bundle.MinutesHash}
	for _, f := range bundle.Files {
		b.Files = append(b.Files, exportFile{Name: f.Name, Data: f.Data,
			Caption: r.Catalog.T(req.lang, "export.caption."+captionKey(f.Name), "file", esc(f.Name))})
	}
	raw, err := json.Marshal(b)
	if err != nil {
		return fmt.Errorf("encode export: %w", err)
	}
	added, err := r.Effects.EnqueueEffect(ctx, c.Ref(), job, raw)
	if err != nil {
		return err
	}
	if !added {
		return r.reply(ctx, req, "effect.already_sending")
	}
	if r.Kick != nil {
		r.Kick()
	}
	logger(ctx).Info().Str("conference", c.Ref()).Int("files", len(b.Files)).Msg("export recorded")
	return r.reply(ctx, req, "export.preparing", "count", len(b.Files), "conference", esc(c.Title))
}

// captionKey picks a file's caption: by table for the CSV files, by kind
// for the others, a round's biên bản kiểm phiếu apart from the minutes.
func captionKey(name string) string {
	switch ext := path.Ext(name); {
	case ext == ".csv":
		return strings.TrimSuffix(name, ext)
	case strings.HasPrefix(name, "kiem-phieu-"):
		return "tally_" + strings.TrimPrefix(ext, ".")
	default:
		return strings.TrimPrefix(ext, ".")
	}
}
