package handlers

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/i18n"
	"github.com/confbot/confbot/storage"
)

// BallotStore is what the ballot handlers need of storage.
type BallotStore interface {
	Conference(ctx context.Context, ref string) (*domain.Conference, error)
	Conferences(ctx context.Context) ([]string, error)
	UpdateConference(ctx context.Context, ref string, f func(*domain.Conference) error) (*domain.Conference, error)
	Members(ctx context.Context, ref string) (map[int64]domain.Membership, error)
	OpenBallot(ctx context.Context, ref string, spec domain.BallotSpec, round int, candidates, eligible []string, closesAt time.Time, secret []byte, opts ...storage.RoundOption) error
	CloseBallot(ctx context.Context, ref, id string, round int, opts ...storage.RoundOption) (bool, error)
	CastVote(ctx context.Context, ref, ballotID string, round int, voterKey string, vote domain.Vote, secret []byte, spec domain.BallotSpec) (domain.CastResult, error)
	BallotRound(ctx context.Context, ref, id string) (domain.RoundInfo, error)
	BallotRoundAt(ctx context.Context, ref, id string, round int) (domain.RoundInfo, error)
	Counters(ctx context.Context, ref, id string, round int) (domain.Counters, error)
	Voted(ctx context.Context, ref, id string, round int) ([]string, error)
	SetAuthorized(ctx context.Context, ref, unit string, userID int64, on bool) error
	Authorized(ctx context.Context, ref string) (map[int64]string, error)
	Turnout(ctx context.Context, ref, id string, round int) (voted, eligible int, err error)
	Receipts(ctx context.Context, ref, id string, round int) ([]string, error)
	VoterReceipt(ctx context.Context, ref, id string, round int, voterKey string, secret []byte) (string, bool, error)
	NamedVotes(ctx context.Context, ref, id string, round int) (map[string]domain.Vote, error)
	SaveResult(ctx context.Context, ref string, r domain.Result) error
	Results(ctx context.Context, ref, ballot string) ([]domain.Result, error)
	AllResults(ctx context.Context, ref string, ballots []string) (map[string][]domain.Result, error)
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
			rows = append(rows, []models.InlineKeyboardButton{{Text: r.Catalog.T(req.lang, "ballot.button_open", "ballot", spec.ID), CallbackData: "bo:" + strconv.Itoa(i)}})
		case domain.BallotOpen:
			rows = append(rows, []models.InlineKeyboardButton{{Text: r.Catalog.T(req.lang, "ballot.button_close", "ballot", spec.ID), CallbackData: fmt.Sprintf("bx:%d.%d", i, info.Round)}})
		}
	}
	var markup models.ReplyMarkup
	if len(rows) > 0 {
		markup = &models.InlineKeyboardMarkup{InlineKeyboard: rows}
	}
	return r.send(ctx, req.chatID, b.String(), markup)
}

// openBallot opens round 1 (or, for a revote, a round among the tied) and
// sends every eligible voter the ballot in private chat.
func (r *Router) openBallot(ctx context.Context, req *request, b *ballotCtx, revote bool) error {
	c, spec := b.conf, b.spec
	if c.State != domain.StateInSession {
		return r.reply(ctx, req, "ballot.not_in_session", "state", r.Catalog.T(req.lang, "state."+string(c.State)))
	}
	reached, present, eligible, overridden, err := r.ballotQuorum(ctx, c.Ref())
	if err != nil {
		return err
	}
	if !reached && !overridden {
		return r.reply(ctx, req, "ballot.no_quorum", "present", present, "eligible", eligible)
	}
	round := 1
	rules := spec
	var candidates []string
	switch {
	case revote:
		if b.round.State != domain.BallotClosed {
			return r.reply(ctx, req, "ballot.no_revote", "ballot", spec.ID)
		}
		results, err := r.Ballots.Results(ctx, c.Ref(), spec.ID)
		if err != nil {
			return err
		}
		if len(results) == 0 || !results[len(results)-1].NeedsRevote {
			return r.reply(ctx, req, "ballot.no_revote", "ballot", spec.ID)
		}
		round = b.round.Round + 1
		candidates = domain.RevoteCandidates(results[len(results)-1])
		rules = domain.RevoteSpec(spec, results[len(results)-1])
	case b.round.State != domain.BallotDraft:
		return r.reply(ctx, req, "ballot.already_opened", "ballot", spec.ID, "state", r.Catalog.T(req.lang, "ballot.state."+string(b.round.State)))
	default:
		results, err := r.Ballots.AllResults(ctx, c.Ref(), ballotIDs(c))
		if err != nil {
			return err
		}
		candidates, err = c.CandidatesOf(spec, domain.AwardedMap(results))
		if errors.Is(err, domain.ErrIllegalState) {
			return r.reply(ctx, req, "ballot.prerequisite_pending", "ballot", spec.ID, "prerequisite", spec.Prerequisite)
		}
		if err != nil {
			return err
		}
	}
	members, err := r.Ballots.Members(ctx, c.Ref())
	if err != nil {
		return err
	}
	var closesAt time.Time
	if spec.ClosesAfter > 0 {
		closesAt = r.Now().Add(spec.ClosesAfter)
	}
	// The round's rules and its notices are recorded with the opening, in
	// one step: the notices go out even if this replica dies right after.
	notices := r.newEffect(effectNotices, spec.ID, round, 0, nil)
	err = r.Ballots.OpenBallot(ctx, c.Ref(), spec, round, candidates, eligibleKeys(c, spec, members), closesAt, r.BallotSecret,
		storage.WithRules(rules), storage.WithEffect(notices))
	if err != nil {
		if errors.Is(err, domain.ErrIllegalState) {
			return r.reply(ctx, req, "ballot.already_opened", "ballot", spec.ID, "state", "")
		}
		return err
	}
	r.kick()
	logger(ctx).Info().Str("conference", c.Ref()).Str("ballot", spec.ID).Int("round", round).Msg("ballot opened")
	r.ballotDeadline(ctx, c, spec.ID, closesAt)
	r.audit(ctx, c.Ref(), req, "ballot.open", fmt.Sprintf("%s round %d", spec.ID, round))
	info, err := r.Ballots.BallotRound(ctx, c.Ref(), spec.ID)
	if err != nil {
		return err
	}
	return r.reply(ctx, req, "ballot.opened", "ballot", spec.ID, "title", esc(spec.Title), "round", round,
		"voters", info.Eligible, "closes", r.closesText(req.lang, c, info))
}

