package e2e_test

import (
	"context"
	"testing"

	"github.com/confbot/confbot/i18n"
)

// TestStaffCommandsFromEveryOtherRole keeps an attack that held: every
// staff command, sent by a head, a delegate, a guest and a stranger, is
// refused and changes nothing (the conference's version and audit log stay).
func TestStaffCommandsFromEveryOtherRole(t *testing.T) {
	w := referenceWorld(t)
	w.addUser(555001, "Stranger", "")
	notAllowed := w.text(i18n.VI, "error.not_allowed")
	ctx := context.Background()
	version, err := w.store.ConferenceVersion(ctx, cum8)
	if err != nil {
		t.Fatal(err)
	}
	audit, err := w.store.AuditTail(ctx, cum8, 0)
	if err != nil {
		t.Fatal(err)
	}
	commands := []string{
		"/conference close", "/conference open", "/checkin close", "/present CNTT no", "/quorum override",
		"/status", "/summaries", "/ballot open co-bca", "/ballot close co-bca", "/ballot revote co-bca",
		"/remind summary", "/remind vote co-bca", "/reminders", "/invite KHTC head", "/invite CTDCT observer",
		"/export", "/handover KHTC", "/newyear", "/audit", "/bind @someone 1", "/import",
	}
	people := map[string]int64{"head": heads["QLXD"], "delegate": 100012, "guest": 100021}
	for who, id := range people {
		for _, cmd := range commands {
			if got := w.say(id, cmd, "").Text; got != notAllowed {
				t.Errorf("%s sent %s: answered %q; want %q", who, cmd, got, notAllowed)
			}
		}
	}
	noConference := w.text(i18n.VI, "error.no_conference")
	for _, cmd := range commands {
		if got := w.say(555001, cmd, "").Text; got != notAllowed && got != noConference {
			t.Errorf("a stranger sent %s: answered %q", cmd, got)
		}
	}
	if v, _ := w.store.ConferenceVersion(ctx, cum8); v != version {
		t.Errorf("the conference changed: version %v → %v", version, v)
	}
	if after, _ := w.store.AuditTail(ctx, cum8, 0); len(after) != len(audit) {
		t.Errorf("the audit log grew by %d entries", len(after)-len(audit))
	}
}
