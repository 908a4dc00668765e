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
)

// Bundle is everything one export makes.
type Bundle struct {
	Files       []File // the CSV tables, the workbook, the minutes (PDF) and their canonical text
	MinutesHash string // the check code the minutes print
}

// Build makes every file of the export from d: attendance.csv,
// summaries.csv, results.csv, votes.csv, audit.csv, confbot-CLUSTER-CONF.xlsx,
// bien-ban-CLUSTER-CONF.pdf and bien-ban-CLUSTER-CONF.txt (the canonical
// text the PDF's check code is the SHA-256 of).
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
	var pdf bytes.Buffer
	if err := WriteMinutesPDF(&pdf, d); err != nil {
		return Bundle{}, err
	}
	text := MinutesText(d)
	b.MinutesHash = MinutesHash(text)
	b.Files = append(b.Files,
		File{Name: "bien-ban-" + base + ".pdf", MIME: MIMEPDF, Data: pdf.Bytes()},
		File{Name: "bien-ban-" + base + ".txt", MIME: MIMEText, Data: []byte(text)})
	return b, nil
}

// BaseName names the conference in file names: "cum8-bt-tk-2022".
func BaseName(d *Data) string {
	return strings.ReplaceAll(d.Conference.Ref(), "/", "-")
}