func (r *Router) closesText(lang i18n.Lang, c *domain.Conference, info domain.RoundInfo) string {
	if info.ClosesAt.IsZero() {
		return r.Catalog.T(lang, "ballot.closes_by_secretary")
	}
	return info.ClosesAt.In(c.TimeZone()).Format("15:04 02/01/2006")
}

func ballotIDs(c *domain.Conference) []string {
	ids := make([]string, len(c.Ballots))
	for i, b := range c.Ballots {
		ids[i] = b.ID
	}
	return ids
}

// mayVote: heads and delegates of member units vote; guests never do.
func mayVote(c *domain.Conference, m domain.Membership) bool {
	return c.IsMember(m.Unit) && (m.HasRole(domain.RoleHead) || m.HasRole(domain.RoleDelegate))
}

// eligibleKeys are the voter keys of a ballot: member units, or voting people.
func eligibleKeys(c *domain.Conference, spec domain.BallotSpec, members map[int64]domain.Membership) []string {
	if spec.Voters == domain.VotersUnit {
		return c.MemberCodes()
	}
	var keys []string
	for id, m := range members {
		if mayVote(c, m) {
			keys = append(keys, strconv.FormatInt(id, 10))
		}
	}
	return keys
}

// castRights says who may cast which ballots in a conference: for
// `voters: unit` ballots the unit's head, or a delegate the head authorised
// (/authorize) — or any delegate of a unit whose head the bot does not know,
// so that no unit is left without a voice; for `voters: delegate` ballots
// every head and delegate of a member unit.
type castRights struct {
	conf       *domain.Conference
	authorized map[int64]string // delegate → unit
	headless   map[string]bool  // member units without a known head
}

func (r *Router) castRights(ctx context.Context, c *domain.Conference, members map[int64]domain.Membership) (*castRights, error) {
	auth, err := r.Ballots.Authorized(ctx, c.Ref())
	if err != nil {
		return nil, err
	}
	headless := map[string]bool{}
	for _, code := range c.MemberCodes() {
		headless[code] = true
	}
	for _, m := range members {
		if m.HasRole(domain.RoleHead) {
			delete(headless, m.Unit)
		}
	}
	return &castRights{conf: c, authorized: auth, headless: headless}, nil
}

// voterKey is whose ballot a person casts (their unit's, or their own), and
// whether they may cast it.
func (cr *castRights) voterKey(spec domain.BallotSpec, userID int64, m *domain.Membership) (string, bool) {
	if m == nil || m.Ref != cr.conf.Ref() || !mayVote(cr.conf, *m) {
		return "", false
	}
	if spec.Voters != domain.VotersUnit {
		return strconv.FormatInt(userID, 10), true
	}
	if m.HasRole(domain.RoleHead) || cr.authorized[userID] == m.Unit || cr.headless[m.Unit] {
		return m.Unit, true
	}
	return "", false
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
			return r.Catalog.T(req.lang, "error.not_allowed"), nil
		}
		idx, _, _ := strings.Cut(arg, ".")
		b, err := r.loadBallot(ctx, req, idx)
		if err != nil {
			return r.Catalog.T(req.lang, "error.bad_button"), nil
		}
		switch action {
		case "open":
			return "", r.openBallot(ctx, req, b, false)
		default:
			if b.round.State != domain.BallotOpen || arg != b.key() {
				return r.Catalog.T(req.lang, "ballot.not_open", "ballot", b.spec.ID), nil
			}
			return "", r.closeRound(ctx, req, b.conf, b.spec, b.round.Round)
		}
	}
}

// ownVoterKey is the voter key whose receipt a person may look up: their
// unit's (whoever of the unit cast it) or their own.
func ownVoterKey(c *domain.Conference, spec domain.BallotSpec, userID int64, m *domain.Membership) (string, bool) {
	if m == nil || m.Ref != c.Ref() || !mayVote(c, *m) {
		return "", false
	}
	if spec.Voters == domain.VotersUnit {
		return m.Unit, true
	}
	return strconv.FormatInt(userID, 10), true
}
