package e2e_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/confbot/confbot/i18n"
)

func TestStartAndHelpInVietnamese(t *testing.T) {
	w := newWorld(t)
	w.addUser(5001, "Lan", "")
	w.say(5001, "/start", w.text(i18n.VI, "start.unknown", "name", "Lan"))
	help := w.say(5001, "/HELP@"+strings.ToUpper(botName), w.text(i18n.VI, "help.cmd.help"))
	if strings.Contains(help.Text, "/import") || strings.Contains(help.Text, "/invite") {
		t.Errorf("a stranger's /help lists admin commands:\n%s", help.Text)
	}
	adminHelp := w.say(adminID, "/help", w.text(i18n.VI, "help.cmd.import"))
	if !strings.Contains(adminHelp.Text, "/invite") {
		t.Errorf("the admin's /help lacks /invite:\n%s", adminHelp.Text)
	}
	w.say(5001, "/nosuchthing", w.text(i18n.VI, "error.unknown_command", "command", "/nosuchthing"))
}

func TestCommandMenuRegisteredPerLanguageAndScope(t *testing.T) {
	w := newWorld(t)
	w.say(adminID, "/start", "") // the menu is registered before updates are taken
	sets := w.sim.Commands()
	seen := map[string]bool{}
	for _, s := range sets {
		seen[s.Scope+"/"+s.LanguageCode] = true
	}
	for _, want := range []string{"default/", "default/vi", "default/en", fmt.Sprintf("chat:%d/en", adminID)} {
		if !seen[want] {
			t.Errorf("no command list for %s; have %v", want, seen)
		}
	}
}

func TestDuplicateUpdateHandledOnce(t *testing.T) {
	w := newWorld(t)
	w.addUser(5002, "Minh", "")
	w.say(5002, "/start", w.text(i18n.VI, "start.unknown", "name", "Minh"))
	first := w.sim.SendText(5002, 5002, "/whoami")
	w.waitNew(5002, 1, w.text(i18n.VI, "whoami.none"))
	w.sim.Redeliver(first)
	// A later command proves the duplicate went through the intake first.
	w.say(5002, "/help", w.text(i18n.VI, "help.cmd.whoami"))
	n := 0
	for _, m := range w.botMessages(5002) {
		if strings.Contains(m.Text, w.text(i18n.VI, "whoami.none")) {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the duplicated /whoami was answered %d times", n)
	}
}

func TestMetricsAndHealth(t *testing.T) {
	w := newWorld(t)
	w.say(adminID, "/start", "")
	base := "http://" + w.apps[0].HTTPAddr()
	if code, _ := httpGet(t, base+"/healthz"); code != 200 {
		t.Errorf("/healthz = %d", code)
	}
	if code, _ := httpGet(t, base+"/readyz"); code != 200 {
		t.Errorf("/readyz = %d", code)
	}
	// The update is counted just after its reply goes out.
	var body string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if _, body = httpGet(t, base+"/metrics"); strings.Contains(body, `outcome="ok",type="message"`) {
			break
		}
	}
	for _, want := range []string{`confbot_updates_total{outcome="ok",type="message"}`, "confbot_handler_seconds_bucket", `confbot_messages_sent_total{method="sendMessage"}`, "confbot_send_queue_depth", "confbot_telegram_429_total"} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}
