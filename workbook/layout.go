package workbook

import "strings"

// kind says how a cell is written and read.
type kind int

const (
	plain        kind = iota // a word or a number, read as YAML reads it
	text                     // always text: names, titles, codes
	list                     // several values separated by commas: roles, offsets
	candidates               // all, awarded:BALLOT, or codes separated by commas
	moment                   // a date and time (an Excel date cell)
	momentOrDate             // a date and time, or a bare date
	integer                  // a whole number shown without grouping or exponent (ids)
	lines                    // several values, one a line in the cell: Nơi nhận
)

// column maps one field of a section to a column (or, on the cluster and
// conference sheet, a row).
type column struct {
	Field   string   // the field's path in its section: "threshold.op"; "cluster.id" on the first sheet
	Header  string   // the Vietnamese heading
	Note    string   // the note under the heading
	Kind    kind     // how the cell is written and read
	Choices []string // offered in a drop-down list, when set
	Loose   bool     // Choices are suggestions: other values only warn (roles combine)
	Width   float64  // in characters; a default when 0
}

// sheet is one sheet: a list of the file (List names the list's field,
// one row per item: "units", or "paperwork.counting_board" for a list
// inside a section) or, when List is empty, the fields of the file's single
// sections, one row each.
//
// A list inside each item of another list ("ballots[].counting_board") is
// one sheet for all the items: its first column, Key, names the item a row
// belongs to by the item's field Key.Field ("id"), and that item's rows
// are its list, in their order.
type sheet struct {
	Name    string
	List    string
	Key     *column
	Columns []column
}

// columns are the sheet's columns as written: the key first, if any.
func (sh sheet) columns() []column {
	if sh.Key == nil {
		return sh.Columns
	}
	return append([]column{*sh.Key}, sh.Columns...)
}

// outer splits a keyed sheet's List into the outer list and the field of
// its items holding the inner one: "ballots", "counting_board".
func (sh sheet) outer() (list, field string) {
	list, field, _ = strings.Cut(sh.List, "[].")
	return list, field
}

// Names of the sheets, as a secretary reads them.
const (
	SheetConference  = "Cụm và hội nghị"
	SheetUnits       = "Đơn vị"
	SheetGuests      = "Khách mời"
	SheetPeople      = "Người tham dự"
	SheetBallots     = "Nội dung bỏ phiếu"
	SheetReminders   = "Nhắc việc"
	SheetBoard       = "Ban kiểm phiếu"
	SheetBallotBoard = "Ban kiểm phiếu từng nội dung"
)

// Headings of the cluster and conference sheet, whose rows are fields.
const (
	headItem  = "Mục"
	headValue = "Giá trị"
	headNote  = "Ghi chú"
)

var (
	roleChoices = []string{"head", "delegate", "secretary", "observer", "head, secretary", "delegate, secretary", "head, delegate"}
	unitColumns = []column{
		{Field: "code", Header: "Mã", Note: "Chữ in hoa, số và _; tối đa 16 ký tự (được dùng Đ và dấu: NĐ)", Kind: text, Width: 14},
		{Field: "name", Header: "Tên đơn vị", Note: "Tên đầy đủ", Kind: text, Width: 45},
	}
	rankColumn     = column{Field: "rank", Header: "Cấp bậc", Note: "Ví dụ Thượng tá; không bắt buộc, in trong biên bản", Kind: text, Width: 16}
	positionColumn = column{Field: "position", Header: "Chức vụ", Note: "Ví dụ Phó Chánh Văn phòng; không bắt buộc, in trong biên bản", Kind: text, Width: 36}
	boardColumns   = []column{
		{Field: "name", Header: "Họ và tên", Note: "Người đầu tiên là Trưởng ban kiểm phiếu", Kind: text, Width: 30},
		rankColumn, positionColumn,
	}
)

