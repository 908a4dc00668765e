package domain

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// AttendAnswer is what a person registers before the conference.
type AttendAnswer string

// Attendance answers (SPEC F3).
const (
	AttendYes        AttendAnswer = "yes"        // will attend
	AttendNo         AttendAnswer = "no"         // will not attend
	AttendSubstitute AttendAnswer = "substitute" // sends someone in their place
)

// ParseAttendAnswer reads a typed answer; Vietnamese words are accepted too,
// since delegates type them from any client.
func ParseAttendAnswer(s string) (AttendAnswer, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "yes", "y", "có", "co":
		return AttendYes, true
	case "no", "n", "không", "khong":
		return AttendNo, true
	case "substitute", "sub", "thay":
		return AttendSubstitute, true
	}
	return "", false
}

// MaxNameLength bounds a substitute's name (runes).
const MaxNameLength = 100

// CleanName trims a name a person typed and refuses one that is too long or
// carries control characters.
func CleanName(s string) (string, error) {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > MaxNameLength {
		return "", fmt.Errorf("%w: name longer than %d characters", ErrInvalid, MaxNameLength)
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return "", fmt.Errorf("%w: control character in name", ErrInvalid)
		}
	}
	return s, nil
}

// Attendance is one person's registration.
type Attendance struct {
	Answer     AttendAnswer `json:"answer"`
	Substitute string       `json:"substitute,omitempty"`
	Unit       string       `json:"unit"`
	At         time.Time    `json:"at"`
}

// Presence records that a person (or a whole unit) was found present.
type Presence struct {
	Unit string    `json:"unit"`
	At   time.Time `json:"at"`
	By   int64     `json:"by"` // who marked it: the person themself on a check-in
}

// CheckinWindow is how long one check-in code is shown before the next.
const CheckinWindow = 5 * time.Minute

// CheckinCode derives the six-digit code of the window that holds at from
// a conference's secret seed (HMAC-SHA256 of the window number, truncated
// as HOTP does), so every replica shows and accepts the same code without
// storing it.
func CheckinCode(seed []byte, at time.Time) string {
	return codeOfWindow(seed, at.Unix()/int64(CheckinWindow/time.Second))
}

func codeOfWindow(seed []byte, window int64) string {
	mac := hmac.New(sha256.New, seed)
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(window))
	mac.Write(b[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	n := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%06d", n%1_000_000)
}

// CheckinCodeValid reports whether code is the current or the previous
// window's code: a code read off the screen just before it changes still
// works for one more window. The comparison takes constant time.
func CheckinCodeValid(seed []byte, code string, at time.Time) bool {
	code = strings.TrimSpace(code)
	if len(code) != 6 {
		return false
	}
	w := at.Unix() / int64(CheckinWindow/time.Second)
	ok := 0
	for _, window := range []int64{w, w - 1} {
		ok |= subtle.ConstantTimeCompare([]byte(codeOfWindow(seed, window)), []byte(code))
	}
	return ok == 1
}

// CheckinCodeChanges is when the code shown at at is replaced by the next.
func CheckinCodeChanges(at time.Time) time.Time {
	step := int64(CheckinWindow / time.Second)
	return time.Unix((at.Unix()/step+1)*step, 0).In(at.Location())
}

// QuorumOverride records a secretary opening ballots before quorum.
type QuorumOverride struct {
	By   int64     `json:"by"`
	Name string    `json:"name"`
	At   time.Time `json:"at"`
}
