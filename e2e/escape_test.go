package e2e_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/confbot/confbot/examples"
)

// TestHostileUnitNamesAreShownAsTyped replays issue 12's sixth attack: a
// unit named `Cục Quản lý ‹xây dựng>` broke the approve confirmation (400
// can't parse entities) and `<a href=…>` put a live link into it.
func TestHostileUnitNamesAreShownAsTyped(t *testing.T) {
	const broken = `Cục Quản lý ‹xây dựng>`
	const link = `<a href="https://evil.example/">Cục Kế hoạch</a>`
	file := bytes.Replace(examples.Cum8, []byte(`name: "Cục Quản lý xây dựng và doanh trại"`), []byte(`name: "`+broken+`"`), 1)
	file = bytes.Replace(file, []byte(`name: "Cục Kế hoạch và tài chính"`), []byte(`name: '`+link+`'`), 1)
	w := referenceWorldWith(t, file)

	w.say(100001, "/ballot open co-bca", "Cờ thi đua của Bộ Công an")
	w.waitNew(100001, 0, "Xem lại")
	var screen = w.botMessagesContaining(100001, "Xem lại")[0]
	for _, unit := range []string{"KHTC", "QLXD"} {
		w.press(100001, 100001, screen.ID, buttonData(screen, "bv:", unit))
		screen = w.message(100001, screen.ID)
	}
	if buttonData(screen, "bv:", broken) == "" || buttonData(screen, "bv:", link) == "" {
		t.Errorf("the buttons do not show the names as typed:\n%+v", screen.Buttons)
	}
	w.press(100001, 100001, screen.ID, buttonData(screen, "bc:", ""))
	screen = w.message(100001, screen.ID)
	if !strings.Contains(screen.Text, "Xác nhận phiếu") {
		t.Fatalf("no confirmation screen: %q", screen.Text)
	}
	for _, name := range []string{broken, link} {
		if !strings.Contains(screen.Text, name) {
			t.Errorf("the confirmation does not show %q as typed:\n%s", name, screen.Text)
		}
	}
	if strings.Contains(screen.RawText, "<a ") {
		t.Errorf("the confirmation carries a live link:\n%s", screen.RawText)
	}
}
