package conffile

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Error is one problem of a conference file: where it is (line and column
// from 1, 0 when the problem concerns the whole file), which field, and what
// is wrong.
type Error struct {
	Line, Column int
	Field        string // a path such as ballots[1].threshold.percent; empty for the whole file
	Msg          string // in English, as the CLI prints it
	// Format and Args are Msg before formatting ("%q is not a number",
	// ["abc"]), each argument as fmt.Sprint gives it: what a translation
	// of the message is looked up by and filled with.
	Format string
	Args   []string
	// Place, when set, names where the problem is in another form of the
	// file (a workbook's “sheet”, row and column) and replaces line and field.
	Place string
}

// problem makes an Error at line and column from a message format.
func problem(line, column int, format string, args ...any) Error {
	e := Error{Line: line, Column: column, Msg: fmt.Sprintf(format, args...), Format: format}
	for _, a := range args {
		e.Args = append(e.Args, fmt.Sprint(a))
	}
	return e
}

// Error renders e as "line 42: ballots[1].threshold.percent: 150 is over 100",
// or with its Place: "Trang “Đơn vị”, dòng 9, cột Mã: …".
func (e Error) Error() string {
	var b strings.Builder
	if e.Place != "" {
		return e.Place + ": " + e.Msg
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Errors is every problem found in one file, in the order of the file. Parse
// returns it as *Errors; match it with errors.As and a *Errors target.
type Errors []Error

// Error lists every problem, one per line.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// maxErrors bounds what one file can make the parser hold: past this many,
// a secretary fixes the file in rounds anyway.
const maxErrors = 500

// collector gathers problems while the parser walks the whole file.
type collector struct {
	errs     Errors
	overflow int
}

// at records a problem located at node n.
func (c *collector) at(n *yaml.Node, field, format string, args ...any) {
	e := problem(0, 0, format, args...)
	e.Field = field
	if n != nil {
		e.Line, e.Column = n.Line, n.Column
	}
	if len(c.errs) >= maxErrors {
		c.overflow++
		return
	}
	c.errs = append(c.errs, e)
}

// result sorts the problems into file order and returns them, or nil when
// there are none (never a typed nil inside an error).
func (c *collector) result() error {
	if len(c.errs) == 0 {
		return nil
	}
	// Cross-checks (a chair unit checked after the units are known) are
	// found out of file order; a stable sort keeps each line's own order.
	slices.SortStableFunc(c.errs, func(a, b Error) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
	errs := c.errs
	if c.overflow > 0 {
		errs = append(errs, problem(0, 0, "and %d more problems not listed", c.overflow))
	}
	return &errs
}
