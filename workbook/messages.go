package workbook

import "regexp"

// translation turns one of the file parser's messages, written for the
// YAML file, into Vietnamese for the workbook's reader: its fields named as
// the sheets name them. A message no entry matches stays as it is.
type translation struct {
	re *regexp.Regexp
	vi string
}

func tr(pattern, vi string) translation {
	return translation{regexp.MustCompile("^" + pattern + "$"), vi}
}

// q is a quoted value in a parser message.
const q = `"(.*)"`

// translations are tried in order; the first that matches wins.
var translations = []translation{
	tr(`is required \(a reminder needs .*`, "chưa điền: nhắc việc cần “Trước”, “Các mốc” và “Gửi cho”; bản tin định kỳ cần “Lịch (cron)”, “Nội dung” và “Gửi cho”"),
	tr(`is required`, "chưa điền (bắt buộc)"),
	tr(`must not be empty`, "không được để trống"),
	tr(q+` is not a valid (?:ballot )?id: use 1 to (\d+) of a-z, 0-9 and -`, "“$1” không phải mã hợp lệ: dùng từ 1 đến $2 ký tự a-z, 0-9 và -"),
	tr(q+` is not a valid code: .*`, "“$1” không phải mã đơn vị hợp lệ: dùng từ 1 đến 16 chữ in hoa (kể cả Đ và chữ có dấu), chữ số và _"),
	tr(q+` is not a known time zone .*`, "“$1” không phải múi giờ (viết như Asia/Ho_Chi_Minh)"),
	tr(`(-?\d+) is not a group chat id .*`, "$1 không phải mã nhóm Telegram (mã nhóm là số âm)"),
	tr(`code (\S+) is used twice .*`, "mã $1 bị trùng (mã không được lặp lại giữa đơn vị và khách mời)"),
	tr(`code (\S+) reads like (\S+) when typed without marks .*`, "mã $1 trùng với mã $2 khi gõ không dấu (mã không được lặp lại giữa đơn vị và khách mời)"),
	tr(`(\d+) is not a plausible year \((\d+) to (\d+)\)`, "$1 không phải năm hợp lệ (từ $2 đến $3)"),
	tr(q+` is not a time \(write 2022-11-24 08:00, 2022-11-24, .*`, "“$1” không phải ngày giờ (viết 2022-11-24 08:00 hoặc 2022-11-24)"),
	tr(q+` is not a time .*`, "“$1” không phải ngày giờ (viết 2022-11-24 08:00)"),
	tr(`unit (\S+) is not declared under units or guests`, "đơn vị $1 không có trong trang “Đơn vị” hay “Khách mời”"),
	tr(`unit (\S+) is not declared under units`, "đơn vị $1 không có trong trang “Đơn vị”"),
	tr(`(\S+) is a guest, not a member unit`, "$1 là khách mời, không phải đơn vị thành viên"),
	tr(`(\S+) is not above 0 and at most 100`, "$1 phải lớn hơn 0 và không quá 100"),
	tr(`needs an id or a username .*`, "cần mã Telegram hoặc tên người dùng Telegram (hoặc cả hai) để nhận ra người này"),
	tr(`admin comes from BOT_ADMINS.*`, "vai trò admin do BOT_ADMINS quy định, không ghi trong sổ tính"),
	tr(`(\S+) belongs to a member unit, and (\S+) is a guest`, "vai trò $1 dành cho đơn vị thành viên, mà $2 là khách mời"),
	tr(`observer is a guest's role, and (\S+) is a member unit`, "vai trò observer dành cho khách mời, mà $1 là đơn vị thành viên"),
	tr(`prerequisite `+q+` is not an earlier ballot \(it comes later.*`, "nội dung “$1” phải đứng trước (các nội dung mở theo thứ tự từ trên xuống)"),
	tr(`prerequisite `+q+` is not an earlier ballot \(no ballot .*`, "không có nội dung bỏ phiếu nào mã “$1”"),
	tr(`prerequisite `+q+` is not an earlier ballot \(it is this ballot\)`, "“$1” là chính nội dung này"),
	tr(`(\S+) differs from candidates awarded:(\S+)`, "$1 khác với “Đơn vị được bỏ phiếu” (awarded:$2)"),
	tr(q+` must be true or false`, "“$1” phải là true hoặc false"),
	tr(`(\S+) is over 100`, "$1 lớn hơn 100"),
	tr(`(\S+) is below 0`, "$1 nhỏ hơn 0"),
	tr(q+` is not a duration .*`, "“$1” không phải khoảng thời gian (viết như 168h, 2h30m hoặc 90s)"),
	tr(q+` is not one of (.*)`, "“$1” không thuộc các giá trị: $2"),
	tr(q+` is not a whole number`, "“$1” không phải số nguyên"),
	tr(q+` is not a number`, "“$1” không phải số"),
	tr(q+` is not a role .*`, "“$1” không phải vai trò (secretary, head, delegate, observer)"),
	tr(q+` is not a Telegram username .*`, "“$1” không phải tên người dùng Telegram (@ten: 4 đến 32 ký tự A-Z, a-z, 0-9 và _)"),
	tr(`(-?\d+) is not a Telegram user id .*`, "$1 không phải mã người dùng Telegram (một số dương)"),
	tr(`handover follows an elect ballot, and this one is (\S+)`, "handover chỉ dùng cho nội dung bầu (elect); nội dung này là $1"),
	tr(`only one ballot may decide the handover.*`, "chỉ một nội dung được quyết định đơn vị Cụm trưởng năm sau (handover)"),
	tr(`only one ballot may decide the deputy.*`, "chỉ một nội dung được quyết định đơn vị Cụm phó năm sau (deputy)"),
	tr(`deputy follows an elect ballot, and this one is (\S+)`, "deputy chỉ dùng cho nội dung bầu (elect); nội dung này là $1"),
	tr(`ballot id (\S+) is used twice`, "mã nội dung $1 bị trùng"),
	tr(`must not be before from`, "không được trước “Từ ngày”"),
	tr(`must be before ends_at`, "phải trước giờ kết thúc hội nghị"),
	tr(`must be after starts_at`, "phải sau giờ bắt đầu hội nghị"),
	tr(`must differ from chair_unit`, "phải khác đơn vị chủ trì"),
	tr(`(\S+) must not be negative`, "$1 không được âm"),
	tr(`(\S+) must be above 0.*`, "$1 phải lớn hơn 0"),
	tr(`(\d+) must be at least 1`, "$1 phải từ 1 trở lên"),
	tr(`(\d+) is more than the (\d+) candidates`, "$1 nhiều hơn số đơn vị được bỏ phiếu ($2)"),
	tr(`an elect ballot chooses one.*`, "nội dung bầu (elect) chọn một: để trống hoặc ghi 1"),
	tr(`an elect ballot awards one.*`, "nội dung bầu (elect) chọn một: ghi 1 hoặc để trống"),
	tr(`applies to choose ballots only.*`, "chỉ dùng cho choose; approve hỏi ý kiến từng đơn vị"),
	tr(`must be all, awarded:BALLOT, not-awarded:BALLOT, or a list of member unit codes`, "phải là all, awarded:MÃ, not-awarded:MÃ hoặc danh sách mã đơn vị thành viên"),
	tr(`not-awarded:(\S+) names no ballot of this file`, "không có nội dung bỏ phiếu nào mã “$1” (not-awarded:$1)"),
	tr(`combines (\S+) with (\S+): .*`, "ghi chung $1 với $2: chỉ dùng một trong all, awarded:MÃ hoặc các mã đơn vị, kèm not-awarded:MÃ nếu cần"),
	tr(`ballots wait for each other's results in a cycle: (.*)`, "các nội dung bỏ phiếu chờ kết quả của nhau thành vòng tròn: $1; không nội dung nào mở được"),
	tr(`must list at least one member unit`, "phải có ít nhất một đơn vị thành viên"),
	tr(`must list at least one unit`, "phải có ít nhất một đơn vị"),
	tr(`must list at least one role`, "phải có ít nhất một vai trò"),
	tr(`must list at least one offset.*`, "phải có ít nhất một mốc, như 24h, 2h"),
	tr(q+`: a time zone prefix is not allowed.*`, "“$1”: không ghi múi giờ; lịch theo múi giờ của cụm"),
	tr(q+`: (?:not a cron spec|@every must).*`, "“$1” không phải lịch cron (năm trường: phút giờ ngày tháng thứ)"),
	tr(q+` never fires between from and until`, "lịch “$1” không có lần nào giữa “Từ ngày” và “Đến ngày”"),
	tr(q+` never fires`, "lịch “$1” không có lần nào"),
	tr(q+` must be one word without a slash.*`, "“$1” phải là một từ, không có dấu / hay dấu cách, như BB-CTĐ8"),
	tr(`must list at least one person .*`, "phải có ít nhất một người (người đầu tiên là Trưởng ban), hoặc để trống cả trang"),
	tr(`(.+) is listed twice`, "$1 được ghi hai lần"),
	tr(`unknown field `+q+` \(known: (.*)\)`, "trường “$1” không có trong tệp hội nghị (các trường: $2)"),
	tr(`duplicate field`, "trường bị lặp lại"),
}

// rowSuffix is the "(first at row 5)" a message about a repeat ends with,
// once the reader has turned its line into the row.
var rowSuffix = regexp.MustCompile(`^(.*) \((first|another does) at row (\d+)\)$`)

// vietnamese translates a parser message (see translations).
func vietnamese(msg string) string {
	head, suffix := msg, ""
	if m := rowSuffix.FindStringSubmatch(msg); m != nil {
		head, suffix = m[1], " (lần đầu ở dòng "+m[3]+")"
		if m[2] != "first" {
			suffix = " (đã có ở dòng " + m[3] + ")"
		}
	}
	for _, t := range translations {
		if t.re.MatchString(head) {
			return t.re.ReplaceAllString(head, t.vi) + suffix
		}
	}
	return msg
}
