package domain

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxDocumentSize is the largest summary file: what a bot can download
// through getFile from the public Bot API server.
const MaxDocumentSize = 20 << 20

// MaxSummaryText bounds a summary's optional text (runes), so the
// secretary's notice and the minutes stay within one message.
const MaxSummaryText = 3000

// documentTypes lists the summary file types by extension, with the MIME
// types clients send for them.
var documentTypes = map[string][]string{
	".pdf":  {"application/pdf"},
	".doc":  {"application/msword"},
	".docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
	".xls":  {"application/vnd.ms-excel"},
	".xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
	".odt":  {"application/vnd.oasis.opendocument.text"},
}

// genericMIME are the types some clients send for any file; the extension
// and the bytes decide then.
var genericMIME = map[string]bool{"": true, "application/octet-stream": true, "application/zip": true}

// DocumentAllowed reports whether a file's name and declared MIME type are
// one of the summary types (PDF, DOC, DOCX, XLS, XLSX, ODT).
func DocumentAllowed(fileName, mimeType string) bool {
	types, ok := documentTypes[strings.ToLower(path.Ext(fileName))]
	if !ok {
		return false
	}
	mimeType = strings.ToLower(strings.TrimSpace(strings.SplitN(mimeType, ";", 2)[0]))
	if genericMIME[mimeType] {
		return true
	}
	for _, t := range types {
		if t == mimeType {
			return true
		}
	}
	return false
}

// DocumentContentMatches checks the downloaded bytes against the extension:
// PDF starts with %PDF, DOC and XLS are OLE compound files, the Office Open
// and OpenDocument formats are ZIP archives. A renamed picture fails.
func DocumentContentMatches(fileName string, data []byte) bool {
	switch strings.ToLower(path.Ext(fileName)) {
	case ".pdf":
		return bytes.HasPrefix(data, []byte("%PDF"))
	case ".doc", ".xls":
		return bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	case ".docx", ".xlsx", ".odt":
		return bytes.HasPrefix(data, []byte("PK\x03\x04"))
	}
	return false
}

// Score errors, so the handler can say exactly what is wrong.
var (
	ErrScoreNotNumber = errors.New("score is not a number")
	ErrScoreRange     = errors.New("score is out of range")
	ErrScorePrecision = errors.New("score has more than two decimals")
)

var scoreRe = regexp.MustCompile(`^([0-9]{1,9})(?:[.,]([0-9]+))?$`)

// ParseScore reads a self-assessed score between 0 and max (100 when max is
// not positive) with at most two decimals; a decimal comma is accepted, as
// Vietnamese writes it. Errors wrap ErrInvalid and one of the score errors.
func ParseScore(s string, max float64) (float64, error) {
	if max <= 0 {
		max = 100
	}
	m := scoreRe.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return 0, fmt.Errorf("%w: %w: %q", ErrInvalid, ErrScoreNotNumber, s)
	}
	if len(m[2]) > 2 {
		return 0, fmt.Errorf("%w: %w: %q", ErrInvalid, ErrScorePrecision, s)
	}
	v, err := strconv.ParseFloat(m[1]+"."+m[2]+"0", 64)
	if err != nil {
		return 0, fmt.Errorf("%w: %w: %q", ErrInvalid, ErrScoreNotNumber, s)
	}
	// Compared in hundredths, as the score is shown.
	if math.Round(v*100) > math.Round(max*100) {
		return 0, fmt.Errorf("%w: %w: %q above %v", ErrInvalid, ErrScoreRange, s, max)
	}
	return math.Round(v*100) / 100, nil
}

// CleanSummaryText checks a summary's optional text.
func CleanSummaryText(s string) (string, error) {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > MaxSummaryText {
		return "", fmt.Errorf("%w: summary text longer than %d characters", ErrInvalid, MaxSummaryText)
	}
	return s, nil
}

// SummaryDocument is the bot's record of a summary file Telegram holds.
type SummaryDocument struct {
	FileID   string `json:"file_id"`
	FileName string `json:"file_name"`
	MIMEType string `json:"mime_type,omitempty"`
	Size     int64  `json:"size"`
	SHA256   string `json:"sha256"` // of the bytes downloaded through getFile
}

// SummaryVersion is one submission of a unit's summary; versions are kept
// append-only and the latest counts.
type SummaryVersion struct {
	Version  int              `json:"-"` // 1-based position, filled in when read
	Unit     string           `json:"unit"`
	Document *SummaryDocument `json:"document,omitempty"`
	Text     string           `json:"text,omitempty"`
	Score    float64          `json:"score"`
	By       int64            `json:"by"`
	ByName   string           `json:"by_name,omitempty"`
	At       time.Time        `json:"at"`
	Late     bool             `json:"late"`
}

// SummaryLate reports whether a submission at at misses the deadline; a
// conference without a deadline has no late submissions.
func SummaryLate(deadline, at time.Time) bool {
	return !deadline.IsZero() && at.After(deadline)
}

// SummaryOpen says whether summaries are taken in the conference's state:
// from opening to the end of the session (late ones included).
func (c *Conference) SummaryOpen() bool {
	return c.State == StateOpen || c.State == StateInSession
}

// UnitsOwingSummary lists the member units without a summary, in file
// order; guests never owe one.
func (c *Conference) UnitsOwingSummary(latest map[string]SummaryVersion) []string {
	var out []string
	for _, u := range c.Units {
		if _, ok := latest[u.Code]; !ok {
			out = append(out, u.Code)
		}
	}
	return out
}
