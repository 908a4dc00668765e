// Package handlers is what each command and button does. It speaks domain
// and the small store interfaces it declares; Telegram stays behind Outbox
// and Redis behind Store.
package handlers

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/rs/zerolog"

	"github.com/confbot/confbot/ballots"
	"github.com/confbot/confbot/bot"
	"github.com/confbot/confbot/chart"
	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/export"
	"github.com/confbot/confbot/i18n"
	"github.com/confbot/confbot/setup"
	"github.com/confbot/confbot/storage"
)

// Outbox sends to Telegram; *bot.Sender satisfies it. Replies go out as
// Interactive so that no broadcast delays them.
type Outbox interface {
	SendMessage(ctx context.Context, prio bot.Priority, p *tgbot.SendMessageParams) (*models.Message, error)
	EditMessageText(ctx context.Context, prio bot.Priority, p *tgbot.EditMessageTextParams) (*models.Message, error)
	AnswerCallbackQuery(ctx context.Context, p *tgbot.AnswerCallbackQueryParams) error
	SendPhoto(ctx context.Context, prio bot.Priority, p *tgbot.SendPhotoParams) (*models.Message, error)
	SendDocument(ctx context.Context, prio bot.Priority, p *tgbot.SendDocumentParams) (*models.Message, error)
	SendMediaGroup(ctx context.Context, prio bot.Priority, p *tgbot.SendMediaGroupParams) (*models.Message, error)
}

// Files downloads what people send (through getFile), bounded in size.
type Files interface {
	Download(ctx context.Context, fileID string, max int64) ([]byte, error)
}

// Store is what the handlers need of storage.
type Store interface {
	Conference(ctx context.Context, ref string) (*domain.Conference, error)
	Profile(ctx context.Context, id int64) (domain.Profile, error)
	SetLang(ctx context.Context, id int64, lang string) error
	SetActive(ctx context.Context, id int64, ref string) error
	Memberships(ctx context.Context, id int64) ([]domain.Membership, error)
	ClaimUsername(ctx context.Context, id int64, username string) ([]domain.Membership, []storage.Contest, error)
}

var _ Store = (*storage.Store)(nil)

// Deps are what the Router works with.
type Deps struct {
	Store       Store
	Setup       *setup.Service
	Out         Outbox
	Files       Files
	Catalog     *i18n.Catalog
	IsAdmin     func(userID int64) bool
	BotUsername string
	Now         func() time.Time

	Ballots      BallotStore
	BallotSecret []byte // BALLOT_SECRET: keys the HMAC that parts voters from contents
	// ScheduleBallot tells the reminder scheduler when a ballot closes (zero: closed).
	ScheduleBallot func(ctx context.Context, c *domain.Conference, ballot string, closesAt time.Time) error

	// Attendance keeps registrations, check-ins, summaries and conversations
	// (*storage.Store); when nil, Store is used if it has those methods.
	Attendance AttendanceStore
	// Documents re-sends stored documents by file id (*bot.Sender).
	Documents DocumentSender
	// Effects records the effects no ballot script enqueues (exports);
	// when nil, Ballots is used if it has those methods.
	Effects EffectStore
	// Kick wakes the scheduler when an effect was just recorded (nil: it
	// finds it at its next tick).
	Kick func()
	// RenderChart draws a tally's chart (nil: chart.Render); TallyRecord
	// writes a round's biên bản kiểm phiếu as PDF and DOCX (nil: as the
	// export does). Tests of delivery replace them with cheap ones.
	RenderChart func(chart.Chart) ([]byte, error)
	TallyRecord func(ctx context.Context, ref, ballot string, round int) ([]export.File, error)
	// ReadAhead makes, in one round trip, the reads the last request of
	// the same plan (person and kind of request) made, and answers them
	// from there (*storage.Store; nil: every read goes to Redis).
	ReadAhead func(ctx context.Context, person int64, username, kind string) (context.Context, func())
}

// Router dispatches updates to the command handlers; it is the bot.Handler.
type Router struct {
	Deps
	svc      *ballots.Service // the ballot life cycle
	commands map[string]*command
	order    []*command
}

var _ bot.Handler = (*Router)(nil)

