// Package workbook reads and writes the conference as an Excel workbook
// (XLSX), for the secretaries who set a conference up and live in Excel.
//
// The workbook has one sheet per part of the conference file (Cụm và hội
// nghị, which also holds the paperwork's header fields, Đơn vị, Khách mời,
// Người tham dự, Nội dung bỏ phiếu, Nhắc việc, Ban kiểm phiếu, and Ban kiểm
// phiếu từng nội dung for the ballots that have a board of their own). Each
// sheet's columns map to the file's fields through one table (layout.go), so
// a field the file gains is one row there. Reading turns the sheets into the
// same node tree a YAML file becomes and hands it to conffile's parser, so
// the rules live once; each problem is then named by sheet, row and column.
package workbook
