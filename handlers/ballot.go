package handlers

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/go-telegram/bot/models"

	"github.com/confbot/confbot/ballots"
	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/i18n"
	"github.com/confbot/confbot/storage"
)

// BallotStore is what the ballot handlers read of storage to show
// ballots; the life cycle's writes go through the ballot service
// (ballots.Store), which NewRouter builds over the same store.
type BallotStore interface {
	Conference(ctx context.Context, ref string) (*domain.Conference, error)
	Conferences(ctx context.Context) ([]string, error)
	Members(ctx context.Context, ref string) (map[int64]domain.Membership, error)
	BallotRound(ctx context.Context, ref, id string) (domain.RoundInfo, error)
	BallotRoundAt(ctx context.Context, ref, id string, round int) (domain.RoundInfo, error)
	Voted(ctx context.Context, ref, id string, round int) ([]string, error)
	Turnout(ctx context.Context, ref, id string, round int) (voted, eligible int, err error)
	Receipts(ctx context.Context, ref, id string, round int) ([]string, error)
	NamedVotes(ctx context.Context, ref, id string, round int) (map[string]domain.Vote, error)
	Results(ctx context.Context, ref, ballot string) ([]domain.Result, error)
	SetAuthorized(ctx context.Context, ref, unit string, userID int64, on bool) error
	Authorized(ctx context.Context, ref string) (map[int64]string, error)
}

var _ BallotStore = (*storage.Store)(nil)

// ballotCtx is a ballot of the person's conference, with its current round.
type ballotCtx struct {
	conf  *domain.Conference
	index int // position in the file: short callback data
	spec  domain.BallotSpec
	round domain.RoundInfo
}

// loadBallot finds ballot id (or index, from callback data) in the person's conference.
func (r *Router) loadBallot(ctx context.Context, req *request, id string) (*ballotCtx, error) {
	ref, err := r.activeRef(ctx, req)
	if err != nil {
		return nil, err
	}
	if ref == "" {
		return nil, fmt.Errorf("no conference: %w", domain.ErrNotFound)
	}
	c, err := r.Ballots.Conference(ctx, ref)
	if err != nil {
		return nil, err
	}
	for i, b := range c.Ballots {
		if b.ID == id || strconv.Itoa(i) == id {
			info, err := r.Ballots.BallotRound(ctx, ref, b.ID)
			if err != nil {
				return nil, err
			}
			return &ballotCtx{conf: c, index: i, spec: b, round: info}, nil
		}
	}
	return nil, errUnknownBallot
}

var errUnknownBallot = fmt.Errorf("unknown ballot: %w", domain.ErrInvalid)

// ballotArg loads the ballot a command names; ok is false when the person
// was told it does not exist (or err is set).
func (r *Router) ballotArg(ctx context.Context, req *request, arg string) (b *ballotCtx, ok bool, err error) {
	b, err = r.loadBallot(ctx, req, strings.ToLower(arg))
	if errors.Is(err, errUnknownBallot) {
		return nil, false, r.reply(ctx, req, "ballot.unknown", "ballot", esc(arg))
	}
	return b, err == nil, err
}

// ballot is `/ballot`, `/ballot open ID`, `/ballot close ID`, `/ballot revote ID`
// and `/ballot decide ID UNIT…` (the chair's head settles a tie).
func (r *Router) ballot(ctx context.Context, req *request) error {
	f := req.cmd.Fields
	if len(f) == 0 {
		return r.ballotList(ctx, req)
	}
	if len(f) < 2 {
		return r.reply(ctx, req, "ballot.usage")
	}
	b, ok, err := r.ballotArg(ctx, req, f[1])
	if !ok {
		return err
	}
	switch strings.ToLower(f[0]) {
	case "open":
		return r.openBallot(ctx, req, b, false)
	case "revote":
		return r.openBallot(ctx, req, b, true)
	case "close":
		if b.round.State != domain.BallotOpen {
			return r.reply(ctx, req, "ballot.not_open", "ballot", b.spec.ID)
		}
		return r.closeRound(ctx, req, b.conf, b.spec, b.round.Round)
	case "decide":
		return r.decideTie(ctx, req, b, f[2:])
	}
	return r.reply(ctx, req, "ballot.usage")
}

