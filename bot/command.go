// Package bot is confbot's Telegram transport: update intake, command
// matching and the outbound sender every message goes through.
package bot

import (
	"regexp"
	"strings"
	"unicode/utf16"

	"github.com/go-telegram/bot/models"
)

// Command is a bot command found at the start of a message or caption.
type Command struct {
	// Name is the command in lower case, without the slash and without the
	// "@botname" suffix: "/Start@MyBot" gives "start".
	Name string
	// Args is the text after the command, trimmed of surrounding white space.
	Args string
	// Fields is Args split at white space; empty when there are no arguments.
	Fields []string
}

// ParseCommand recognises a command addressed to this bot in text, using the
// message's entities (or, for a document or photo, its caption and caption
// entities). Only a bot_command entity at offset 0 counts, as Telegram's own
// clients do; a command addressed to another bot ("/vote@otherbot", common in
// groups with several bots) is not ours and gives false. The command name is
// matched case-insensitively, and so is botUsername (with or without "@").
//
// Entity offsets and lengths are UTF-16 code units, not bytes: texts here
// carry Vietnamese diacritics and emoji, so the text is converted before
// slicing. Malformed entities (negative, or reaching past the text) give
// false rather than a panic, since updates are untrusted input.
var commandNameRe = regexp.MustCompile(`^[A-Za-z0-9_]{1,32}$`)

func ParseCommand(text string, entities []models.MessageEntity, botUsername string) (Command, bool) {
	entity, ok := leadingCommandEntity(entities)
	if !ok {
		return Command{}, false
	}
	units := utf16.Encode([]rune(text))
	if entity.Length < 2 || entity.Length > len(units) {
		return Command{}, false
	}
	token := string(utf16.Decode(units[:entity.Length]))
	name, ok := strings.CutPrefix(token, "/")
	if !ok {
		return Command{}, false
	}
	if base, target, addressed := strings.Cut(name, "@"); addressed {
		ours := strings.TrimPrefix(botUsername, "@")
		if ours == "" || !strings.EqualFold(target, ours) {
			return Command{}, false
		}
		name = base
	}
	// Telegram's commands are 1-32 of A-Za-z0-9_; anything else came from a
	// forged entity (one running into the arguments, or over "//").
	if !commandNameRe.MatchString(name) {
		return Command{}, false
	}
	args := strings.TrimSpace(string(utf16.Decode(units[entity.Length:])))
	return Command{
		Name:   strings.ToLower(name),
		Args:   args,
		Fields: strings.Fields(args),
	}, true
}

// MessageCommand is ParseCommand applied to a message: its text and entities,
// or, when it has no text (a document sent with "/import" as its caption),
// its caption and caption entities.
func MessageCommand(msg *models.Message, botUsername string) (Command, bool) {
	if msg == nil {
		return Command{}, false
	}
	if msg.Text != "" {
		return ParseCommand(msg.Text, msg.Entities, botUsername)
	}
	return ParseCommand(msg.Caption, msg.CaptionEntities, botUsername)
}

// leadingCommandEntity returns the bot_command entity that starts the text.
func leadingCommandEntity(entities []models.MessageEntity) (models.MessageEntity, bool) {
	for _, e := range entities {
		if e.Type == models.MessageEntityTypeBotCommand && e.Offset == 0 {
			return e, true
		}
	}
	return models.MessageEntity{}, false
}
