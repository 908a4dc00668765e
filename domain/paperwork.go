package domain

// Paperwork is what the formal records (the minutes and each round's
// biên bản kiểm phiếu) print in their header and footer, as the conference
// file names it. Every field is optional; the exports fall back to the
// cluster's name and the conference's location.
type Paperwork struct {
	SuperiorBody  string   // cơ quan chủ quản, e.g. "Bộ Công an"; printed in capitals
	IssuingBody   string   // cơ quan ban hành, e.g. "Cụm thi đua số 8"; the cluster's name when empty
	NumberSuffix  string   // the part of "Số: …/BB-CTĐ8" after the slash; "BB" when empty
	Place         string   // the place before the date: "Hà Nội"; the conference's location when empty
	ProposalTo    string   // who a passed title is proposed to: "Bộ trưởng Bộ Công an"
	Recipients    []string // Nơi nhận, one line each
	CountingBoard []Signer // ban kiểm phiếu: the first is trưởng ban; the secretaries when empty
}

// Signer is a person named in a record: a member of the ban kiểm phiếu.
type Signer struct {
	Name     string
	Rank     string // cấp bậc, e.g. "Thượng tá"; may be empty
	Position string // chức vụ, e.g. "Phó Chánh Văn phòng"; may be empty
}
