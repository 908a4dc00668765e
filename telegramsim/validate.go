package telegramsim

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits Telegram documents for message content.
const (
	maxTextChars        = 4096
	maxCaptionChars     = 1024
	maxCallbackBytes    = 64
	maxInlineButtons    = 100
	maxCallbackAnswer   = 200
	maxCommands         = 100
	maxCommandDescChars = 256
)

// copyTextNote is what go-telegram/bot sends in every inline button; Telegram accepts it.
const copyTextNote = `go-telegram/bot serialises every inline button with "copy_text":{"text":""}; accepted by Telegram as far as is known`

var (
	commandNamePattern = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)
	secretTokenPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)
)

// check is the outcome of validating one request: problems are spec violations (each answered
// 400 and recorded), notes are oddities worth knowing that Telegram accepts.
type check struct {
	problems []string
	notes    []string
}

func (c *check) problem(format string, args ...any) {
	c.problems = append(c.problems, fmt.Sprintf(format, args...))
}

// validate checks a request against the spec and Telegram's content limits. It removes optional
// fields sent as zero values ("", "0", "false", "null"), which the library emits for a few
// parameters without omitempty and Telegram treats as absent.
func (s *Simulator) validate(req *request) check {
	var c check
	for name, value := range req.fields {
		f, known := s.spec.methodField(req.method, name)
		if !known {
			continue
		}
		if !f.Required && isZeroValue(value) {
			delete(req.fields, name)
		}
	}
	names := make([]string, 0, len(req.fields)+len(req.files))
	for name := range req.fields {
		names = append(names, name)
	}
	for name := range req.files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		f, known := s.spec.methodField(req.method, name)
		_, isFile := req.files[name]
		switch {
		case !known && isFile && req.attachReferenced(name):
			// A file part named by an "attach://name" value elsewhere in the request.
		case !known:
			c.problem("unknown field %q", name)
		case !typesAccept(f.Types, req.fields[name], isFile):
			c.problem("field %q must be %s", name, strings.Join(f.Types, " or "))
		}
	}
	for _, f := range s.spec.Methods[req.method].Fields {
		if f.Required && !req.has(f.Name) {
			c.problem("required field %q is missing", f.Name)
		}
	}
	if len(c.problems) > 0 {
		return c
	}
	s.checkContent(req, &c)
	return c
}

func isZeroValue(v string) bool {
	return v == "" || v == "0" || v == "false" || v == "null"
}

// typesAccept reports whether a form value can be one of the spec's types.
func typesAccept(types []string, value string, isFile bool) bool {
	for _, t := range types {
		switch {
		case isFile:
			if t == "InputFile" {
				return true
			}
		case t == "String":
			return true
		case t == "Integer":
			if _, err := strconv.ParseInt(value, 10, 64); err == nil {
				return true
			}
		case t == "Float":
			if _, err := strconv.ParseFloat(value, 64); err == nil {
				return true
			}
		case t == "Boolean":
			if _, err := strconv.ParseBool(value); err == nil {
				return true
			}
		case t == "InputFile":
			if strings.HasPrefix(value, "attach://") {
				return true
			}
		case strings.HasPrefix(t, "Array of "):
			if json.Valid([]byte(value)) && strings.HasPrefix(strings.TrimSpace(value), "[") {
				return true
			}
		default:
			if json.Valid([]byte(value)) && strings.HasPrefix(strings.TrimSpace(value), "{") {
				return true
			}
		}
	}
	return false
}

// checkContent applies the limits that are in the spec's prose rather than its field tables.
func (s *Simulator) checkContent(req *request, c *check) {
	if text, ok := req.fields["text"]; ok && (strings.HasPrefix(req.method, "send") || strings.HasPrefix(req.method, "edit")) {
		checkLength(c, "text", text, req.fields["parse_mode"], maxTextChars, true)
	}
	if caption, ok := req.fields["caption"]; ok {
		checkLength(c, "caption", caption, req.fields["parse_mode"], maxCaptionChars, false)
	}
	if markup, ok := req.fields["reply_markup"]; ok {
		s.checkReplyMarkup(c, markup)
	}
	switch req.method {
	case "answerCallbackQuery":
		if n := utf8.RuneCountInString(req.fields["text"]); n > maxCallbackAnswer {
			c.problem("callback answer text is %d characters, limit %d", n, maxCallbackAnswer)
		}
	case "setMyCommands":
		checkCommands(c, req.fields["commands"])
	case "setWebhook":
		if tok, ok := req.fields["secret_token"]; ok && !secretTokenPattern.MatchString(tok) {
			c.problem("secret_token must be 1-256 characters of A-Za-z0-9_-")
		}
	}
}

