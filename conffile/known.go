package conffile

import (
	"fmt"
	"regexp"
	"slices"
)

// listIndex is a list index in a field path: units[3] → units[].
var listIndex = regexp.MustCompile(`\[\d+\]`)

// record notes the fields the section at path may have, keyed by the path
// with list indexes generalised ("ballots[].threshold"). Sections read in
// several shapes (a reminder or a digest) get the union of their fields.
func (p *parser) record(path string, fields []string) {
	if p.known == nil {
		return
	}
	key := listIndex.ReplaceAllString(path, "[]")
	for _, f := range fields {
		if !slices.Contains(p.known[key], f) {
			p.known[key] = append(p.known[key], f)
		}
	}
}

// KnownFields parses a valid conference file and returns, for every section
// it exercises, the fields the parser accepts there: "" is the top level,
// "cluster", "conference.quorum", "units[]", "ballots[].threshold" and so on,
// each list in the parser's order. The schema and the workbook keep in step
// with the parser by comparing themselves with it; pass a file that uses
// every section, such as the reference conference.
func KnownFields(data []byte) (map[string][]string, error) {
	if e, bad := checkBytes(data); bad {
		return nil, &Errors{e}
	}
	root, e, bad := decodeOne(data)
	if bad {
		return nil, &Errors{e}
	}
	known := map[string][]string{}
	if _, err := parseRoot(root, known); err != nil {
		return nil, fmt.Errorf("known fields: %w", err)
	}
	return known, nil
}
