package playground

import (
	"html"
	"regexp"
	"strings"
)

// allowedTags maps the tags of Telegram's HTML parse mode to what the page
// renders; everything else in a message is shown as text.
var allowedTags = map[string]string{
	"b": "b", "strong": "b",
	"i": "i", "em": "i",
	"u": "u", "ins": "u",
	"s": "s", "strike": "s", "del": "s",
	"code": "code", "pre": "pre", "blockquote": "blockquote",
	"a": "a",
}

// silentTags are valid in Telegram's HTML but have no look of their own in
// the page: the tag goes, its text stays.
var silentTags = map[string]bool{"span": true, "tg-spoiler": true, "tg-emoji": true}

// tagRe matches one tag: its closing slash, its name and its attributes.
var tagRe = regexp.MustCompile(`^<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+[^<>]*)?)>`)

// hrefRe reads the href attribute, quoted with " or '.
var hrefRe = regexp.MustCompile(`(?i)\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')`)

// SanitizeHTML turns a message sent with parse_mode HTML into HTML that is
// safe to show in the page: b, i, u, s, code, pre, blockquote and a[href]
// (http, https, tg and mailto links only) are kept, without other attributes;
// span, tg-spoiler and tg-emoji are dropped with their text kept; any other
// markup is escaped and shows as text. The text is re-escaped, so
// entities come out exactly once.
func SanitizeHTML(raw string) string {
	var b strings.Builder
	for len(raw) > 0 {
		lt := strings.IndexByte(raw, '<')
		if lt < 0 {
			b.WriteString(escapeText(raw))
			break
		}
		b.WriteString(escapeText(raw[:lt]))
		raw = raw[lt:]
		m := tagRe.FindStringSubmatch(raw)
		tag, ok := "", false
		if m != nil {
			tag, ok = renderTag(m[1] == "/", strings.ToLower(m[2]), m[3])
		}
		if !ok {
			b.WriteString("&lt;")
			raw = raw[1:]
			continue
		}
		b.WriteString(tag)
		raw = raw[len(m[0]):]
	}
	return b.String()
}

// escapeText escapes text between tags, after decoding the entities the
// sender used.
func escapeText(s string) string { return html.EscapeString(html.UnescapeString(s)) }

// renderTag renders an allowed tag; ok is false for anything else.
func renderTag(closing bool, name, attrs string) (string, bool) {
	if silentTags[name] {
		return "", true
	}
	out, allowed := allowedTags[name]
	if !allowed {
		return "", false
	}
	if closing {
		return "</" + out + ">", true
	}
	if out != "a" {
		return "<" + out + ">", true
	}
	href := ""
	if m := hrefRe.FindStringSubmatch(attrs); m != nil {
		href = html.UnescapeString(m[1] + m[2])
	}
	if !safeLink(href) {
		return "<a>", true
	}
	return `<a href="` + html.EscapeString(href) + `" target="_blank" rel="noopener noreferrer">`, true
}

// safeLink allows the link schemes Telegram messages use; javascript: and
// data: URLs never reach the page.
func safeLink(href string) bool {
	l := strings.ToLower(strings.TrimSpace(href))
	for _, scheme := range []string{"http://", "https://", "tg://", "mailto:"} {
		if strings.HasPrefix(l, scheme) {
			return true
		}
	}
	return false
}
