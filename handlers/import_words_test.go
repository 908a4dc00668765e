package handlers

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/confbot/confbot/conffile"
	"github.com/confbot/confbot/i18n"
)

// conffileFormats reads conffile's source and gives every message format it
// reports problems with (the format argument of its at and problem calls),
// failing on a call whose format is not a literal, which no table could
// translate.
func conffileFormats(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../conffile/*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("conffile sources: %v", err)
	}
	var formats []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) < 3 {
				return true
			}
			var fn string
			switch x := call.Fun.(type) {
			case *ast.SelectorExpr:
				fn = x.Sel.Name
			case *ast.Ident:
				fn = x.Name
			}
			if fn != "at" && fn != "problem" {
				return true
			}
			if id, ok := call.Args[2].(*ast.Ident); ok && id.Name == "format" {
				return true // at handing its own format on to problem
			}
			lit, ok := call.Args[2].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				t.Errorf("%s: a problem whose format is not a literal cannot be translated", fset.Position(call.Pos()))
				return true
			}
			s, _ := strconv.Unquote(lit.Value)
			formats = append(formats, s)
			return true
		})
	}
	return formats
}

// TestEveryFileProblemIsTranslated: each format conffile reports a problem
// with has a catalogue entry in every language, with one placeholder per
// argument.
func TestEveryFileProblemIsTranslated(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	verbs := regexp.MustCompile(`%[dqsv]`)
	formats := conffileFormats(t)
	if len(formats) < 60 {
		t.Fatalf("found %d formats in conffile; the scan is broken", len(formats))
	}
	for _, f := range formats {
		key, ok := fileProblemKeys[f]
		if !ok {
			t.Errorf("no catalogue key for conffile's %q (add it to fileProblemKeys and i18n/*.conffile.yaml)", f)
			continue
		}
		want := len(verbs.FindAllString(f, -1))
		for _, lang := range []i18n.Lang{i18n.VI, i18n.EN} {
			if got := len(cat.Placeholders(lang, key)); got != want {
				t.Errorf("%s %s has %d placeholders, its format %q %d arguments", lang, key, got, f, want)
			}
		}
	}
}

func TestFileProblemsAndChangesInWords(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	r := &Router{Deps: Deps{Catalog: cat}}
	data, err := os.ReadFile("../conffile/testdata/broken-many.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, perr := conffile.Parse(data)
	errs, ok := perr.(*conffile.Errors)
	if !ok {
		t.Fatalf("broken-many.yaml parsed: %v", perr)
	}
	for _, e := range *errs {
		if _, ok := fileProblemKeys[e.Format]; !ok {
			t.Errorf("untranslated problem %q", e.Format)
		}
		if got := r.fileProblem(i18n.VI, e); !strings.HasPrefix(got, "dòng ") && e.Line > 0 {
			t.Errorf("%q does not say where in Vietnamese", got)
		}
	}
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"problem", r.fileProblem(i18n.VI, conffile.Error{Line: 7, Field: "cluster.language", Format: "%q is not one of %s", Args: []string{"fr", "vi, en"}}),
			"dòng 7: cluster.language: “fr” không thuộc các giá trị: vi, en"},
		{"problem in English", r.fileProblem(i18n.EN, conffile.Error{Field: "units", Format: "must list at least one member unit"}),
			"units: must list at least one member unit"},
		{"escaped", r.fileProblem(i18n.VI, conffile.Error{Line: 3, Format: "not valid YAML: %s", Args: []string{"<b>"}}),
			"dòng 3: không phải YAML hợp lệ: &lt;b&gt;"},
		{"unknown format as is", r.fileProblem(i18n.VI, conffile.Error{Msg: "something new"}), "something new"},
		{"added", r.fileChange(i18n.VI, "units: added KHCN (Viện …)"), "units: thêm KHCN (Viện …)"},
		{"removed", r.fileChange(i18n.VI, "ballots: removed co-cp (Cờ)"), "ballots: bỏ co-cp (Cờ)"},
		{"changed", r.fileChange(i18n.VI, "conference.deputy_unit: (none) → VKHCN"), "conference.deputy_unit: (không có) → VKHCN"},
		{"order", r.fileChange(i18n.VI, "ballots: order a, b → b, a"), "ballots: đổi thứ tự a, b → b, a"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, tc.got, tc.want)
		}
	}
}
