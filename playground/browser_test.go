package playground_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/rs/zerolog"

	"github.com/confbot/confbot/playground"
)

func TestBrowserChatAsThePeopleOfTheConference(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	p, err := playground.Start(context.Background(), playground.Options{
		Addr: "127.0.0.1:0", SecretFile: filepath.Join(t.TempDir(), "secret"), Log: zerolog.New(io.Discard), PollTimeout: 2 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = p.Close(ctx)
	})
	b := newBrowser(t, p)

	b.open(headCNTT)
	b.waitForText("Chưa có tin nhắn")
	b.sendAs(headCNTT, "/start")
	b.waitForText("Kính chào đồng chí Dương Văn Tính")
	b.sendAs(headCNTT, "/help")
	b.waitForText("/lang")
	b.screenshot("01-cntt-head-start-help")

	b.sendAs(secretaryCNTT, "/start")
	b.waitForText("Kính chào đồng chí Cán bộ thi đua CNTT")
	b.screenshot("02-secretary")

	b.switchTo(headCNTT) // the history is still there
	b.waitForText("Kính chào đồng chí Dương Văn Tính")
	b.waitForText("/lang")

	b.sendAs(guestCTDCT, "/lang")
	b.pressButton("English")
	b.waitForText("Language set to English")

	b.openChat(groupChat)
	b.send("Chào các đồng chí trong cụm")
	b.waitForText("Chào các đồng chí trong cụm")
	b.switchTo(headKHTC)
	b.openChat(groupChat)
	b.waitForText("Chào các đồng chí trong cụm") // the group is one chat for everyone

	report := filepath.Join(t.TempDir(), "bao-cao-CNTT.pdf")
	if err := os.WriteFile(report, []byte("%PDF-1.4 báo cáo"), 0o644); err != nil {
		t.Fatal(err)
	}
	b.switchTo(headCNTT)
	b.upload("Báo cáo tổng kết", report)
	b.waitForText("bao-cao-CNTT.pdf")
	b.advanceClock("24h")
	b.screenshot("03-document-clock")

	// The vote (SPEC F3, F5, F6): the CNTT head registers, the secretary
	// opens the session and a ballot, two heads vote (buttons, then the typed
	// form), the secretary closes it and gets the tally with its chart.
	b.sendAs(headCNTT, "/attend yes")
	b.waitForText("sẽ tham dự hội nghị")
	b.sendAs(secretaryCNTT, "/conference start")
	b.waitForText("Đang họp")
	b.send("/quorum override")
	b.waitForText("cho phép mở phiếu")
	b.send("/ballot open co-bca")
	b.waitForText("Cờ thi đua của Bộ Công an")

	b.switchTo(headCNTT)
	b.waitForText("Xem lại và gửi phiếu")
	b.pressButton("KHTC — Cục Kế hoạch và tài chính: không ý kiến")
	b.waitForButton("KHTC — Cục Kế hoạch và tài chính: đồng ý") // the message is edited in place
	b.pressButton("VTCY — Cục Viễn thông và cơ yếu: không ý kiến")
	b.waitForButton("VTCY — Cục Viễn thông và cơ yếu: đồng ý")
	b.screenshot("04-vote") // the README's screenshot: in the middle of a vote
	b.pressButton("Xem lại và gửi phiếu")
	b.pressButton("Gửi phiếu")
	b.waitForText("Đã ghi nhận phiếu")

	b.sendAs(headKHTC, "/vote co-bca CNTT:yes KHTC:yes QLXD:no TBKV:yes VTCY:yes VKHCN:abstain")
	b.waitForText("Đã ghi nhận phiếu")

	b.sendAs(secretaryCNTT, "/ballot close co-bca")
	b.waitForText("Kết quả kiểm phiếu")
	b.waitForPhoto()
	b.screenshot("05-tally")

	b.do("phone-sized window", chromedp.EmulateViewport(390, 844), chromedp.WaitVisible(chromedp.ID("person-select")),
		chromedp.WaitNotVisible(chromedp.ID("people")))
	b.screenshot("06-phone")
}
