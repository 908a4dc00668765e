package i18n_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// neverWords are the glossary's "not" words (../shared/PAPERWORK.md): none
// may appear in a Vietnamese text, whatever the key.
var neverWords = []struct{ word, say string }{
	{"cử tri", "đơn vị thành viên, đại biểu có quyền biểu quyết, người bỏ phiếu"},
	{"nhắc nhở", "nhắc việc (nhắc nhở is a light disciplinary measure)"},
	{"«", "“…”"},
	{"»", "“…”"},
	{"đường link", "đường dẫn"},
	{"tổng số thành viên", "tổng số đơn vị thành viên"},
	{"số cử tri có mặt", "số đơn vị có mặt"},
	{"> 50%", "trên 50%"},
	{">= 66,67%", "từ 66,67% trở lên"},
	{"{op}", "the threshold in words ({threshold}: trên 50%, từ 66,67% trở lên)"},
}

// electionOnly may say "phiếu bầu": the paper of the Cụm trưởng election.
// Everywhere else the item is a "nội dung bỏ phiếu" and one ballot a "phiếu".
var electionOnly = map[string]bool{"newyear.no_chair": true}

// viTexts reads every Vietnamese catalogue file as key → its texts (one,
// or the plural forms).
func viTexts(t *testing.T) map[string][]string {
	t.Helper()
	files, err := filepath.Glob("vi*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no Vietnamese catalogue: %v", err)
	}
	out := map[string][]string{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var entries map[string]any
		if err := yaml.Unmarshal(data, &entries); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for key, v := range entries {
			switch v := v.(type) {
			case string:
				out[key] = append(out[key], v)
			case map[string]any:
				for _, form := range v {
					if s, ok := form.(string); ok {
						out[key] = append(out[key], s)
					}
				}
			}
		}
	}
	return out
}

func TestVietnameseUsesTheGlossary(t *testing.T) {
	texts := viTexts(t)
	for key, forms := range texts {
		for _, s := range forms {
			for _, n := range neverWords {
				if strings.Contains(s, n.word) {
					t.Errorf("%s says %q; say %s: %q", key, n.word, n.say, s)
				}
			}
			if strings.Contains(s, "phiếu bầu") && !electionOnly[key] {
				t.Errorf("%s says \"phiếu bầu\", which is the paper of the Cụm trưởng election only: %q", key, s)
			}
			if strings.Contains(s, "Bằng khen của Bộ trưởng") && !strings.Contains(s, "Bằng khen của Bộ trưởng Bộ") {
				t.Errorf("%s names the minister without the ministry: %q", key, s)
			}
		}
	}
	// A conference not yet open is being prepared; documents are drafted.
	if got := texts["state.draft"]; len(got) != 1 || got[0] != "Đang chuẩn bị" {
		t.Errorf("state.draft = %q, want \"Đang chuẩn bị\"", got)
	}
	for _, key := range []string{"tally.base.members", "tally.base.present", "tally.base.valid"} {
		want := map[string]string{"tally.base.members": "tổng số đơn vị thành viên", "tally.base.present": "số đơn vị có mặt",
			"tally.base.valid": "số phiếu hợp lệ"}[key]
		if got := texts[key]; len(got) != 1 || got[0] != want {
			t.Errorf("%s = %q, want %q: one name per base, everywhere", key, got, want)
		}
	}
}
