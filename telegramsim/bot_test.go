package telegramsim_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/confbot/confbot/telegramsim"
	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

func TestGetMe(t *testing.T) {
	sim := newSim(t, telegramsim.WithBotUser(4242, "confbot_test_bot"))
	b := newBot(t, sim)
	me, err := b.GetMe(waitCtx(t))
	if err != nil {
		t.Fatalf("GetMe: %v", err)
	}
	if me.ID != 4242 || me.Username != "confbot_test_bot" || !me.IsBot {
		t.Errorf("GetMe = %+v, want id 4242, username confbot_test_bot, is_bot", me)
	}
	sim.AssertNoViolations(t)
}

func TestWrongTokenIsUnauthorized(t *testing.T) {
	sim := newSim(t)
	_, err := bot.New("999:wrong", bot.WithServerURL(sim.URL()))
	if !errors.Is(err, bot.ErrorUnauthorized) {
		t.Errorf("bot.New with a wrong token: err = %v, want ErrorUnauthorized", err)
	}
}

func TestCommandReachesHandlerAndReplyIsSeen(t *testing.T) {
	sim := newSim(t)
	sink := make(updateSink, 10)
	b := newBot(t, sim, bot.WithDefaultHandler(sink.handler))
	startBot(t, b)

	sim.SendText(alice, alice, "/start@sim_bot mời họp")
	u := sink.next(t)
	if u.Message == nil || u.Message.Text != "/start@sim_bot mời họp" || u.Message.Date == 0 {
		t.Fatalf("update message = %+v", u.Message)
	}
	ents := u.Message.Entities
	if len(ents) != 1 || ents[0].Type != models.MessageEntityTypeBotCommand || ents[0].Offset != 0 || ents[0].Length != len("/start@sim_bot") {
		t.Errorf("entities = %+v, want one bot_command over /start@sim_bot", ents)
	}
	if u.Message.From == nil || u.Message.From.ID != alice || u.Message.Chat.Type != models.ChatTypePrivate {
		t.Errorf("from/chat = %+v / %+v", u.Message.From, u.Message.Chat)
	}

	if _, err := b.SendMessage(waitCtx(t), &bot.SendMessageParams{ChatID: alice, Text: "<b>Chào</b> Alice", ParseMode: models.ParseModeHTML}); err != nil {
		t.Fatalf("SendMessage: %v", err)
	}
	got, err := sim.WaitFor(waitCtx(t), alice, func(m telegramsim.Message) bool { return m.Text == "Chào Alice" })
	if err != nil {
		t.Fatal(err)
	}
	if got.RawText != "<b>Chào</b> Alice" || got.ParseMode != "HTML" {
		t.Errorf("bot message = %+v", got)
	}
	chat := sim.Chat(alice)
	if len(chat) != 2 || chat[0].FromBot || !chat[1].FromBot {
		t.Errorf("chat = %+v, want the user's command then the bot's reply", chat)
	}
	sim.AssertNoViolations(t)
}

func TestEditInPlace(t *testing.T) {
	sim := newSim(t)
	b := newBot(t, sim)
	ctx := waitCtx(t)
	sent, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: group, Text: "Có mặt: 1"})
	if err != nil {
		t.Fatalf("SendMessage: %v", err)
	}
	if _, err := b.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: group, MessageID: sent.ID, Text: "Có mặt: 2"}); err != nil {
		t.Fatalf("EditMessageText: %v", err)
	}
	_, err = b.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: group, MessageID: sent.ID, Text: "Có mặt: 2"})
	if !errors.Is(err, bot.ErrorBadRequest) || !strings.Contains(err.Error(), "not modified") {
		t.Errorf("same edit again: err = %v, want 400 message is not modified", err)
	}
	chat := sim.Chat(group)
	if len(chat) != 1 || chat[0].Text != "Có mặt: 2" || chat[0].Edited != 1 {
		t.Errorf("chat = %+v, want one message edited once", chat)
	}
	if _, err := b.DeleteMessage(ctx, &bot.DeleteMessageParams{ChatID: group, MessageID: sent.ID}); err != nil {
		t.Fatalf("DeleteMessage: %v", err)
	}
	if chat := sim.Chat(group); len(chat) != 0 {
		t.Errorf("chat after delete = %+v", chat)
	}
	sim.AssertNoViolations(t)
}

