package telegramsim

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// BotCommand is one entry of a bot's command menu.
type BotCommand struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}

// CommandSet is the command list registered for one scope and language.
type CommandSet struct {
	// Scope is "default", "all_private_chats", "all_group_chats",
	// "all_chat_administrators", "chat:<chat_id>", "chat_administrators:<chat_id>" or
	// "chat_member:<chat_id>:<user_id>".
	Scope        string
	LanguageCode string
	Commands     []BotCommand
}

// scopeKey turns a BotCommandScope JSON object into CommandSet.Scope.
func scopeKey(raw string) string {
	if raw == "" {
		return "default"
	}
	var sc struct {
		Type   string          `json:"type"`
		ChatID json.RawMessage `json:"chat_id"`
		UserID int64           `json:"user_id"`
	}
	if json.Unmarshal([]byte(raw), &sc) != nil || sc.Type == "" {
		return "default"
	}
	chatID := strings.Trim(string(sc.ChatID), `"`)
	switch sc.Type {
	case "chat", "chat_administrators":
		return sc.Type + ":" + chatID
	case "chat_member":
		return fmt.Sprintf("chat_member:%s:%d", chatID, sc.UserID)
	default:
		return sc.Type
	}
}

func (s *Simulator) commandsMethod(req *request) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	scope, lang := scopeKey(req.fields["scope"]), req.fields["language_code"]
	key := scope + "|" + lang
	switch req.method {
	case "setMyCommands":
		var cmds []BotCommand
		_ = json.Unmarshal([]byte(req.fields["commands"]), &cmds) // validated already
		if len(cmds) == 0 {
			delete(s.commands, key)
			return true, nil
		}
		s.commands[key] = CommandSet{Scope: scope, LanguageCode: lang, Commands: cmds}
		return true, nil
	case "deleteMyCommands":
		delete(s.commands, key)
		return true, nil
	default:
		cmds := s.commands[key].Commands
		if cmds == nil {
			cmds = []BotCommand{}
		}
		return cmds, nil
	}
}

// Commands returns the registered command lists, ordered by scope and language.
func (s *Simulator) Commands() []CommandSet {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]CommandSet, 0, len(s.commands))
	for _, set := range s.commands {
		set.Commands = append([]BotCommand(nil), set.Commands...)
		out = append(out, set)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Scope != out[j].Scope {
			return out[i].Scope < out[j].Scope
		}
		return out[i].LanguageCode < out[j].LanguageCode
	})
	return out
}

// profileFields maps the profile methods to the field they set or get.
var profileFields = map[string]string{
	"setMyDescription": "description", "getMyDescription": "description",
	"setMyShortDescription": "short_description", "getMyShortDescription": "short_description",
	"setMyName": "name", "getMyName": "name",
}

func (s *Simulator) profileMethod(req *request) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	field := profileFields[req.method]
	key := field + "|" + req.fields["language_code"]
	if strings.HasPrefix(req.method, "set") {
		if v := req.fields[field]; v != "" {
			s.profile[key] = v
		} else {
			delete(s.profile, key)
		}
		return true, nil
	}
	return map[string]string{field: s.profile[key]}, nil
}

// BotProfile returns what the bot set with setMyDescription ("description"),
// setMyShortDescription ("short_description") or setMyName ("name") for a language ("" for all).
func (s *Simulator) BotProfile(field, languageCode string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.profile[field+"|"+languageCode]
}
