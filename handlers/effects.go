package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/confbot/confbot/ballots"
	"github.com/confbot/confbot/bot"
	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/export"
	"github.com/confbot/confbot/i18n"
	"github.com/confbot/confbot/scheduler"
	"github.com/confbot/confbot/storage"
)

// Effects are what must follow a state change — a round's tally, its
// ballot notices, a chair's decision, an export's files. Each is recorded
// as a job in the same atomic step as the change (the close script enqueues
// the tally) and carried out by the scheduler, one delivery (a message, a
// chart, an album) at a time, each marked sent once: a crash, a Redis error
// or a redelivered update never loses one nor sends one twice. A handler
// only records the change and its effect, answers, and kicks the scheduler.

// EffectStore records effects that follow no ballot script (*storage.Store).
type EffectStore interface {
	EnqueueEffect(ctx context.Context, ref string, e domain.Reminder, bundle []byte) (bool, error)
	EffectBundle(ctx context.Context, ref string, e domain.Reminder) ([]byte, error)
	EffectPending(ctx context.Context, ref, id string) (bool, error)
}

var _ EffectStore = (*storage.Store)(nil)

// effectDeliveries lists a job's deliveries, in the order they go out.
// For a tally or a decision it first makes sure the round's result is
// saved: the tally is a pure function of the frozen counters and the facts
// stored at the close, so doing it again after a crash saves the same.
func (r *Router) effectDeliveries(ctx context.Context, ref string, job scheduler.Job) ([]scheduler.Recipient, error) {
	c, err := r.Ballots.Conference(ctx, ref)
	if err != nil {
		return nil, err
	}
	if job.What == ballots.EffectExport {
		return exportDeliveries(ctx, r.Effects, ref, job)
	}
	spec, ok := c.Ballot(job.Ballot)
	if !ok {
		return nil, nil // the ballot left the file: nothing to say about it
	}
	members, err := r.Ballots.Members(ctx, ref)
	if err != nil {
		return nil, err
	}
	var out []scheduler.Recipient
	switch job.What {
	case ballots.EffectNotices:
		info, err := r.Ballots.BallotRoundAt(ctx, ref, spec.ID, job.Round)
		if err != nil {
			return nil, err
		}
		if info.State != domain.BallotOpen {
			return nil, nil // closed before its notices went out: a ballot screen would mislead
		}
		rights, err := r.svc.Rights(ctx, c, members)
		if err != nil {
			return nil, err
		}
		for _, id := range sortedIDs(members) {
			m := members[id]
			if _, ok := rights.VoterKey(spec, id, &m); ok {
				out = append(out, scheduler.Recipient{ChatID: id, Name: m.Name, Unit: m.Unit, Part: "ballot"})
			}
		}
		if c.Cluster.GroupChat != 0 {
			out = append(out, scheduler.Recipient{ChatID: c.Cluster.GroupChat, Part: "notice"})
		}
		return out, nil
	case ballots.EffectTally, ballots.EffectDecide:
		if _, err := r.svc.EnsureResult(ctx, c, spec, job.Round, job.Picks, job.What == ballots.EffectTally); err != nil {
			return nil, err
		}
		for _, id := range sortedIDs(members) {
			if members[id].HasRole(domain.RoleSecretary) {
				// The biên bản kiểm phiếu, PDF and DOCX, goes to the secretaries only.
				out = append(out, scheduler.Recipient{ChatID: id, Part: "text"}, scheduler.Recipient{ChatID: id, Part: "chart"},
					scheduler.Recipient{ChatID: id, Part: "record"})
			}
		}
		if c.Cluster.GroupChat != 0 {
			out = append(out, scheduler.Recipient{ChatID: c.Cluster.GroupChat, Part: "text"}, scheduler.Recipient{ChatID: c.Cluster.GroupChat, Part: "chart"})
		}
		if job.What == ballots.EffectTally {
			// Receipts once per round, not again after a chair's decision.
			for _, id := range sortedIDs(members) {
				m := members[id]
				if !m.HasRole(domain.RoleSecretary) && domain.MayVote(c, m) {
					out = append(out, scheduler.Recipient{ChatID: id, Part: "receipts"})
				}
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("effect %s: unknown kind %q: %w", job.ID, job.What, domain.ErrInvalid)
}

func sortedIDs(members map[int64]domain.Membership) []int64 {
	ids := make([]int64, 0, len(members))
	for id := range members {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

// deliverEffect sends one delivery of an effect job.
func (r *Router) deliverEffect(ctx context.Context, to scheduler.Recipient, job scheduler.Job) error {
	c, err := r.Ballots.Conference(ctx, job.Conference)
	if err != nil {
		return err
	}
	if job.What == ballots.EffectExport {
		return r.deliverExport(ctx, c, to, job)
	}
	spec, ok := c.Ballot(job.Ballot)
	if !ok {
		return nil
	}
	lang := r.personLang(ctx, to.ChatID, c)
	if to.ChatID < 0 {
		lang = clusterLang(c)
	}
	switch to.Part {
	case "ballot", "notice":
		info, err := r.Ballots.BallotRoundAt(ctx, c.Ref(), spec.ID, job.Round)
		if err != nil {
			return err
		}
		if to.Part == "notice" {
			return r.effectSend(ctx, to.ChatID, r.Catalog.T(lang, "ballot.opened_group", "title", esc(spec.Title), "round", job.Round,
				"bot", r.BotUsername, "closes", r.closesText(lang, c, info)), nil)
		}
		b := &ballotCtx{conf: c, index: ballotIndex(c, spec.ID), spec: spec, round: info}
		text, markup := r.ballotScreen(lang, b, initialMarks(spec.Kind, len(info.Candidates)))
		return r.effectSend(ctx, to.ChatID, text, markup)
	}
	res, ok, err := r.svc.SavedResult(ctx, c, spec.ID, job.Round)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("effect %s: no result saved for round %d", job.ID, job.Round)
	}
	switch to.Part {
	case "text":
		text, err := r.tallyText(ctx, lang, c, spec, res)
		if err != nil {
			return err
		}
		return r.effectSend(ctx, to.ChatID, text, nil)
	case "chart":
		png, err := r.tallyChart(lang, c, spec, res)
		if err != nil {
			return fmt.Errorf("chart of %s: %w", spec.ID, err)
		}
		_, err = r.Out.SendPhoto(ctx, bot.Bulk, &tgbot.SendPhotoParams{ChatID: to.ChatID,
			Photo:   &models.InputFileUpload{Filename: spec.ID + ".png", Data: bytes.NewReader(png)},
			Caption: r.Catalog.T(lang, "tally.chart_caption", "title", esc(spec.Title), "round", res.Round), ParseMode: models.ParseModeHTML})
		return notifyErr(to.ChatID, err)
	case "record":
		return r.deliverTallyRecord(ctx, c, spec, lang, to.ChatID, res.Round)
	case "receipts":
		receipts, err := r.Ballots.Receipts(ctx, c.Ref(), spec.ID, res.Round)
		if err != nil {
			return err
		}
		return r.effectSend(ctx, to.ChatID, r.Catalog.T(lang, "tally.receipts", "title", esc(spec.Title), "round", res.Round,
			"count", len(receipts), "receipts", strings.Join(receipts, " ")), nil)
	}
	return fmt.Errorf("effect %s: unknown part %q: %w", job.ID, to.Part, domain.ErrInvalid)
}

func ballotIndex(c *domain.Conference, id string) int {
	for i, b := range c.Ballots {
		if b.ID == id {
			return i
		}
	}
	return -1
}

// effectSend sends one message of an effect at bulk priority.
func (r *Router) effectSend(ctx context.Context, chat int64, text string, markup models.ReplyMarkup) error {
	_, err := r.Out.SendMessage(ctx, bot.Bulk, &tgbot.SendMessageParams{ChatID: chat, Text: text, ParseMode: models.ParseModeHTML,
		ReplyMarkup: markup, LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tgbot.True()}})
	return notifyErr(chat, err)
}

// notifyErr tells the scheduler an unreachable chat (recorded, not retried)
// from a failure worth retrying.
func notifyErr(chat int64, err error) error {
	if errors.Is(err, bot.ErrUnreachable) {
		return fmt.Errorf("send to %d: %w: %w", chat, scheduler.ErrUnreachable, err)
	}
	return err
}

// exportBundle is an export's files as recorded with its job.
type exportBundle struct {
	Title string       `json:"title"`
	Hash  string       `json:"hash"`
	Files []exportFile `json:"files"`
}

type exportFile struct {
	Name    string `json:"name"`
	Caption string `json:"caption"`
	Data    []byte `json:"data"`
}

// albumSize is the most documents one sendMediaGroup carries.
const albumSize = 10

// albums splits n files into albums of at most albumSize, none of one
// file when that can be helped (Telegram wants 2 to 10 in an album).
func albums(n int) [][2]int {
	var out [][2]int
	for from := 0; from < n; {
		size := min(albumSize, n-from)
		if rest := n - from - size; rest == 1 && size > 2 {
			size-- // leave two for the last album rather than one
		}
		out = append(out, [2]int{from, from + size})
		from += size
	}
	return out
}

func exportDeliveries(ctx context.Context, store EffectStore, ref string, job scheduler.Job) ([]scheduler.Recipient, error) {
	b, err := loadBundle(ctx, store, ref, job)
	if errors.Is(err, domain.ErrNotFound) {
		return nil, nil // expired undelivered: logged by deliverExport's absence; nothing to send
	}
	if err != nil {
		return nil, err
	}
	var out []scheduler.Recipient
	for i := range albums(len(b.Files)) {
		out = append(out, scheduler.Recipient{ChatID: job.Chat, Part: "album-" + strconv.Itoa(i+1)})
	}
	return append(out, scheduler.Recipient{ChatID: job.Chat, Part: "done"}), nil
}

func loadBundle(ctx context.Context, store EffectStore, ref string, job scheduler.Job) (exportBundle, error) {
	raw, err := store.EffectBundle(ctx, ref, domain.Reminder{ID: job.ID, Due: job.DueAt})
	if err != nil {
		return exportBundle{}, err
	}
	var b exportBundle
	if err := json.Unmarshal(raw, &b); err != nil {
		return exportBundle{}, fmt.Errorf("files of %s: %w", job.ID, err)
	}
	return b, nil
}

// deliverExport sends one album of an export's files, or its last message.
func (r *Router) deliverExport(ctx context.Context, c *domain.Conference, to scheduler.Recipient, job scheduler.Job) error {
	b, err := loadBundle(ctx, r.Effects, c.Ref(), job)
	if err != nil {
		return err
	}
	lang := r.personLang(ctx, to.ChatID, c)
	if to.Part == "done" {
		return r.effectSend(ctx, to.ChatID, r.Catalog.T(lang, "export.done", "count", len(b.Files), "conference", esc(b.Title), "hash", b.Hash), nil)
	}
	n, err := strconv.Atoi(strings.TrimPrefix(to.Part, "album-"))
	parts := albums(len(b.Files))
	if err != nil || n < 1 || n > len(parts) {
		return fmt.Errorf("export %s: unknown part %q: %w", job.ID, to.Part, domain.ErrInvalid)
	}
	return r.sendFiles(ctx, to.ChatID, b.Files[parts[n-1][0]:parts[n-1][1]])
}

// deliverTallyRecord sends a round's biên bản kiểm phiếu, PDF and DOCX.
func (r *Router) deliverTallyRecord(ctx context.Context, c *domain.Conference, spec domain.BallotSpec, lang i18n.Lang, chat int64, round int) error {
	built, err := r.TallyRecord(ctx, c.Ref(), spec.ID, round)
	if err != nil || len(built) == 0 {
		return err
	}
	files := make([]exportFile, len(built))
	for i, f := range built {
		files[i] = exportFile{Name: f.Name, Data: f.Data,
			Caption: r.Catalog.T(lang, "export.caption."+captionKey(f.Name), "file", esc(f.Name))}
	}
	return r.sendFiles(ctx, chat, files)
}

// exportTallyRecord builds a round's biên bản kiểm phiếu as the export
// does (with the chair's decision, when there was one); none when the round
// was never tallied.
func (r *Router) exportTallyRecord(ctx context.Context, ref, ballot string, round int) ([]export.File, error) {
	d, err := export.Gather(ctx, r.records(), ref)
	if err != nil {
		return nil, err
	}
	rec, ok := d.TallyRecordOf(ballot, round)
	if !ok {
		return nil, nil
	}
	return export.TallyRecordFiles(rec)
}

// sendFiles sends one to ten files to a chat: one document, or an album.
func (r *Router) sendFiles(ctx context.Context, chat int64, files []exportFile) error {
	if len(files) == 1 {
		f := files[0]
		_, err := r.Out.SendDocument(ctx, bot.Bulk, &tgbot.SendDocumentParams{ChatID: chat,
			Document: &models.InputFileUpload{Filename: f.Name, Data: bytes.NewReader(f.Data)}, Caption: f.Caption, ParseMode: models.ParseModeHTML})
		return notifyErr(chat, err)
	}
	media := make([]models.InputMedia, len(files))
	for i, f := range files {
		media[i] = &models.InputMediaDocument{Media: "attach://" + f.Name, Caption: f.Caption, ParseMode: models.ParseModeHTML,
			MediaAttachment: bytes.NewReader(f.Data)}
	}
	_, err := r.Out.SendMediaGroup(ctx, bot.Bulk, &tgbot.SendMediaGroupParams{ChatID: chat, Media: media})
	return notifyErr(chat, err)
}
