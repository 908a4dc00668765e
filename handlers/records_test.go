package handlers

import (
	"slices"
	"testing"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/i18n"
)

func TestReadOnly(t *testing.T) {
	tests := []struct {
		state domain.ConferenceState
		want  bool
	}{
		{"", false},
		{domain.StateDraft, false},
		{domain.StateOpen, false},
		{domain.StateInSession, false},
		{domain.StateClosed, true},
		{domain.StateArchived, true},
	}
	for _, tc := range tests {
		t.Run(string(tc.state), func(t *testing.T) {
			if got := readOnly(&domain.Conference{State: tc.state}); got != tc.want {
				t.Errorf("readOnly(%q) = %v, want %v", tc.state, got, tc.want)
			}
		})
	}
}

func TestCaptionKeys(t *testing.T) {
	tests := map[string]string{
		"attendance.csv": "attendance", "summaries.csv": "summaries", "results.csv": "results", "votes.csv": "votes", "audit.csv": "audit", "confbot-cum8-bt-tk-2022.xlsx": "xlsx",
		"bien-ban-cum8-bt-tk-2022.pdf": "pdf", "bien-ban-cum8-bt-tk-2022.txt": "txt", "bien-ban-cum8-bt-tk-2022.docx": "docx",
		"scores.csv": "scores", "kiem-phieu-cum8-bt-tk-2022-co-bca-vong-1.pdf": "tally_pdf", "kiem-phieu-cum8-bt-tk-2022-co-bca-vong-1.docx": "tally_docx",
	}
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	keys := cat.Keys(i18n.VI)
	for name, want := range tests {
		if got := captionKey(name); got != want {
			t.Errorf("captionKey(%q) = %q, want %q", name, got, want)
		}
		if !slices.Contains(keys, "export.caption."+want) {
			t.Errorf("no caption export.caption.%s for %s", want, name)
		}
	}
}
