package conffile_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/confbot/confbot/conffile"
)

// TestParseSingleErrors changes one line of the small valid file per case
// and expects exactly one problem, on that line and field.
func TestParseSingleErrors(t *testing.T) {
	cases := []struct {
		name     string
		old, new string
		field    string
		msg      string // a part of the message
		lineAt   string // text on the expected line; the new text when empty
	}{
		{"unknown top field", "grace: 1h", "grace: 1h\ncolour: red", "colour", `unknown field "colour"`, "colour"},
		{"unknown cluster field", "  language: vi", "  language: vi\n  flag: yes", "cluster.flag", "unknown field", "flag"},
		{"unknown ballot field", "    quota: 2", "    quota: 2\n    quorum: 3", "ballots[0].quorum", "unknown field", "quorum: 3"},
		{"duplicate field", "  language: vi", "  language: vi\n  language: en", "cluster.language", "duplicate field (first at line 5)", "language: en"},
		{"bad cluster id", "id: cum-test", "id: Cum_Test", "cluster.id", "not a valid id", ""},
		{"empty cluster name", `name: "Cụm thử"`, `name: ""`, "cluster.name", "must not be empty", ""},
		{"unknown time zone", "timezone: Asia/Ho_Chi_Minh", "timezone: Asia/Saigon_City", "cluster.timezone", "not a known time zone", ""},
		{"local time zone", "timezone: Asia/Ho_Chi_Minh", "timezone: Local", "cluster.timezone", "not a known time zone", ""},
		{"bad language", "language: vi", "language: fr", "cluster.language", `"fr" is not one of vi, en`, ""},
		{"positive group chat", "group_chat: -100123", "group_chat: 100123", "cluster.group_chat", "group ids are negative", ""},
		{"text group chat", "group_chat: -100123", "group_chat: chat", "cluster.group_chat", "not a whole number", ""},
		{"bad unit code", "{code: CC,", "{code: cc,", "units[2].code", "not a valid code", ""},
		{"unit codes fold alike", `  - {code: CC, name: "Đơn vị C"}`, `  - {code: CC, name: "Đơn vị C"}` + "\n  - {code: ĐD, name: \"Đơn vị Đ\"}\n  - {code: DD, name: \"Đơn vị D\"}", "units[4].code", "reads like ĐD", "Đơn vị D\""},
		{"unit code with a hyphen", "{code: CC,", "{code: NĐ-1,", "units[2].code", "not a valid code", ""},
		{"unit code reused by guest", `  - {code: GG, name: "Khách"}`, `  - {code: GG, name: "Khách"}` + "\n  - {code: BB, name: \"Khách 2\"}", "guests[1].code", "used twice", "Khách 2"},
		{"unit without name", `{code: CC, name: "Đơn vị C"}`, `{code: CC}`, "units[2].name", "is required", ""},
		{"unit as text", `  - {code: CC, name: "Đơn vị C"}`, `  - CC`, "units[2]", "must be a mapping", ""},
		{"bad conference id", "id: tk-2023", "id: TK 2023", "conference.id", "not a valid id", ""},
		{"implausible year", "year: 2023", "year: 1023", "conference.year", "not a plausible year", ""},
		{"year as text", "year: 2023", "year: twenty", "conference.year", "not a whole number", ""},
		{"bad time", `starts_at: "2023-12-01 08:00"`, `starts_at: "01/12/2023 08:00"`, "conference.starts_at", "is not a time", ""},
		{"date only for starts_at", `starts_at: "2023-12-01 08:00"`, `starts_at: "2023-12-01"`, "conference.starts_at", "is not a time", ""},
		{"ends before start", `ends_at: "2023-12-01 11:00"`, `ends_at: "2023-12-01 07:59"`, "conference.ends_at", "must be after starts_at", ""},
		{"deadline after end", `summary_deadline: "2023-11-25 17:00"`, `summary_deadline: "2023-12-02 17:00"`, "conference.summary_deadline", "must be before ends_at", ""},
		{"checkin after end", `checkin_opens: "2023-12-01 07:00"`, `checkin_opens: "2023-12-01 12:00"`, "conference.checkin_opens", "must be before ends_at", ""},
		{"chair not declared", "chair_unit: AA", "chair_unit: ZZ", "conference.chair_unit", "not declared", ""},
		{"chair is a guest", "chair_unit: AA", "chair_unit: GG", "conference.chair_unit", "is a guest", ""},
		{"deputy is chair", "deputy_unit: BB", "deputy_unit: AA", "conference.deputy_unit", "must differ", ""},
		{"quorum zero", "quorum: {percent: 50,", "quorum: {percent: 0,", "conference.quorum.percent", "not above 0", ""},
		{"quorum base", "of: members}\n  summary", "of: units}\n  summary", "conference.quorum.of", "not one of members, delegates", "of: units"},
		{"missing summary deadline", `  summary_deadline: "2023-11-25 17:00"` + "\n", "", "conference.summary_deadline", "is required", "id: tk-2023"},
		{"score max zero", "  checkin_opens: \"2023-12-01 07:00\"", "  checkin_opens: \"2023-12-01 07:00\"\n  score_max: 0", "conference.score_max", "must be above 0", "score_max"},
		{"person without id or username", `{id: 1001, name: "Head A"`, `{name: "Head A"`, "people[0]", "needs an id or a username", ""},
		{"person id negative", `{id: 1001,`, `{id: -5,`, "people[0].id", "not a Telegram user id", ""},
		{"bad username", `username: "@guest_one"`, `username: "@a b"`, "people[1].username", "not a Telegram username", ""},
		{"person unit undeclared", `unit: AA, roles: [head, secretary]`, `unit: XX, roles: [head, secretary]`, "people[0].unit", "not declared", ""},
		{"admin role", `roles: [head, secretary]`, `roles: [head, admin]`, "people[0].roles[1]", "admin comes from BOT_ADMINS", ""},
		{"unknown role", `roles: [head, secretary]`, `roles: [head, boss]`, "people[0].roles[1]", `"boss" is not a role`, ""},
		{"observer of a member", `roles: [head, secretary]`, `roles: [observer]`, "people[0].roles[0]", "observer is a guest's role", ""},
		{"head of a guest", `roles: [observer]`, `roles: [head]`, "people[1].roles[0]", "belongs to a member unit", ""},
		{"duplicate person id", `{username: "@guest_one",`, `{id: 1001, username: "@guest_one",`, "people[1].id", "listed twice (first at line 25)", ""},
		{"duplicate username", `  - {username: "@guest_one", name: "Guest", unit: GG, roles: [observer]}`, `  - {username: "@guest_one", name: "Guest", unit: GG, roles: [observer]}` + "\n" + `  - {username: "Guest_One", name: "Guest again", unit: GG, roles: [observer]}`, "people[2].username", "listed twice", "Guest again"},
		{"person without roles", `roles: [observer]`, `roles: []`, "people[1].roles", "at least one role", ""},
		{"prerequisite differs from awarded", "    on_result: handover", "    on_result: handover\n    prerequisite: second", "ballots[2].prerequisite", "differs from candidates awarded:first", "prerequisite: second"},
		{"bad ballot id", "id: second", "id: Second!", "ballots[1].id", "not a valid ballot id", ""},
		{"duplicate ballot id", "id: second", "id: first", "ballots[1].id", "used twice", "id: first\n    title: \"Second"},
		{"empty title", `title: "First title"`, `title: " "`, "ballots[0].title", "must not be empty", ""},
		{"bad kind", "kind: approve", "kind: rank", "ballots[0].kind", "not one of approve, choose, elect", ""},
		{"candidate not declared", "candidates: [AA, BB]", "candidates: [AA, XX]", "ballots[1].candidates[1]", "not declared", ""},
		{"candidate is a guest", "candidates: [AA, BB]", "candidates: [AA, GG]", "ballots[1].candidates[1]", "is a guest", ""},
		{"no candidates", "candidates: [AA, BB]", "candidates: []", "ballots[1].candidates", "at least one unit", ""},
		{"candidates garbage", "candidates: all", "candidates: everyone", "ballots[0].candidates", "must be all, awarded:BALLOT", ""},
		{"awarded of a later ballot", "candidates: awarded:first", "candidates: all\n    prerequisite: fourth", "ballots[2].prerequisite", `prerequisite "fourth" is not an earlier ballot (no ballot`, "prerequisite"},
		{"prerequisite comes later", "candidates: all\n    voters: unit\n    threshold: {op: \">\", percent: 50, of: members}",
			"candidates: awarded:third\n    voters: unit\n    threshold: {op: \">\", percent: 50, of: members}", "ballots[0].candidates", "is not an earlier ballot (it comes later", "awarded:third"},
		{"prerequisite is itself", "candidates: awarded:first", "candidates: awarded:third", "ballots[2].candidates", "it is this ballot", ""},
		{"max_choices over candidates", "max_choices: 1", "max_choices: 3", "ballots[1].max_choices", "more than the 2 candidates", ""},
		{"max_choices missing for choose", "    max_choices: 1\n", "", "ballots[1].max_choices", "is required", "id: second"},
		{"max_choices for elect", "    on_result: handover", "    on_result: handover\n    max_choices: 2", "ballots[2].max_choices", "elect ballot chooses one", "max_choices: 2"},
		{"max_choices for approve", "    quota: 2", "    quota: 2\n    max_choices: 1", "ballots[0].max_choices", "choose ballots only", "max_choices: 1"},
		{"bad voters", "voters: delegate", "voters: everyone", "ballots[1].voters", "not one of unit, delegate", ""},
		{"secret not bool", "    quota: 2", "    quota: 2\n    secret: yes", "ballots[0].secret", "must be true or false", "secret: yes"},
		{"threshold over 100", `percent: 50, of: valid}`, `percent: 150, of: valid}`, "ballots[1].threshold.percent", "150 is over 100", ""},
		{"threshold below 0", `percent: 50, of: valid}`, `percent: -1, of: valid}`, "ballots[1].threshold.percent", "below 0", ""},
		{"threshold op", `{op: ">=", percent: 50`, `{op: "=>", percent: 50`, "ballots[1].threshold.op", "not one of >, >=", ""},
		{"threshold base", `percent: 50, of: valid}`, `percent: 50, of: voters}`, "ballots[1].threshold.of", "not one of members, present, valid", ""},
		{"threshold missing op", `{op: ">=", percent: 50, of: valid}`, `{percent: 50, of: valid}`, "ballots[1].threshold.op", "is required", ""},
		{"quota zero", "quota: 2", "quota: 0", "ballots[0].quota", "at least 1", ""},
		{"quota missing", "    quota: 2\n", "", "ballots[0].quota", "is required", "id: first"},
		{"elect quota", "    on_result: handover", "    on_result: handover\n    quota: 2", "ballots[2].quota", "elect ballot awards one", "quota: 2\nreminders"},
		{"bad tie", "    quota: 2", "    quota: 2\n    tie: coin", "ballots[0].tie", "not one of revote, score, chair", "tie"},
		{"closes_after not a duration", "closes_after: 15m", "closes_after: 15 minutes", "ballots[1].closes_after", "not a duration", ""},
		{"closes_after zero", "closes_after: 15m", "closes_after: 0s", "ballots[1].closes_after", "must be above 0", ""},
		{"handover on approve", "    quota: 2", "    quota: 2\n    on_result: handover", "ballots[0].on_result", "follows an elect ballot", "on_result: handover"},
		{"bad on_result", "on_result: handover", "on_result: archive", "ballots[2].on_result", `"archive" is not one of handover, deputy`, ""},
		{"deputy on approve", "    quota: 2", "    quota: 2\n    on_result: deputy", "ballots[0].on_result", "deputy follows an elect ballot, and this one is approve", "on_result: deputy"},
		{"two deputy ballots", "    on_result: handover\n", "    on_result: deputy\n  - id: fourth\n    title: \"Fourth\"\n    kind: elect\n    candidates: all\n    voters: unit\n    threshold: {op: \">\", percent: 50, of: present}\n    on_result: deputy # again\n",
			"ballots[3].on_result", "only one ballot may decide the deputy (another does at line", "deputy # again"},
		{"not-awarded of no ballot", "candidates: all", "candidates: all, not-awarded:nope", "ballots[0].candidates", "not-awarded:nope names no ballot of this file", ""},
		{"not-awarded twice", "candidates: [AA, BB]", "candidates: [AA, BB, not-awarded:first, not-awarded:first]", "ballots[1].candidates[3]", "not-awarded:first is listed twice", ""},
		{"two bases", "candidates: [AA, BB]", "candidates: [AA, all]", "ballots[1].candidates[1]", "combines AA with all", ""},
		{"all and awarded", "candidates: awarded:first", "candidates: all, awarded:first", "ballots[2].candidates", "combines all with awarded:first", ""},
		{"a code in a scalar", "candidates: all", "candidates: all, AA", "ballots[0].candidates", "must be all, awarded:BALLOT, not-awarded:BALLOT", ""},
		{"a ballot leaving its own winners out", "candidates: all", "candidates: all, not-awarded:first", "ballots[0].candidates", "in a cycle: first → first", ""},
		{"two ballots waiting for each other", "candidates: all", "candidates: all, not-awarded:third", "ballots[0].candidates", "in a cycle: first → third → first", ""},
		{"bad anchor", "before: summary_deadline", "before: lunch", "reminders[0].before", "not one of summary_deadline", ""},
		{"offset not a duration", "offsets: [24h, 2h]", "offsets: [24h, 2 days]", "reminders[0].offsets[1]", "not a duration", ""},
		{"negative offset", "offsets: [24h, 2h]", "offsets: [24h, -2h]", "reminders[0].offsets[1]", "must be above 0", ""},
		{"bad audience", "to: units_without_summary", "to: everybody", "reminders[0].to", "not one of units_without_summary", ""},
		{"reminder without before", "{before: summary_deadline, offsets", "{offsets", "reminders[0].before", "is required", ""},
		{"reminder with cron and before", "{cron: \"0 17 * * MON-FRI\",", "{before: conference, cron: \"0 17 * * MON-FRI\",", "reminders[1].before", "unknown field", ""},
		{"cron with CRON_TZ", `cron: "0 17 * * MON-FRI"`, `cron: "CRON_TZ=UTC"`, "reminders[1].cron", "time zone prefix is not allowed", ""},
		{"cron with TZ and spec", `cron: "0 17 * * MON-FRI"`, `cron: "TZ=Europe/Berlin 0 17 * * *"`, "reminders[1].cron", "time zone prefix", ""},
		{"cron garbage", `cron: "0 17 * * MON-FRI"`, `cron: "every day at five"`, "reminders[1].cron", "not a cron spec", ""},
		{"cron six fields", `cron: "0 17 * * MON-FRI"`, `cron: "0 0 17 * * MON-FRI"`, "reminders[1].cron", "not a cron spec", ""},
		{"cron never fires", `cron: "0 17 * * MON-FRI"`, `cron: "0 17 30 2 *"`, "reminders[1].cron", "never fires", ""},
		{"cron every second", `cron: "0 17 * * MON-FRI"`, `cron: "@every 1s"`, "reminders[1].cron", "@every must be at least", ""},
		{"bad what", "what: status_digest", "what: gossip", "reminders[1].what", "not one of status_digest", ""},
		{"until before from", `until: "2023-12-01"`, `until: "2023-11-19"`, "reminders[1].until", "must not be before from", ""},
		{"from not a time", `from: "2023-11-20"`, `from: "next week"`, "reminders[1].from", "is not a time", ""},
		{"paperwork unknown field", "grace: 1h", "grace: 1h\npaperwork: {seal: red}", "paperwork.seal", `unknown field "seal"`, "paperwork"},
		{"paperwork suffix with slash", "grace: 1h", "grace: 1h\npaperwork: {number_suffix: \"12/BB\"}", "paperwork.number_suffix", "without a slash", "paperwork"},
		{"paperwork empty recipient", "grace: 1h", "grace: 1h\npaperwork: {recipients: [\"Lưu\", \" \"]}", "paperwork.recipients[1]", "must not be empty", "paperwork"},
		{"counting board empty", "grace: 1h", "grace: 1h\npaperwork: {counting_board: []}", "paperwork.counting_board", "at least one person", "paperwork"},
		{"counting board member without name", "    quota: 2", "    quota: 2\n    counting_board: [{rank: \"Thượng tá\"}]", "ballots[0].counting_board[0].name", "is required", "counting_board"},
		{"counting board twice", "    quota: 2", "    quota: 2\n    counting_board: [{name: \"An\"}, {name: \"An\"}]", "ballots[0].counting_board[1].name", "listed twice", "counting_board"},
		{"person rank as list", `{id: 1001, name: "Head A",`, `{id: 1001, name: "Head A", rank: [a],`, "people[0].rank", "must be a single value", ""},
		{"grace negative", "grace: 1h", "grace: -1h", "grace", "must not be negative", ""},
		{"grace not a duration", "grace: 1h", "grace: an hour", "grace", "not a duration", ""},
		{"merge key", "  language: vi", "  <<: {language: vi}", "cluster.<<", "merge keys", "<<"},
		{"missing cluster", "cluster:\n  id: cum-test\n  name: \"Cụm thử\"\n  timezone: Asia/Ho_Chi_Minh\n  language: vi\n  group_chat: -100123\n", "", "cluster", "is required", "units:"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := replaceOnce(t, smallFile, c.old, c.new)
			marker := c.lineAt
			if marker == "" {
				marker = c.new
			}
			wantLine := lineOf(t, data, marker)
			errs := parseErrors(t, []byte(data))
			if len(errs) != 1 {
				t.Fatalf("got %d errors, want 1:\n%v", len(errs), errs)
			}
			e := errs[0]
			if e.Line != wantLine || e.Field != c.field || !strings.Contains(e.Msg, c.msg) {
				t.Errorf("got %q (column %d)\nwant line %d, field %s, message containing %q", e.Error(), e.Column, wantLine, c.field, c.msg)
			}
			if e.Column < 1 {
				t.Errorf("column %d, want at least 1", e.Column)
			}
		})
	}
}

