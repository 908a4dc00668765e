package conffile

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/confbot/confbot/domain"
)

// parser walks one file's node tree, collecting problems as it goes.
type parser struct {
	collector
	loc *time.Location // the cluster's zone, for times written without an offset
	// units indexes member units and guests by code once both are read, so
	// that checking a reference costs the same in a file of 6 or 6,000 units.
	declared map[string]domain.Unit
	// known, when not nil, records the fields every section read may have.
	known map[string][]string
}

// fields is a mapping node read into its keys, after unknown and duplicate
// keys were reported.
type fields struct {
	node   *yaml.Node
	path   string
	values map[string]*yaml.Node
}

// child joins a field path and a field name.
func child(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// index joins a field path and a list index.
func index(path string, i int) string { return fmt.Sprintf("%s[%d]", path, i) }

// deref follows aliases (their targets were bounded by expandedSize).
func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// isNull reports whether n is absent or written as nothing / null / ~.
func isNull(n *yaml.Node) bool {
	n = deref(n)
	return n == nil || (n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null")
}

// mapping reads n as a mapping with the given known field names. It returns
// nil (after reporting) when n is not a mapping.
func (p *parser) mapping(n *yaml.Node, path string, known ...string) *fields {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		p.at(n, path, "must be a mapping of fields (name: value)")
		return nil
	}
	p.record(path, known)
	f := &fields{node: n, path: path, values: make(map[string]*yaml.Node, len(n.Content)/2)}
	seen := make(map[string]*yaml.Node, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, value := deref(n.Content[i]), n.Content[i+1]
		if key.Kind != yaml.ScalarNode {
			p.at(key, path, "a field name must be plain text")
			continue
		}
		name := key.Value
		switch {
		case key.ShortTag() == "!!merge":
			p.at(key, child(path, name), "merge keys (<<) are not supported; write the fields out")
		case seen[name] != nil:
			p.at(key, child(path, name), "duplicate field (first at line %d)", seen[name].Line)
		case !contains(known, name):
			p.at(key, child(path, name), "unknown field %q (known: %s)", name, strings.Join(known, ", "))
		default:
			f.values[name] = value
		}
		if seen[name] == nil {
			seen[name] = key
		}
	}
	return f
}

// contains reports whether list holds s.
func contains(list []string, s string) bool {
	for _, have := range list {
		if have == s {
			return true
		}
	}
	return false
}

// get returns a field's value node, or nil when absent or null.
func (f *fields) get(name string) *yaml.Node {
	n := f.values[name]
	if isNull(n) {
		return nil
	}
	return deref(n)
}

// need returns a field's value node, reporting it as required when absent.
func (p *parser) need(f *fields, name string) *yaml.Node {
	n := f.get(name)
	if n == nil {
		at := f.node
		if v := f.values[name]; v != nil {
			at = v
		}
		p.at(at, child(f.path, name), "is required")
	}
	return n
}

// scalar checks that n is a single value, not a list or a mapping.
func (p *parser) scalar(n *yaml.Node, path string) bool {
	if n.Kind != yaml.ScalarNode {
		p.at(n, path, "must be a single value, not a list or a mapping")
		return false
	}
	return true
}

// text reads a required text field; the bool is false after a problem.
func (p *parser) text(f *fields, name string) (string, bool) {
	n := p.need(f, name)
	if n == nil || !p.scalar(n, child(f.path, name)) {
		return "", false
	}
	s := strings.TrimSpace(n.Value)
	if s == "" {
		p.at(n, child(f.path, name), "must not be empty")
		return "", false
	}
	return s, true
}

// optionalText reads a text field that may be absent ("" then).
func (p *parser) optionalText(f *fields, name string) string {
	n := f.get(name)
	if n == nil || !p.scalar(n, child(f.path, name)) {
		return ""
	}
	return strings.TrimSpace(n.Value)
}

// integer reads n as a whole number.
func (p *parser) integer(n *yaml.Node, path string) (int64, bool) {
	var v int64
	if !p.scalar(n, path) {
		return 0, false
	}
	if n.ShortTag() != "!!int" || n.Decode(&v) != nil {
		p.at(n, path, "%q is not a whole number", n.Value)
		return 0, false
	}
	return v, true
}

// number reads n as a finite number.
func (p *parser) number(n *yaml.Node, path string) (float64, bool) {
	var v float64
	if !p.scalar(n, path) {
		return 0, false
	}
	if tag := n.ShortTag(); (tag != "!!int" && tag != "!!float") || n.Decode(&v) != nil ||
		math.IsNaN(v) || math.IsInf(v, 0) {
		p.at(n, path, "%q is not a number", n.Value)
		return 0, false
	}
	return v, true
}

// boolean reads n as true or false.
func (p *parser) boolean(n *yaml.Node, path string) (bool, bool) {
	var v bool
	if !p.scalar(n, path) {
		return false, false
	}
	if n.ShortTag() != "!!bool" || n.Decode(&v) != nil {
		p.at(n, path, "%q must be true or false", n.Value)
		return false, false
	}
	return v, true
}

// duration reads n as a Go duration such as 168h, 2h30m or 90s.
func (p *parser) duration(n *yaml.Node, path string) (time.Duration, bool) {
	if !p.scalar(n, path) {
		return 0, false
	}
	d, err := time.ParseDuration(strings.TrimSpace(n.Value))
	if err != nil {
		p.at(n, path, "%q is not a duration (write it like 168h, 2h30m or 90s)", n.Value)
		return 0, false
	}
	return d, true
}

// Layouts accepted for times besides RFC 3339, read in the cluster's zone.
const (
	localLayout = "2006-01-02 15:04"
	dateLayout  = "2006-01-02"
)

// moment reads n as a time; allowDate also takes a bare date, meaning the
// start of that day in the cluster's zone.
func (p *parser) moment(n *yaml.Node, path string, allowDate bool) (time.Time, bool) {
	if !p.scalar(n, path) {
		return time.Time{}, false
	}
	s := strings.TrimSpace(n.Value)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		// The same instant, shown in the cluster's zone like every other time.
		return t.In(p.loc), true
	}
	if t, err := time.ParseInLocation(localLayout, s, p.loc); err == nil {
		return t, true
	}
	if allowDate {
		if t, err := time.ParseInLocation(dateLayout, s, p.loc); err == nil {
			return t, true
		}
		p.at(n, path, "%q is not a time (write 2022-11-24 08:00, 2022-11-24, or RFC 3339)", n.Value)
		return time.Time{}, false
	}
	p.at(n, path, "%q is not a time (write 2022-11-24 08:00 or RFC 3339)", n.Value)
	return time.Time{}, false
}

// list reads n as a list; null counts as an empty list.
func (p *parser) list(n *yaml.Node, path string) []*yaml.Node {
	n = deref(n)
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		p.at(n, path, "must be a list")
		return nil
	}
	items := make([]*yaml.Node, len(n.Content))
	for i, item := range n.Content {
		items[i] = deref(item)
	}
	return items
}

// oneOf reads n as one of the allowed words.
func (p *parser) oneOf(n *yaml.Node, path string, allowed ...string) (string, bool) {
	if !p.scalar(n, path) {
		return "", false
	}
	s := strings.TrimSpace(n.Value)
	if !contains(allowed, s) {
		p.at(n, path, "%q is not one of %s", n.Value, strings.Join(allowed, ", "))
		return "", false
	}
	return s, true
}

// formatNumber prints a number as written: 66.67, 150.
func formatNumber(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
