package handlers

import (
	"strings"
	"testing"
)

func TestCallbackData(t *testing.T) {
	tok := confToken("cum8-bt/tk-2022")
	if len(tok) != 8 || tok == confToken("cum9-bt/tk-2022") {
		t.Fatalf("tokens %q, %q: want 8 characters, distinct per conference", tok, confToken("cum9-bt/tk-2022"))
	}
	longest := button("bv", "cum8-bt/tk-2022", "12.3:"+strings.Repeat("y", 40)+":39")
	tests := []struct {
		name string
		data string
		want callbackData
		ok   bool
	}{
		{"a ballot mark", "bv:" + tok + ":0.1:ynay:2", callbackData{"bv", tok, "0.1:ynay:2"}, true},
		{"no conference", "lang::vi", callbackData{"lang", "", "vi"}, true},
		{"an empty argument", "qm:" + tok + ":", callbackData{"qm", tok, ""}, true},
		{"the longest screen", longest, callbackData{"bv", tok, "12.3:" + strings.Repeat("y", 40) + ":39"}, true},
		{"the old positional form", "bs:0.1:yyn", callbackData{}, false},
		{"no separator", "bs", callbackData{}, false},
		{"an upper-case action", "BS:" + tok + ":x", callbackData{}, false},
		{"a token of the wrong length", "bs:abc:x", callbackData{}, false},
		{"a token with a symbol", "bs:abcd-fgh:x", callbackData{}, false},
		{"over 64 bytes", "bs:" + tok + ":" + strings.Repeat("x", 60), callbackData{}, false},
		{"empty", "", callbackData{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseCallbackData(tc.data)
			if (err == nil) != tc.ok || got != tc.want {
				t.Fatalf("parse(%q) = %+v, %v; want %+v, ok %v", tc.data, got, err, tc.want, tc.ok)
			}
			if tc.ok && got.String() != tc.data {
				t.Errorf("encoding again gives %q, want %q", got.String(), tc.data)
			}
		})
	}
}

// FuzzParseCallbackData: any data parses or is refused without a panic,
// and what parses encodes back to itself within Telegram's 64 bytes.
func FuzzParseCallbackData(f *testing.F) {
	for _, seed := range []string{"bv:abcdefgh:0.1:ynay:2", "lang::vi", "bs:0.1:yyn", "::", "a:b:c:d", "sm:zzzzzzzz:NĐ"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data string) {
		d, err := parseCallbackData(data)
		if err != nil {
			return
		}
		if s := d.String(); s != data || len(s) > maxCallbackData {
			t.Fatalf("parse(%q) encodes as %q", data, s)
		}
	})
}
