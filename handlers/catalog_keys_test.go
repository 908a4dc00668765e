package handlers_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/confbot/confbot/i18n"
)

// keyCalls are the functions whose argument at the index given is a
// catalogue key; a key written as a string literal there must be in every
// catalogue, so a typo fails here rather than as a raw key in a chat.
var keyCalls = map[string]int{
	"T":       1, // Catalog.T(lang, key, …)
	"reply":   2, // r.reply(ctx, req, key, …)
	"problem": 0, // problem(key, …)
	"text":    1, // the e2e world's w.text(lang, key, …)
}

// TestEveryCatalogueKeyInCodeExists parses the packages that speak to
// people and checks each literal key against both catalogues. A key built
// at run time ("ballot.state." + state) is checked by its prefix: at least
// one key must start with it.
func TestEveryCatalogueKeyInCodeExists(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, dir := range []string{".", "../e2e", "../playground", "../app"} {
		matches, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		files = append(files, matches...)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, path, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			name := ""
			switch fn := call.Fun.(type) {
			case *ast.Ident:
				name = fn.Name
			case *ast.SelectorExpr:
				name = fn.Sel.Name
			}
			at, ok := keyCalls[name]
			if !ok || len(call.Args) <= at {
				return true
			}
			key, prefix := literalKey(call.Args[at])
			if key == "" || !strings.Contains(key, ".") {
				return true
			}
			checked++
			for _, lang := range i18n.Languages() {
				keys := cat.Keys(lang)
				found := slices.Contains(keys, key)
				if prefix {
					found = slices.ContainsFunc(keys, func(k string) bool { return strings.HasPrefix(k, key) })
				}
				if !found {
					t.Errorf("%s: catalogue %s has no key %q", fset.Position(call.Pos()), lang, key)
				}
			}
			return true
		})
	}
	if checked < 100 {
		t.Fatalf("only %d keys found in code: the parse missed the calls", checked)
	}
}

// literalKey is the key an expression names: a string literal, or the
// literal start of "prefix." + something (prefix reported true).
func literalKey(e ast.Expr) (key string, prefix bool) {
	switch v := e.(type) {
	case *ast.BasicLit:
		if v.Kind == token.STRING {
			s, _ := strconv.Unquote(v.Value)
			return s, false
		}
	case *ast.BinaryExpr:
		if v.Op == token.ADD {
			if s, _ := literalKey(v.X); s != "" {
				return s, true
			}
		}
	}
	return "", false
}
