package handlers

import (
	"archive/zip"
	"bytes"
	"path"
	"strings"
	"unicode"
)

// cleanFileName is what the bot keeps and shows of a file's name: the base
// name only (no folders, whichever slash they use), without control
// characters or bidirectional overrides (U+202E before "fdp.exe" makes it
// read "exe.pdf"). Nothing left gives "document".
func cleanFileName(name string) string {
	name = strings.ReplaceAll(name, `\`, "/")
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || isBidiControl(r) {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(path.Base(name))
	if name == "" || name == "." || name == "/" || name == ".." {
		return "document"
	}
	return name
}

// isBidiControl reports the characters that reorder text: embeddings,
// overrides and isolates, and the invisible direction marks.
func isBidiControl(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) ||
		r == 0x200E || r == 0x200F || r == 0x061C
}

// zipStructureOK checks an Office Open or OpenDocument file past its magic
// bytes: it must open as a ZIP archive and hold the part its format
// requires ([Content_Types].xml for DOCX and XLSX, mimetype for ODT), so
// "PK" and junk is refused. Other types pass (their check is the prefix).
func zipStructureOK(fileName string, data []byte) bool {
	need := map[string]string{".docx": "[Content_Types].xml", ".xlsx": "[Content_Types].xml", ".odt": "mimetype"}[strings.ToLower(path.Ext(fileName))]
	if need == "" {
		return true
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return false
	}
	for _, f := range zr.File {
		if f.Name == need {
			return true
		}
	}
	return false
}
