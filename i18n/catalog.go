// Package i18n holds confbot's message catalogues (SPEC F9): every text a
// person sees, in Vietnamese (the default) and English.
//
// The catalogues are the embedded files vi.yaml and en.yaml, each with
// optional companions named after a feature (vi.attendance.yaml), so that
// features keep their texts apart: a flat map from
// key to template, or from key to plural forms {one: …, other: …}. Templates
// name their placeholders ({unit}, {count}); "{{" and "}}" are literal braces.
// A plural entry picks its form from the {count} argument by the language's
// CLDR rule (English: one for exactly 1, else other; Vietnamese: always other).
//
// Messages are sent with Telegram's HTML parse mode. Templates may carry
// markup such as <b>; T escapes every argument (names, titles, free text,
// file names: whatever a person or a file wrote) unless it is of type HTML,
// which marks markup the bot built itself. Text renders without escaping,
// for what Telegram shows as plain text: button labels, chart images.
package i18n

import (
	"embed"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

//go:embed *.yaml
var embedded embed.FS

// keyRe is what a catalogue key looks like: dotted lower-case words.
var keyRe = regexp.MustCompile(`^[a-z0-9_]+(\.[a-z0-9_]+)*$`)

// Catalog is the parsed message catalogues of every supported language. It
// is immutable once loaded and safe for concurrent use.
type Catalog struct {
	langs map[Lang]map[string]message
}

// message is one catalogue entry: a single template, or plural forms keyed
// by CLDR category (a single template is stored as "other").
type message struct {
	forms        map[string]template
	plural       bool
	placeholders []string // sorted, distinct
}

// Load parses the embedded catalogues. The application calls it once at
// start and passes the *Catalog to whoever renders text.
func Load() (*Catalog, error) { return LoadFS(embedded) }

// LoadFS parses the catalogues "vi.yaml" and "en.yaml" from fsys. Load uses
// it with the embedded files; tests use it with catalogues of their own.
// A file that is not valid UTF-8, a key or template that does not parse, or
// plural forms with differing placeholders are errors naming the file and line.
func LoadFS(fsys fs.FS) (*Catalog, error) {
	c := &Catalog{langs: make(map[Lang]map[string]message)}
	for _, lang := range Languages() {
		companions, err := fs.Glob(fsys, string(lang)+".*.yaml")
		if err != nil {
			return nil, fmt.Errorf("list catalogues: %w", err)
		}
		all := map[string]message{}
		for _, name := range append([]string{string(lang) + ".yaml"}, companions...) {
			data, err := fs.ReadFile(fsys, name)
			if err != nil {
				return nil, fmt.Errorf("read catalogue: %w", err)
			}
			msgs, err := parseCatalog(lang, data)
			if err != nil {
				return nil, fmt.Errorf("catalogue %s: %w", name, err)
			}
			for k, m := range msgs {
				if _, dup := all[k]; dup {
					return nil, fmt.Errorf("catalogue %s: key %s is already defined in another %s file", name, k, lang)
				}
				all[k] = m
			}
		}
		c.langs[lang] = all
	}
	return c, nil
}

// T renders the message key in lang with args given as alternating name,
// value pairs ("unit", "CNTT", "count", 3), for an HTML message: every
// argument but an HTML one is escaped. An unknown lang means VI; a key
// missing from lang falls back to Vietnamese, and a key missing everywhere
// renders as "[key]". T never panics.
func (c *Catalog) T(lang Lang, key string, args ...any) string {
	return c.render(lang, key, args, true)
}

// Text is T for plain text (a button's label, a chart's caption): nothing
// is escaped.
func (c *Catalog) Text(lang Lang, key string, args ...any) string {
	return c.render(lang, key, args, false)
}

func (c *Catalog) render(lang Lang, key string, args []any, escape bool) string {
	if !lang.known() {
		lang = VI
	}
	m, ok := c.lookup(lang, key)
	if !ok {
		return "[" + key + "]"
	}
	form := pluralOther
	if m.plural {
		if count, ok := lookupArg(args, "count"); ok {
			form = pluralCategory(lang, count)
		}
	}
	tmpl, ok := m.forms[form]
	if !ok {
		tmpl = m.forms[pluralOther]
	}
	return tmpl.render(lang, args, escape)
}

// lookup finds key in lang, then in Vietnamese, the language every key is
// written in first.
func (c *Catalog) lookup(lang Lang, key string) (message, bool) {
	if c == nil {
		return message{}, false
	}
	if m, ok := c.langs[lang][key]; ok {
		return m, true
	}
	m, ok := c.langs[VI][key]
	return m, ok
}

// Keys lists the keys of lang's catalogue, sorted. An unknown lang means VI.
func (c *Catalog) Keys(lang Lang) []string {
	if !lang.known() {
		lang = VI
	}
	if c == nil {
		return nil
	}
	keys := make([]string, 0, len(c.langs[lang]))
	for k := range c.langs[lang] {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Placeholders lists the distinct placeholder names of key in lang's own
// catalogue (no fallback), sorted; nil when the key is missing. For a plural
// entry they are the same in every form (Load checks).
func (c *Catalog) Placeholders(lang Lang, key string) []string {
	if !lang.known() {
		lang = VI
	}
	if c == nil {
		return nil
	}
	m, ok := c.langs[lang][key]
	if !ok {
		return nil
	}
	return slices.Clone(m.placeholders)
}

// parseCatalog reads one language's file.
func parseCatalog(lang Lang, data []byte) (map[string]message, error) {
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("not valid UTF-8")
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("parse yaml: %w", err)
	}
	if len(doc.Content) == 0 {
		return map[string]message{}, nil // an empty file is an empty catalogue
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("line %d: want a map of key to message", root.Line)
	}
	msgs := make(map[string]message, len(root.Content)/2)
	for i := 0; i+1 < len(root.Content); i += 2 {
		keyNode, valNode := root.Content[i], root.Content[i+1]
		key := keyNode.Value
		if keyNode.Kind != yaml.ScalarNode || !keyRe.MatchString(key) {
			return nil, fmt.Errorf("line %d: bad key %q: want dotted lower-case words", keyNode.Line, key)
		}
		if _, dup := msgs[key]; dup {
			return nil, fmt.Errorf("line %d: key %q defined twice", keyNode.Line, key)
		}
		m, err := parseMessage(lang, valNode)
		if err != nil {
			return nil, fmt.Errorf("line %d: %s: %w", valNode.Line, key, err)
		}
		msgs[key] = m
	}
	return msgs, nil
}

// parseMessage reads one entry: a string, or a map of plural forms.
func parseMessage(lang Lang, n *yaml.Node) (message, error) {
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag != "!!str" {
			return message{}, fmt.Errorf("want a string, got %s (quote it)", n.Tag)
		}
		t, err := parseTemplate(n.Value)
		if err != nil {
			return message{}, err
		}
		return message{forms: map[string]template{pluralOther: t}, placeholders: sortedNames(t)}, nil
	case yaml.MappingNode:
		return parsePlural(lang, n)
	}
	return message{}, fmt.Errorf("want a string or a map of plural forms")
}

// parsePlural reads {one: …, other: …}. Every form must have the same
// placeholders, so no argument vanishes depending on the count.
func parsePlural(lang Lang, n *yaml.Node) (message, error) {
	allowed := pluralCategories(lang)
	m := message{forms: map[string]template{}, plural: true}
	for i := 0; i+1 < len(n.Content); i += 2 {
		form, val := n.Content[i].Value, n.Content[i+1]
		if !slices.Contains(allowed, form) {
			return message{}, fmt.Errorf("plural form %q: %s uses only %v", form, lang, allowed)
		}
		if _, dup := m.forms[form]; dup {
			return message{}, fmt.Errorf("plural form %q given twice", form)
		}
		if val.Kind != yaml.ScalarNode || val.Tag != "!!str" {
			return message{}, fmt.Errorf("plural form %q: want a string", form)
		}
		t, err := parseTemplate(val.Value)
		if err != nil {
			return message{}, fmt.Errorf("plural form %q: %w", form, err)
		}
		names := sortedNames(t)
		if len(m.forms) > 0 && !slices.Equal(names, m.placeholders) {
			return message{}, fmt.Errorf("plural form %q has placeholders %v, other forms %v", form, names, m.placeholders)
		}
		m.forms[form] = t
		m.placeholders = names
	}
	if _, ok := m.forms[pluralOther]; !ok {
		return message{}, fmt.Errorf("plural entry lacks the form \"other\"")
	}
	if !slices.Contains(m.placeholders, "count") {
		return message{}, fmt.Errorf("plural entry lacks the placeholder {count} that selects its form")
	}
	return m, nil
}

func sortedNames(t template) []string {
	names := t.placeholders()
	slices.Sort(names)
	return names
}
