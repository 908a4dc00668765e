package workbook

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
	"go.yaml.in/yaml/v3"
)

// Layouts of times in cells, as the conference file writes them.
const (
	localLayout = "2006-01-02 15:04"
	dateLayout  = "2006-01-02"
)

// excelEpoch is day 0 of Excel's 1900 date system (with its 1900 leap-year
// quirk, day 60 is skipped, which is why the epoch is the 30th).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// serial is the Excel date number of a wall-clock time: cells hold no zone,
// and the file's times are in the cluster's zone.
func serial(wall time.Time) float64 {
	days := time.Date(wall.Year(), wall.Month(), wall.Day(), 0, 0, 0, 0, time.UTC).Sub(excelEpoch) / (24 * time.Hour)
	seconds := wall.Hour()*3600 + wall.Minute()*60 + wall.Second()
	// Whole days plus the fraction of one, each exact before the one
	// division, so that 11:30 does not show as 11:29 when a cell is read.
	return float64(days) + float64(seconds)/86400
}

// fromSerial reads an Excel date number as the file writes a time: to the
// minute, or a bare date when dates are allowed and there is no time of day.
func fromSerial(v float64, allowDate bool) (string, bool) {
	if v < 1 || v > 2958465 { // 1900-01-01 to 9999-12-31
		return "", false
	}
	t, err := excelize.ExcelDateToTime(v, false)
	if err != nil {
		return "", false
	}
	t = t.Round(time.Minute)
	if allowDate && t.Hour() == 0 && t.Minute() == 0 {
		return t.Format(dateLayout), true
	}
	return t.Format(localLayout), true
}

// lookup finds the node at a dotted path in a mapping, or nil.
func lookup(n *yaml.Node, path string) *yaml.Node {
	for _, name := range strings.Split(path, ".") {
		if n == nil || n.Kind != yaml.MappingNode {
			return nil
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == name {
				next = n.Content[i+1]
			}
		}
		n = next
	}
	return n
}

// take removes a field from a mapping and returns its value, or nil.
func take(n *yaml.Node, name string) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == name {
			value := n.Content[i+1]
			n.Content = slices.Delete(n.Content, i, i+2)
			return value
		}
	}
	return nil
}

// put sets the node at a dotted path in a mapping, making the mappings on
// the way; line places the made mappings for the parser's ordering.
func put(n *yaml.Node, path string, value *yaml.Node, line int) {
	names := strings.Split(path, ".")
	for _, name := range names[:len(names)-1] {
		next := lookup(n, name)
		if next == nil {
			next = &yaml.Node{Kind: yaml.MappingNode, Line: line}
			n.Content = append(n.Content, scalar(name, "!!str", line), next)
		}
		n = next
	}
	n.Content = append(n.Content, scalar(names[len(names)-1], "!!str", line), value)
}

// scalar makes a scalar node; an empty tag lets YAML's rules say whether
// the text is a number, a boolean or text, as in a file.
func scalar(value, tag string, line int) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: value, Line: line, Column: 1}
}

// joined writes a list node as one cell, its values separated by sep:
// "head, secretary".
func joined(n *yaml.Node, sep string) string {
	if n.Kind != yaml.SequenceNode {
		return n.Value
	}
	parts := make([]string, len(n.Content))
	for i, item := range n.Content {
		parts[i] = item.Value
	}
	return strings.Join(parts, sep)
}

// isNumber reports whether a scalar node is a number the sheet should hold
// as one.
func isNumber(n *yaml.Node) bool {
	if n.Kind != yaml.ScalarNode {
		return false
	}
	tag := n.ShortTag()
	if tag != "!!int" && tag != "!!float" {
		return false
	}
	_, err := strconv.ParseFloat(n.Value, 64)
	return err == nil
}

// rowAt returns a sheet's row, or none past its end (the raw and the shown
// reading of a sheet could differ in length).
func rowAt(rows [][]string, i int) []string {
	if i < len(rows) {
		return rows[i]
	}
	return nil
}

// get returns a row's cell, or "" past its end.
func get(cells []string, i int) string {
	if i < len(cells) {
		return cells[i]
	}
	return ""
}

// cellNode reads one cell into the node its field takes, or nil when empty.
func cellNode(col column, shown, raw string, line int) *yaml.Node {
	value := strings.TrimSpace(shown)
	if value == "" {
		return nil
	}
	switch col.Kind {
	case moment, momentOrDate:
		// A date cell holds a number; its shown form depends on the
		// computer's settings, so the number is read instead.
		if v, err := strconv.ParseFloat(strings.TrimSpace(raw), 64); err == nil {
			if s, ok := fromSerial(v, col.Kind == momentOrDate); ok {
				value = s
			}
		}
		return scalar(value, "!!str", line)
	case text:
		return scalar(value, "!!str", line)
	case list:
		return listNode(value, ",", line)
	case lines:
		return listNode(value, "\n", line)
	case candidates:
		if value == "all" || strings.HasPrefix(value, "awarded:") {
			return scalar(value, "!!str", line)
		}
		return listNode(value, ",", line)
	}
	return scalar(value, "", line)
}

// listNode splits "head, secretary" into a list at each sep.
func listNode(value, sep string, line int) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Line: line, Column: 1}
	for _, part := range strings.Split(value, sep) {
		if part = strings.TrimSpace(part); part != "" {
			n.Content = append(n.Content, scalar(part, "!!str", line))
		}
	}
	return n
}
