package e2e_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/confbot/confbot/telegramsim"
)

// atTelegramsLimits is a world where the simulator enforces Telegram's
// default limits (1 message a second per chat, 30 a second, 20 a minute per
// group) and the bot runs at its default rates.
func atTelegramsLimits() []worldOption {
	return []worldOption{withSim(telegramsim.WithLimits(telegramsim.DefaultLimits())),
		withEnv("SEND_RATE", "30"), withEnv("SEND_RATE_CHAT", "1"), withEnv("SEND_RATE_GROUP", "20")}
}

// TestBallotEffectsAtTelegramsLimits plays a ballot at Telegram's default
// limits: the open sends each head the ballot and the group a notice, once;
// the close sends each secretary and the group the tally and its chart, each
// secretary the biên bản kiểm phiếu (PDF and DOCX), and each voter the
// receipts, once — nothing lost, nothing twice, though the
// sends queue behind the limits.
func TestBallotEffectsAtTelegramsLimits(t *testing.T) {
	t.Parallel() // mostly waiting (Telegram's limits, leases): it overlaps the other slow tests
	w := referenceWorld(t, atTelegramsLimits()...)
	w.say(secretary, "/ballot open co-bca", "Đã mở phiếu")
	for unit, id := range heads {
		if unit == "VKHCN" {
			continue // one unit does not vote
		}
		w.say(id, "/vote co-bca CNTT:yes KHTC:yes", "Mã biên nhận")
	}
	w.say(secretary, "/ballot close co-bca", "Kết quả kiểm phiếu đang được gửi")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	count := func(chat int64, match func(telegramsim.Message) bool) int {
		n := 0
		for _, m := range w.botMessages(chat) {
			if match(m) {
				n++
			}
		}
		return n
	}
	tally := func(m telegramsim.Message) bool { return strings.HasPrefix(m.Text, "📊") }
	chart := func(m telegramsim.Message) bool { return m.Photo != nil }
	ballot := func(m telegramsim.Message) bool { return strings.HasPrefix(m.Text, "🗳") }
	receipts := func(m telegramsim.Message) bool { return strings.HasPrefix(m.Text, "🧾") }
	staff := []int64{100001, secretary, groupChat}
	record := func(m telegramsim.Message) bool {
		return m.Document != nil && strings.HasPrefix(m.Document.Name, "kiem-phieu-")
	}
	done := func() bool {
		for _, c := range staff {
			if count(c, tally) == 0 || count(c, chart) == 0 || (c != groupChat && count(c, record) < 2) {
				return false
			}
		}
		for _, id := range heads {
			if id != 100001 && count(id, receipts) == 0 {
				return false
			}
		}
		return true
	}
	if err := w.sim.Await(ctx, done); err != nil {
		t.Fatalf("the tally did not reach everyone: %v", err)
	}
	for _, c := range staff {
		if n, m := count(c, tally), count(c, chart); n != 1 || m != 1 {
			t.Errorf("chat %d: %d tallies and %d charts, want one each", c, n, m)
		}
	}
	for unit, id := range heads {
		if n := count(id, ballot); n != 1 {
			t.Errorf("%s's head got the ballot %d times", unit, n)
		}
		if id != 100001 {
			if n := count(id, receipts); n != 1 {
				t.Errorf("%s's head got the receipts %d times", unit, n)
			}
		}
	}
	for _, c := range []int64{100001, secretary} {
		for _, ext := range []string{".pdf", ".docx"} {
			record := func(m telegramsim.Message) bool {
				return m.Document != nil && strings.HasPrefix(m.Document.Name, "kiem-phieu-") && strings.HasSuffix(m.Document.Name, ext)
			}
			if n := count(c, record); n != 1 {
				t.Errorf("secretary %d got the biên bản kiểm phiếu (%s) %d times, want once", c, ext, n)
			}
		}
	}
	if n := count(groupChat, ballot); n != 1 {
		t.Errorf("the group got the ballot notice %d times", n)
	}
}
