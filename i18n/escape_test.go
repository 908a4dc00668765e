package i18n_test

import (
	"strings"
	"testing"

	"github.com/confbot/confbot/i18n"
	"github.com/confbot/confbot/telegramsim"
)

// hostile is what a unit's name or a person's text can hold: a lookalike
// bracket, a bare '>' and '<', an ampersand, quotes, and a live link.
const hostile = `Cục Quản lý ‹xây dựng> <a href="https://evil.example/">bấm</a> & "q" 'a' <b`

// TestEveryTemplateEscapesHostileValues feeds every catalogue template, in
// every language, a hostile value for each placeholder: the message must
// parse as Telegram HTML (no 400 "can't parse entities") and show the value
// as typed — no injected link or tag.
func TestEveryTemplateEscapesHostileValues(t *testing.T) {
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range i18n.Languages() {
		for _, key := range c.Keys(lang) {
			var args []any
			for _, name := range c.Placeholders(lang, key) {
				args = append(args, name, hostile)
			}
			out := c.T(lang, key, args...)
			visible, err := telegramsim.ParseHTML(out)
			if err != nil {
				t.Errorf("%s %s: %v\n%s", lang, key, err, out)
				continue
			}
			if len(args) > 0 && !strings.Contains(visible, hostile) {
				t.Errorf("%s %s does not show the value as typed:\n%s", lang, key, visible)
			}
		}
	}
}

func TestHTMLArgumentsAndPlainText(t *testing.T) {
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	const name = "A <b>&</b>"
	if got := c.T(i18n.EN, "vote.mark.yes", "unit", name); !strings.Contains(got, "A &lt;b&gt;&amp;&lt;/b&gt;") {
		t.Errorf("T did not escape: %s", got)
	}
	if got := c.Text(i18n.EN, "vote.mark.yes", "unit", name); !strings.Contains(got, name) {
		t.Errorf("Text escaped a button's label: %s", got)
	}
	if got := c.T(i18n.EN, "vote.mark.yes", "unit", i18n.HTML("<b>x</b>")); !strings.Contains(got, "<b>x</b>") {
		t.Errorf("T escaped HTML the bot built: %s", got)
	}
	if got := c.T(i18n.EN, "vote.mark.yes", "unit", i18n.Escape(name)); strings.Contains(got, "&amp;lt;") {
		t.Errorf("an escaped value was escaped twice: %s", got)
	}
}
