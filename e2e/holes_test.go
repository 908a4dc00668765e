package e2e_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/confbot/confbot/examples"
	"github.com/confbot/confbot/i18n"
)

// TestRemovedPersonCannotFinishSummary: a person removed by a re-import
// while their /summary conversation is open cannot finish it (issue 12,
// defect 7).
func TestRemovedPersonCannotFinishSummary(t *testing.T) {
	w := attendanceWorld(t, newTestClock(nov(10, 9, 0)))
	vi := func(key string, args ...any) string { return w.text(i18n.VI, key, args...) }
	w.say(secretaryCNTT, "/conference open", vi("state.open"))
	w.say(delegateKHTC, "/summary", vi("summary.ask_document", "unit", "KHTC", "max", "20 MB"))

	without := bytes.Replace(examples.Cum8, []byte(`  - {id: 100012, name: "Cán bộ thi đua KHTC", unit: KHTC, roles: [delegate]}`+"\n"), nil, 1)
	w.importFile("cum8-2022.yaml", without, "people")
	w.sendFile(delegateKHTC, "bao-cao.pdf", mimePDF, pdfBytes("KHTC"), "", vi("summary.conversation_ended"))
	w.say(delegateKHTC, "/skip", vi("conversation.none"))
}

// TestUploadsAreCheckedPastTheirLabel: a DOCX that is "PK" and junk is
// refused; a file name's folders, control characters and bidi overrides are
// stripped before its type is judged and before it is shown.
func TestUploadsAreCheckedPastTheirLabel(t *testing.T) {
	w := attendanceWorld(t, newTestClock(nov(10, 9, 0)))
	vi := func(key string, args ...any) string { return w.text(i18n.VI, key, args...) }
	w.say(secretaryCNTT, "/conference open", vi("state.open"))
	w.say(headKHTC, "/summary", vi("summary.ask_document", "unit", "KHTC", "max", "20 MB"))

	w.sendFile(headKHTC, "bao-cao.docx", mimeDOCX, []byte("PK\x03\x04junk"), "", vi("summary.wrong_type"))
	w.sendFile(headKHTC, "bao-cao\u202Excod.exe", "application/octet-stream", zipBytes("KHTC"), "", vi("summary.wrong_type"))
	w.sendFile(headKHTC, `..\..\bao-cao`+"\u202E\u0007"+`.docx`, mimeDOCX, zipBytes("KHTC"), "",
		vi("summary.ask_text", "file", "bao-cao.docx"))
}

// TestYAMLBombThroughImport keeps an attack that held: a "billion laughs"
// file sent with /import is refused with the reason, quickly.
func TestYAMLBombThroughImport(t *testing.T) {
	w := newWorld(t)
	bomb := []byte("a: &a [x, x, x, x, x, x, x, x, x, x]\n")
	for i, name := range []string{"b", "c", "d", "e", "f", "g", "h"} {
		prev := string(rune('a' + i))
		bomb = append(bomb, []byte(name+": &"+name+" [*"+prev+", *"+prev+", *"+prev+", *"+prev+", *"+prev+", *"+prev+", *"+prev+", *"+prev+", *"+prev+", *"+prev+"]\n")...)
	}
	w.importFile("bomb.yaml", bomb, "làm tệp phình ra")
	if refs, err := w.store.Conferences(context.Background()); err != nil || len(refs) != 0 {
		t.Errorf("a conference was stored: %v, %v", refs, err)
	}
}
