package handlers

import (
	"bytes"
	"context"
	"fmt"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/confbot/confbot/bot"
	"github.com/confbot/confbot/conffile"
	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/examples"
	"github.com/confbot/confbot/workbook"
)

// template sends the conference as a workbook (`/template`): the person's
// conference, to edit and import again (next year starts from last year's),
// or the reference conference as the example when they have none. It is
// what `confbot template` and `confbot export-config` write.
func (r *Router) template(ctx context.Context, req *request) error {
	ref, err := r.activeRef(ctx, req)
	if err != nil {
		return err
	}
	key := "template.current"
	var c *domain.Conference
	if ref != "" {
		if c, err = r.Store.Conference(ctx, ref); err != nil {
			return err
		}
	} else {
		key = "template.example"
		if c, err = conffile.Parse(examples.Cum8); err != nil {
			return fmt.Errorf("the reference conference: %w", err)
		}
	}
	var buf bytes.Buffer
	if err := workbook.Write(&buf, c); err != nil {
		return err
	}
	name := c.Cluster.ID + "-" + c.ID + ".xlsx"
	_, err = r.Out.SendDocument(ctx, bot.Interactive, &tgbot.SendDocumentParams{
		ChatID:    req.chatID,
		Document:  &models.InputFileUpload{Filename: name, Data: bytes.NewReader(buf.Bytes())},
		Caption:   r.Catalog.T(req.lang, key, "conference", esc(c.Title)),
		ParseMode: models.ParseModeHTML,
	})
	if err != nil {
		return fmt.Errorf("send %s: %w", name, err)
	}
	return nil
}
