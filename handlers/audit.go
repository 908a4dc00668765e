package handlers

import (
	"context"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/export"
	"github.com/confbot/confbot/storage"
)

// RecordsStore is what exports, the handover, the new year and the audit
// log need of storage.
type RecordsStore interface {
	export.Source
	UpdateConference(ctx context.Context, ref string, f func(*domain.Conference) error) (*domain.Conference, error)
	AppendAudit(ctx context.Context, ref string, e domain.AuditEntry) (string, error)
}

var _ RecordsStore = (*storage.Store)(nil)

// records is the records store: the Store, when it has those methods (it
// does in production: *storage.Store); nil in unit tests of other features.
func (r *Router) records() RecordsStore {
	s, _ := r.Store.(RecordsStore)
	return s
}

// Audit log sizes shown by /audit.
const (
	auditDefault   = 20
	auditMax       = 50
	auditDetailMax = 120 // runes of an entry's detail shown in chat; the export has all of it
)

// audit records a state change of conference ref in its audit log: who (the
// request's person; the bot itself when req is nil), what, and a detail that
// never holds a ballot's content. A failure is logged and swallowed: the
// change it records has happened, and the command must still answer.
func (r *Router) audit(ctx context.Context, ref string, req *request, action, detail string) {
	rs := r.records()
	if rs == nil || ref == "" {
		return
	}
	e := r.auditEntry(req, ref, action, detail)
	// The change is made: record it even if the update's context ends now.
	if _, err := rs.AppendAudit(context.WithoutCancel(ctx), ref, e); err != nil {
		logger(ctx).Warn().Err(err).Str("conference", ref).Str("action", action).Msg("audit entry not written")
	}
}

// auditEntry is the log's record of req's action in ref.
func (r *Router) auditEntry(req *request, ref, action, detail string) domain.AuditEntry {
	e := domain.AuditEntry{At: r.Now(), Action: action, Detail: detail}
	if req != nil && req.user != nil {
		e.ActorID, e.ActorName = req.user.ID, actorName(req, ref)
	}
	return e
}

// actorName is how the log names a person: their name in the conference,
// else their Telegram name.
func actorName(req *request, ref string) string {
	if m := req.memberFor(ref); m != nil && m.Name != "" {
		return m.Name
	}
	return strings.TrimSpace(req.user.FirstName + " " + req.user.LastName)
}

// auditLog is `/audit [N]`: the last N entries of the conference's log.
func (r *Router) auditLog(ctx context.Context, req *request) error {
	c, ok, err := r.staffConference(ctx, req)
	if !ok {
		return err
	}
	n := auditDefault
	if len(req.cmd.Fields) > 0 {
		v, err := strconv.Atoi(req.cmd.Fields[0])
		if err != nil || v < 1 || len(req.cmd.Fields) > 1 {
			return r.reply(ctx, req, "audit.usage", "max", auditMax)
		}
		n = min(v, auditMax)
	}
	entries, err := r.records().AuditTail(ctx, c.Ref(), n)
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		return r.reply(ctx, req, "audit.empty", "conference", esc(c.Title))
	}
	var b strings.Builder
	b.WriteString(r.Catalog.T(req.lang, "audit.header", "count", len(entries), "conference", esc(c.Title)))
	for _, e := range entries {
		actor := e.ActorName
		if e.ActorID == 0 && actor == "" {
			actor = r.Catalog.T(req.lang, "audit.system")
		}
		action, detail := r.auditWords(req.lang, e)
		if utf8.RuneCountInString(detail) > auditDetailMax {
			detail = string([]rune(detail)[:auditDetailMax]) + "…"
		}
		b.WriteString("\n" + r.Catalog.T(req.lang, "audit.line", "time", e.At.In(c.TimeZone()).Format("02/01 15:04:05"),
			"actor", esc(actor), "action", esc(action), "detail", esc(detail)))
	}
	return r.send(ctx, req.chatID, b.String(), nil)
}

// readOnly reports whether conference c is closed or archived: its
// attendance, summaries and votes are final. Commands that would change
// them call it (or refuseReadOnly) first; exports, the audit log, the
// handover and the new year still work on a closed conference.
func readOnly(c *domain.Conference) bool {
	return c.State == domain.StateClosed || c.State == domain.StateArchived
}

// refuseReadOnly tells the person that c can no longer change; refused is
// true when it did (and the command must stop).
func (r *Router) refuseReadOnly(ctx context.Context, req *request, c *domain.Conference) (refused bool, err error) {
	if !readOnly(c) {
		return false, nil
	}
	return true, r.reply(ctx, req, "records.read_only", "conference", esc(c.Title),
		"state", r.Catalog.T(req.lang, "state."+string(c.State)))
}
