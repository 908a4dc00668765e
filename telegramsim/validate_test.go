package telegramsim_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/confbot/confbot/telegramsim"
)

func TestViolationsAreAnsweredAndRecorded(t *testing.T) {
	button := func(data string) string {
		return `{"inline_keyboard":[[{"text":"Có","callback_data":"` + data + `"}]]}`
	}
	var many []string
	for range 101 {
		many = append(many, `{"text":"b","callback_data":"d"}`)
	}
	cases := []struct {
		name     string
		method   string
		fields   map[string]string
		wantCode int
		want     string // in the recorded violation
	}{
		{"text over 4096 characters", "sendMessage", map[string]string{"chat_id": "111", "text": strings.Repeat("ư", 5000)}, 400, "text is 5000 characters"},
		{"callback_data over 64 bytes", "sendMessage", map[string]string{"chat_id": "111", "text": "x", "reply_markup": button(strings.Repeat("a", 65))}, 400, "callback_data is 65 bytes"},
		{"more than 100 buttons", "sendMessage", map[string]string{"chat_id": "111", "text": "x", "reply_markup": `{"inline_keyboard":[[` + strings.Join(many, ",") + `]]}`}, 400, "101 inline buttons"},
		{"caption over 1024", "sendDocument", map[string]string{"chat_id": "111", "document": "some-id", "caption": strings.Repeat("a", 1025)}, 400, "caption is 1025"},
		{"unknown method", "sendTelepathy", map[string]string{"chat_id": "111"}, 404, "unknown method"},
		{"unknown field", "sendMessage", map[string]string{"chat_id": "111", "text": "x", "colour": "red"}, 400, `unknown field "colour"`},
		{"missing required field", "sendMessage", map[string]string{"chat_id": "111"}, 400, `required field "text" is missing`},
		{"integer field not a number", "deleteMessage", map[string]string{"chat_id": "111", "message_id": "first"}, 400, `field "message_id" must be Integer`},
		{"unescaped MarkdownV2", "sendMessage", map[string]string{"chat_id": "111", "text": "Hạn chót 20.12", "parse_mode": "MarkdownV2"}, 400, "Character '.' is reserved"},
		{"unknown HTML tag", "sendMessage", map[string]string{"chat_id": "111", "text": "<h1>x</h1>", "parse_mode": "HTML"}, 400, `Unsupported start tag "h1"`},
		{"button without action", "sendMessage", map[string]string{"chat_id": "111", "text": "x", "reply_markup": `{"inline_keyboard":[[{"text":"?"}]]}`}, 400, "exactly one action"},
		{"bad command name", "setMyCommands", map[string]string{"commands": `[{"command":"Vote!","description":"x"}]`}, 400, `command "Vote!"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sim := newSim(t)
			a := post(t, sim, tc.method, tc.fields)
			if a.OK || a.ErrorCode != tc.wantCode {
				t.Errorf("answer = ok %v code %d %q, want code %d", a.OK, a.ErrorCode, a.Description, tc.wantCode)
			}
			v := sim.Violations()
			if len(v) == 0 || !strings.Contains(strings.Join(v, "\n"), tc.want) {
				t.Errorf("violations = %q, want one containing %q", v, tc.want)
			}
			if chat := sim.Chat(111); len(chat) != 0 {
				t.Errorf("a refused request reached the chat: %+v", chat)
			}
		})
	}
}

func TestValidRequestsAreNotViolations(t *testing.T) {
	cases := []struct {
		name   string
		method string
		fields map[string]string
	}{
		{"exactly 4096 characters", "sendMessage", map[string]string{"chat_id": "111", "text": strings.Repeat("ư", 4096)}},
		{"markup not counted", "sendMessage", map[string]string{"chat_id": "111", "text": "<b>" + strings.Repeat("a", 4096) + "</b>", "parse_mode": "HTML"}},
		{"escaped MarkdownV2", "sendMessage", map[string]string{"chat_id": "111", "text": "*Hạn* chót 20\\.12 [xem](https://t.me/x)", "parse_mode": "MarkdownV2"}},
		{"64-byte callback_data and empty copy_text", "sendMessage", map[string]string{"chat_id": "111", "text": "x", "reply_markup": `{"inline_keyboard":[[{"text":"a","callback_data":"` + strings.Repeat("b", 64) + `","copy_text":{"text":""}}]]}`}},
		{"zero-valued optional fields", "sendMessage", map[string]string{"chat_id": "111", "text": "x", "message_thread_id": "0", "disable_notification": "false"}},
		{"spec method without a model", "setChatTitle", map[string]string{"chat_id": "-1001234567890", "title": "Cụm 8"}},
		{"method names are case-insensitive", "SENDMESSAGE", map[string]string{"chat_id": "111", "text": "x"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sim := newSim(t)
			if a := post(t, sim, tc.method, tc.fields); !a.OK {
				t.Errorf("answer = %d %q, want ok", a.ErrorCode, a.Description)
			}
			sim.AssertNoViolations(t)
		})
	}
}

// FuzzMessageMarkup checks that no text or parse mode makes the simulator fail to answer.
func FuzzMessageMarkup(f *testing.F) {
	for _, seed := range []string{"<b>x</b>", "<>", "</>", "a < b", "*a", "[x](y", "```go\nx```", "\\", "!["} {
		for _, mode := range []string{"HTML", "MarkdownV2", "Markdown", ""} {
			f.Add(seed, mode)
		}
	}
	sim := telegramsim.NewUnstarted()
	defer sim.Close()
	sim.AddUser(telegramsim.User{ID: 111})
	f.Fuzz(func(t *testing.T, text, mode string) {
		form := url.Values{"chat_id": {"111"}, "text": {text}, "parse_mode": {mode}}
		req := httptest.NewRequest(http.MethodPost, "/bot"+sim.Token()+"/sendMessage", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		sim.Handler().ServeHTTP(rec, req)
		var a apiAnswer
		if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil {
			t.Fatalf("answer is not JSON: %q", rec.Body.String())
		}
		if !a.OK && a.ErrorCode != 400 && a.ErrorCode != 429 {
			t.Fatalf("unexpected answer %+v", a)
		}
	})
}
