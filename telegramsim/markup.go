package telegramsim

import (
	"fmt"
	"html"
	"strings"
)

// visibleText returns what a person sees of a text sent with parse_mode, and the error Telegram
// gives when it cannot parse the markup ("can't parse entities: ..."). The parsers are
// approximations of Telegram's: they catch the mistakes bots make (an unescaped '.' in MarkdownV2,
// an unknown or unclosed HTML tag, an odd number of '*') and strip the markup for length checks.
func visibleText(text, parseMode string) (string, error) {
	switch parseMode {
	case "":
		return text, nil
	case "HTML":
		return visibleHTML(text)
	case "MarkdownV2":
		return visibleMarkdownV2(text)
	case "Markdown":
		return visibleMarkdown(text)
	default:
		return text, fmt.Errorf("unsupported parse_mode %q", parseMode)
	}
}

// htmlTags are the tags the Bot API's HTML style accepts.
var htmlTags = map[string]bool{
	"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true, "s": true,
	"strike": true, "del": true, "span": true, "tg-spoiler": true, "a": true, "tg-emoji": true,
	"code": true, "pre": true, "blockquote": true,
}

func visibleHTML(text string) (string, error) {
	var out strings.Builder
	var open []string
	for i := 0; i < len(text); {
		c := text[i]
		if c != '<' {
			out.WriteByte(c)
			i++
			continue
		}
		end := strings.IndexByte(text[i:], '>')
		if end < 0 {
			return "", fmt.Errorf("can't parse entities: Unclosed start tag at byte offset %d", i)
		}
		tag := text[i+1 : i+end]
		closing := strings.HasPrefix(tag, "/")
		name := ""
		if words := strings.Fields(strings.TrimPrefix(tag, "/")); len(words) > 0 {
			name = strings.ToLower(words[0])
		}
		switch {
		case !htmlTags[name]:
			return "", fmt.Errorf("can't parse entities: Unsupported start tag %q at byte offset %d", name, i)
		case closing && (len(open) == 0 || open[len(open)-1] != name):
			return "", fmt.Errorf("can't parse entities: Unexpected end tag at byte offset %d", i)
		case closing:
			open = open[:len(open)-1]
		default:
			open = append(open, name)
		}
		i += end + 1
	}
	if len(open) > 0 {
		return "", fmt.Errorf("can't parse entities: Can't find end tag corresponding to start tag %q", open[len(open)-1])
	}
	return html.UnescapeString(out.String()), nil
}

// markdownV2Reserved must be escaped with '\' outside entities.
const markdownV2Reserved = "_*[]()~`>#+-=|{}.!"

func visibleMarkdownV2(text string) (string, error) {
	var out strings.Builder
	markers := map[byte]int{}
	lineStart := true
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c == '\\':
			if i+1 < len(text) {
				i++
				out.WriteByte(text[i])
			}
		case c == '`':
			fence := "`"
			if strings.HasPrefix(text[i:], "```") {
				fence = "```"
			}
			closeAt := strings.Index(text[i+len(fence):], fence)
			if closeAt < 0 {
				return "", fmt.Errorf("can't parse entities: Can't find end of Code entity at byte offset %d", i)
			}
			body := text[i+len(fence) : i+len(fence)+closeAt]
			if fence == "```" {
				// The first line of a pre block may name its language.
				if nl := strings.IndexByte(body, '\n'); nl >= 0 && !strings.ContainsAny(body[:nl], " \t") {
					body = body[nl+1:]
				}
			}
			out.WriteString(strings.ReplaceAll(body, "\\", ""))
			i += len(fence) + closeAt + len(fence) - 1
		case c == '*' || c == '_' || c == '~' || c == '|':
			markers[c]++
		case c == '[' || (c == '!' && i+1 < len(text) && text[i+1] == '['):
			// Link or custom emoji text: the brackets vanish, the text stays.
			if c == '!' {
				i++
			}
			markers['[']++
		case c == ']':
			if markers['['] == 0 {
				return "", reservedError(c)
			}
			markers['[']--
			if i+1 < len(text) && text[i+1] == '(' {
				closeAt := strings.IndexByte(text[i+1:], ')')
				if closeAt < 0 {
					return "", fmt.Errorf("can't parse entities: Can't find end of a URL at byte offset %d", i+1)
				}
				i += closeAt + 1
			}
		case c == '>' && lineStart:
			// Block quotation marker.
		case strings.IndexByte(markdownV2Reserved, c) >= 0:
			return "", reservedError(c)
		default:
			out.WriteByte(c)
		}
		lineStart = c == '\n'
	}
	for _, m := range []byte{'*', '_', '~', '|'} {
		if markers[m]%2 != 0 {
			return "", fmt.Errorf("can't parse entities: Can't find end of the entity started by '%c'", m)
		}
	}
	if markers['['] != 0 {
		return "", fmt.Errorf("can't parse entities: Can't find end of a TextUrl entity")
	}
	return out.String(), nil
}

func reservedError(c byte) error {
	return fmt.Errorf("can't parse entities: Character '%c' is reserved and must be escaped with the preceding '\\'", c)
}

func visibleMarkdown(text string) (string, error) {
	var out strings.Builder
	counts := map[byte]int{}
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch c {
		case '*', '_', '`', '[':
			counts[c]++
		case ']':
			if i+1 < len(text) && text[i+1] == '(' {
				if closeAt := strings.IndexByte(text[i+1:], ')'); closeAt >= 0 {
					i += closeAt + 1
					continue
				}
			}
			out.WriteByte(c)
		default:
			out.WriteByte(c)
		}
	}
	for _, m := range []byte{'*', '_', '`'} {
		if counts[m]%2 != 0 {
			return "", fmt.Errorf("can't parse entities: Can't find end of the entity started by '%c'", m)
		}
	}
	return out.String(), nil
}
