package playground_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestADayAheadDeliversThatDaysRemindersOnTime: "+1 ngày" from Monday
// 10:00 steps the scheduler through the day's due times in order: the
// summary reminder of 17:00, the digest of 17:00 and the attendance
// reminder of Tuesday 08:00 each reach their people once, none marked late
// (a jump straight to Tuesday 10:00 used to drop the first two as beyond
// the grace and mark the third late).
func TestADayAheadDeliversThatDaysRemindersOnTime(t *testing.T) {
	p := startPlayground(t)
	const secretary int64 = 100011
	if code := postJSON(t, p.URL()+"/api/clock", map[string]string{"advance": "24h"}, nil); code != http.StatusOK {
		t.Fatalf("advance = %d", code)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	counts := func() (summary, attend, digest, late int) {
		for _, who := range []int64{headKHTC, secretary} {
			for _, m := range chat(t, p, who, who, 0).Messages {
				switch {
				case !m.FromBot:
				case strings.Contains(m.Text, "Gửi muộn"):
					late++
				case who == headKHTC && strings.Contains(m.Text, "chưa nộp báo cáo"):
					summary++
				case who == headKHTC && strings.Contains(m.Text, "chưa đăng ký tham dự"):
					attend++
				case who == secretary && strings.Contains(m.Text, "Bản tin tình hình hội nghị"):
					digest++
				}
			}
		}
		return
	}
	for {
		summary, attend, digest, late := counts()
		if late > 0 {
			t.Fatalf("%d reminders marked late", late)
		}
		if summary == 1 && attend == 1 && digest == 1 {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("after a day: %d summary reminders, %d attendance reminders, %d digests; want one each", summary, attend, digest)
		}
		time.Sleep(50 * time.Millisecond) // the outbound queue drains in the background
	}
}

// TestExportInThePlayground: /export in the playground, where the
// simulator enforces Telegram's limits, answers at once, then delivers each
// file once and "done" last.
func TestExportInThePlayground(t *testing.T) {
	p := startPlayground(t)
	const secretary int64 = 100011
	say(t, p, secretary, secretary, "/export", "Đang chuẩn bị")
	done := waitBot(t, p, secretary, secretary, 0, "✅ Đã xuất")
	files := map[string]int{}
	var last int64
	for _, m := range chat(t, p, secretary, secretary, 0).Messages {
		if m.Document != nil {
			files[m.Document.Name]++
			last = m.ID
		}
	}
	if len(files) < 8 {
		t.Errorf("%d files arrived, want at least 8: %v", len(files), files)
	}
	for name, n := range files {
		if n != 1 {
			t.Errorf("%s arrived %d times", name, n)
		}
	}
	if last > done.ID {
		t.Error("a file came after the done message")
	}
}
