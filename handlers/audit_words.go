package handlers

import (
	"regexp"
	"strings"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/i18n"
)

// The audit log stores what was done in stable machine words
// ("ballot.open", "co-bca round 1"), so that the exported log and the
// code agree whatever language a secretary reads; /audit says it in the
// reader's words from the catalogue. An action or detail with no words in
// the catalogue is shown as stored.

// Shapes of the details the handlers write (see the r.audit calls).
var (
	auditRound     = regexp.MustCompile(`^(\S+) round (\d+)$`)
	auditMove      = regexp.MustCompile(`^([a-z_]+) → ([a-z_]+)$`)
	auditWas       = regexp.MustCompile(`^(\S+) \(was (\S+)\)$`)
	auditFrom      = regexp.MustCompile(`^from (\S+)$`)
	auditActionKey = regexp.MustCompile(`^[a-z0-9_]+(\.[a-z0-9_]+)*$`)
)

// auditWords gives an entry's action and detail in lang.
func (r *Router) auditWords(lang i18n.Lang, e domain.AuditEntry) (action, detail string) {
	action = e.Action
	if auditActionKey.MatchString(e.Action) {
		if key := "audit.action." + e.Action; r.hasKey(key) {
			action = r.Catalog.T(lang, key)
		}
	}
	return action, r.auditDetail(lang, e)
}

// auditDetail gives an entry's detail in lang, when it has one of the
// shapes the handlers write.
func (r *Router) auditDetail(lang i18n.Lang, e domain.AuditEntry) string {
	if m := auditRound.FindStringSubmatch(e.Detail); m != nil {
		return r.Catalog.T(lang, "audit.detail.round", "ballot", m[1], "round", m[2])
	}
	if m := auditMove.FindStringSubmatch(e.Detail); m != nil && strings.HasPrefix(e.Action, "conference.") {
		return r.Catalog.T(lang, "audit.detail.move", "from", r.stateName(lang, m[1]), "to", r.stateName(lang, m[2]))
	}
	if m := auditWas.FindStringSubmatch(e.Detail); m != nil {
		return r.Catalog.T(lang, "audit.detail.was", "unit", m[1], "previous", m[2])
	}
	if m := auditFrom.FindStringSubmatch(e.Detail); m != nil {
		return r.Catalog.T(lang, "audit.detail.from", "conference", m[1])
	}
	if e.Action == "import" && e.Detail == "created" {
		return r.Catalog.T(lang, "audit.detail.created")
	}
	return e.Detail
}

// stateName names a conference state in lang, or gives it as stored.
func (r *Router) stateName(lang i18n.Lang, state string) string {
	if !r.hasKey("state." + state) {
		return state
	}
	return r.Catalog.T(lang, "state."+state)
}

// hasKey reports whether the catalogue has key (in Vietnamese, which every
// key is written in first).
func (r *Router) hasKey(key string) bool {
	return !strings.HasPrefix(r.Catalog.T(i18n.VI, key), "[")
}

// thresholdWords says a ballot's threshold in words ("trên 50%", "từ
// 66,67% trở lên"): symbols do not belong in running text.
func (r *Router) thresholdWords(lang i18n.Lang, t domain.Threshold) string {
	key := "tally.threshold.gt"
	if t.Op == ">=" {
		key = "tally.threshold.ge"
	}
	return r.Catalog.T(lang, key, "percent", t.Percent)
}
