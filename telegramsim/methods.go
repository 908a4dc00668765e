package telegramsim

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"time"
)

// dispatch runs a valid, admitted request. Methods of the spec without a model here answer true,
// which is what most of them return; the call is recorded either way.
func (s *Simulator) dispatch(ctx context.Context, req *request) (any, *apiError) {
	switch req.method {
	case "getMe":
		u := userJSON(s.botUser, true)
		u["can_join_groups"] = true
		u["can_read_all_group_messages"] = false
		u["supports_inline_queries"] = false
		return u, nil
	case "getUpdates":
		return s.getUpdates(ctx, req)
	case "setWebhook":
		return s.setWebhook(req)
	case "deleteWebhook":
		return s.deleteWebhook(req)
	case "getWebhookInfo":
		return s.getWebhookInfo()
	case "sendMessage":
		return s.sendMessage(req)
	case "sendDocument":
		return s.sendMedia(req, "document")
	case "sendPhoto":
		return s.sendMedia(req, "photo")
	case "sendMediaGroup":
		return s.sendMediaGroup(req)
	case "editMessageText":
		return s.editMessage(req, editText)
	case "editMessageCaption":
		return s.editMessage(req, editCaption)
	case "editMessageReplyMarkup":
		return s.editMessage(req, editMarkup)
	case "deleteMessage":
		return s.deleteMessage(req)
	case "answerCallbackQuery":
		return s.answerCallbackQuery(req)
	case "getFile":
		return s.getFile(req)
	case "sendChatAction":
		s.mu.Lock()
		defer s.mu.Unlock()
		if _, apiErr := s.botChatLocked(req); apiErr != nil {
			return nil, apiErr
		}
		return true, nil
	case "getChat":
		s.mu.Lock()
		defer s.mu.Unlock()
		chatID, apiErr := s.botChatLocked(req)
		if apiErr != nil {
			return nil, apiErr
		}
		return s.chatJSONLocked(chatID), nil
	case "setMyCommands", "getMyCommands", "deleteMyCommands":
		return s.commandsMethod(req)
	case "setMyDescription", "getMyDescription", "setMyShortDescription", "getMyShortDescription", "setMyName", "getMyName":
		return s.profileMethod(req)
	default:
		return true, nil
	}
}

// botChatLocked resolves chat_id to a chat the bot may write to.
func (s *Simulator) botChatLocked(req *request) (int64, *apiError) {
	chatID, ok := req.chatID()
	if !ok || !s.world.known(chatID) {
		return 0, badRequest("chat not found")
	}
	if s.world.blocked[chatID] {
		return 0, &apiError{code: 403, description: "Forbidden: bot was blocked by the user"}
	}
	return chatID, nil
}

// markupView is a reply_markup as stored and shown.
type markupView struct {
	inlineJSON []byte
	buttons    [][]Button
	keyboard   [][]string
}

// parseMarkup reads a reply_markup that validation has accepted. Only inline keyboards belong
// to the message; a reply keyboard belongs to the chat's input field but is shown with the
// message that brought it.
func parseMarkup(raw string) markupView {
	if raw == "" {
		return markupView{}
	}
	var m struct {
		InlineKeyboard [][]struct {
			Text         string `json:"text"`
			CallbackData string `json:"callback_data"`
			URL          string `json:"url"`
		} `json:"inline_keyboard"`
		Keyboard [][]struct {
			Text string `json:"text"`
		} `json:"keyboard"`
	}
	_ = json.Unmarshal([]byte(raw), &m)
	var v markupView
	if m.InlineKeyboard != nil {
		var compact bytes.Buffer
		_ = json.Compact(&compact, []byte(raw))
		v.inlineJSON = compact.Bytes()
		for _, row := range m.InlineKeyboard {
			var r []Button
			for _, b := range row {
				r = append(r, Button{Text: b.Text, CallbackData: b.CallbackData, URL: b.URL})
			}
			v.buttons = append(v.buttons, r)
		}
	}
	for _, row := range m.Keyboard {
		var r []string
		for _, b := range row {
			r = append(r, b.Text)
		}
		v.keyboard = append(v.keyboard, r)
	}
	return v
}

func (s *Simulator) sendMessage(req *request) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	chatID, apiErr := s.botChatLocked(req)
	if apiErr != nil {
		return nil, apiErr
	}
	text, parseMode := req.fields["text"], req.fields["parse_mode"]
	visible, _ := visibleText(text, parseMode) // validation has rejected unparsable markup
	mv := parseMarkup(req.fields["reply_markup"])
	m := s.addMessageLocked(&chatMessage{
		Message: Message{
			ChatID: chatID, FromBot: true, FromUserID: s.botUser.ID,
			Text: visible, RawText: text, ParseMode: parseMode,
			Buttons: mv.buttons, Keyboard: mv.keyboard,
		},
		markup: mv.inlineJSON,
	})
	return s.messageJSONLocked(m), nil
}

