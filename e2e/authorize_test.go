package e2e_test

import (
	"context"
	"testing"

	"github.com/confbot/confbot/i18n"
)

// TestHeadAuthorisesADelegate: a delegate casts the unit's ballot only once
// the head authorises them; the unit keeps exactly one ballot, the last.
func TestHeadAuthorisesADelegate(t *testing.T) {
	w := referenceWorld(t)
	vi := i18n.VI
	w.say(100001, "/ballot open co-bca", "Cờ thi đua của Bộ Công an")
	w.say(100012, "/vote co-bca CNTT:no", w.text(vi, "vote.not_eligible"))
	w.say(100012, "/authorize 100012", w.text(vi, "error.not_allowed")) // only heads authorise
	w.say(100002, "/authorize 100099", w.text(vi, "authorize.not_delegate", "who", "100099", "unit", "KHTC"))
	w.say(100002, "/authorize 100012", w.text(vi, "authorize.done", "name", "Cán bộ thi đua KHTC", "unit", "KHTC"))
	w.say(100012, "/vote co-bca CNTT:no", "Mã biên nhận")
	w.say(100002, "/vote co-bca CNTT:yes", "Đã bỏ phiếu: 1/6") // the head corrects it: still one ballot
	w.say(100002, "/authorize 100012 off", w.text(vi, "authorize.revoked", "name", "Cán bộ thi đua KHTC", "unit", "KHTC"))
	w.say(100012, "/vote co-bca CNTT:no", w.text(vi, "vote.not_eligible"))
	counters, err := w.store.Counters(context.Background(), cum8, "co-bca", 1)
	if err != nil {
		t.Fatal(err)
	}
	if counters.Ballots != 1 || counters.Yes["CNTT"] != 1 || counters.No["CNTT"] != 0 {
		t.Errorf("counters %+v; want KHTC's one ballot, CNTT yes", counters)
	}
}
