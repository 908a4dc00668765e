package handlers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/confbot/confbot/bot"
	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/i18n"
)

// conversationTTL ends an abandoned conversation: its state expires in Redis.
const conversationTTL = 30 * time.Minute

// Steps of the /summary conversation.
const (
	stepDocument = "document"
	stepText     = "text"
	stepScore    = "score"
)

// summaryDraft is an open /summary conversation. Nothing of it is a summary
// until the last step stores one whole version.
type summaryDraft struct {
	Kind     string                  `json:"kind"` // "summary": the only conversation so far
	Ref      string                  `json:"ref"`
	Unit     string                  `json:"unit"`
	Step     string                  `json:"step"`
	Document *domain.SummaryDocument `json:"document,omitempty"`
	Text     string                  `json:"text,omitempty"`
}

// summary starts or completes a submission: `/summary` (a conversation),
// a document with the caption `/summary [score S [text]]`, or the typed
// `/summary [UNIT] [score] S [text]`.
func (r *Router) summary(ctx context.Context, req *request) error {
	c, m, ok, err := r.ownConference(ctx, req)
	if !ok {
		return err
	}
	if !c.IsMember(m.Unit) {
		return r.reply(ctx, req, "summary.guest")
	}
	if !c.SummaryOpen() {
		return r.reply(ctx, req, "summary.not_open", "state", r.Catalog.T(req.lang, "state."+string(c.State)))
	}
	if !req.private {
		return r.reply(ctx, req, "error.private_only", "link", "https://t.me/"+r.BotUsername)
	}
	args := req.cmd.Fields
	if len(args) > 0 {
		if u, isUnit := c.LookupUnit(args[0]); isUnit {
			if u.Code != m.Unit {
				return r.reply(ctx, req, "summary.other_unit", "unit", u.Code, "own", m.Unit)
			}
			args = args[1:]
		}
	}
	if len(args) > 0 && isScoreWord(args[0]) {
		if args = args[1:]; len(args) == 0 {
			return r.reply(ctx, req, "summary.usage")
		}
	}
	draft := summaryDraft{Kind: "summary", Ref: c.Ref(), Unit: m.Unit, Step: stepDocument}
	scoreArg, text := "", ""
	if len(args) > 0 {
		scoreArg, text = args[0], strings.Join(args[1:], " ")
		// A typed score completes the open conversation with its file and text.
		if prev, found, err := r.loadDraft(ctx, req.user.ID); err != nil {
			return err
		} else if found && prev.Ref == c.Ref() && prev.Unit == m.Unit && req.msg.Document == nil {
			draft = prev
		}
	}
	if doc := req.msg.Document; doc != nil {
		sd, refused, err := r.takeDocument(ctx, req, doc)
		if refused || err != nil {
			return err
		}
		draft.Document, draft.Step = sd, stepText
	}
	if text != "" {
		if draft.Text, err = domain.CleanSummaryText(text); err != nil {
			return r.reply(ctx, req, "summary.text_too_long", "max", domain.MaxSummaryText)
		}
	}
	if scoreArg == "" {
		return r.saveDraft(ctx, req, c, draft)
	}
	return r.scoreStep(ctx, req, c, draft, scoreArg)
}

func isScoreWord(s string) bool {
	switch strings.ToLower(s) {
	case "score", "điểm", "diem":
		return true
	}
	return false
}

func (r *Router) continueSummary(ctx context.Context, req *request, draft summaryDraft) error {
	c, err := r.Store.Conference(ctx, draft.Ref)
	if err != nil {
		return err
	}
	// What allowed the conversation to start must still hold: a re-import
	// may have removed the person, or the summaries closed meanwhile.
	if m := req.memberFor(draft.Ref); m == nil || m.Unit != draft.Unit || !c.SummaryOpen() {
		if _, err := r.att().EndConversation(ctx, req.user.ID); err != nil {
			return err
		}
		return r.reply(ctx, req, "summary.conversation_ended")
	}
	if doc := req.msg.Document; doc != nil {
		sd, refused, err := r.takeDocument(ctx, req, doc)
		if refused || err != nil {
			return err
		}
		draft.Document = sd
		if draft.Step == stepDocument {
			draft.Step = stepText
		}
		return r.saveDraft(ctx, req, c, draft)
	}
	switch draft.Step {
	case stepDocument:
		return r.reply(ctx, req, "summary.need_document")
	case stepText:
		if req.msg.Text == "" {
			return r.saveDraft(ctx, req, c, draft) // a sticker or a photo: ask again
		}
		if draft.Text, err = domain.CleanSummaryText(req.msg.Text); err != nil {
			return r.reply(ctx, req, "summary.text_too_long", "max", domain.MaxSummaryText)
		}
		draft.Step = stepScore
		return r.saveDraft(ctx, req, c, draft)
	}
	return r.scoreStep(ctx, req, c, draft, req.msg.Text)
}

// scoreStep stores the version when the score is valid; otherwise the
// person is told what is wrong and the conversation waits for the score.
func (r *Router) scoreStep(ctx context.Context, req *request, c *domain.Conference, draft summaryDraft, input string) error {
	score, err := domain.ParseScore(input, c.ScoreMax)
	if err != nil {
		key := "summary.bad_score_number"
		switch {
		case errors.Is(err, domain.ErrScoreRange):
			key = "summary.bad_score_range"
		case errors.Is(err, domain.ErrScorePrecision):
			key = "summary.bad_score_precision"
		}
		if draft.Document != nil || draft.Step != stepDocument {
			draft.Step = stepScore
			if err := r.att().SaveConversation(ctx, req.user.ID, mustDraft(draft), conversationTTL); err != nil {
				return err
			}
		}
		return r.reply(ctx, req, key, "input", esc(truncate(input, 20)), "max", scoreMax(c))
	}
	return r.storeSummary(ctx, req, c, draft, score)
}

