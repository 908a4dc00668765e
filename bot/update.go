package bot

import (
	"context"

	"github.com/go-telegram/bot/models"
)

// ChatOf returns the chat an update belongs to (its ordering lane); updates
// without a chat share lane 0.
func ChatOf(u *models.Update) int64 {
	switch {
	case u.Message != nil:
		return u.Message.Chat.ID
	case u.EditedMessage != nil:
		return u.EditedMessage.Chat.ID
	case u.CallbackQuery != nil:
		if m := u.CallbackQuery.Message.Message; m != nil {
			return m.Chat.ID
		}
		if m := u.CallbackQuery.Message.InaccessibleMessage; m != nil {
			return m.Chat.ID
		}
		return u.CallbackQuery.From.ID
	case u.MyChatMember != nil:
		return u.MyChatMember.Chat.ID
	case u.ChatMember != nil:
		return u.ChatMember.Chat.ID
	}
	return 0
}

// KindOf names an update's type for metrics and logs.
func KindOf(u *models.Update) string {
	switch {
	case u.Message != nil:
		if u.Message.Document != nil {
			return "document"
		}
		return "message"
	case u.EditedMessage != nil:
		return "edited_message"
	case u.CallbackQuery != nil:
		return "callback_query"
	case u.MyChatMember != nil:
		return "my_chat_member"
	case u.ChatMember != nil:
		return "chat_member"
	}
	return "other"
}

type updateIDKey struct{}

// WithUpdateID marks ctx as the handling of update id: what is done under it
// is that update's work (the round-trip test counts Redis calls by it).
func WithUpdateID(ctx context.Context, id int64) context.Context {
	return context.WithValue(ctx, updateIDKey{}, id)
}

// UpdateIDFrom is the update whose handling ctx belongs to, if any.
func UpdateIDFrom(ctx context.Context) (int64, bool) {
	id, ok := ctx.Value(updateIDKey{}).(int64)
	return id, ok
}
