// Package schema holds the JSON Schema of the conference file, which
// editors use to complete and check fields (examples name it in their first
// line for the YAML language server). The parser in conffile stays the
// authority; the tests keep the two in step.
package schema

import _ "embed"

// Conference is the JSON Schema (draft 2020-12) of the conference file.
//
//go:embed conference.schema.json
var Conference []byte