// TestParseRefusesFiles covers files refused as a whole. For YAML syntax
// errors the line is the YAML library's: where the construct holding the
// problem starts, which may be above the problem.
func TestParseRefusesFiles(t *testing.T) {
	cases := []struct {
		name string
		data []byte
		line int
		msg  string
	}{
		{"empty", nil, 0, "the file is empty"},
		{"blank", []byte("  \n\n"), 0, "the file is empty"},
		{"comments only", []byte("# nothing yet\n"), 0, "only comments"},
		{"oversize", append([]byte(smallFile), bytes.Repeat([]byte("#"), conffile.MaxFileSize)...), 0, "over the limit"},
		{"NUL byte", []byte("cluster:\x00\n"), 0, "not UTF-8 text"},
		{"invalid UTF-8", []byte("cluster: \xff\xfe\n"), 0, "not UTF-8 text"},
		{"zip file", []byte("PK\x03\x04\x14\x00\x00\x00"), 0, "not UTF-8 text"},
		{"malformed", []byte("cluster:\n  id: x\n  name: [unclosed\nunits:\n"), 2, "not valid YAML"},
		{"bad indentation", []byte("cluster:\n  id: x\n name: y\n"), 2, "not valid YAML"},
		{"two documents", []byte(smallFile + "---\ncluster: {}\n"), lineOf(t, smallFile+"---\n", "---"), "second YAML document"},
		{"not a mapping", []byte("- one\n- two\n"), 1, "must be a mapping"},
		{"alias bomb", []byte(aliasBomb), 0, "aliases make the file expand"},
		{"self-containing alias", []byte("cluster: &a [*a]\n"), 0, "aliases make the file expand"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			errs := parseErrors(t, c.data)
			e := errs[0]
			if e.Line != c.line || !strings.Contains(e.Msg, c.msg) {
				t.Errorf("got %q (line %d), want line %d and %q", e.Error(), e.Line, c.line, c.msg)
			}
		})
	}
}

// aliasBomb is a "billion laughs" file: tiny, but enormous once expanded.
const aliasBomb = `a: &a [x, x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
g: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]
`

func TestParseReportsAllErrors(t *testing.T) {
	data := smallFile
	data = replaceOnce(t, data, "language: vi", "language: fr")
	data = replaceOnce(t, data, "chair_unit: AA", "chair_unit: ZZ")
	data = replaceOnce(t, data, "percent: 50, of: valid}", "percent: 150, of: valid}")
	data = replaceOnce(t, data, "grace: 1h", "grace: soon")
	errs := parseErrors(t, []byte(data))
	want := []string{"cluster.language", "conference.chair_unit", "ballots[1].threshold.percent", "grace"}
	if len(errs) != len(want) {
		t.Fatalf("got %d errors, want %d:\n%v", len(errs), len(want), errs)
	}
	for i, field := range want {
		if errs[i].Field != field {
			t.Errorf("errors[%d] is about %s, want %s (errors are in file order)", i, errs[i].Field, field)
		}
	}
}
