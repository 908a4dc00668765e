package telegramsim

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
)

// The Bot API 10.1 specification as data (MIT, see LICENSE-bot-api-spec beside this file).
//
//go:embed bot-api-10.1.json
var specJSON []byte

//go:embed LICENSE-bot-api-spec
var specLicense string

// SpecLicense returns the licence of the embedded Bot API specification data (MIT), for a
// program that ships the simulator to show.
func SpecLicense() string { return specLicense }

type specField struct {
	Name     string   `json:"name"`
	Types    []string `json:"types"`
	Required bool     `json:"required"`
}

type specEntry struct {
	Name   string      `json:"name"`
	Fields []specField `json:"fields"`
}

// apiSpec indexes the specification for request checks.
type apiSpec struct {
	Version string               `json:"version"`
	Methods map[string]specEntry `json:"methods"`
	Types   map[string]specEntry `json:"types"`
	// byLower maps a lower-cased method name to its spelling: Telegram's method names are
	// case-insensitive.
	byLower map[string]string
}

// mustLoadSpec parses the embedded spec once per process: it never changes after parsing, and
// parsing 650 kB per simulator would slow suites that start many.
var mustLoadSpec = sync.OnceValue(parseSpec)

func parseSpec() *apiSpec {
	var sp apiSpec
	if err := json.Unmarshal(specJSON, &sp); err != nil {
		panic(fmt.Errorf("telegramsim: embedded spec: %w", err))
	}
	sp.byLower = make(map[string]string, len(sp.Methods))
	for name := range sp.Methods {
		sp.byLower[strings.ToLower(name)] = name
	}
	return &sp
}

// method returns the spelling of a method name as the spec has it, or "" when it is unknown.
func (sp *apiSpec) method(name string) string {
	return sp.byLower[strings.ToLower(name)]
}

func (sp *apiSpec) methodField(method, field string) (specField, bool) {
	for _, f := range sp.Methods[method].Fields {
		if f.Name == field {
			return f, true
		}
	}
	return specField{}, false
}

func (sp *apiSpec) typeFields(typeName string) map[string]specField {
	out := make(map[string]specField)
	for _, f := range sp.Types[typeName].Fields {
		out[f.Name] = f
	}
	return out
}

// SpecVersion returns the Bot API version the simulator checks against.
func (s *Simulator) SpecVersion() string { return s.spec.Version }
