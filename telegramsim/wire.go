package telegramsim

import (
	"encoding/json"
	"unicode/utf16"
)

// This file builds the JSON objects of the Bot API (User, Chat, Message) from the world.

type wireEntity struct {
	Type   string `json:"type"`
	Offset int    `json:"offset"`
	Length int    `json:"length"`
}

func userJSON(u User, isBot bool) map[string]any {
	out := map[string]any{"id": u.ID, "is_bot": isBot, "first_name": u.FirstName}
	if u.Username != "" {
		out["username"] = u.Username
	}
	if u.LanguageCode != "" && !isBot {
		out["language_code"] = u.LanguageCode
	}
	return out
}

func (s *Simulator) chatJSONLocked(chatID int64) map[string]any {
	if title, ok := s.world.groups[chatID]; ok {
		kind := "group"
		if chatID < -1000000000000 {
			kind = "supergroup"
		}
		return map[string]any{"id": chatID, "type": kind, "title": title}
	}
	u := s.world.users[chatID]
	out := map[string]any{"id": chatID, "type": "private", "first_name": u.FirstName}
	if u.Username != "" {
		out["username"] = u.Username
	}
	return out
}

// messageJSONLocked renders a stored message as the Bot API's Message object.
func (s *Simulator) messageJSONLocked(m *chatMessage) map[string]any {
	out := map[string]any{
		"message_id": m.ID,
		"date":       m.Date.Unix(),
		"chat":       s.chatJSONLocked(m.ChatID),
	}
	if m.FromBot {
		out["from"] = userJSON(s.botUser, true)
	} else {
		out["from"] = userJSON(s.world.users[m.FromUserID], false)
	}
	if m.editDate != 0 {
		out["edit_date"] = m.editDate
	}
	textKey, entitiesKey := "text", "entities"
	if m.Document != nil || m.Photo != nil {
		textKey, entitiesKey = "caption", "caption_entities"
	}
	if m.Text != "" {
		out[textKey] = m.Text
	}
	if len(m.entities) > 0 {
		out[entitiesKey] = m.entities
	}
	if m.MediaGroupID != "" {
		out["media_group_id"] = m.MediaGroupID
	}
	if m.Document != nil {
		out["document"] = map[string]any{
			"file_id": m.Document.FileID, "file_unique_id": m.Document.FileUniqueID,
			"file_name": m.Document.Name, "mime_type": m.Document.MIMEType,
			"file_size": len(m.Document.Bytes),
		}
	}
	if m.Photo != nil {
		out["photo"] = []map[string]any{{
			"file_id": m.Photo.FileID, "file_unique_id": m.Photo.FileUniqueID,
			"width": m.Photo.Width, "height": m.Photo.Height, "file_size": len(m.Photo.Bytes),
		}}
	}
	if len(m.markup) > 0 {
		out["reply_markup"] = json.RawMessage(m.markup)
	}
	return out
}

// utf16Len counts UTF-16 code units, the unit of Telegram's entity offsets and lengths.
func utf16Len(s string) int {
	return len(utf16.Encode([]rune(s)))
}
