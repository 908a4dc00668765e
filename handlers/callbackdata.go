package handlers

import (
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"strings"
)

// Callback data is one typed payload, encoded and parsed here only:
//
//	ACTION:CONF:ARG
//
// ACTION names the button's handler ("bs", "at", "lang"…); CONF is the
// conference's token (confToken), empty for buttons that act on none
// (/lang); ARG is the action's own argument, which its handler parses and
// re-checks. Telegram gives a button 64 bytes of data: a token of 8
// characters leaves the argument room for a ballot's marks.
type callbackData struct {
	Action string
	Conf   string
	Arg    string
}

// maxCallbackData is Telegram's limit on a button's data, in bytes.
const maxCallbackData = 64

// errBadCallback is any data no button of the bot carries.
var errBadCallback = errors.New("callback data is not the bot's")

// tokenEncoding spells tokens in lowercase letters and digits.
var tokenEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// confToken is a short, stable name of a conference in callback data: 40
// bits of the SHA-256 of its ref, so two conferences a person belongs to
// practically never share one (and if they did, the button is refused, not
// misapplied: the handler finds two candidates).
func confToken(ref string) string {
	sum := sha256.Sum256([]byte(ref))
	return tokenEncoding.EncodeToString(sum[:5])
}

// button is the data of a button of action on conference ref ("" for none).
func button(action, ref, arg string) string {
	conf := ""
	if ref != "" {
		conf = confToken(ref)
	}
	return callbackData{Action: action, Conf: conf, Arg: arg}.String()
}

// String encodes d. Data over Telegram's limit is a bug of the bot, never
// of the person: it panics, and the tests that render every screen catch it.
func (d callbackData) String() string {
	s := d.Action + ":" + d.Conf + ":" + d.Arg
	if len(s) > maxCallbackData {
		panic("callback data over 64 bytes: " + s)
	}
	return s
}

// parseCallbackData reads data a button press carries: untrusted.
func parseCallbackData(s string) (callbackData, error) {
	if len(s) == 0 || len(s) > maxCallbackData {
		return callbackData{}, errBadCallback
	}
	action, rest, ok := strings.Cut(s, ":")
	if !ok || !isName(action) {
		return callbackData{}, errBadCallback
	}
	conf, arg, ok := strings.Cut(rest, ":")
	if !ok || (conf != "" && (len(conf) != 8 || !isName(conf))) {
		return callbackData{}, errBadCallback
	}
	return callbackData{Action: action, Conf: conf, Arg: arg}, nil
}

// isName: 1 to 8 lowercase ASCII letters and digits.
func isName(s string) bool {
	if len(s) == 0 || len(s) > 8 {
		return false
	}
	for _, c := range s {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}