// NewRouter builds the Router with every command registered.
func NewRouter(d Deps) *Router {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.IsAdmin == nil {
		d.IsAdmin = func(int64) bool { return false }
	}
	if d.RenderChart == nil {
		d.RenderChart = chart.Render
	}
	if d.Effects == nil {
		d.Effects, _ = d.Ballots.(EffectStore)
	}
	r := &Router{Deps: d, commands: map[string]*command{}}
	if r.TallyRecord == nil {
		r.TallyRecord = r.exportTallyRecord
	}
	if store, ok := d.Ballots.(ballots.Store); ok {
		r.svc = ballots.New(ballots.Config{Store: store, Attendance: routerAttendance{r}, Secret: d.BallotSecret, Now: d.Now,
			// Read at call time: the app sets both after building the router.
			Schedule: func(ctx context.Context, c *domain.Conference, ballot string, closesAt time.Time) error {
				if r.ScheduleBallot == nil {
					return nil
				}
				return r.ScheduleBallot(ctx, c, ballot, closesAt)
			},
			Kick: func() {
				if r.Kick != nil {
					r.Kick()
				}
			}})
	}
	r.register()
	return r
}

// Handle does what one update asks.
func (r *Router) Handle(ctx context.Context, u *models.Update) error {
	if r.ReadAhead != nil {
		if from, kind := r.planOf(u); from != nil {
			var done func()
			ctx, done = r.ReadAhead(ctx, from.ID, from.Username, kind)
			defer done()
		}
	}
	switch {
	case u.Message != nil:
		return r.handleMessage(ctx, u.Message)
	case u.CallbackQuery != nil:
		return r.handleCallback(ctx, u.CallbackQuery)
	}
	return nil // other kinds (edits, membership changes) need no answer
}

// planOf names what an update will read, for ReadAhead: its person and
// the kind of request — a command (with the ballot or conference it names:
// /vote co-bca), or a button's conference and the first part of its
// argument (a ballot's screen) — so that the next such request reads what
// the last one did.
func (r *Router) planOf(u *models.Update) (*models.User, string) {
	switch {
	case u.Message != nil && u.Message.From != nil:
		cmd, ok := bot.MessageCommand(u.Message, r.BotUsername)
		switch {
		case !ok:
			return u.Message.From, "text"
		case len(cmd.Fields) > 0 && namesTarget[cmd.Name]:
			return u.Message.From, "/" + cmd.Name + " " + clip(strings.ToLower(cmd.Fields[0]), 48)
		default:
			return u.Message.From, "/" + cmd.Name
		}
	case u.CallbackQuery != nil:
		d, err := parseCallbackData(u.CallbackQuery.Data)
		if err != nil {
			return nil, ""
		}
		first, _, _ := strings.Cut(d.Arg, ":")
		return &u.CallbackQuery.From, "button " + d.Conf + " " + clip(first, 48)
	}
	return nil, ""
}

// namesTarget: commands whose first word names what they read (a ballot, a
// conference), not an answer.
var namesTarget = map[string]bool{"vote": true, "ballot": true, "use": true, "status": true}

