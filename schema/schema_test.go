package schema_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"github.com/confbot/confbot/conffile"
	"github.com/confbot/confbot/examples"
	"github.com/confbot/confbot/schema"
)

// compile loads the schema.
func compile(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema.Conference))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("conference.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("conference.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// instance reads a YAML file as the JSON value a schema validates, each
// scalar typed as YAML types it (the example's times stay text).
func instance(t *testing.T, data []byte) any {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	return toJSON(doc.Content[0])
}

func toJSON(n *yaml.Node) any {
	switch n.Kind {
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			m[n.Content[i].Value] = toJSON(n.Content[i+1])
		}
		return m
	case yaml.SequenceNode:
		list := []any{}
		for _, item := range n.Content {
			list = append(list, toJSON(item))
		}
		return list
	case yaml.AliasNode:
		return toJSON(n.Alias)
	}
	switch n.ShortTag() {
	case "!!int", "!!float":
		return json.Number(n.Value)
	case "!!bool":
		return n.Value == "true"
	case "!!null":
		return nil
	}
	return n.Value
}

// TestExamplesValidate validates every example file, and the parser's
// broken test file fails.
func TestExamplesValidate(t *testing.T) {
	s := compile(t)
	files, _ := filepath.Glob("../examples/*.yaml")
	if len(files) == 0 {
		t.Fatal("no examples")
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if first, _, _ := strings.Cut(string(data), "\n"); first != "# yaml-language-server: $schema=../schema/conference.schema.json" {
			t.Errorf("%s does not name the schema in its first line: %q", name, first)
		}
		if err := s.Validate(instance(t, data)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	broken, err := os.ReadFile("../conffile/testdata/broken-many.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(instance(t, broken)); err == nil {
		t.Error("the broken test file passes the schema")
	}
}

// TestSchemaFollowsParser compares, section by section, the fields the
// schema describes with those the parser accepts, both ways.
func TestSchemaFollowsParser(t *testing.T) {
	var root map[string]any
	if err := json.Unmarshal(schema.Conference, &root); err != nil {
		t.Fatal(err)
	}
	inSchema := map[string][]string{}
	sections("", root, root, inSchema)
	for _, file := range [][]byte{examples.Cum8, examples.Cum12} {
		known, err := conffile.KnownFields(file)
		if err != nil {
			t.Fatal(err)
		}
		for section, fields := range known {
			for _, f := range fields {
				if !slices.Contains(inSchema[section], f) {
					t.Errorf("the parser reads %s in %q; the schema lacks it", f, section)
				}
			}
		}
		for section, fields := range inSchema {
			for _, f := range fields {
				if _, seen := known[section]; seen && !slices.Contains(known[section], f) {
					t.Errorf("the schema has %s in %q; the parser does not read it", f, section)
				}
			}
		}
	}
}

// sections collects the properties of every object in the schema by the
// parser's section names: "", "cluster", "conference.quorum", "ballots[]";
// a reference to the root's $defs reads as the definition in its place.
func sections(path string, s, root map[string]any, out map[string][]string) {
	if ref, ok := s["$ref"].(string); ok {
		defs, _ := root["$defs"].(map[string]any)
		if def, ok := defs[strings.TrimPrefix(ref, "#/$defs/")].(map[string]any); ok {
			sections(path, def, root, out)
		}
	}
	for _, branch := range list(s["oneOf"]) {
		sections(path, branch, root, out)
	}
	if items, ok := s["items"].(map[string]any); ok {
		sections(path+"[]", items, root, out)
	}
	props, _ := s["properties"].(map[string]any)
	for name, p := range props {
		if !slices.Contains(out[path], name) {
			out[path] = append(out[path], name)
		}
		if sub, ok := p.(map[string]any); ok {
			sections(strings.TrimPrefix(path+"."+name, "."), sub, root, out)
		}
	}
}

// list reads a schema's oneOf as a list of objects.
func list(v any) []map[string]any {
	var out []map[string]any
	items, _ := v.([]any)
	for _, item := range items {
		if m, ok := item.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}
