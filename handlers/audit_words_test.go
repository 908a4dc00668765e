package handlers

import (
	"testing"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/i18n"
)

// TestAuditWords: /audit says each stored action and detail in the
// reader's words, and shows what it has no words for as stored.
func TestAuditWords(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	r := &Router{Deps: Deps{Catalog: cat}}
	tests := []struct {
		lang                 i18n.Lang
		action, detail       string
		wantAction, wantText string
	}{
		{i18n.VI, "ballot.open", "co-bca round 1", "Mở bỏ phiếu", "co-bca, vòng 1"},
		{i18n.EN, "ballot.close", "co-bca round 2", "Ballot closed and counted", "co-bca, round 2"},
		{i18n.VI, "conference.in_session", "open → in_session", "Khai mạc hội nghị", "Đang mở đăng ký → Đang họp"},
		{i18n.VI, "handover", "VKHCN (was KHTC)", "Ghi nhận đơn vị Cụm trưởng năm sau", "VKHCN (trước đó: KHTC)"},
		{i18n.VI, "handover.deputy", "KHTC (was QLXD)", "Ghi nhận đơn vị Cụm phó năm sau", "KHTC (trước đó: QLXD)"},
		{i18n.EN, "handover.deputy", "KHTC", "Next year's deputy chair unit recorded", "KHTC"},
		{i18n.VI, "newyear", "from cum8-bt/tk-2022", "Tạo hội nghị năm sau", "từ cum8-bt/tk-2022"},
		{i18n.VI, "import", "created", "Nạp tệp hội nghị", "tạo mới"},
		{i18n.VI, "import", "conference.title: \"a\" → \"b\"", "Nạp tệp hội nghị", "conference.title: \"a\" → \"b\""},
		{i18n.VI, "something.new", "as is", "something.new", "as is"},
	}
	for _, tc := range tests {
		t.Run(tc.action+" "+tc.detail, func(t *testing.T) {
			action, detail := r.auditWords(tc.lang, domain.AuditEntry{Action: tc.action, Detail: tc.detail})
			if action != tc.wantAction || detail != tc.wantText {
				t.Errorf("got %q %q, want %q %q", action, detail, tc.wantAction, tc.wantText)
			}
		})
	}
}
