package handlers

import (
	"bytes"
	"context"
	"fmt"
	"path"
	"strings"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/confbot/confbot/bot"
	"github.com/confbot/confbot/export"
)

// exportFiles is `/export`: the conference's tables as CSV and XLSX, its
// minutes as PDF and DOCX (with their canonical text) and each round's biên
// bản kiểm phiếu as PDF and DOCX, sent as documents. The files
// name people, so they go only to a private chat. The export is logged
// before the data are read, so the exported log shows who exported.
func (r *Router) exportFiles(ctx context.Context, req *request) error {
	if !req.private {
		return r.reply(ctx, req, "export.private_only")
	}
	c, ok, err := r.staffConference(ctx, req)
	if !ok {
		return err
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
	logger(ctx).Info().Str("conference", c.Ref()).Int("files", len(bundle.Files)).Msg("exported")
	for _, f := range bundle.Files {
		caption := r.Catalog.T(req.lang, "export.caption."+captionKey(f.Name), "file", esc(f.Name))
		_, err := r.Out.SendDocument(ctx, bot.Interactive, &tgbot.SendDocumentParams{
			ChatID:    req.chatID,
			Document:  &models.InputFileUpload{Filename: f.Name, Data: bytes.NewReader(f.Data)},
			Caption:   caption,
			ParseMode: models.ParseModeHTML,
		})
		if err != nil {
			return fmt.Errorf("send %s: %w", f.Name, err)
		}
	}
	return r.reply(ctx, req, "export.done", "count", len(bundle.Files), "conference", esc(c.Title), "hash", bundle.MinutesHash)
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
