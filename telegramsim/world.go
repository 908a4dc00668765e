package telegramsim

import (
	"fmt"
	"regexp"
	"time"
)

// world is the simulated Telegram: people, groups and their chats with the bot.
type world struct {
	users   map[int64]User
	groups  map[int64]string
	blocked map[int64]bool
	chats   map[int64]*chat
}

type chat struct {
	messages []*chatMessage
	lastID   int64
}

// chatMessage is a stored message: what a person sees plus what the wire format needs.
type chatMessage struct {
	Message
	entities []wireEntity
	markup   []byte // inline keyboard JSON as sent, for reply_markup in answers and callbacks
	editDate int64
}

func newWorld() world {
	return world{
		users:   make(map[int64]User),
		groups:  make(map[int64]string),
		blocked: make(map[int64]bool),
		chats:   make(map[int64]*chat),
	}
}

func (w *world) chat(chatID int64) *chat {
	ch := w.chats[chatID]
	if ch == nil {
		ch = &chat{}
		w.chats[chatID] = ch
	}
	return ch
}

func (w *world) known(chatID int64) bool {
	_, isUser := w.users[chatID]
	_, isGroup := w.groups[chatID]
	return isUser || isGroup
}

func (c *chat) find(messageID int64) (int, *chatMessage) {
	for i, m := range c.messages {
		if m.ID == messageID {
			return i, m
		}
	}
	return -1, nil
}

// AddUser adds a person; their private chat with the bot has the user's id as chat id.
func (s *Simulator) AddUser(u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u.FirstName == "" {
		u.FirstName = fmt.Sprintf("User %d", u.ID)
	}
	s.world.users[u.ID] = u
	s.changeLocked(Event{})
}

// AddGroup adds a group chat (a negative id; below -1000000000000 it is a supergroup).
func (s *Simulator) AddGroup(chatID int64, title string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.world.groups[chatID] = title
	s.changeLocked(Event{})
}

// Users returns the simulated people.
func (s *Simulator) Users() []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]User, 0, len(s.world.users))
	for _, u := range s.world.users {
		out = append(out, u)
	}
	return out
}

// Groups returns the simulated groups' titles by chat id.
func (s *Simulator) Groups() map[int64]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[int64]string, len(s.world.groups))
	for id, title := range s.world.groups {
		out[id] = title
	}
	return out
}

// BlockBot makes the user block the bot: sends into their chat get 403, and the bot receives a
// my_chat_member update (status "kicked"), as from Telegram. It returns that update's id.
func (s *Simulator) BlockBot(userID int64) int64 {
	return s.setBlocked(userID, true)
}

// UnblockBot undoes BlockBot (the person restarts the bot); the bot gets a my_chat_member update.
func (s *Simulator) UnblockBot(userID int64) int64 {
	return s.setBlocked(userID, false)
}

func (s *Simulator) setBlocked(userID int64, blocked bool) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.mustUserLocked(userID)
	s.world.blocked[userID] = blocked
	oldStatus, newStatus := "member", "kicked"
	if !blocked {
		oldStatus, newStatus = newStatus, oldStatus
	}
	return s.enqueueLocked("my_chat_member", map[string]any{
		"chat":            s.chatJSONLocked(userID),
		"from":            userJSON(u, false),
		"date":            s.nowUnix(),
		"old_chat_member": map[string]any{"status": oldStatus, "user": userJSON(s.botUser, true)},
		"new_chat_member": map[string]any{"status": newStatus, "user": userJSON(s.botUser, true), "until_date": 0},
	})
}

// mustUserLocked panics on an unknown user: a test that acts as someone it never added is wrong.
func (s *Simulator) mustUserLocked(userID int64) User {
	u, ok := s.world.users[userID]
	if !ok {
		panic(fmt.Sprintf("telegramsim: user %d was not added with AddUser", userID))
	}
	return u
}

// mustUserChatLocked checks that a user may write into chatID: their own private chat or a group.
func (s *Simulator) mustUserChatLocked(fromUserID, chatID int64) User {
	u := s.mustUserLocked(fromUserID)
	if _, isGroup := s.world.groups[chatID]; !isGroup && chatID != fromUserID {
		panic(fmt.Sprintf("telegramsim: user %d cannot write in chat %d (not their private chat, not a group)", fromUserID, chatID))
	}
	return u
}

// leadingCommand matches a command at the start of a text, with an optional @botname.
var leadingCommand = regexp.MustCompile(`^/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{3,32})?`)

func commandEntities(text string) []wireEntity {
	cmd := leadingCommand.FindString(text)
	if cmd == "" {
		return nil
	}
	return []wireEntity{{Type: "bot_command", Offset: 0, Length: utf16Len(cmd)}}
}

// addMessageLocked stores a message in its chat with the next message id.
func (s *Simulator) addMessageLocked(m *chatMessage) *chatMessage {
	ch := s.world.chat(m.ChatID)
	ch.lastID++
	m.ID = ch.lastID
	m.Date = time.Unix(s.nowUnix(), 0)
	m.At = time.Now()
	ch.messages = append(ch.messages, m)
	s.changeLocked(Event{Kind: EventMessage, ChatID: m.ChatID, MessageID: m.ID})
	return m
}

// SendText makes a user write text in a chat (their private chat, chat id = user id, or a group)
// and returns the update id. A leading /command gets its bot_command entity.
func (s *Simulator) SendText(fromUserID, chatID int64, text string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustUserChatLocked(fromUserID, chatID)
	m := s.addMessageLocked(&chatMessage{
		Message:  Message{ChatID: chatID, FromUserID: fromUserID, Text: text, RawText: text},
		entities: commandEntities(text),
	})
	return s.enqueueLocked("message", s.messageJSONLocked(m))
}

// SendDocument makes a user send a file with an optional caption and returns the update id. The
// file is stored so getFile and the download URL return its bytes.
func (s *Simulator) SendDocument(fromUserID, chatID int64, fileName, mimeType string, content []byte, caption string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustUserChatLocked(fromUserID, chatID)
	f := s.files.store(fileName, mimeType, content, "documents")
	m := s.addMessageLocked(&chatMessage{
		Message:  Message{ChatID: chatID, FromUserID: fromUserID, Text: caption, RawText: caption, Document: f},
		entities: commandEntities(caption),
	})
	return s.enqueueLocked("message", s.messageJSONLocked(m))
}

// PressButton makes a user press an inline button: the bot gets a callback_query with data as
// given (forged data is allowed) and the message as it is now. A message that does not exist is
// sent as an inaccessible message (date 0), as Telegram does for old ones. It returns the update
// id and the callback query id.
func (s *Simulator) PressButton(fromUserID, chatID, messageID int64, data string) (int64, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.mustUserChatLocked(fromUserID, chatID)
	var msg map[string]any
	if _, m := s.world.chat(chatID).find(messageID); m != nil {
		msg = s.messageJSONLocked(m)
	} else {
		msg = map[string]any{"chat": s.chatJSONLocked(chatID), "message_id": messageID, "date": 0}
	}
	queryID := fmt.Sprintf("%d", 4000000000000000000+int64(len(s.answers))+1)
	s.answers[queryID] = &callbackQuery{userID: fromUserID}
	updateID := s.enqueueLocked("callback_query", map[string]any{
		"id":            queryID,
		"from":          userJSON(u, false),
		"message":       msg,
		"chat_instance": fmt.Sprintf("%d", chatID),
		"data":          data,
	})
	return updateID, queryID
}