// escapedMarkup is what HTML escaped twice shows as visible text.
var escapedMarkup = []string{"<b>", "</b>", "<i>", "</i>", "<code>", "</code>", "&lt;", "&gt;", "&amp;"}

func checkLength(c *check, field, text, parseMode string, limit int, nonEmpty bool) {
	visible, err := visibleText(text, parseMode)
	if err != nil {
		c.problem("%s: %v", field, err)
		return
	}
	if parseMode == "HTML" {
		// Not a Bot API rule, but what a person would see as garbage: markup
		// the bot built, escaped a second time, shows as text.
		for _, shown := range escapedMarkup {
			if strings.Contains(visible, shown) {
				c.problem("%s shows %q as text: markup escaped twice", field, shown)
				break
			}
		}
	}
	n := utf8.RuneCountInString(visible)
	if nonEmpty && strings.TrimSpace(visible) == "" {
		c.problem("message text is empty")
	}
	if n > limit {
		c.problem("%s is %d characters, limit %d", field, n, limit)
	}
}

// checkReplyMarkup checks a reply_markup against the spec's markup types and button limits.
func (s *Simulator) checkReplyMarkup(c *check, markup string) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal([]byte(markup), &top); err != nil {
		c.problem("reply_markup is not a JSON object: %v", err)
		return
	}
	typeName := "ForceReply"
	switch {
	case top["inline_keyboard"] != nil:
		typeName = "InlineKeyboardMarkup"
	case top["keyboard"] != nil:
		typeName = "ReplyKeyboardMarkup"
	case top["remove_keyboard"] != nil:
		typeName = "ReplyKeyboardRemove"
	}
	allowed := s.spec.typeFields(typeName)
	for name := range top {
		if _, ok := allowed[name]; !ok {
			c.problem("reply_markup: unknown field %q for %s", name, typeName)
		}
	}
	if typeName != "InlineKeyboardMarkup" {
		return
	}
	var rows [][]map[string]json.RawMessage
	if err := json.Unmarshal(top["inline_keyboard"], &rows); err != nil {
		c.problem("reply_markup: inline_keyboard must be an array of arrays of buttons: %v", err)
		return
	}
	buttonFields := s.spec.typeFields("InlineKeyboardButton")
	total := 0
	for _, row := range rows {
		for _, b := range row {
			total++
			s.checkInlineButton(c, b, buttonFields)
		}
	}
	if total > maxInlineButtons {
		c.problem("reply_markup has %d inline buttons, limit %d", total, maxInlineButtons)
	}
}

// labelFields are the InlineKeyboardButton fields that do not make a button do anything.
var labelFields = map[string]bool{"text": true, "icon_custom_emoji_id": true, "style": true}

func (s *Simulator) checkInlineButton(c *check, b map[string]json.RawMessage, fields map[string]specField) {
	var text string
	_ = json.Unmarshal(b["text"], &text)
	if text == "" {
		c.problem("inline button without text")
	}
	actions := 0
	for name, raw := range b {
		if _, ok := fields[name]; !ok {
			c.problem("inline button %q: unknown field %q", text, name)
			continue
		}
		if name == "copy_text" && strings.ReplaceAll(string(raw), " ", "") == `{"text":""}` {
			c.notes = append(c.notes, copyTextNote)
			continue
		}
		if !labelFields[name] {
			actions++
		}
	}
	if actions != 1 {
		c.problem("inline button %q must have exactly one action field, has %d", text, actions)
	}
	if raw, ok := b["callback_data"]; ok {
		var data string
		_ = json.Unmarshal(raw, &data)
		if n := len(data); n < 1 || n > maxCallbackBytes {
			c.problem("inline button %q: callback_data is %d bytes, must be 1-%d", text, n, maxCallbackBytes)
		}
	}
}

func checkCommands(c *check, raw string) {
	var cmds []struct {
		Command     string `json:"command"`
		Description string `json:"description"`
	}
	if err := json.Unmarshal([]byte(raw), &cmds); err != nil {
		c.problem("commands: %v", err)
		return
	}
	if len(cmds) > maxCommands {
		c.problem("%d commands, limit %d", len(cmds), maxCommands)
	}
	for _, cmd := range cmds {
		if !commandNamePattern.MatchString(cmd.Command) {
			c.problem("command %q must be 1-32 characters of a-z0-9_", cmd.Command)
		}
		if n := utf8.RuneCountInString(cmd.Description); n < 1 || n > maxCommandDescChars {
			c.problem("command %q: description is %d characters, must be 1-%d", cmd.Command, n, maxCommandDescChars)
		}
	}
}
