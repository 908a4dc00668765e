package bot_test

import (
	"slices"
	"testing"

	"github.com/go-telegram/bot/models"

	"github.com/confbot/confbot/bot"
)

func commandEntity(offset, length int) []models.MessageEntity {
	return []models.MessageEntity{{Type: models.MessageEntityTypeBotCommand, Offset: offset, Length: length}}
}

func TestParseCommand(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		entities []models.MessageEntity
		want     bot.Command
		wantOK   bool
	}{
		{
			name: "plain", text: "/help", entities: commandEntity(0, 5),
			want: bot.Command{Name: "help"}, wantOK: true,
		},
		{
			name: "upper case name", text: "/HELP", entities: commandEntity(0, 5),
			want: bot.Command{Name: "help"}, wantOK: true,
		},
		{
			name: "addressed to us with payload", text: "/start@MyBot payload", entities: commandEntity(0, 12),
			want: bot.Command{Name: "start", Args: "payload", Fields: []string{"payload"}}, wantOK: true,
		},
		{
			name: "bot name case-insensitive", text: "/vote@mybot co-bca CNTT:yes", entities: commandEntity(0, 11),
			want: bot.Command{Name: "vote", Args: "co-bca CNTT:yes", Fields: []string{"co-bca", "CNTT:yes"}}, wantOK: true,
		},
		{
			name: "addressed to another bot", text: "/Vote@otherbot", entities: commandEntity(0, 14),
			wantOK: false,
		},
		{
			name: "vietnamese args trimmed", text: "/attend   sẽ tham dự  ", entities: commandEntity(0, 7),
			want: bot.Command{Name: "attend", Args: "sẽ tham dự", Fields: []string{"sẽ", "tham", "dự"}}, wantOK: true,
		},
		{
			name: "emoji after command", text: "/checkin 😀 AB12", entities: commandEntity(0, 8),
			want: bot.Command{Name: "checkin", Args: "😀 AB12", Fields: []string{"😀", "AB12"}}, wantOK: true,
		},
		{
			// "😀 " is 3 UTF-16 units, so the entity starts at 3, not 0.
			name: "emoji before command", text: "😀 /help", entities: commandEntity(3, 5),
			wantOK: false,
		},
		{
			// Telegram counts the emoji in the argument as 2 units; a byte
			// slicer would cut the command at the wrong place.
			name: "emoji inside addressed command text", text: "/summary@MyBot 📄 Báo cáo", entities: commandEntity(0, 14),
			want: bot.Command{Name: "summary", Args: "📄 Báo cáo", Fields: []string{"📄", "Báo", "cáo"}}, wantOK: true,
		},
		{
			name: "no entity", text: "/help", entities: nil,
			wantOK: false,
		},
		{
			name: "other entity type at 0", text: "/help",
			entities: []models.MessageEntity{{Type: models.MessageEntityTypeBold, Offset: 0, Length: 5}},
			wantOK:   false,
		},
		{
			name: "command entity later among others", text: "/tally b1",
			entities: []models.MessageEntity{{Type: models.MessageEntityTypeBold, Offset: 7, Length: 2}, commandEntity(0, 6)[0]},
			want:     bot.Command{Name: "tally", Args: "b1", Fields: []string{"b1"}}, wantOK: true,
		},
		{
			name: "length beyond text", text: "/help", entities: commandEntity(0, 50),
			wantOK: false,
		},
		{
			name: "offset beyond text", text: "/help", entities: commandEntity(100, 5),
			wantOK: false,
		},
		{
			name: "negative length", text: "/help", entities: commandEntity(0, -3),
			wantOK: false,
		},
		{
			name: "only a slash", text: "/", entities: commandEntity(0, 1),
			wantOK: false,
		},
		{
			name: "entity not on a slash", text: "help me", entities: commandEntity(0, 4),
			wantOK: false,
		},
		{
			name: "empty name before at", text: "/@MyBot", entities: commandEntity(0, 7),
			wantOK: false,
		},
		{
			name: "entity splits a surrogate pair", text: "/a😀", entities: commandEntity(0, 3),
			wantOK: false, // a forged entity: Telegram's command names are A-Za-z0-9_
		},
		{
			name: "empty text", text: "", entities: commandEntity(0, 5),
			wantOK: false,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := bot.ParseCommand(tt.text, tt.entities, "MyBot")
			if ok != tt.wantOK {
				t.Fatalf("ParseCommand(%q) ok = %v, want %v", tt.text, ok, tt.wantOK)
			}
			if !ok {
				return
			}
			if got.Name != tt.want.Name || got.Args != tt.want.Args || !slices.Equal(got.Fields, tt.want.Fields) {
				t.Errorf("ParseCommand(%q) = %+v, want %+v", tt.text, got, tt.want)
			}
		})
	}
}

func TestParseCommandUnknownBotName(t *testing.T) {
	// Without our own username an addressed command cannot be proven ours.
	if _, ok := bot.ParseCommand("/help@MyBot", commandEntity(0, 11), ""); ok {
		t.Error("addressed command accepted with empty bot username")
	}
	if cmd, ok := bot.ParseCommand("/help", commandEntity(0, 5), ""); !ok || cmd.Name != "help" {
		t.Errorf("plain command = %+v, %v; want help, true", cmd, ok)
	}
	if _, ok := bot.ParseCommand("/help@MyBot", commandEntity(0, 11), "@mybot"); !ok {
		t.Error("bot username given with @ not matched")
	}
}

func TestMessageCommand(t *testing.T) {
	tests := []struct {
		name     string
		msg      *models.Message
		wantName string
		wantOK   bool
	}{
		{name: "nil message", msg: nil},
		{
			name:     "text",
			msg:      &models.Message{Text: "/lang en", Entities: commandEntity(0, 5)},
			wantName: "lang", wantOK: true,
		},
		{
			name: "document caption",
			msg: &models.Message{
				Document:        &models.Document{FileID: "f1", FileName: "cum8.yaml"},
				Caption:         "/import@MyBot",
				CaptionEntities: commandEntity(0, 13),
			},
			wantName: "import", wantOK: true,
		},
		{
			name: "caption without command",
			msg:  &models.Message{Caption: "Báo cáo tổng kết"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := bot.MessageCommand(tt.msg, "MyBot")
			if ok != tt.wantOK || got.Name != tt.wantName {
				t.Errorf("MessageCommand = %q, %v; want %q, %v", got.Name, ok, tt.wantName, tt.wantOK)
			}
		})
	}
}
