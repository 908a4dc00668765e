package e2e_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/confbot/confbot/examples"
	"github.com/confbot/confbot/i18n"
)

// TestUsernameCannotBeTakenOverAfterReimport replays issue 12's second
// attack: the file lists @khtc_delegate (delegate, secretary); 8001 with
// that name joins; a changed re-import; 8001 renames and 8002 takes the
// name. 8002 gets nothing until a secretary confirms with /bind, and the
// audit log records each binding.
func TestUsernameCannotBeTakenOverAfterReimport(t *testing.T) {
	w := newWorld(t)
	vi := i18n.VI
	file := bytes.Replace(examples.Cum8,
		[]byte(`- {id: 100012, name: "Cán bộ thi đua KHTC", unit: KHTC, roles: [delegate]}`),
		[]byte(`- {username: "@khtc_delegate", name: "Cán bộ thi đua KHTC", unit: KHTC, roles: [delegate, secretary]}`), 1)
	w.importFile("cum8.yaml", file, "6")
	w.addUser(8001, "Hạnh", "khtc_delegate")
	w.say(8001, "/whoami", "KHTC")

	changed := bytes.Replace(file, []byte(`summary_deadline: "2022-11-17 17:00"`), []byte(`summary_deadline: "2022-11-18 17:00"`), 1)
	w.importFile("cum8.yaml", changed, "conference.summary_deadline")
	w.say(8001, "/whoami", "KHTC") // the re-import kept the binding

	w.addUser(8001, "Hạnh", "hanh_new_name")
	w.addUser(8002, "Mallory", "khtc_delegate")
	before := len(w.botMessages(8001))
	w.say(8002, "/whoami", w.text(vi, "whoami.none"))
	w.waitNew(8001, before, "/bind @khtc_delegate 8002") // the secretaries are told
	w.say(8002, "/status", w.text(vi, "error.not_allowed"))
	w.say(8002, "/invite KHTC head", w.text(vi, "error.not_allowed"))
	w.say(8001, "/whoami", "KHTC") // still the file's person, under a new name

	status := w.say(adminID, "/bind @khtc_delegate", "@khtc_delegate")
	if !strings.Contains(status.Text, "8001") || !strings.Contains(status.Text, "8002") {
		t.Errorf("/bind does not show the holder and the contender:\n%s", status.Text)
	}
	w.say(8001, "/bind @khtc_delegate 8002", w.text(vi, "bind.done", "username", "khtc_delegate", "id", 8002,
		"unit", "KHTC", "role", w.text(vi, "role.delegate")+", "+w.text(vi, "role.secretary")))
	w.say(8002, "/whoami", "KHTC")
	w.say(8001, "/whoami", w.text(vi, "whoami.none"))

	entries, err := w.store.AuditTail(context.Background(), cum8, 0)
	if err != nil {
		t.Fatal(err)
	}
	var log []string
	for _, e := range entries {
		if strings.HasPrefix(e.Action, "bind") {
			log = append(log, e.Action+" "+e.Detail)
		}
	}
	want := []string{"bind @khtc_delegate → 8001", "bind.contested @khtc_delegate is bound to 8001; 8002 asked", "bind.confirmed @khtc_delegate: 8001 → 8002"}
	if len(log) != len(want) {
		t.Fatalf("audit of bindings:\n%s\nwant %d entries", strings.Join(log, "\n"), len(want))
	}
	for i := range want {
		if !strings.HasPrefix(log[i], want[i]) {
			t.Errorf("audit entry %d = %q; want it to start with %q", i, log[i], want[i])
		}
	}
}
