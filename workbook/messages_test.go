package workbook

import (
	"bytes"
	"errors"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"go.yaml.in/yaml/v3"

	"github.com/confbot/confbot/conffile"
)

// englishWords are words a Vietnamese message would not hold.
var englishWords = []string{"is", "are", "must", "not", "the", "of", "and", "or", "a", "an", "under", "write", "listed", "twice"}

// english reports whether text holds an English word, words split at
// anything but letters and digits (Vietnamese letters included).
func english(text string) bool {
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if slices.Contains(englishWords, w) {
			return true
		}
	}
	return false
}

// TestBrokenFileInVietnamese writes the parser's broken test file as a
// workbook and reads it: every problem the parser finds there is named by
// its place and told in Vietnamese.
func TestBrokenFileInVietnamese(t *testing.T) {
	data, err := os.ReadFile("../conffile/testdata/broken-many.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := writeTree(&buf, doc.Content[0]); err != nil {
		t.Fatal(err)
	}
	_, err = Parse(buf.Bytes())
	var errs *conffile.Errors
	if !errors.As(err, &errs) {
		t.Fatalf("Parse: %v", err)
	}
	if len(*errs) < 25 {
		t.Errorf("only %d problems:\n%v", len(*errs), errs)
	}
	for _, e := range *errs {
		if !strings.HasPrefix(e.Place, "Trang “") {
			t.Errorf("no place: %v", e)
		}
		// Quoted values and the file's own words (true, members…) may be
		// English; the sentence around them may not.
		text := regexp.MustCompile(`“[^”]*”|"[^"]*"|a-z|A-Z`).ReplaceAllString(e.Msg, "")
		if english(text) {
			t.Errorf("not translated: %s", e.Error())
		}
	}
}

func TestVietnamese(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"is required", "chưa điền (bắt buộc)"},
		{`"cntt2" is not a valid code: use 1 to 16 of the capitals`, "“cntt2” không phải mã đơn vị hợp lệ: dùng từ 1 đến 16 chữ in hoa (kể cả Đ và chữ có dấu), chữ số và _"},
		{"100002 is listed twice (first at row 4)", "100002 được ghi hai lần (lần đầu ở dòng 4)"},
		{"only one ballot may decide the handover (another does at row 6)", "chỉ một nội dung được quyết định đơn vị Cụm trưởng năm sau (handover) (đã có ở dòng 6)"},
		{`"everyone" is not one of unit, delegate`, "“everyone” không thuộc các giá trị: unit, delegate"},
		{"Lê Thị Lan is listed twice (first at row 3)", "Lê Thị Lan được ghi hai lần (lần đầu ở dòng 3)"},
		{`"BB/CTĐ8" must be one word without a slash, like BB-CTĐ8`, "“BB/CTĐ8” phải là một từ, không có dấu / hay dấu cách, như BB-CTĐ8"},
		{"only one ballot may decide the deputy (another does at row 7)", "chỉ một nội dung được quyết định đơn vị Cụm phó năm sau (deputy) (đã có ở dòng 7)"},
		{"ballots wait for each other's results in a cycle: bang-khen → co-bca → bang-khen", "các nội dung bỏ phiếu chờ kết quả của nhau thành vòng tròn: bang-khen → co-bca → bang-khen; không nội dung nào mở được"},
		{"not-awarded:co-bcx names no ballot of this file", "không có nội dung bỏ phiếu nào mã “co-bcx” (not-awarded:co-bcx)"},
		{"something new the parser says (first at row 3)", "something new the parser says (first at row 3)"},
	} {
		if got := vietnamese(tc.in); got != tc.want {
			t.Errorf("vietnamese(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestNestedListSheet: a sheet whose List is nested in a section reads into
// that section, and the parser's problems with it land on that sheet.
func TestNestedListSheet(t *testing.T) {
	saved := layout
	t.Cleanup(func() { layout = saved })
	layout = append(append([]sheet(nil), saved...), sheet{Name: "Ban tổ chức", List: "conference.board",
		Columns: []column{{Field: "name", Header: "Họ và tên", Kind: text}}})
	data, err := os.ReadFile("../examples/cum8-2022.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	conf := doc.Content[0]
	board := &yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{{Kind: yaml.MappingNode, Content: []*yaml.Node{
		scalar("name", "!!str", 0), scalar("Nguyễn Văn A", "!!str", 0)}}}}
	put(lookup(conf, "conference"), "board", board, 0)
	var buf bytes.Buffer
	if err := writeTree(&buf, conf); err != nil {
		t.Fatal(err)
	}
	_, err = Parse(buf.Bytes())
	if err == nil || !strings.HasPrefix(err.Error(), "Trang “Ban tổ chức”") || !strings.Contains(err.Error(), "trường “board” không có") {
		t.Errorf("the parser, which knows no board yet, should refuse it on its sheet: %v", err)
	}
}
