package export

import (
	"bytes"
	"strings"
)

// File is one exported file.
type File struct {
	Name string
	MIME string
	Data []byte
}

// MIME types of the exported files.
const (
	MIMECSV  = "text/csv; charset=utf-8"
	MIMEXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	MIMEPDF  = "application/pdf"
	MIMEText = "text/plain; charset=utf-8"
	MIMEDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)

// Bundle is everything one export makes.
type Bundle struct {
	Files       []File // the CSV tables, the workbook, the minutes (PDF, DOCX, canonical text), each round's biên bản kiểm phiếu
	MinutesHash string // the check code the minutes print
}

// Build makes every file of the export from d: attendance.csv,
// summaries.csv, results.csv, votes.csv, audit.csv, scores.csv,
// confbot-CLUSTER-CONF.xlsx, bien-ban-CLUSTER-CONF.pdf and .docx,
// bien-ban-CLUSTER-CONF.txt (the canonical text the check code is the
// SHA-256 of), then for every tallied round
// kiem-phieu-CLUSTER-CONF-BALLOT-vong-N.pdf and .docx.
func Build(d *Data) (Bundle, error) {
	tables := Tables(d)
	var b Bundle
	for _, t := range tables {
		b.Files = append(b.Files, File{Name: t.File, MIME: MIMECSV, Data: CSV(t)})
	}
	base := BaseName(d)
	var xlsx bytes.Buffer
	if err := WriteXLSX(&xlsx, d.Conference.Title, d.DocumentDate(), tables); err != nil {
		return Bundle{}, err
	}
	b.Files = append(b.Files, File{Name: "confbot-" + base + ".xlsx", MIME: MIMEXLSX, Data: xlsx.Bytes()})
	minutes, hash, err := minutesFiles(d, base)
	if err != nil {
		return Bundle{}, err
	}
	b.Files, b.MinutesHash = append(b.Files, minutes...), hash
	for _, r := range d.TallyRecords() {
		files, err := TallyRecordFiles(r)
		if err != nil {
			return Bundle{}, err
		}
		b.Files = append(b.Files, files...)
	}
	return b, nil
}

// BaseName names the conference in file names: "cum8-bt-tk-2022".
func BaseName(d *Data) string {
	return strings.ReplaceAll(d.Conference.Ref(), "/", "-")
}
