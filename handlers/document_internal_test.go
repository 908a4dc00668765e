package handlers

import "testing"

func TestCleanFileName(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"bao-cao.pdf", "bao-cao.pdf"},
		{"Báo cáo tổng kết 2022.docx", "Báo cáo tổng kết 2022.docx"},
		{"bao-cao\u202Efdp.exe", "bao-caofdp.exe"},
		{"\u2066x\u2069\u200F.pdf", "x.pdf"},
		{"../../etc/passwd.pdf", "passwd.pdf"},
		{`C:\Users\a\bao-cao.xlsx`, "bao-cao.xlsx"},
		{"line\nbreak\x00.pdf", "linebreak.pdf"},
		{"../", "document"},
		{"\u202E", "document"},
	} {
		if got := cleanFileName(tt.in); got != tt.want {
			t.Errorf("cleanFileName(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestZipStructure(t *testing.T) {
	if zipStructureOK("a.docx", []byte("PK\x03\x04junk")) {
		t.Error("PK and junk passed as a DOCX")
	}
	if !zipStructureOK("a.pdf", []byte("%PDF")) {
		t.Error("a PDF was judged as a ZIP")
	}
}