func TestInlineKeyboardPressAndAnswer(t *testing.T) {
	sim := newSim(t)
	b := newBot(t, sim, bot.WithDefaultHandler(func(ctx context.Context, b *bot.Bot, u *models.Update) {
		if u.CallbackQuery == nil {
			return
		}
		_, _ = b.AnswerCallbackQuery(ctx, &bot.AnswerCallbackQueryParams{
			CallbackQueryID: u.CallbackQuery.ID,
			Text:            "Đã ghi nhận " + u.CallbackQuery.Data,
		})
		msg := u.CallbackQuery.Message.Message
		_, _ = b.EditMessageReplyMarkup(ctx, &bot.EditMessageReplyMarkupParams{ChatID: msg.Chat.ID, MessageID: msg.ID})
	}))
	startBot(t, b)
	sent, err := b.SendMessage(waitCtx(t), &bot.SendMessageParams{
		ChatID: bob, Text: "Bạn có dự họp không?",
		ReplyMarkup: &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{
			{Text: "Có", CallbackData: "att:yes"}, {Text: "Không", CallbackData: "att:no"},
		}}},
	})
	if err != nil {
		t.Fatalf("SendMessage: %v", err)
	}
	if got := sim.Chat(bob)[0].Buttons; len(got) != 1 || len(got[0]) != 2 || got[0][0].CallbackData != "att:yes" {
		t.Fatalf("buttons = %+v", got)
	}

	_, queryID := sim.PressButton(bob, bob, int64(sent.ID), "att:yes")
	err = sim.Await(waitCtx(t), func() bool { return len(sim.CallbackAnswers(queryID)) == 1 })
	if err != nil {
		t.Fatalf("no callback answer: %v", err)
	}
	if a := sim.CallbackAnswers(queryID)[0]; a.Text != "Đã ghi nhận att:yes" {
		t.Errorf("answer = %+v", a)
	}
	_, err = sim.WaitFor(waitCtx(t), bob, func(m telegramsim.Message) bool { return m.Edited == 1 && len(m.Buttons) == 0 })
	if err != nil {
		t.Errorf("keyboard not removed: %v", err)
	}
	sim.AssertNoViolations(t)
	if notes := sim.Notes(); len(notes) != 1 || !strings.Contains(notes[0], "copy_text") {
		t.Errorf("notes = %q, want the copy_text note", notes)
	}
}

