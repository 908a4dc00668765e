package conffile_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/confbot/confbot/conffile"
	"github.com/confbot/confbot/domain"
)

// smallFile is a minimal valid file; the error table changes one line of it.
const smallFile = `cluster:
  id: cum-test
  name: "Cụm thử"
  timezone: Asia/Ho_Chi_Minh
  language: vi
  group_chat: -100123
units:
  - {code: AA, name: "Đơn vị A"}
  - {code: BB, name: "Đơn vị B"}
  - {code: CC, name: "Đơn vị C"}
guests:
  - {code: GG, name: "Khách"}
conference:
  id: tk-2023
  title: "Hội nghị tổng kết 2023"
  year: 2023
  starts_at: "2023-12-01 08:00"
  ends_at: "2023-12-01 11:00"
  chair_unit: AA
  deputy_unit: BB
  quorum: {percent: 50, of: members}
  summary_deadline: "2023-11-25 17:00"
  checkin_opens: "2023-12-01 07:00"
people:
  - {id: 1001, name: "Head A", unit: AA, roles: [head, secretary]}
  - {username: "@guest_one", name: "Guest", unit: GG, roles: [observer]}
ballots:
  - id: first
    title: "First title"
    kind: approve
    candidates: all
    voters: unit
    threshold: {op: ">", percent: 50, of: members}
    quota: 2
  - id: second
    title: "Second title"
    kind: choose
    candidates: [AA, BB]
    max_choices: 1
    voters: delegate
    threshold: {op: ">=", percent: 50, of: valid}
    quota: 1
    closes_after: 15m
  - id: third
    title: "Third title"
    kind: elect
    candidates: awarded:first
    voters: unit
    threshold: {op: ">", percent: 50, of: present}
    on_result: handover
reminders:
  - {before: summary_deadline, offsets: [24h, 2h], to: units_without_summary}
  - {cron: "0 17 * * MON-FRI", what: status_digest, to: secretaries, from: "2023-11-20", until: "2023-12-01"}
grace: 1h
`

// readFile reads a testdata file.
func readFile(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	return data
}

// mustParse parses data and fails the test on any problem.
func mustParse(t *testing.T, data []byte) *domain.Conference {
	t.Helper()
	conf, err := conffile.Parse(data)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return conf
}

// parseErrors parses data that must be invalid and returns its problems.
func parseErrors(t *testing.T, data []byte) conffile.Errors {
	t.Helper()
	conf, err := conffile.Parse(data)
	if err == nil {
		t.Fatalf("Parse succeeded, want errors")
	}
	if conf != nil {
		t.Errorf("Parse returned a conference along with errors")
	}
	var errs *conffile.Errors
	if !errors.As(err, &errs) {
		t.Fatalf("error is %T, want *conffile.Errors: %v", err, err)
	}
	if len(*errs) == 0 {
		t.Fatalf("*Errors is empty")
	}
	return *errs
}

// replaceOnce replaces the one occurrence of old in s, failing if there is not exactly one.
func replaceOnce(t *testing.T, s, old, new string) string {
	t.Helper()
	if n := strings.Count(s, old); n != 1 {
		t.Fatalf("%q occurs %d times in the file, want 1", old, n)
	}
	return strings.Replace(s, old, new, 1)
}

// lineOf returns the 1-based line of the first occurrence of substr in s.
func lineOf(t *testing.T, s, substr string) int {
	t.Helper()
	i := strings.Index(s, substr)
	if i < 0 {
		t.Fatalf("%q not in the file", substr)
	}
	return strings.Count(s[:i], "\n") + 1
}
