package conffile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/confbot/confbot/domain"
)

// MaxFileSize is the largest conference file accepted, in bytes. A real file
// is a few kilobytes; the bound keeps an uploaded file from costing memory.
const MaxFileSize = 1 << 20

// maxExpandedNodes bounds the nodes the walk may visit once aliases are
// followed, so that a "billion laughs" file cannot make the parser spin.
const maxExpandedNodes = 200_000

// defaultTimezone applies when the cluster names none (SPEC F7).
const defaultTimezone = "Asia/Ho_Chi_Minh"

// Parse reads a conference file. When the file is invalid the error is an
// *Errors listing every problem found, each with its line and field; the
// returned conference is then nil. A parsed conference is in StateDraft.
func Parse(data []byte) (*domain.Conference, error) {
	if e, bad := checkBytes(data); bad {
		return nil, &Errors{e}
	}
	root, e, bad := decodeOne(data)
	if bad {
		return nil, &Errors{e}
	}
	if size := expandedSize(root, map[*yaml.Node]int{}); size > maxExpandedNodes {
		return nil, &Errors{problem(0, 0, "aliases make the file expand beyond %d nodes", maxExpandedNodes)}
	}
	return parseRoot(root, nil)
}

// ParseNode reads a conference from a node tree another reader built (the
// workbook reader does, so that its rows pass the same checks as a file).
// The errors' Line and Column are those the reader gave the nodes.
func ParseNode(root *yaml.Node) (*domain.Conference, error) {
	if size := expandedSize(root, map[*yaml.Node]int{}); size > maxExpandedNodes {
		return nil, &Errors{{Msg: fmt.Sprintf("the conference has more than %d parts", maxExpandedNodes)}}
	}
	return parseRoot(root, nil)
}

// parseRoot walks a bounded node tree; known, when not nil, records the
// fields each section may have (see KnownFields).
func parseRoot(root *yaml.Node, known map[string][]string) (*domain.Conference, error) {
	p := &parser{loc: mustZone(defaultTimezone), known: known}
	conf := p.file(root)
	if err := p.result(); err != nil {
		return nil, err
	}
	return conf, nil
}

// checkBytes refuses what is not a text file of a sensible size.
func checkBytes(data []byte) (Error, bool) {
	switch {
	case len(bytes.TrimSpace(data)) == 0:
		return problem(0, 0, "the file is empty"), true
	case len(data) > MaxFileSize:
		return problem(0, 0, "the file is %d bytes, over the limit of %d", len(data), MaxFileSize), true
	case bytes.IndexByte(data, 0) >= 0 || !utf8.Valid(data):
		return problem(0, 0, "the file is not UTF-8 text (is it a binary or a spreadsheet?)"), true
	}
	return Error{}, false
}

// yamlLine picks the line out of the YAML library's syntax errors, which
// read "yaml: line 7: did not find expected key".
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxError turns a YAML library error into an Error with its line.
func syntaxError(err error) Error {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		// The YAML library gives the line where the construct holding the
		// problem starts, which can be a line or two above the problem itself.
		return problem(line, 0, "not valid YAML at or after this line: %s", m[2])
	}
	if rest, ok := bytes.CutPrefix([]byte(msg), []byte("yaml: ")); ok {
		msg = string(rest)
	}
	return problem(0, 0, "not valid YAML: %s", msg)
}

// decodeOne reads exactly one YAML document and returns its root node.
func decodeOne(data []byte) (root *yaml.Node, e Error, bad bool) {
	// The YAML library recovers its own failures, but a panic that slips
	// past it on hostile input must not take the bot down with it.
	defer func() {
		if r := recover(); r != nil {
			root, e, bad = nil, problem(0, 0, "not valid YAML: the file could not be read"), true
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, problem(0, 0, "the file is empty (only comments)"), true
		}
		return nil, syntaxError(err), true
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, syntaxError(err), true
	default:
		return nil, problem(extra.Line, extra.Column, "a second YAML document starts here; a conference file holds one"), true
	}
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		return doc.Content[0], Error{}, false
	}
	return &doc, Error{}, false
}

// expandedSize counts the nodes a walk visits with aliases followed, stopping
// at maxExpandedNodes+1. An alias that contains itself counts as too many.
func expandedSize(n *yaml.Node, memo map[*yaml.Node]int) int {
	const visiting = -1
	if size, ok := memo[n]; ok {
		if size == visiting {
			return maxExpandedNodes + 1
		}
		return size
	}
	memo[n] = visiting
	size := 1
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		size += expandedSize(n.Alias, memo)
	}
	for _, child := range n.Content {
		if size > maxExpandedNodes {
			break
		}
		size += expandedSize(child, memo)
	}
	size = min(size, maxExpandedNodes+1)
	memo[n] = size
	return size
}

// mustZone loads a zone known to be in the embedded database.
func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(fmt.Sprintf("conffile: embedded zone %s: %v", name, err))
	}
	return loc
}
