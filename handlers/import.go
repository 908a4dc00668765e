package handlers

import (
	"context"
	"errors"
	"path"
	"strings"

	"github.com/confbot/confbot/conffile"
	"github.com/confbot/confbot/setup"
)

// importFile takes a conference file an admin sends as a document with the
// caption /import; it shares its path with `confbot import FILE`.
func (r *Router) importFile(ctx context.Context, req *request) error {
	doc := req.msg.Document
	if doc == nil {
		return r.reply(ctx, req, "import.send_file")
	}
	if doc.FileSize > conffile.MaxFileSize {
		return r.reply(ctx, req, "import.too_big", "max", "1 MiB")
	}
	switch strings.ToLower(path.Ext(doc.FileName)) {
	case ".yaml", ".yml", ".txt", "":
	default:
		return r.reply(ctx, req, "import.wrong_type")
	}
	data, err := r.Files.Download(ctx, doc.FileID, conffile.MaxFileSize)
	if err != nil {
		return err
	}
	res, err := r.Setup.Import(ctx, data)
	var ferrs *conffile.Errors
	switch {
	case errors.As(err, &ferrs):
		var b strings.Builder
		b.WriteString(r.Catalog.T(req.lang, "import.errors", "count", len(*ferrs)))
		for _, e := range *ferrs {
			b.WriteString("\n• ")
			b.WriteString(string(esc(e.Error())))
		}
		return r.send(ctx, req.chatID, b.String(), nil)
	case errors.Is(err, setup.ErrInSession):
		return r.reply(ctx, req, "import.refused_in_session", "state", r.Catalog.T(req.lang, "state."+string(res.Conference.State)))
	case err != nil:
		return err
	}
	c := res.Conference
	switch {
	case res.Created:
		r.audit(ctx, c.Ref(), req, "import", "created")
	case len(res.Changes) > 0:
		r.audit(ctx, c.Ref(), req, "import", strings.Join(res.Changes, "; "))
	}
	// The admin's later commands (/invite) act on what they just imported.
	if err := r.Store.SetActive(ctx, req.user.ID, c.Ref()); err != nil {
		return err
	}
	switch {
	case res.Created:
		return r.reply(ctx, req, "import.ok_new", "conference", esc(c.Title),
			"units", len(c.Units), "ballots", len(c.Ballots), "people", len(c.People))
	case len(res.Changes) == 0:
		return r.reply(ctx, req, "import.ok_unchanged", "conference", esc(c.Title))
	}
	return r.reply(ctx, req, "import.ok_changed", "conference", esc(c.Title),
		"changes", esc("• "+strings.Join(res.Changes, "\n• ")))
}
