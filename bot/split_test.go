package bot_test

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/confbot/confbot/bot"
)

func TestSplitTextExact(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		limit int
		want  []string
	}{
		{name: "fits", text: "Hội nghị tổng kết", limit: 20, want: []string{"Hội nghị tổng kết"}},
		{name: "empty", text: "", limit: 10, want: []string{""}},
		{name: "exactly the limit", text: "ăâđêôơư", limit: 7, want: []string{"ăâđêôơư"}},
		{
			name: "at line breaks, packing lines", text: "dòng một\ndòng hai\ndòng ba", limit: 17,
			want: []string{"dòng một\ndòng hai", "dòng ba"},
		},
		{
			name: "long line at a space", text: "Cờ thi đua của Bộ Công an", limit: 12,
			want: []string{"Cờ thi đua", "của Bộ Công", "an"},
		},
		{
			name: "no space: at a rune boundary", text: "ệệệệệệệệệệ", limit: 4,
			want: []string{"ệệệệ", "ệệệệ", "ệệ"},
		},
		{
			// Each emoji is a surrogate pair (2 units): 3 units hold one.
			name: "emoji never halved", text: "😀😀😀", limit: 3,
			want: []string{"😀", "😀", "😀"},
		},
		{
			name: "emoji counted as two units", text: "ab😀cd", limit: 3,
			want: []string{"ab", "😀c", "d"},
		},
		{
			name: "blank lines dropped", text: "a\n\n\n\n\n\nb", limit: 2,
			want: []string{"a", "b"},
		},
		{
			name: "crlf", text: "một\r\nhai", limit: 5,
			want: []string{"một", "hai"},
		},
		{
			name: "limit smaller than a rune still progresses", text: "😀😀", limit: 1,
			want: []string{"😀", "😀"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := bot.SplitText(tt.text, tt.limit)
			if !slices.Equal(got, tt.want) {
				t.Errorf("SplitText(%q, %d) = %q, want %q", tt.text, tt.limit, got, tt.want)
			}
		})
	}
}

// TestSplitTextInvariants checks, on long realistic texts, what must hold for
// any split: every part fits, is valid UTF-8, is not blank, and no character
// other than white space at a cut is lost or reordered.
func TestSplitTextInvariants(t *testing.T) {
	line := "Đơn vị CNTT đã nộp báo cáo tổng kết 📄 và tự chấm điểm 95,5 ✅ — Viện Khoa học và công nghệ 🇻🇳"
	noSpaces := strings.Repeat("Quyếtthắng😀", 900)
	tests := []struct {
		name  string
		text  string
		limit int
	}{
		{name: "many lines default limit", text: strings.Repeat(line+"\n", 200), limit: 0},
		{name: "one huge line", text: strings.Repeat(line+" ", 200), limit: bot.MessageLimit},
		{name: "no spaces at all", text: noSpaces, limit: bot.MessageLimit},
		{name: "mixed small limit", text: strings.Repeat(line+"\n"+noSpaces[:300]+" ", 5), limit: 37},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			limit := tt.limit
			if limit <= 0 {
				limit = bot.MessageLimit
			}
			parts := bot.SplitText(tt.text, tt.limit)
			if len(parts) < 2 {
				t.Fatalf("got %d parts, want a split", len(parts))
			}
			for i, p := range parts {
				if n := len(utf16.Encode([]rune(p))); n > limit {
					t.Errorf("part %d has %d UTF-16 units, limit %d", i, n, limit)
				}
				if !utf8.ValidString(p) || strings.ContainsRune(p, utf8.RuneError) {
					t.Errorf("part %d is not clean UTF-8", i)
				}
				if strings.TrimSpace(p) == "" {
					t.Errorf("part %d is blank", i)
				}
			}
			if got, want := withoutSpace(strings.Join(parts, "")), withoutSpace(tt.text); got != want {
				t.Error("joined parts differ from the text beyond white space")
			}
		})
	}
}

func withoutSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}