func TestDocumentRoundTrip(t *testing.T) {
	sim := newSim(t)
	sink := make(updateSink, 10)
	b := newBot(t, sim, bot.WithDefaultHandler(sink.handler))
	startBot(t, b)
	content := []byte("đơn vị,số phiếu\nA,3\n")
	sim.SendDocument(alice, alice, "units.csv", "text/csv", content, "/import cum8")

	u := sink.next(t)
	doc := u.Message.Document
	if doc == nil || doc.FileName != "units.csv" || doc.FileSize != int64(len(content)) {
		t.Fatalf("document = %+v", doc)
	}
	if ents := u.Message.CaptionEntities; len(ents) != 1 || ents[0].Type != models.MessageEntityTypeBotCommand {
		t.Errorf("caption entities = %+v", ents)
	}
	ctx := waitCtx(t)
	f, err := b.GetFile(ctx, &bot.GetFileParams{FileID: doc.FileID})
	if err != nil {
		t.Fatalf("GetFile: %v", err)
	}
	resp, err := http.Get(b.FileDownloadLink(f))
	if err != nil {
		t.Fatalf("download: %v", err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Equal(got, content) {
		t.Errorf("downloaded %q, want %q", got, content)
	}

	// And the other way: the bot uploads a file, a person sees its bytes.
	_, err = b.SendDocument(ctx, &bot.SendDocumentParams{
		ChatID:   alice,
		Document: &models.InputFileUpload{Filename: "tally.txt", Data: strings.NewReader("kết quả")},
		Caption:  "Kết quả",
	})
	if err != nil {
		t.Fatalf("SendDocument: %v", err)
	}
	last := sim.Chat(alice)[1]
	if last.Document == nil || last.Document.Name != "tally.txt" || string(last.Document.Bytes) != "kết quả" || last.Text != "Kết quả" {
		t.Errorf("bot document message = %+v", last)
	}
	// Re-sending by file_id reuses the stored file.
	if _, err := b.SendDocument(ctx, &bot.SendDocumentParams{ChatID: bob, Document: &models.InputFileString{Data: last.Document.FileID}}); err != nil {
		t.Errorf("SendDocument by file_id: %v", err)
	}
	sim.AssertNoViolations(t)
}

func TestPerChatLimitAnswers429(t *testing.T) {
	clock := &fakeClock{now: mustTime(t, "2022-12-20T08:00:00Z")}
	sim := newSim(t, telegramsim.WithLimits(telegramsim.DefaultLimits()), telegramsim.WithClock(clock.Now))
	b := newBot(t, sim)
	ctx := waitCtx(t)
	send := func() error {
		_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: alice, Text: "nhắc hạn"})
		return err
	}
	if err := send(); err != nil {
		t.Fatalf("first send: %v", err)
	}
	var flood *bot.TooManyRequestsError
	if err := send(); !errors.As(err, &flood) || flood.RetryAfter != 1 {
		t.Fatalf("second send in the same second: err = %v, want 429 retry_after 1", err)
	}
	if _, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: bob, Text: "khác chat"}); err != nil {
		t.Errorf("another chat is not limited: %v", err)
	}
	clock.Advance(1001 * 1e6) // just over a second
	if err := send(); err != nil {
		t.Errorf("send after retry_after: %v", err)
	}
	if n := sim.Count429(); n != 1 {
		t.Errorf("Count429 = %d, want 1", n)
	}
	if n := len(sim.Chat(alice)); n != 2 {
		t.Errorf("alice sees %d messages, want 2 (the refused one never arrived)", n)
	}
}

func TestBlockedAndUnknownChats(t *testing.T) {
	sim := newSim(t)
	b := newBot(t, sim)
	sim.BlockBot(bob)
	_, err := b.SendMessage(waitCtx(t), &bot.SendMessageParams{ChatID: bob, Text: "x"})
	if !errors.Is(err, bot.ErrorForbidden) || !strings.Contains(err.Error(), "blocked") {
		t.Errorf("send to a blocked user: err = %v, want 403 blocked", err)
	}
	_, err = b.SendMessage(waitCtx(t), &bot.SendMessageParams{ChatID: 999, Text: "x"})
	if !errors.Is(err, bot.ErrorBadRequest) || !strings.Contains(err.Error(), "chat not found") {
		t.Errorf("send to an unknown chat: err = %v, want 400 chat not found", err)
	}
	sim.AssertNoViolations(t)
}

func TestFailNext(t *testing.T) {
	sim := newSim(t)
	b := newBot(t, sim)
	sim.FailNext("sendMessage", 1, 500, 0)
	if _, err := b.SendMessage(waitCtx(t), &bot.SendMessageParams{ChatID: alice, Text: "a"}); err == nil {
		t.Fatal("first send succeeded, want injected 500")
	}
	if _, err := b.SendMessage(waitCtx(t), &bot.SendMessageParams{ChatID: alice, Text: "a"}); err != nil {
		t.Fatalf("second send: %v", err)
	}
	calls := sim.Calls("sendMessage")
	if len(calls) != 2 || calls[0].ErrorCode != 500 || calls[1].ErrorCode != 0 || calls[1].Fields["text"] != "a" {
		t.Errorf("calls = %+v", calls)
	}
	if n := len(sim.Chat(alice)); n != 1 {
		t.Errorf("alice sees %d messages, want 1", n)
	}
}