// clip keeps at most n bytes of s: a plan's name, not text anyone reads.
func clip(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// Panicked answers the person whose update made a handler panic.
func (r *Router) Panicked(ctx context.Context, u *models.Update) {
	ctx = context.WithoutCancel(ctx)
	switch {
	case u.CallbackQuery != nil:
		_ = r.Out.AnswerCallbackQuery(ctx, &tgbot.AnswerCallbackQueryParams{
			CallbackQueryID: u.CallbackQuery.ID, Text: r.Catalog.T(i18n.VI, "error.internal"), ShowAlert: true})
	case u.Message != nil:
		_, _ = r.Out.SendMessage(ctx, bot.Interactive, &tgbot.SendMessageParams{
			ChatID: u.Message.Chat.ID, Text: r.Catalog.T(i18n.VI, "error.internal")})
	}
}

func (r *Router) handleMessage(ctx context.Context, msg *models.Message) error {
	if msg.From == nil || msg.From.IsBot {
		return nil
	}
	cmd, isCommand := bot.MessageCommand(msg, r.BotUsername)
	private := msg.Chat.Type == models.ChatTypePrivate
	if !isCommand && !private {
		return nil // group chatter is not for the bot
	}
	req, err := r.newRequest(ctx, msg.From, msg.Chat.ID, private)
	if err != nil {
		return err
	}
	req.msg, req.cmd = msg, cmd
	if !isCommand {
		// A message that is not a command may be the next step of a
		// conversation (the /summary flow asks for a file, then a score).
		if handled, err := r.converse(ctx, req); handled {
			return err
		}
		return r.reply(ctx, req, "error.not_command")
	}
	c, ok := r.commands[cmd.Name]
	if !ok {
		return r.reply(ctx, req, "error.unknown_command", "command", "/"+cmd.Name)
	}
	if !c.allowed(req) {
		return r.reply(ctx, req, "error.not_allowed")
	}
	if changesConference[c.name] && req.ref != "" {
		conf, err := r.Store.Conference(ctx, req.ref)
		if err != nil {
			return r.fail(ctx, req, err)
		}
		if refused, err := r.refuseReadOnly(ctx, req, conf); refused {
			return err
		}
	}
	// Several conferences: say which one a change is made in.
	req.nameConference = changesConference[c.name] && (len(req.memberships) > 1 || req.admin)
	if err := c.run(ctx, req); err != nil {
		return r.fail(ctx, req, err)
	}
	return nil
}

// fail turns an error into the one message a person sees and hands it back
// for the intake to log (once) — or marks it transient so that the update
// comes again when nothing was stored.
func (r *Router) fail(ctx context.Context, req *request, err error) error {
	switch {
	case errors.Is(err, bot.ErrTransient):
		return err // nothing was stored; the update comes again
	case unavailable(err):
		// Redis (or Telegram) is out of reach: every write is one atomic step
		// that either happened or not, so handling the update again is safe.
		return fmt.Errorf("/%s: %w: %w", req.cmd.Name, bot.ErrTransient, err)
	}
	if text, ok := r.userText(req.lang, err); ok {
		return r.send(ctx, req.chatID, text, nil)
	}
	_ = r.reply(ctx, req, "error.internal")
	return fmt.Errorf("/%s: %w", req.cmd.Name, err)
}

// reply sends a catalogue message to the request's chat.
// A person in several conferences is told which one a reply of a command
// that changes state is about (req.nameConference).
func (r *Router) reply(ctx context.Context, req *request, key string, args ...any) error {
	return r.send(ctx, req.chatID, r.about(req)+r.Catalog.T(req.lang, key, args...), nil)
}

// about is the line naming the request's conference, when replies should.
func (r *Router) about(req *request) string {
	if !req.nameConference || req.ref == "" {
		return ""
	}
	return r.Catalog.T(req.lang, "use.about", "ref", req.ref) + "\n"
}

func (r *Router) send(ctx context.Context, chatID int64, text string, markup models.ReplyMarkup) error {
	_, err := r.Out.SendMessage(ctx, bot.Interactive, &tgbot.SendMessageParams{
		ChatID: chatID, Text: text, ParseMode: models.ParseModeHTML, ReplyMarkup: markup,
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tgbot.True()},
	})
	if errors.Is(err, bot.ErrClosed) {
		// Shutting down: let the update come again to a running replica.
		return fmt.Errorf("reply to %d: %w: %w", chatID, bot.ErrTransient, err)
	}
	if err != nil {
		return fmt.Errorf("reply to %d: %w", chatID, err)
	}
	return nil
}

// esc escapes text people typed or files carried before it goes into HTML
// (Catalog.T escapes its arguments itself; esc is for text built outside a
// catalogue message, and marks its result as safe for T).
func esc(s string) i18n.HTML { return i18n.Escape(s) }

// logger returns the request's logger (the intake put one in ctx).
func logger(ctx context.Context) *zerolog.Logger { return zerolog.Ctx(ctx) }

// unavailable reports a failure to reach a backend — a refused or dropped
// connection, a timeout, a closed pool — as opposed to a refusal.
func unavailable(err error) bool {
	var netErr net.Error
	return errors.As(err, &netErr) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, context.DeadlineExceeded)
}
