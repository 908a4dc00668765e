package bot_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"

	"github.com/confbot/confbot/bot"
)

// FuzzParseCommand feeds arbitrary texts and entity bounds: no panic, and a
// command that is recognised is well formed.
func FuzzParseCommand(f *testing.F) {
	f.Add("/start", 0, 6)
	f.Add("/vote@confbot co-bca CNTT:yes", 0, 13)
	f.Add("😀/help", 0, 7)
	f.Add("/ĐIỂM 96,5", 0, 6)
	f.Add("/x", 5, 100)
	f.Fuzz(func(t *testing.T, text string, offset, length int) {
		ents := []models.MessageEntity{{Type: models.MessageEntityTypeBotCommand, Offset: offset, Length: length}}
		cmd, ok := bot.ParseCommand(text, ents, "confbot")
		if !ok {
			return
		}
		if strings.ContainsAny(cmd.Name, "@/ ") || cmd.Name != strings.ToLower(cmd.Name) {
			t.Errorf("command name %q from %q", cmd.Name, text)
		}
		if !utf8.ValidString(cmd.Args) && utf8.ValidString(text) {
			t.Errorf("args %q are not valid UTF-8", cmd.Args)
		}
		for _, f := range cmd.Fields {
			if f == "" || strings.ContainsAny(f, " \t\n") {
				t.Errorf("field %q", f)
			}
		}
	})
}

// FuzzSplitText: every part fits and nothing but whitespace is lost.
func FuzzSplitText(f *testing.F) {
	f.Add("Cục Công nghệ thông tin\nCục Kế hoạch và tài chính", 10)
	f.Add(strings.Repeat("😀", 50), 7)
	f.Fuzz(func(t *testing.T, text string, limit int) {
		if limit < 2 || limit > 5000 || !utf8.ValidString(text) {
			return
		}
		parts := bot.SplitText(text, limit)
		var kept strings.Builder
		for _, p := range parts {
			if n := len(utf16Units(p)); n > limit {
				t.Fatalf("part of %d UTF-16 units over the limit %d", n, limit)
			}
			kept.WriteString(p)
		}
		if strip(kept.String()) != strip(text) {
			t.Fatalf("text lost in splitting")
		}
	})
}

func utf16Units(s string) []rune {
	var out []rune
	for _, r := range s {
		out = append(out, r)
		if r >= 0x10000 {
			out = append(out, r)
		}
	}
	return out
}

func strip(s string) string { return strings.Join(strings.Fields(s), "") }