// layout is every sheet in the workbook's order, which is also the order
// the parser's problems are listed in.
var layout = []sheet{
	{Name: SheetConference, Columns: []column{
		{Field: "cluster.id", Header: "Mã cụm", Note: "a-z, 0-9 và -; không đổi qua các năm", Kind: text},
		{Field: "cluster.name", Header: "Tên cụm", Note: "Tên đầy đủ của cụm thi đua", Kind: text},
		{Field: "cluster.movement", Header: "Phong trào thi đua", Note: "Không bắt buộc", Kind: text},
		{Field: "cluster.timezone", Header: "Múi giờ", Note: "Mặc định Asia/Ho_Chi_Minh", Kind: text},
		{Field: "cluster.language", Header: "Ngôn ngữ", Note: "vi hoặc en", Choices: []string{"vi", "en"}},
		{Field: "cluster.group_chat", Header: "Nhóm Telegram của cụm", Note: "Mã nhóm (số âm); không bắt buộc", Kind: integer},
		{Field: "conference.id", Header: "Mã hội nghị", Note: "a-z, 0-9 và -, ví dụ tk-2022", Kind: text},
		{Field: "conference.title", Header: "Tên hội nghị", Kind: text},
		{Field: "conference.year", Header: "Năm", Note: "Năm tổng kết", Kind: integer},
		{Field: "conference.starts_at", Header: "Bắt đầu", Note: "Ngày và giờ", Kind: moment},
		{Field: "conference.ends_at", Header: "Kết thúc", Note: "Ngày và giờ, sau giờ bắt đầu", Kind: moment},
		{Field: "conference.location", Header: "Địa điểm", Note: "Không bắt buộc", Kind: text},
		{Field: "conference.chair_unit", Header: "Đơn vị chủ trì (Cụm trưởng)", Note: "Mã một đơn vị thành viên", Kind: text},
		{Field: "conference.deputy_unit", Header: "Đơn vị Cụm phó", Note: "Mã một đơn vị thành viên; không bắt buộc", Kind: text},
		{Field: "conference.quorum.percent", Header: "Tỷ lệ có mặt tối thiểu (%)", Note: "Ví dụ 66.67"},
		{Field: "conference.quorum.of", Header: "Tính trên", Note: "members: tổng số đơn vị thành viên; delegates: đại biểu có quyền biểu quyết", Choices: []string{"members", "delegates"}},
		{Field: "conference.summary_deadline", Header: "Hạn gửi báo cáo tổng kết", Note: "Ngày và giờ, trước khi hội nghị kết thúc", Kind: moment},
		{Field: "conference.checkin_opens", Header: "Mở điểm danh", Note: "Ngày và giờ; mặc định lúc bắt đầu", Kind: moment},
		{Field: "conference.score_max", Header: "Thang điểm tự chấm", Note: "Mặc định 100"},
		{Field: "grace", Header: "Nhắc việc trễ tối đa", Note: "Nhắc việc lỡ khi máy dừng vẫn gửi nếu trễ không quá: 6h, 30m"},
		{Field: "paperwork.superior_body", Header: "Cơ quan chủ quản", Note: "Biên bản in hoa phía trên cơ quan ban hành, ví dụ Bộ Công an; không bắt buộc", Kind: text},
		{Field: "paperwork.issuing_body", Header: "Cơ quan ban hành biên bản", Note: "Mặc định tên cụm", Kind: text},
		{Field: "paperwork.number_suffix", Header: "Ký hiệu biên bản", Note: "Phần sau dấu / của “Số: …/BB-CTĐ8”, một từ không có dấu cách; mặc định BB", Kind: text},
		{Field: "paperwork.place", Header: "Địa danh", Note: "Ghi trước ngày tháng của biên bản, ví dụ Hà Nội; mặc định địa điểm hội nghị", Kind: text},
		{Field: "paperwork.proposal_to", Header: "Cấp được đề nghị khen thưởng", Note: "“đề nghị … tặng”, ví dụ Bộ trưởng Bộ Công an; không bắt buộc", Kind: text},
		{Field: "paperwork.recipients", Header: "Nơi nhận", Note: "Mỗi nơi nhận một dòng trong ô (Alt+Enter để xuống dòng); không bắt buộc", Kind: lines},
	}},
	{Name: SheetUnits, List: "units", Columns: unitColumns},
	{Name: SheetGuests, List: "guests", Columns: unitColumns},
	{Name: SheetPeople, List: "people", Columns: []column{
		{Field: "id", Header: "Mã Telegram", Note: "Số; có mã Telegram hoặc tên người dùng (hoặc cả hai)", Kind: integer, Width: 16},
		{Field: "username", Header: "Tên người dùng Telegram", Note: "@ten_nguoi_dung", Kind: text, Width: 22},
		{Field: "name", Header: "Họ và tên", Kind: text, Width: 30},
		{Field: "unit", Header: "Đơn vị", Note: "Mã đơn vị hoặc khách mời", Kind: text, Width: 10},
		{Field: "roles", Header: "Vai trò", Note: "head, delegate, secretary, observer; nhiều vai trò cách nhau bằng dấu phẩy", Kind: list, Choices: roleChoices, Loose: true, Width: 22},
		rankColumn, positionColumn,
	}},
	{Name: SheetBallots, List: "ballots", Columns: []column{
		{Field: "id", Header: "Mã", Note: "a-z, 0-9 và -", Kind: text, Width: 16},
		{Field: "title", Header: "Nội dung", Note: "Danh hiệu, hình thức khen thưởng hoặc chức danh", Kind: text, Width: 36},
		{Field: "kind", Header: "Hình thức", Note: "approve: đồng ý từng đơn vị; choose: chọn tối đa N; elect: bầu một", Choices: []string{"approve", "choose", "elect"}},
		{Field: "candidates", Header: "Đơn vị được bỏ phiếu", Note: "all; awarded:MÃ (đơn vị đạt nội dung trước); hoặc các mã cách nhau bằng dấu phẩy; thêm not-awarded:MÃ để bỏ các đơn vị đã đạt nội dung đó (không khen nhiều hình thức cho một thành tích)", Kind: candidates, Width: 24},
		{Field: "prerequisite", Header: "Điều kiện", Note: "Mã nội dung phải đạt trước; không bắt buộc", Kind: text},
		{Field: "max_choices", Header: "Số chọn tối đa", Note: "Chỉ cho choose", Kind: integer},
		{Field: "voters", Header: "Người bỏ phiếu", Note: "unit: mỗi đơn vị một phiếu; delegate: mỗi đại biểu một phiếu", Choices: []string{"unit", "delegate"}},
		{Field: "secret", Header: "Bỏ phiếu kín", Note: "true hoặc false", Choices: []string{"true", "false"}},
		{Field: "self_vote", Header: "Tự bỏ phiếu cho mình", Note: "true hoặc false", Choices: []string{"true", "false"}},
		{Field: "threshold.op", Header: "So sánh", Note: "> (trên) hoặc >= (từ … trở lên)", Choices: []string{">", ">="}},
		{Field: "threshold.percent", Header: "Ngưỡng (%)", Note: "Ví dụ 50"},
		{Field: "threshold.of", Header: "Tính trên", Note: "members: tổng số đơn vị thành viên; present: số đơn vị có mặt; valid: số phiếu hợp lệ", Choices: []string{"members", "present", "valid"}},
		{Field: "quota", Header: "Số lượng tối đa", Note: "Số đơn vị được đề nghị; elect: 1", Kind: integer},
		{Field: "tie", Header: "Khi bằng phiếu", Note: "revote: bỏ phiếu lại; score: điểm tự chấm cao hơn; chair: chủ trì quyết định", Choices: []string{"revote", "score", "chair"}},
		{Field: "closes_after", Header: "Tự đóng sau", Note: "Ví dụ 15m; để trống: thư ký đóng", Kind: text},
		{Field: "on_result", Header: "Khi có kết quả", Note: "handover: đơn vị trúng cử là Cụm trưởng năm sau; deputy: là Cụm phó năm sau", Choices: []string{"handover", "deputy"}},
		{Field: "proposal_to", Header: "Cấp được đề nghị khen thưởng", Note: "Không bắt buộc; để trống: như ở trang “Cụm và hội nghị”", Kind: text, Width: 30},
	}},
	{Name: SheetReminders, List: "reminders", Columns: []column{
		{Field: "before", Header: "Trước", Note: "summary_deadline, conference hoặc ballot_close; để trống cho bản tin định kỳ", Choices: []string{"summary_deadline", "conference", "ballot_close"}, Width: 18},
		{Field: "offsets", Header: "Các mốc", Note: "Ví dụ 168h, 24h, 2h", Kind: list, Width: 20},
		{Field: "to", Header: "Gửi cho", Note: "units_without_summary, delegates_not_registered, voters_not_voted, secretaries", Choices: []string{"units_without_summary", "delegates_not_registered", "voters_not_voted", "secretaries"}, Width: 26},
		{Field: "cron", Header: "Lịch (cron)", Note: "Bản tin định kỳ: phút giờ ngày tháng thứ, ví dụ 0 17 * * MON-FRI", Kind: text, Width: 18},
		{Field: "what", Header: "Nội dung", Note: "status_digest (bản tin định kỳ)", Choices: []string{"status_digest"}},
		{Field: "from", Header: "Từ ngày", Kind: momentOrDate},
		{Field: "until", Header: "Đến ngày", Kind: momentOrDate},
	}},
	{Name: SheetBoard, List: "paperwork.counting_board", Columns: boardColumns},
	{Name: SheetBallotBoard, List: "ballots[].counting_board", Columns: boardColumns,
		Key: &column{Field: "id", Header: "Mã nội dung", Note: "Mã ở trang “Nội dung bỏ phiếu”; nội dung không có ban riêng dùng trang “Ban kiểm phiếu”", Kind: text, Width: 16}},
}

// Fields lists the file's fields the workbook holds, as paths such as
// "conference.quorum.of" and "ballots[].threshold.op".
func Fields() map[string]bool {
	out := map[string]bool{}
	for _, sh := range layout {
		if sh.List != "" {
			out[sh.List] = true
		}
		for _, c := range sh.Columns {
			if sh.List == "" {
				out[c.Field] = true
			} else {
				out[sh.List+"[]."+c.Field] = true
			}
		}
	}
	return out
}