// storeSummary writes the one complete version, ends the conversation and
// tells the person and the secretaries.
func (r *Router) storeSummary(ctx context.Context, req *request, c *domain.Conference, draft summaryDraft, score float64) error {
	if !c.SummaryOpen() {
		return r.reply(ctx, req, "summary.not_open", "state", r.Catalog.T(req.lang, "state."+string(c.State)))
	}
	now := r.Now()
	v, err := r.att().AddSummary(ctx, c.Ref(), domain.SummaryVersion{
		Unit: draft.Unit, Document: draft.Document, Text: draft.Text, Score: score,
		By: req.user.ID, ByName: fullName(req), At: now, Late: domain.SummaryLate(c.SummaryDeadline, now)})
	if err != nil {
		return err
	}
	if _, err := r.att().EndConversation(ctx, req.user.ID); err != nil {
		logger(ctx).Warn().Err(err).Msg("conversation not ended; it expires by itself")
	}
	key := "summary.stored"
	if v.Late {
		key = "summary.stored_late"
	}
	if err := r.reply(ctx, req, key, "unit", v.Unit, "version", v.Version, "score", v.Score,
		"deadline", when(c, c.SummaryDeadline)); err != nil {
		return err
	}
	r.noticeSecretaries(ctx, req, c, v)
	return nil
}

// noticeSecretaries sends every secretary but the sender a short notice.
func (r *Router) noticeSecretaries(ctx context.Context, req *request, c *domain.Conference, v domain.SummaryVersion) {
	members, err := r.att().Members(ctx, c.Ref())
	if err != nil {
		logger(ctx).Warn().Err(err).Msg("summary notice not sent")
		return
	}
	for id, m := range members {
		if !m.HasRole(domain.RoleSecretary) || id == req.user.ID {
			continue
		}
		lang := r.chatLanguage(ctx, id, c.Ref())
		file := i18n.HTML(r.Catalog.T(lang, "summary.no_file"))
		if v.Document != nil {
			file = esc(v.Document.FileName)
		}
		key := "summary.notice"
		if v.Late {
			key = "summary.notice_late"
		}
		text := r.Catalog.T(lang, key, "unit", v.Unit, "version", v.Version, "file", file, "score", v.Score,
			"name", esc(v.ByName), "time", when(c, v.At))
		if err := r.send(ctx, id, text, nil); err != nil {
			logger(ctx).Warn().Err(err).Int64("secretary", id).Msg("summary notice not sent")
		}
	}
}

// takeDocument checks a summary file and downloads it for its SHA-256;
// refused is true when the person was told why it was not taken.
func (r *Router) takeDocument(ctx context.Context, req *request, doc *models.Document) (*domain.SummaryDocument, bool, error) {
	name := cleanFileName(doc.FileName)
	if !domain.DocumentAllowed(name, doc.MimeType) {
		return nil, true, r.reply(ctx, req, "summary.wrong_type")
	}
	if doc.FileSize > domain.MaxDocumentSize {
		return nil, true, r.reply(ctx, req, "summary.too_big", "max", "20 MB")
	}
	data, err := r.Files.Download(ctx, doc.FileID, domain.MaxDocumentSize)
	switch {
	case errors.Is(err, bot.ErrFileTooBig), errors.Is(err, tgbot.ErrorBadRequest):
		return nil, true, r.reply(ctx, req, "summary.too_big", "max", "20 MB")
	case err != nil:
		return nil, false, fmt.Errorf("download summary: %w", err)
	}
	if !domain.DocumentContentMatches(name, data) || !zipStructureOK(name, data) {
		return nil, true, r.reply(ctx, req, "summary.wrong_type")
	}
	sum := sha256.Sum256(data)
	return &domain.SummaryDocument{FileID: doc.FileID, FileName: name, MIMEType: doc.MimeType,
		Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:])}, false, nil
}

// saveDraft keeps the conversation (its timeout starts again) and asks for
// what its step needs.
func (r *Router) saveDraft(ctx context.Context, req *request, c *domain.Conference, draft summaryDraft) error {
	if err := r.att().SaveConversation(ctx, req.user.ID, mustDraft(draft), conversationTTL); err != nil {
		return err
	}
	switch draft.Step {
	case stepDocument:
		return r.reply(ctx, req, "summary.ask_document", "unit", draft.Unit, "max", "20 MB")
	case stepText:
		return r.reply(ctx, req, "summary.ask_text", "file", esc(draft.Document.FileName))
	}
	return r.reply(ctx, req, "summary.ask_score", "max", scoreMax(c))
}

func (r *Router) loadDraft(ctx context.Context, userID int64) (summaryDraft, bool, error) {
	raw, err := r.att().Conversation(ctx, userID)
	if errors.Is(err, domain.ErrNotFound) {
		return summaryDraft{}, false, nil
	}
	if err != nil {
		return summaryDraft{}, false, err
	}
	var d summaryDraft
	if json.Unmarshal(raw, &d) != nil || d.Kind != "summary" {
		return summaryDraft{}, false, nil // unreadable: as if none; a new one overwrites it
	}
	return d, true, nil
}

func mustDraft(d summaryDraft) []byte {
	b, _ := json.Marshal(d) // plain strings and numbers: cannot fail
	return b
}

func scoreMax(c *domain.Conference) float64 {
	if c.ScoreMax > 0 {
		return c.ScoreMax
	}
	return 100
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
