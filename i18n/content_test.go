package i18n_test

import (
	"os"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/i18n"
)

func mustLoad(t *testing.T) *i18n.Catalog {
	t.Helper()
	c, err := i18n.Load()
	if err != nil {
		t.Fatalf("Load: %v", err) // also covers "every template parses"
	}
	return c
}

// commands are the commands /help lists and setMyCommands announces.
var commands = []string{
	"start", "help", "whoami", "lang", "import", "invite", "attend", "checkin", "present",
	"status", "summary", "summaries", "cancel", "ballot", "vote", "tally", "receipts",
	"remind", "reminders", "export", "handover", "newyear", "audit",
}

func TestSameKeysInEveryLanguage(t *testing.T) {
	c := mustLoad(t)
	vi, en := c.Keys(i18n.VI), c.Keys(i18n.EN)
	for _, k := range vi {
		if !slices.Contains(en, k) {
			t.Errorf("key %s is in vi.yaml but not in en.yaml", k)
		}
	}
	for _, k := range en {
		if !slices.Contains(vi, k) {
			t.Errorf("key %s is in en.yaml but not in vi.yaml", k)
		}
	}
}

func TestSamePlaceholdersInEveryLanguage(t *testing.T) {
	// Within one language, every plural form has the same placeholders: Load refuses otherwise.
	c := mustLoad(t)
	for _, k := range c.Keys(i18n.VI) {
		vi, en := c.Placeholders(i18n.VI, k), c.Placeholders(i18n.EN, k)
		if !slices.Equal(vi, en) {
			t.Errorf("%s: placeholders vi %v, en %v", k, vi, en)
		}
	}
}

func TestRequiredKeys(t *testing.T) {
	required := map[string][]string{
		"start.welcome": {"name"}, "start.unknown": nil,
		"start.joined":        {"cluster", "name", "role", "unit", "unit_name"},
		"start.token_invalid": nil, "start.token_expired": nil, "start.token_used": nil, "start.token_unit_gone": nil,
		"help.header": {"roles"}, "help.none": nil,
		"whoami.header": nil, "whoami.line": {"cluster", "conference", "roles", "unit", "unit_name"}, "whoami.none": nil,
		"lang.set": {"lang_name"}, "lang.usage": nil, "lang.name.vi": nil, "lang.name.en": nil,
		"role.admin": nil, "role.secretary": nil, "role.head": nil, "role.delegate": nil, "role.observer": nil,
		"state.draft": nil, "state.open": nil, "state.in_session": nil, "state.closed": nil, "state.archived": nil,
		"import.ok_new":     {"ballots", "conference", "people", "units"},
		"import.ok_changed": {"changes", "conference"}, "import.ok_unchanged": nil,
		"import.refused_in_session": nil, "import.errors": {"count"}, "import.not_admin": nil,
		"import.send_file": nil, "import.too_big": {"max"}, "import.not_text": nil, "import.wrong_type": nil,
		"invite.link":  {"expires", "link", "role", "unit", "uses"},
		"invite.usage": nil, "invite.unknown_unit": {"unit"}, "invite.bad_role": {"role"}, "invite.not_allowed": nil,
		"error.internal": nil, "error.unknown_command": {"command"}, "error.not_allowed": nil,
		"error.too_long": {"max"}, "error.private_only": {"link"}, "error.rate_limited": nil, "error.no_conference": nil,
	}
	for _, cmd := range commands {
		required["help.cmd."+cmd] = nil
		required["cmd.desc."+cmd] = nil
	}
	c := mustLoad(t)
	for key, want := range required {
		if !slices.Contains(c.Keys(i18n.VI), key) {
			t.Errorf("key %s is missing", key)
			continue
		}
		if got := c.Placeholders(i18n.VI, key); !slices.Equal(got, want) {
			t.Errorf("%s: placeholders %v, want %v", key, got, want)
		}
	}
	// Role, state and language keys are built from the domain's own values
	// ("role."+string(role)), so they must follow those names exactly.
	var built []string
	for _, r := range []domain.Role{domain.RoleAdmin, domain.RoleSecretary, domain.RoleHead, domain.RoleDelegate, domain.RoleObserver} {
		built = append(built, "role."+string(r))
	}
	for _, s := range []domain.ConferenceState{domain.StateDraft, domain.StateOpen, domain.StateInSession, domain.StateClosed, domain.StateArchived} {
		built = append(built, "state."+string(s))
	}
	for _, lang := range i18n.Languages() {
		built = append(built, "lang.name."+string(lang))
	}
	for _, key := range built {
		if !slices.Contains(c.Keys(i18n.VI), key) {
			t.Errorf("key %s is missing", key)
		}
	}
}

