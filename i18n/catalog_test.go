package i18n_test

import (
	"fmt"
	"html"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/confbot/confbot/i18n"
)

// loadMap builds a Catalog from in-memory catalogue texts.
func loadMap(t *testing.T, vi, en string) *i18n.Catalog {
	t.Helper()
	c, err := i18n.LoadFS(fstest.MapFS{
		"vi.yaml": {Data: []byte(vi)},
		"en.yaml": {Data: []byte(en)},
	})
	if err != nil {
		t.Fatalf("LoadFS: %v", err)
	}
	return c
}

const (
	testVI = `
files: {other: "Có {count} tệp của {unit}"}
score: "Điểm: {score}"
braces: "{{literal}} và }} {x}"
only.vi: "chỉ tiếng Việt"
`
	testEN = `
files: {one: "{count} file of {unit}", other: "{count} files of {unit}"}
score: "Score: {score}"
braces: "{{literal}} and }} {x}"
`
)

func TestPluralSelection(t *testing.T) {
	c := loadMap(t, testVI, testEN)
	tests := []struct {
		name  string
		lang  i18n.Lang
		count any
		want  string
	}{
		{"en one", i18n.EN, 1, "1 file of CNTT"},
		{"en zero", i18n.EN, 0, "0 files of CNTT"},
		{"en two", i18n.EN, 2, "2 files of CNTT"},
		{"en int64 one", i18n.EN, int64(1), "1 file of CNTT"},
		{"en uint8 one", i18n.EN, uint8(1), "1 file of CNTT"},
		{"en minus one", i18n.EN, -1, "-1 file of CNTT"},
		{"en float shown as 1", i18n.EN, 1.0, "1 file of CNTT"},
		{"en float with fraction", i18n.EN, 1.5, "1.5 files of CNTT"},
		{"en string one", i18n.EN, "1", "1 file of CNTT"},
		{"en string 1.0 has a visible fraction", i18n.EN, "1.0", "1.0 files of CNTT"},
		{"en eleven", i18n.EN, 11, "11 files of CNTT"},
		{"en not a number", i18n.EN, "many", "many files of CNTT"},
		{"vi one", i18n.VI, 1, "Có 1 tệp của CNTT"},
		{"vi many", i18n.VI, 7, "Có 7 tệp của CNTT"},
		{"vi float", i18n.VI, 2.5, "Có 2,5 tệp của CNTT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.T(tt.lang, "files", "unit", "CNTT", "count", tt.count); got != tt.want {
				t.Errorf("T = %q, want %q", got, tt.want)
			}
		})
	}
	if got, want := c.T(i18n.EN, "files", "unit", "CNTT"), "{count} files of CNTT"; got != want {
		t.Errorf("without count: T = %q, want %q", got, want)
	}
}

func TestNumberFormatting(t *testing.T) {
	tests := []struct {
		name   string
		v      any
		vi, en string
	}{
		{"decimal", 96.5, "96,5", "96.5"},
		{"trailing zeros dropped", 96.50, "96,5", "96.5"},
		{"whole float", 100.0, "100", "100"},
		{"rounded to hundredths", 200.0 / 3, "66,67", "66.67"},
		{"float32", float32(12.25), "12,25", "12.25"},
		{"negative zero after rounding", -0.001, "0", "0"},
		{"negative", -2.75, "-2,75", "-2.75"},
		{"int untouched", 1234, "1234", "1234"},
		{"string untouched", "96.5", "96.5", "96.5"},
		{"stringer", i18n.EN, "en", "en"},
		{"nil", nil, "<nil>", "<nil>"},
	}
	c := loadMap(t, testVI, testEN)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := i18n.FormatValue(i18n.VI, tt.v); got != tt.vi {
				t.Errorf("vi: FormatValue = %q, want %q", got, tt.vi)
			}
			if got := i18n.FormatValue(i18n.EN, tt.v); got != tt.en {
				t.Errorf("en: FormatValue = %q, want %q", got, tt.en)
			}
			if got, want := c.T(i18n.VI, "score", "score", tt.v), "Điểm: "+html.EscapeString(tt.vi); got != want { // T escapes
				t.Errorf("vi: T = %q, want %q", got, want)
			}
		})
	}
}

func TestMissingKeysAndLanguages(t *testing.T) {
	c := loadMap(t, testVI, testEN)
	tests := []struct {
		name string
		lang i18n.Lang
		key  string
		want string
	}{
		{"missing everywhere", i18n.EN, "no.such.key", "[no.such.key]"},
		{"missing in vi", i18n.VI, "no.such.key", "[no.such.key]"},
		{"missing in en falls back to vi", i18n.EN, "only.vi", "chỉ tiếng Việt"},
		{"unknown lang means vi", i18n.Lang("fr"), "score", "Điểm: 1"},
		{"empty lang means vi", "", "score", "Điểm: 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.T(tt.lang, tt.key, "score", 1); got != tt.want {
				t.Errorf("T = %q, want %q", got, tt.want)
			}
		})
	}
	var nilCatalog *i18n.Catalog
	if got := nilCatalog.T(i18n.VI, "x"); got != "[x]" {
		t.Errorf("nil catalog: T = %q, want [x]", got)
	}
	if got := c.Placeholders(i18n.EN, "only.vi"); got != nil {
		t.Errorf("Placeholders of a key missing in en = %v, want nil", got)
	}
}

