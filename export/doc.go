// Package export turns one conference's records into the files a secretary
// keeps: CSV tables (UTF-8 with a byte order mark, so Excel shows
// Vietnamese), one XLSX workbook with a sheet per table, and the formal
// records in the form of Nghị định 30/2020/NĐ-CP — the minutes (biên bản
// hội nghị) and, for every tallied round, its biên bản kiểm phiếu — each as
// a PDF (A4, Liberation Serif embedded, Times New Roman metrics) and as a
// DOCX a secretary corrects in Word before signing, plus the minutes'
// canonical text whose SHA-256 both print as "Mã xác thực nội dung
// (SHA-256)". The chat's /export and `confbot export` share Gather and
// Build; everything after Gather is a pure function of Data, so the same
// records always give the same files. TallyRecordFiles renders one round's
// biên bản kiểm phiếu alone, for the tally job.
//
// The records' header (superior and issuing body, the number's suffix, the
// place), whom a passed title is proposed to, Nơi nhận and the ban kiểm
// phiếu come from the conference file's paperwork section (a ballot may
// name its own proposal_to and counting_board); people's rank and position
// from its people list. Their words follow the glossary of the cluster's
// paperwork: "trúng cử" for the chair election, "đạt" and "đề nghị …
// tặng … cho NN đơn vị" for a title, one name per base of a percentage,
// "trên 50%" and "từ 66,67% trở lên" in words.
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
// (a ballot never tallied gets one row with its state): Mã nội dung
// (ballot id), Nội dung bỏ phiếu (title), Loại phiếu (biểu quyết | chọn |
// chọn một đơn vị; bầu for the chair election), Hình thức (kín | công
// khai), Vòng (round), Mã đơn vị, Tên đơn vị, Đồng ý, Không
// đồng ý, Không ý kiến (approve ballots only), Số phiếu (votes counted for
// the threshold), Tỷ lệ (%) (of the base), Kết quả (đạt | bằng phiếu |
// đạt nhưng ngoài chỉ tiêu | không đạt; the chair election: trúng cử |
// không trúng cử), Số phiếu thu vào (ballots cast), Số phiếu phát ra
// (voters on the roll), Cơ sở tính tỷ lệ (the base, a number), Tỷ lệ tính
// trên (the base in words: tổng số đơn vị thành viên | số đơn vị có mặt |
// số phiếu hợp lệ).
//
// votes.csv, sheet "Phiếu công khai" — who chose what, named ballots only;
// a secret ballot never has a row: Mã nội dung, Nội dung bỏ phiếu, Vòng,
// Người bỏ phiếu (voter: unit code, or a delegate's name and unit), Lựa
// chọn (choice).
//
// audit.csv, sheet "Nhật ký" — the audit log, oldest first: Thời điểm
// (at), Mã người thực hiện (Telegram id; empty for the bot or the CLI),
// Người thực hiện (name), Thao tác (action), Chi tiết (detail).
//
// scores.csv, sheet "Xếp hạng" — the member units ranked by the
// self-assessed score of the summary that counts (equal scores share a
// rank; units without a summary last, unranked): Xếp hạng (rank), Mã đơn
// vị, Tên đơn vị, Điểm tự chấm, Thang điểm (the file's score_max), Ghi chú
// (nộp muộn | chưa nộp báo cáo).
//
// bien-ban-CLUSTER-CONF.pdf and .docx — the minutes: the two-column header
// and Số …/BB-…, the date ("ngày 24 tháng 11 năm 2022", a zero before days
// 1–9 and months 1–2), "DỰ THẢO" until the conference is closed; I. thời
// gian, địa điểm; II. thành phần (chủ trì by rank, name and position, thư
// ký, units present with who came, units absent, guests, the quorum); III.
// nội dung (the summaries, the score ranking, each ballot's rounds ranked by
// votes with the four counts of phiếu phát ra / thu vào / hợp lệ / không hợp
// lệ, verdicts, ties and how they were broken, the proposals, the
// handover); the end time and "./."; THƯ KÝ and CHỦ TRÌ with typed names;
// Nơi nhận; the check code. bien-ban-CLUSTER-CONF.txt is its canonical text.
//
// kiem-phieu-CLUSTER-CONF-BALLOT-vong-N.pdf and .docx — one round's biên bản
// kiểm phiếu: the same header, the ban kiểm phiếu (trưởng ban, ủy viên), the
// form and threshold, the four counts, the candidates ranked by votes with
// their percentage of the stated base, the verdict and the proposal, a tie
// and how it was broken (revote, score, the chair's decision, named), the
// time it was made, the ban's signatures.
package export