func TestHelpAndCommandMenu(t *testing.T) {
	c := mustLoad(t)
	for _, lang := range i18n.Languages() {
		var helpCmds, descCmds []string
		for _, k := range c.Keys(lang) {
			if cmd, ok := strings.CutPrefix(k, "help.cmd."); ok {
				helpCmds = append(helpCmds, cmd)
			}
			if cmd, ok := strings.CutPrefix(k, "cmd.desc."); ok {
				descCmds = append(descCmds, cmd)
			}
		}
		if !slices.Equal(helpCmds, descCmds) {
			t.Errorf("%s: help.cmd.* %v and cmd.desc.* %v name different commands", lang, helpCmds, descCmds)
		}
		for _, cmd := range helpCmds {
			line := c.T(lang, "help.cmd."+cmd)
			if !strings.HasPrefix(line, "/"+cmd+" ") {
				t.Errorf("%s: help.cmd.%s = %q does not start with /%s", lang, cmd, line, cmd)
			}
			if !strings.Contains(line, " — ") {
				t.Errorf("%s: help.cmd.%s = %q lacks \" — \" before its description", lang, cmd, line)
			}
			// Telegram's BotCommand: command 1-32 of [a-z0-9_], description 1-256 characters.
			if len(cmd) > 32 || strings.Trim(cmd, "abcdefghijklmnopqrstuvwxyz0123456789_") != "" {
				t.Errorf("command %q is not a valid Telegram command", cmd)
			}
			desc := c.T(lang, "cmd.desc."+cmd)
			if n := utf16Len(desc); n < 1 || n > 256 {
				t.Errorf("%s: cmd.desc.%s is %d characters, want 1-256", lang, cmd, n)
			}
			if strings.HasPrefix(desc, "/") {
				t.Errorf("%s: cmd.desc.%s starts with a slash", lang, cmd)
			}
		}
	}
}

func TestEveryMessageIsTelegramHTML(t *testing.T) {
	c := mustLoad(t)
	for _, lang := range i18n.Languages() {
		for _, k := range c.Keys(lang) {
			for _, count := range []int{1, 2} { // both plural forms
				msg := c.T(lang, k, "count", count)
				if strings.TrimSpace(msg) == "" {
					t.Errorf("%s: %s is empty", lang, k)
				}
				if n := utf16Len(msg); n > 4096 {
					t.Errorf("%s: %s is %d characters, over Telegram's 4096", lang, k, n)
				}
				if err := checkTelegramHTML(msg); err != "" {
					t.Errorf("%s: %s: %s in %q", lang, k, err, msg)
				}
			}
		}
	}
}

func TestCatalogueFilesAreCleanUTF8(t *testing.T) {
	for _, lang := range i18n.Languages() {
		data, err := os.ReadFile(string(lang) + ".yaml")
		if err != nil {
			t.Fatalf("read: %v", err)
		}
		if !utf8.Valid(data) {
			t.Errorf("%s.yaml is not valid UTF-8", lang)
		}
		// Every Vietnamese letter has a precomposed form, so NFC text holds no
		// combining marks: a cheap NFC check without golang.org/x/text.
		for i, r := range string(data) {
			if unicode.Is(unicode.Mn, r) {
				t.Errorf("%s.yaml byte %d: combining mark %U (text is not NFC; retype it precomposed)", lang, i, r)
			}
			if r == utf8.RuneError || r == '\uFEFF' || r == '\t' {
				t.Errorf("%s.yaml byte %d: unexpected character %U", lang, i, r)
			}
		}
	}
}

func TestCheckTelegramHTML(t *testing.T) {
	tests := []struct{ name, msg, wantErr string }{
		{"plain", "a — b", ""},
		{"bold", "<b>x</b> &lt;y&gt; &amp;", ""},
		{"link", `<a href="https://t.me/x">x</a>`, ""},
		{"bare ampersand", "a & b", "bare '&'"},
		{"bare angle", "/invite <UNIT>", "not Telegram HTML"},
		{"stray close angle", "a > b", "stray '>'"},
		{"unclosed tag", "<b>x", "unclosed <b>"},
		{"crossed tags", "<b><i>x</b></i>", "unbalanced"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := checkTelegramHTML(tt.msg)
			if (tt.wantErr == "") != (got == "") || !strings.Contains(got, tt.wantErr) {
				t.Errorf("checkTelegramHTML(%q) = %q, want %q", tt.msg, got, tt.wantErr)
			}
		})
	}
}

// utf16Len counts what Telegram counts: UTF-16 code units.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r > 0xFFFF {
			n++
		}
	}
	return n
}

// checkTelegramHTML reports the first way msg breaks Telegram's HTML parse
// mode, or "" if it does not: only the tags Telegram knows, properly nested,
// and '&' only as the start of an entity.
func checkTelegramHTML(msg string) string {
	allowed := []string{"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre", "a", "tg-spoiler", "blockquote", "span", "tg-emoji"}
	var open []string
	for i := 0; i < len(msg); i++ {
		switch msg[i] {
		case '>':
			return "stray '>' (write &gt;)"
		case '&':
			rest := msg[i:]
			ok := false
			for _, e := range []string{"&lt;", "&gt;", "&amp;", "&quot;", "&#"} {
				ok = ok || strings.HasPrefix(rest, e)
			}
			if !ok {
				return "bare '&' (write &amp;)"
			}
		case '<':
			end := strings.IndexByte(msg[i:], '>')
			if end < 0 {
				return "unclosed '<' (write &lt;)"
			}
			tag := msg[i+1 : i+end]
			i += end
			if name, closing := strings.CutPrefix(tag, "/"); closing {
				if len(open) == 0 || open[len(open)-1] != name {
					return "unbalanced </" + name + ">"
				}
				open = open[:len(open)-1]
				continue
			}
			name, _, _ := strings.Cut(tag, " ")
			if !slices.Contains(allowed, name) {
				return "tag <" + name + "> is not Telegram HTML"
			}
			open = append(open, name)
		}
	}
	if len(open) > 0 {
		return "unclosed <" + open[len(open)-1] + ">"
	}
	return ""
}
