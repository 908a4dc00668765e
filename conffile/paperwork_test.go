package conffile_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/confbot/confbot/conffile"
	"github.com/confbot/confbot/domain"
)

// TestParsePaperwork reads the records' header fields, the Nơi nhận list,
// both ban kiểm phiếu (the conference's and a ballot's own) and people's
// rank and position.
func TestParsePaperwork(t *testing.T) {
	file := strings.Replace(smallFile, `{id: 1001, name: "Head A",`, `{id: 1001, name: "Head A", rank: "Thiếu tướng", position: "Cục trưởng",`, 1)
	file = strings.Replace(file, "    quota: 2\n", "    quota: 2\n    proposal_to: \"Thủ tướng Chính phủ\"\n    counting_board: [{name: \"Trần B\"}]\n", 1)
	file += `paperwork:
  superior_body: "Bộ Công an"
  issuing_body: "Cụm thi đua số 8"
  number_suffix: BB-CTĐ8
  place: "Hà Nội"
  proposal_to: "Bộ trưởng Bộ Công an"
  recipients: ["Vụ Thi đua - Khen thưởng;", "Lưu: Cụm trưởng."]
  counting_board:
    - {name: "Nguyễn A", rank: "Thượng tá", position: "Phó Chánh Văn phòng"}
    - {name: "Lê C"}
`
	conf := mustParse(t, []byte(file))
	w := conf.Paperwork
	if w.SuperiorBody != "Bộ Công an" || w.IssuingBody != "Cụm thi đua số 8" || w.NumberSuffix != "BB-CTĐ8" ||
		w.Place != "Hà Nội" || w.ProposalTo != "Bộ trưởng Bộ Công an" {
		t.Errorf("paperwork = %+v", w)
	}
	if want := []string{"Vụ Thi đua - Khen thưởng;", "Lưu: Cụm trưởng."}; !slices.Equal(w.Recipients, want) {
		t.Errorf("recipients = %q, want %q", w.Recipients, want)
	}
	wantBoard := []domain.Signer{{Name: "Nguyễn A", Rank: "Thượng tá", Position: "Phó Chánh Văn phòng"}, {Name: "Lê C"}}
	if !slices.Equal(w.CountingBoard, wantBoard) {
		t.Errorf("counting board = %+v, want %+v", w.CountingBoard, wantBoard)
	}
	b := conf.Ballots[0]
	if b.ProposalTo != "Thủ tướng Chính phủ" || !slices.Equal(b.CountingBoard, []domain.Signer{{Name: "Trần B"}}) {
		t.Errorf("ballot's own paperwork: %q %+v", b.ProposalTo, b.CountingBoard)
	}
	if p := conf.People[0]; p.Rank != "Thiếu tướng" || p.Position != "Cục trưởng" {
		t.Errorf("people[0] rank %q position %q", p.Rank, p.Position)
	}
	if p := conf.People[1]; p.Rank != "" || p.Position != "" {
		t.Errorf("people[1] has rank %q position %q, want none", p.Rank, p.Position)
	}

	// Without the section nothing is set, and a re-import names each change.
	plain := mustParse(t, []byte(smallFile))
	if plain.Paperwork.SuperiorBody != "" || plain.Paperwork.CountingBoard != nil {
		t.Errorf("paperwork without the section: %+v", plain.Paperwork)
	}
	diff := strings.Join(conffile.Diff(plain, conf), "\n")
	for _, want := range []string{`paperwork.superior_body: "" → "Bộ Công an"`, `people[1001].rank: "" → "Thiếu tướng"`,
		`ballots[first].counting_board: "" → "Trần B"`, `paperwork.counting_board: "" → "Thượng tá Nguyễn A Phó Chánh Văn phòng; Lê C"`} {
		if !strings.Contains(diff, want) {
			t.Errorf("diff lacks %q:\n%s", want, diff)
		}
	}
}

// TestReferencePaperwork: the reference file fills in everything the
// records print, and its chair is named as PAPERWORK.md has him.
func TestReferencePaperwork(t *testing.T) {
	conf := mustParse(t, readFile(t, "testdata/cum8-2022.yaml"))
	head := conf.People[0]
	if head.Name != "Dương Văn Tính" || head.Rank != "Thiếu tướng" || head.Position != "Cục trưởng Cục Công nghệ thông tin" {
		t.Errorf("the chair unit's head is %+v", head)
	}
	w := conf.Paperwork
	if w.SuperiorBody != "Bộ Công an" || w.NumberSuffix != "BB-CTĐ8" || len(w.Recipients) != 3 || len(w.CountingBoard) != 2 {
		t.Errorf("paperwork = %+v", w)
	}
	if got := conf.Ballots[1].ProposalTo; got != "Bộ trưởng Bộ Công an trình Thủ tướng Chính phủ" {
		t.Errorf("co-cp proposal_to = %q", got)
	}
}
