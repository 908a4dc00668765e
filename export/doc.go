// Package export turns one conference's records into the files a secretary
// keeps: CSV tables (UTF-8 with a byte order mark, so Excel shows
// Vietnamese), one XLSX workbook with a sheet per table, and the minutes
// (biên bản) as a PDF with an embedded font, plus the minutes' canonical
// text whose SHA-256 the PDF prints. The chat's /export and `confbot export`
// share Gather and Build; everything after Gather is a pure function of Data,
// so the same records always give the same files.
//
// The tables, their files, sheets and columns (headers in Vietnamese, since
// the files are records of a Vietnamese body; times are "YYYY-MM-DD
// hh:mm:ss" in the cluster's zone; numbers use a decimal point in CSV and
// are numbers in the workbook; a text a spreadsheet would take for a
// formula gets a leading apostrophe in CSV):
//
// attendance.csv, sheet "Điểm danh" — one row per known person (a unit
// nobody of which is known gets one empty row): Mã đơn vị (unit code), Tên
// đơn vị (unit name), Loại đơn vị (thành viên | khách mời), Họ tên (name),
// Vai trò (roles), Đăng ký tham dự (tham dự | không tham dự | cử người thay
// | chưa trả lời), Người thay thế (substitute), Thời điểm đăng ký
// (registered at), Điểm danh (có mặt, or có mặt (thư ký ghi nhận cả đơn vị)
// when the secretary marked the whole unit), Thời điểm điểm danh (checked
// in at), Đơn vị có mặt (the unit counts as present: có | không).
//
// summaries.csv, sheet "Báo cáo" — every version of every member unit's
// summary, oldest first; a unit without one gets a row "chưa nộp": Mã đơn
// vị, Tên đơn vị, Phiên bản (version), Bản được tính (có on the latest, the
// one that counts), Thời điểm nộp (submitted at), Nộp muộn (late: có),
// Điểm tự chấm (self-assessed score), Tên tệp (file name), Kích thước
// (byte) (size), SHA-256 (of the file), Người nộp (submitted by), Nội dung
// (text).
//
// results.csv, sheet "Kết quả" — one row per candidate per tallied round
// (a ballot never tallied gets one row with its state): Mã phiếu (ballot
// id), Tên phiếu (title), Loại phiếu (biểu quyết | chọn | bầu), Hình thức
// (kín | công khai), Vòng (round), Mã đơn vị, Tên đơn vị, Đồng ý, Không
// đồng ý, Không ý kiến (approve ballots only), Số phiếu (votes counted for
// the threshold), Tỷ lệ (%) (of the base), Kết quả (được đề nghị | bằng
// phiếu | đạt nhưng ngoài chỉ tiêu | không đạt), Phiếu thu về (ballots
// cast), Số cử tri (eligible voters), Cơ sở tính tỷ lệ (the base).
//
// votes.csv, sheet "Phiếu công khai" — who chose what, named ballots only;
// a secret ballot never has a row: Mã phiếu, Tên phiếu, Vòng, Người bỏ
// phiếu (voter: unit code, or a delegate's name and unit), Lựa chọn
// (choice).
//
// audit.csv, sheet "Nhật ký" — the audit log, oldest first: Thời điểm
// (at), Mã người thực hiện (Telegram id; empty for the bot or the CLI),
// Người thực hiện (name), Thao tác (action), Chi tiết (detail).
package export
