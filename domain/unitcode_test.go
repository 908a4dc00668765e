package domain_test

import (
	"testing"

	"github.com/confbot/confbot/domain"
)

func TestFoldCode(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"ascii", "CNTT", "CNTT"},
		{"lower", "nd", "ND"},
		{"dong", "NĐ", "ND"},
		{"small dong", "nđ", "ND"},
		{"marks", "ĐẮK", "DAK"},
		{"horn and tone", "HƯNG_YÊN", "HUNG_YEN"},
		{"eth is not dong", "Ð", "Ð"}, // U+00D0 looks like Đ (U+0110) but is another letter
		{"decomposed", "A\u0301", "A"},
		{"digits", "c08", "C08"},
		{"spaces trimmed", " nd ", "ND"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := domain.FoldCode(tc.in); got != tc.want {
				t.Errorf("FoldCode(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// TestValidCode: braces and colons are never in a code, so a code in a
// Redis key can neither form a hash tag nor split the key's parts.
func TestValidCode(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"CNTT", true}, {"NĐ", true}, {"ĐẮK_LẮK", true}, {"HƯNGYÊN", true}, {"C08", true}, {"_", true},
		{"", false}, {"nd", false}, {"NĐ-1", false}, {"N D", false}, {"ABCDEFGHIJKLMNOPQ", false},
		{"ĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐ", true}, {"{CNTT}", false}, {"CN:TT", false}, {"Ж", false}, {"N\u0110\u0301", false}, {"Ð", false},
	} {
		if got := domain.ValidCode(tc.in); got != tc.want {
			t.Errorf("ValidCode(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestLookupUnit(t *testing.T) {
	c := &domain.Conference{
		Units:  []domain.Unit{{Code: "NĐ", Name: "Nam Định"}, {Code: "CNTT", Name: "Cục Công nghệ thông tin"}},
		Guests: []domain.Unit{{Code: "KHÁCH", Name: "Khách mời", Guest: true}},
	}
	for _, tc := range []struct{ typed, want string }{
		{"nd", "NĐ"}, {"ND", "NĐ"}, {"NĐ", "NĐ"}, {"nđ", "NĐ"}, {"N\u0110", "NĐ"},
		{"cntt", "CNTT"}, {"khach", "KHÁCH"}, {"KHÁCH", "KHÁCH"},
	} {
		u, ok := c.LookupUnit(tc.typed)
		if !ok || u.Code != tc.want {
			t.Errorf("LookupUnit(%q) = %q, %v; want %q", tc.typed, u.Code, ok, tc.want)
		}
		if got := c.CodeOf(tc.typed); got != tc.want {
			t.Errorf("CodeOf(%q) = %q, want %q", tc.typed, got, tc.want)
		}
	}
	if _, ok := c.LookupUnit("HN"); ok {
		t.Error("LookupUnit(HN) found a unit")
	}
	if got := c.CodeOf("hn"); got != "HN" {
		t.Errorf("CodeOf(hn) = %q, want HN", got)
	}
}

// TestCodeFitsCallbackData checks the longest code, each letter three bytes,
// still fits Telegram's 64-byte callback data in the buttons that carry one.
func TestCodeFitsCallbackData(t *testing.T) {
	code := ""
	for range domain.MaxCodeLen {
		code += "Ữ" // U+1EEE: three bytes in UTF-8
	}
	if !domain.ValidCode(code) {
		t.Fatalf("%q is not valid", code)
	}
	for _, data := range []string{"pr:" + code + ":1", "sm:" + code} {
		if len(data) > 64 {
			t.Errorf("callback data %q is %d bytes, over 64", data, len(data))
		}
	}
}

func TestResolveCodes(t *testing.T) {
	c := &domain.Conference{Units: []domain.Unit{{Code: "NĐ"}, {Code: "CNTT"}}}
	got := c.ResolveCodes(domain.Vote{Approve: map[string]domain.Choice{"ND": domain.ChoiceYes, "cntt": domain.ChoiceNo, "XX": domain.ChoiceAbstain}})
	want := map[string]domain.Choice{"NĐ": domain.ChoiceYes, "CNTT": domain.ChoiceNo, "XX": domain.ChoiceAbstain}
	if len(got.Approve) != len(want) || got.Picks != nil {
		t.Fatalf("ResolveCodes = %+v, want approve %v", got, want)
	}
	for k, v := range want {
		if got.Approve[k] != v {
			t.Errorf("approve[%s] = %v, want %v", k, got.Approve[k], v)
		}
	}
	picks := c.ResolveCodes(domain.Vote{Picks: []string{"nđ", "CNTT"}}).Picks
	if len(picks) != 2 || picks[0] != "NĐ" || picks[1] != "CNTT" {
		t.Errorf("picks = %v", picks)
	}
}