func TestArguments(t *testing.T) {
	c := loadMap(t, testVI, testEN)
	tests := []struct {
		name string
		args []any
		want string
	}{
		{"escaped braces", []any{"x", "X"}, "{literal} and } X"},
		{"missing argument stays visible", nil, "{literal} and } {x}"},
		{"extra arguments ignored", []any{"y", 1, "x", 2}, "{literal} and } 2"},
		{"odd trailing name ignored", []any{"x", 3, "y"}, "{literal} and } 3"},
		{"lone name without value", []any{"x"}, "{literal} and } {x}"},
		{"non-string name skipped", []any{42, "no", "x", "ok"}, "{literal} and } ok"},
		{"value with braces is not reparsed", []any{"x", "{x}"}, "{literal} and } {x}"},
		{"html is escaped", []any{"x", "<b>"}, "{literal} and } &lt;b&gt;"},
		{"HTML is not escaped", []any{"x", i18n.HTML("<b>")}, "{literal} and } <b>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.T(i18n.EN, "braces", tt.args...); got != tt.want {
				t.Errorf("T = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLoadRejectsBadCatalogues(t *testing.T) {
	const good = `ok: "fine {x}"`
	tests := []struct {
		name, vi, wantErr string
	}{
		{"unclosed brace", `k: "a {name"`, "unclosed"},
		{"lone closing brace", `k: "a } b"`, "unescaped"},
		{"empty placeholder", `k: "a {} b"`, "bad placeholder"},
		{"upper-case placeholder", `k: "a {Name} b"`, "bad placeholder"},
		{"spaced placeholder", `k: "a { name } b"`, "bad placeholder"},
		{"not a string", `k: 42`, "want a string"},
		{"list value", `k: [a, b]`, "want a string or a map"},
		{"bad key", `Bad.Key: "x"`, "bad key"},
		{"duplicate key", "k: \"a\"\nk: \"b\"", "defined twice"},
		{"plural without other", `k: {one: "{count}"}`, "plural form \"one\""},
		{"vi has no one form", `k: {one: "{count}", other: "{count}"}`, "vi uses only"},
		{"plural without count", `k: {other: "{n} tệp"}`, "{count}"},
		{"not a map", `- a`, "want a map"},
		{"invalid utf-8", "k: \"\xff\"", "UTF-8"},
		{"yaml syntax", `k: "unterminated`, "parse yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := i18n.LoadFS(fstest.MapFS{
				"vi.yaml": {Data: []byte(tt.vi)},
				"en.yaml": {Data: []byte(good)},
			})
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("LoadFS error = %v, want one containing %q", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), "vi.yaml") {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}

	t.Run("plural forms with different placeholders", func(t *testing.T) {
		_, err := i18n.LoadFS(fstest.MapFS{
			"vi.yaml": {Data: []byte(good)},
			"en.yaml": {Data: []byte(`k: {one: "one file", other: "{count} files"}`)},
		})
		if err == nil || !strings.Contains(err.Error(), "placeholders") {
			t.Fatalf("LoadFS error = %v, want a placeholder mismatch", err)
		}
	})
	t.Run("missing file", func(t *testing.T) {
		_, err := i18n.LoadFS(fstest.MapFS{"vi.yaml": {Data: []byte(good)}})
		if err == nil || !strings.Contains(err.Error(), "en.yaml") {
			t.Fatalf("LoadFS error = %v, want one naming en.yaml", err)
		}
	})
}

func TestKeysAndPlaceholders(t *testing.T) {
	c := loadMap(t, testVI, testEN)
	if got, want := strings.Join(c.Keys(i18n.VI), ","), "braces,files,only.vi,score"; got != want {
		t.Errorf("Keys(vi) = %s, want %s", got, want)
	}
	if got, want := strings.Join(c.Keys(i18n.EN), ","), "braces,files,score"; got != want {
		t.Errorf("Keys(en) = %s, want %s", got, want)
	}
	if got, want := strings.Join(c.Placeholders(i18n.EN, "files"), ","), "count,unit"; got != want {
		t.Errorf("Placeholders(en, files) = %s, want %s", got, want)
	}
	// The result is the caller's to keep: changing it must not change the catalogue.
	p := c.Placeholders(i18n.EN, "files")
	p[0] = "changed"
	if got := c.Placeholders(i18n.EN, "files")[0]; got != "count" {
		t.Errorf("Placeholders shares its slice with the catalogue: got %q", got)
	}
}

func TestParseLang(t *testing.T) {
	tests := []struct {
		in     string
		want   i18n.Lang
		wantOK bool
	}{
		{"vi", i18n.VI, true},
		{"en", i18n.EN, true},
		{" EN ", i18n.EN, true},
		{"en-US", i18n.EN, true},
		{"vi_VN", i18n.VI, true},
		{"fr", i18n.VI, false},
		{"", i18n.VI, false},
		{"english", i18n.VI, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q", tt.in), func(t *testing.T) {
			got, ok := i18n.ParseLang(tt.in)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("ParseLang(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

// TestConcurrentUse runs under -race: handlers share one Catalog.
func TestConcurrentUse(t *testing.T) {
	c, err := i18n.Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 200 {
				_ = c.T(i18n.Languages()[i%2], "import.errors", "count", j)
				_ = c.Keys(i18n.EN)
				_ = c.Placeholders(i18n.VI, "start.joined")
			}
		})
	}
	wg.Wait()
}
