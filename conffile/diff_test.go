package conffile_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/confbot/confbot/conffile"
)

func TestDiff(t *testing.T) {
	cases := []struct {
		name  string
		edits [][2]string // old text → new text, applied to the small file
		want  []string
	}{
		{"identical", nil, nil},
		{"comment and layout only", [][2]string{{"grace: 1h", "grace: 60m # the same"}, {`  - {code: AA, name: "Đơn vị A"}`, "  - code: AA\n    name: \"Đơn vị A\""}}, nil},
		{"same instant in RFC 3339", [][2]string{{`starts_at: "2023-12-01 08:00"`, `starts_at: "2023-12-01T01:00:00Z"`}}, nil},
		{"start moved", [][2]string{{`starts_at: "2023-12-01 08:00"`, `starts_at: "2023-12-01 08:30"`}},
			[]string{"conference.starts_at: 2023-12-01 08:00 +07:00 → 2023-12-01 08:30 +07:00"}},
		{"cluster name", [][2]string{{`name: "Cụm thử"`, `name: "Cụm mới"`}}, []string{`cluster.name: "Cụm thử" → "Cụm mới"`}},
		{"unit added and renamed", [][2]string{{`  - {code: CC, name: "Đơn vị C"}`, `  - {code: CC, name: "Đơn vị C mới"}` + "\n" + `  - {code: DD, name: "Đơn vị D"}`}},
			[]string{`units[CC].name: "Đơn vị C" → "Đơn vị C mới"`, "units: added DD (Đơn vị D)"}},
		{"unit removed", [][2]string{{`  - {code: CC, name: "Đơn vị C"}` + "\n", ""}}, []string{"units: removed CC (Đơn vị C)"}},
		{"units reordered", [][2]string{{`  - {code: AA, name: "Đơn vị A"}` + "\n", ""}, {`  - {code: CC, name: "Đơn vị C"}`, `  - {code: CC, name: "Đơn vị C"}` + "\n" + `  - {code: AA, name: "Đơn vị A"}`}},
			[]string{"units: order AA, BB, CC → BB, CC, AA"}},
		{"quorum and grace", [][2]string{{"quorum: {percent: 50,", "quorum: {percent: 66.67,"}, {"grace: 1h", "grace: 6h"}},
			[]string{"conference.quorum: 50% of members → 66.67% of members", "grace: 1h0m0s → 6h0m0s"}},
		{"person changed and added", [][2]string{{`{id: 1001, name: "Head A", unit: AA, roles: [head, secretary]}`, `{id: 1001, name: "Head A", unit: AA, roles: [head]}` + "\n" + `  - {id: 1002, name: "Delegate B", unit: BB, roles: [delegate]}`}},
			[]string{"people[1001].roles: head, secretary → head", "people: added 1002 (Delegate B, BB)"}},
		{"person removed", [][2]string{{`  - {username: "@guest_one", name: "Guest", unit: GG, roles: [observer]}` + "\n", ""}}, []string{"people: removed @guest_one (Guest, GG)"}},
		{"ballot fields", [][2]string{{"quota: 2", "quota: 3"}, {"percent: 50, of: valid}", "percent: 60, of: valid}"}, {"closes_after: 15m", "closes_after: 20m"}},
			[]string{"ballots[first].quota: 2 → 3", "ballots[second].threshold: >= 50% of valid → >= 60% of valid", "ballots[second].closes_after: 15m0s → 20m0s"}},
		{"ballot candidates", [][2]string{{"candidates: [AA, BB]", "candidates: [AA, CC]"}}, []string{"ballots[second].candidates: [AA, BB] → [AA, CC]"}},
		{"ballot added", [][2]string{{"reminders:\n", "  - {id: fourth, title: Fourth, kind: elect, candidates: all, voters: unit, threshold: {op: \">\", percent: 50, of: members}}\nreminders:\n"}},
			[]string{"ballots: added fourth (Fourth)"}},
		{"ballots reordered and one removed", [][2]string{{"  - id: second\n    title: \"Second title\"\n    kind: choose\n    candidates: [AA, BB]\n    max_choices: 1\n    voters: delegate\n    threshold: {op: \">=\", percent: 50, of: valid}\n    quota: 1\n    closes_after: 15m\n", ""},
			{"ballots:\n", "ballots:\n  - {id: third, title: \"Third title\", kind: elect, candidates: all, voters: unit, threshold: {op: \">\", percent: 50, of: present}, on_result: handover}\n"},
			{"  - id: third\n    title: \"Third title\"\n    kind: elect\n    candidates: awarded:first\n    voters: unit\n    threshold: {op: \">\", percent: 50, of: present}\n    on_result: handover\n", ""}},
			[]string{"ballots[third].candidates: awarded:first → all", "ballots[third].prerequisite: first → (none)", "ballots: removed second (Second title)", "ballots: order first, third → third, first"}},
		{"reminder changed", [][2]string{{"offsets: [24h, 2h]", "offsets: [48h, 2h]"}},
			[]string{"reminders[0]: {before: summary_deadline, offsets: [24h0m0s, 2h0m0s], to: units_without_summary} → {before: summary_deadline, offsets: [48h0m0s, 2h0m0s], to: units_without_summary}"}},
		{"digest until moved", [][2]string{{`until: "2023-12-01"`, `until: "2023-12-01 17:00"`}},
			[]string{`reminders[1]: {cron: "0 17 * * MON-FRI", what: status_digest, to: secretaries, from: 2023-11-20 00:00 +07:00, until: 2023-12-01 00:00 +07:00} → {cron: "0 17 * * MON-FRI", what: status_digest, to: secretaries, from: 2023-11-20 00:00 +07:00, until: 2023-12-01 17:00 +07:00}`}},
	}
	old := mustParse(t, []byte(smallFile))
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := smallFile
			for _, e := range c.edits {
				data = replaceOnce(t, data, e[0], e[1])
			}
			changed := mustParse(t, []byte(data))
			got := conffile.Diff(old, changed)
			if !slices.Equal(got, c.want) {
				t.Errorf("Diff =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
			if eq := conffile.Equal(old, changed); eq != (len(c.want) == 0) {
				t.Errorf("Equal = %v, want %v", eq, len(c.want) == 0)
			}
		})
	}
}

func TestDiffNil(t *testing.T) {
	conf := mustParse(t, []byte(smallFile))
	if got := conffile.Diff(nil, nil); len(got) != 0 {
		t.Errorf("Diff(nil, nil) = %v", got)
	}
	if got := conffile.Diff(nil, conf); !slices.Equal(got, []string{"conference: added cum-test/tk-2023"}) {
		t.Errorf("Diff(nil, conf) = %v", got)
	}
	if got := conffile.Diff(conf, nil); !slices.Equal(got, []string{"conference: removed cum-test/tk-2023"}) {
		t.Errorf("Diff(conf, nil) = %v", got)
	}
}

func TestDiffIgnoresState(t *testing.T) {
	a, b := mustParse(t, []byte(smallFile)), mustParse(t, []byte(smallFile))
	if err := b.Transition("open"); err != nil {
		t.Fatal(err)
	}
	if !conffile.Equal(a, b) {
		t.Errorf("Diff = %v, want none: state is not file content", conffile.Diff(a, b))
	}
}