// ballotList shows every ballot with its state and a button for the next step.
func (r *Router) ballotList(ctx context.Context, req *request) error {
	ref, err := r.activeRef(ctx, req)
	if err != nil || ref == "" {
		return r.reply(ctx, req, "error.no_conference")
	}
	c, err := r.Ballots.Conference(ctx, ref)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString(r.Catalog.T(req.lang, "ballot.list_header"))
	var rows [][]models.InlineKeyboardButton
	for i, spec := range c.Ballots {
		info, err := r.Ballots.BallotRound(ctx, ref, spec.ID)
		if err != nil {
			return err
		}
		state := r.Catalog.T(req.lang, "ballot.state."+string(info.State))
		b.WriteString("\n" + r.Catalog.T(req.lang, "ballot.list_line", "ballot", spec.ID, "title", esc(spec.Title), "state", state, "round", info.Round))
		switch info.State {
		case domain.BallotDraft:
			rows = append(rows, []models.InlineKeyboardButton{{Text: r.Catalog.T(req.lang, "ballot.button_open", "ballot", spec.ID), CallbackData: button("bo", c.Ref(), strconv.Itoa(i))}})
		case domain.BallotOpen:
			rows = append(rows, []models.InlineKeyboardButton{{Text: r.Catalog.T(req.lang, "ballot.button_close", "ballot", spec.ID), CallbackData: button("bx", c.Ref(), fmt.Sprintf("%d.%d", i, info.Round))}})
		}
	}
	var markup models.ReplyMarkup
	if len(rows) > 0 {
		markup = &models.InlineKeyboardMarkup{InlineKeyboard: rows}
	}
	return r.send(ctx, req.chatID, b.String(), markup)
}

// openBallot opens round 1 (or, for a revote, a round among the tied);
// the service records the opening with its notices job.
func (r *Router) openBallot(ctx context.Context, req *request, b *ballotCtx, revote bool) error {
	c, spec := b.conf, b.spec
	o, err := r.svc.Open(ctx, c, spec, b.round, revote)
	if err != nil {
		return err
	}
	switch o.Refusal {
	case "":
	case ballots.NotInSession:
		return r.reply(ctx, req, "ballot.not_in_session", "state", r.Catalog.T(req.lang, "state."+string(c.State)))
	case ballots.NoQuorum:
		return r.reply(ctx, req, "ballot.no_quorum", "present", o.Quorum.Present, "eligible", o.Quorum.Eligible)
	case ballots.NoRevote:
		return r.reply(ctx, req, "ballot.no_revote", "ballot", spec.ID)
	case ballots.PrerequisitePending:
		return r.reply(ctx, req, "ballot.prerequisite_pending", "ballot", spec.ID, "prerequisite", o.Prerequisite)
	case ballots.AlreadyOpened:
		state := ""
		if o.State != "" {
			state = r.Catalog.T(req.lang, "ballot.state."+string(o.State))
		}
		return r.reply(ctx, req, "ballot.already_opened", "ballot", spec.ID, "state", state)
	default:
		return fmt.Errorf("open %s: unexpected refusal %q", spec.ID, o.Refusal)
	}
	r.audit(ctx, c.Ref(), req, "ballot.open", fmt.Sprintf("%s round %d", spec.ID, o.Round))
	return r.reply(ctx, req, "ballot.opened", "ballot", spec.ID, "title", esc(spec.Title), "round", o.Round,
		"voters", o.Info.Eligible, "closes", r.closesText(req.lang, c, o.Info))
}

func (r *Router) closesText(lang i18n.Lang, c *domain.Conference, info domain.RoundInfo) string {
	if info.ClosesAt.IsZero() {
		return r.Catalog.T(lang, "ballot.closes_by_secretary")
	}
	return info.ClosesAt.In(c.TimeZone()).Format("15:04 02/01/2006")
}

func clusterLang(c *domain.Conference) i18n.Lang {
	if l, ok := i18n.ParseLang(c.Cluster.Language); ok {
		return l
	}
	return i18n.VI
}

// personLang is the language a message to someone else is written in.
func (r *Router) personLang(ctx context.Context, id int64, c *domain.Conference) i18n.Lang {
	if p, err := r.Store.Profile(ctx, id); err == nil {
		if l, ok := i18n.ParseLang(p.Lang); ok {
			return l
		}
	}
	return clusterLang(c)
}

// staffBallotButton handles the open/close buttons of /ballot.
func (r *Router) staffBallotButton(action string) buttonFunc {
	return func(ctx context.Context, req *request, arg string) (string, error) {
		if !req.has(staff...) {
			return "", problem("error.not_allowed")
		}
		idx, _, _ := strings.Cut(arg, ".")
		b, err := r.loadBallot(ctx, req, idx)
		if err != nil {
			return "", problem("error.bad_button")
		}
		switch action {
		case "open":
			return "", r.openBallot(ctx, req, b, false)
		default:
			if b.round.State != domain.BallotOpen || arg != b.key() {
				return "", problem("ballot.not_open", "ballot", b.spec.ID)
			}
			return "", r.closeRound(ctx, req, b.conf, b.spec, b.round.Round)
		}
	}
}
