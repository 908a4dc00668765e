package i18n

import (
	"fmt"
	"strings"
)

// segment is one piece of a parsed template: literal text, or a placeholder
// when name is set.
type segment struct {
	text string
	name string
}

// template is a message parsed once at load time, so rendering never fails.
type template []segment

// parseTemplate splits s into literal text and {name} placeholders. "{{" and
// "}}" stand for literal braces. A brace that is neither part of an escape nor
// of a well-formed placeholder is an error: the catalogue is refused at load
// time rather than showing a half-substituted message to a delegate.
func parseTemplate(s string) (template, error) {
	var (
		out template
		lit strings.Builder
	)
	flush := func() {
		if lit.Len() > 0 {
			out = append(out, segment{text: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '{':
			if i+1 < len(s) && s[i+1] == '{' {
				lit.WriteByte('{')
				i++
				continue
			}
			end := strings.IndexByte(s[i+1:], '}')
			if end < 0 {
				return nil, fmt.Errorf("unclosed '{' at byte %d", i)
			}
			name := s[i+1 : i+1+end]
			if !validPlaceholder(name) {
				return nil, fmt.Errorf("bad placeholder {%s} at byte %d: want [a-z][a-z0-9_]*", name, i)
			}
			flush()
			out = append(out, segment{name: name})
			i += end + 1
		case '}':
			if i+1 < len(s) && s[i+1] == '}' {
				lit.WriteByte('}')
				i++
				continue
			}
			return nil, fmt.Errorf("unescaped '}' at byte %d (write '}}' for a literal brace)", i)
		default:
			lit.WriteByte(c)
		}
	}
	flush()
	return out, nil
}

// validPlaceholder reports whether name is a placeholder name: lower-case
// ASCII letter first, then letters, digits or underscores.
func validPlaceholder(name string) bool {
	if name == "" || name[0] < 'a' || name[0] > 'z' {
		return false
	}
	for i := 1; i < len(name); i++ {
		c := name[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}

// placeholders returns the distinct placeholder names of t, in order of
// first appearance.
func (t template) placeholders() []string {
	var names []string
	seen := map[string]bool{}
	for _, seg := range t {
		if seg.name != "" && !seen[seg.name] {
			seen[seg.name] = true
			names = append(names, seg.name)
		}
	}
	return names
}

// render substitutes args (alternating name, value pairs) into t, each
// escaped for Telegram's HTML unless escape is false or the value is HTML. A
// placeholder without an argument stays as "{name}" so the gap is visible
// in a chat rather than silently empty.
func (t template) render(lang Lang, args []any, escape bool) string {
	var b strings.Builder
	for _, seg := range t {
		if seg.name == "" {
			b.WriteString(seg.text)
			continue
		}
		if v, ok := lookupArg(args, seg.name); ok {
			b.WriteString(formatArg(lang, v, escape))
		} else {
			b.WriteString("{" + seg.name + "}")
		}
	}
	return b.String()
}

// lookupArg finds the value paired with name in args. Pairs whose name is
// not a string are skipped, and a trailing name without a value is ignored:
// a caller's slip must not cost a panic.
func lookupArg(args []any, name string) (any, bool) {
	for i := 0; i+1 < len(args); i += 2 {
		if k, ok := args[i].(string); ok && k == name {
			return args[i+1], true
		}
	}
	return nil, false
}