// sendMedia carries out sendDocument ("document") and sendPhoto ("photo").
func (s *Simulator) sendMedia(req *request, field string) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	chatID, apiErr := s.botChatLocked(req)
	if apiErr != nil {
		return nil, apiErr
	}
	folder := "documents"
	if field == "photo" {
		folder = "photos"
	}
	f, apiErr := s.inputFileLocked(req, field, folder)
	if apiErr != nil {
		return nil, apiErr
	}
	caption, parseMode := req.fields["caption"], req.fields["parse_mode"]
	visible, _ := visibleText(caption, parseMode)
	mv := parseMarkup(req.fields["reply_markup"])
	m := &chatMessage{
		Message: Message{
			ChatID: chatID, FromBot: true, FromUserID: s.botUser.ID,
			Text: visible, RawText: caption, ParseMode: parseMode,
			Buttons: mv.buttons, Keyboard: mv.keyboard,
		},
		markup: mv.inlineJSON,
	}
	if field == "photo" {
		w, h, apiErr := photoSize(f)
		if apiErr != nil {
			return nil, apiErr
		}
		photo := *f
		photo.Width, photo.Height = w, h
		m.Photo = &photo
	} else {
		m.Document = f
	}
	s.addMessageLocked(m)
	return s.messageJSONLocked(m), nil
}

type editKind int

const (
	editText editKind = iota
	editCaption
	editMarkup
)

func (s *Simulator) editMessage(req *request, kind editKind) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if req.fields["inline_message_id"] != "" {
		return nil, badRequest("inline messages are not simulated")
	}
	chatID, apiErr := s.botChatLocked(req)
	if apiErr != nil {
		return nil, apiErr
	}
	_, m := s.world.chat(chatID).find(req.int64Field("message_id"))
	switch {
	case m == nil:
		return nil, badRequest("message to edit not found")
	case !m.FromBot:
		return nil, badRequest("message can't be edited")
	case kind == editText && (m.Document != nil || m.Photo != nil):
		return nil, badRequest("there is no text in the message to edit")
	case kind == editCaption && m.Document == nil && m.Photo == nil:
		return nil, badRequest("there is no caption in the message to edit")
	}
	raw, parseMode := m.RawText, m.ParseMode
	switch kind {
	case editText:
		raw, parseMode = req.fields["text"], req.fields["parse_mode"]
	case editCaption:
		raw, parseMode = req.fields["caption"], req.fields["parse_mode"]
	}
	visible, _ := visibleText(raw, parseMode)
	// An edit without reply_markup removes the inline keyboard, as on Telegram.
	mv := parseMarkup(req.fields["reply_markup"])
	if visible == m.Text && bytes.Equal(mv.inlineJSON, m.markup) {
		return nil, badRequest("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
	}
	m.Text, m.RawText, m.ParseMode = visible, raw, parseMode
	m.Buttons, m.markup = mv.buttons, mv.inlineJSON
	m.Edited++
	m.editDate = s.nowUnix()
	s.changeLocked(Event{Kind: EventEdit, ChatID: chatID, MessageID: m.ID})
	return s.messageJSONLocked(m), nil
}

func (s *Simulator) deleteMessage(req *request) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	chatID, apiErr := s.botChatLocked(req)
	if apiErr != nil {
		return nil, apiErr
	}
	ch := s.world.chat(chatID)
	i, m := ch.find(req.int64Field("message_id"))
	if m == nil {
		return nil, badRequest("message to delete not found")
	}
	ch.messages = slices.Delete(ch.messages, i, i+1)
	s.changeLocked(Event{Kind: EventDelete, ChatID: chatID, MessageID: m.ID})
	return true, nil
}

// CallbackAnswer is the bot's answer to a callback query.
type CallbackAnswer struct {
	Text      string
	ShowAlert bool
	URL       string
	CacheTime int
	At        time.Time
}

type callbackQuery struct {
	userID  int64
	answers []CallbackAnswer
}

func (s *Simulator) answerCallbackQuery(req *request) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.answers[req.fields["callback_query_id"]]
	if q == nil || len(q.answers) > 0 {
		return nil, badRequest("query is too old and response timeout expired or query ID is invalid")
	}
	cacheTime, _ := strconv.Atoi(req.fields["cache_time"])
	q.answers = append(q.answers, CallbackAnswer{
		Text:      req.fields["text"],
		ShowAlert: req.fields["show_alert"] == "true",
		URL:       req.fields["url"],
		CacheTime: cacheTime,
		At:        s.now(),
	})
	return true, nil
}

// CallbackAnswers returns the accepted answers to a callback query: none while unanswered, one
// once answered (a second answer is refused by Telegram, and shows up in Calls with error 400).
func (s *Simulator) CallbackAnswers(queryID string) []CallbackAnswer {
	s.mu.Lock()
	defer s.mu.Unlock()
	if q := s.answers[queryID]; q != nil {
		return append([]CallbackAnswer(nil), q.answers...)
	}
	return nil
}