func TestCommandsPerScopeAndLanguage(t *testing.T) {
	sim := newSim(t)
	b := newBot(t, sim)
	ctx := waitCtx(t)
	vi := []models.BotCommand{{Command: "vote", Description: "Bỏ phiếu"}}
	if _, err := b.SetMyCommands(ctx, &bot.SetMyCommandsParams{Commands: vi, LanguageCode: "vi"}); err != nil {
		t.Fatalf("SetMyCommands: %v", err)
	}
	if _, err := b.SetMyCommands(ctx, &bot.SetMyCommandsParams{
		Commands: []models.BotCommand{{Command: "tally", Description: "Kiểm phiếu"}},
		Scope:    &models.BotCommandScopeChat{ChatID: group},
	}); err != nil {
		t.Fatalf("SetMyCommands(chat scope): %v", err)
	}
	got, err := b.GetMyCommands(ctx, &bot.GetMyCommandsParams{LanguageCode: "vi"})
	if err != nil || len(got) != 1 || got[0].Command != "vote" {
		t.Errorf("GetMyCommands(vi) = %+v, %v", got, err)
	}
	sets := sim.Commands()
	if len(sets) != 2 || sets[0].Scope != "chat:-1001234567890" || sets[1].Scope != "default" || sets[1].LanguageCode != "vi" {
		t.Errorf("Commands() = %+v", sets)
	}
	if _, err := b.SetMyDescription(ctx, &bot.SetMyDescriptionParams{Description: "Hội nghị cụm 8"}); err != nil {
		t.Fatalf("SetMyDescription: %v", err)
	}
	if d := sim.BotProfile("description", ""); d != "Hội nghị cụm 8" {
		t.Errorf("description = %q", d)
	}
	sim.AssertNoViolations(t)
}

func TestPhotoAndChangeSignals(t *testing.T) {
	sim := newSim(t)
	b := newBot(t, sim)
	changes, stop := sim.Subscribe()
	defer stop()
	_, cursor := sim.Events(0)

	var pngData bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 3, 2))
	if err := png.Encode(&pngData, img); err != nil {
		t.Fatal(err)
	}
	_, err := b.SendPhoto(waitCtx(t), &bot.SendPhotoParams{
		ChatID: group,
		Photo:  &models.InputFileUpload{Filename: "chart.png", Data: bytes.NewReader(pngData.Bytes())},
	})
	if err != nil {
		t.Fatalf("SendPhoto: %v", err)
	}
	select {
	case <-changes:
	case <-time.After(waitTimeout):
		t.Fatal("no change signal")
	}
	msgs := sim.Chat(group)
	if len(msgs) != 1 || msgs[0].Photo == nil || msgs[0].Photo.Width != 3 || msgs[0].Photo.Height != 2 || !bytes.Equal(msgs[0].Photo.Bytes, pngData.Bytes()) {
		t.Errorf("photo message = %+v", msgs)
	}
	events, _ := sim.Events(cursor)
	var sawMessage bool
	for _, e := range events {
		sawMessage = sawMessage || (e.Kind == telegramsim.EventMessage && e.ChatID == group && e.MessageID == msgs[0].ID)
	}
	if !sawMessage {
		t.Errorf("events %+v lack the new message", events)
	}

	_, err = b.SendPhoto(waitCtx(t), &bot.SendPhotoParams{
		ChatID: group,
		Photo:  &models.InputFileUpload{Filename: "not.png", Data: strings.NewReader("not an image")},
	})
	if !errors.Is(err, bot.ErrorBadRequest) {
		t.Errorf("SendPhoto of a non-image: err = %v, want 400", err)
	}
	sim.AssertNoViolations(t)
}
