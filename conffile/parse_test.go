package conffile_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/confbot/confbot/conffile"
	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/examples"
)

func TestParseReference(t *testing.T) {
	conf := mustParse(t, readFile(t, "testdata/cum8-2022.yaml"))
	hcm, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, hcm) }

	wantCluster := domain.Cluster{
		ID: "cum8-bt", Name: "Cụm thi đua số 8 - Khối các đơn vị trực thuộc Bộ trưởng",
		Movement: "Vì an ninh Tổ quốc", Timezone: "Asia/Ho_Chi_Minh", Language: "vi", GroupChat: -1001000000008,
	}
	if conf.Cluster != wantCluster {
		t.Errorf("cluster = %+v, want %+v", conf.Cluster, wantCluster)
	}
	if got, want := conf.MemberCodes(), []string{"CNTT", "KHTC", "QLXD", "TBKV", "VTCY", "VKHCN"}; !slices.Equal(got, want) {
		t.Errorf("units = %v, want %v", got, want)
	}
	if u := conf.Units[5]; u.Name != "Viện Khoa học và công nghệ" || u.Guest {
		t.Errorf("units[5] = %+v", u)
	}
	if want := []domain.Unit{{Code: "CTDCT", Name: "Cục Công tác đảng và công tác chính trị", Guest: true}}; !slices.Equal(conf.Guests, want) {
		t.Errorf("guests = %+v, want %+v", conf.Guests, want)
	}

	checks := []struct {
		name      string
		got, want any
	}{
		{"id", conf.ID, "tk-2022"},
		{"title", conf.Title, "Hội nghị tổng kết phong trào thi đua “Vì an ninh Tổ quốc” Cụm thi đua số 8 năm 2022"},
		{"year", conf.Year, 2022},
		{"location", conf.Location, "Hà Nội"},
		{"chair", conf.ChairUnit, "CNTT"},
		{"deputy", conf.DeputyUnit, "VKHCN"},
		{"quorum", conf.Quorum, domain.Quorum{Percent: 66.67, Of: domain.QuorumOfMembers}},
		{"score max", conf.ScoreMax, 100.0},
		{"grace", conf.Grace, 6 * time.Hour},
		{"state", conf.State, domain.StateDraft},
		{"people", len(conf.People), 9},
		{"ballots", len(conf.Ballots), 4},
		{"reminders", len(conf.Reminders), 4},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}

	times := []struct {
		name      string
		got, want time.Time
	}{
		{"starts_at", conf.StartsAt, at(2022, 11, 24, 8, 0)},
		{"ends_at", conf.EndsAt, at(2022, 11, 24, 11, 30)},
		{"summary_deadline", conf.SummaryDeadline, at(2022, 11, 17, 17, 0)},
		{"checkin_opens", conf.CheckinOpens, at(2022, 11, 24, 7, 0)},
	}
	for _, c := range times {
		if !c.got.Equal(c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if got := conf.StartsAt.Format(time.RFC3339); got != "2022-11-24T08:00:00+07:00" {
		t.Errorf("starts_at = %s, want 2022-11-24T08:00:00+07:00", got)
	}

	head := domain.Person{TelegramID: 100001, Name: "Dương Văn Tính", Unit: "CNTT", Roles: []domain.Role{domain.RoleHead, domain.RoleSecretary}}
	if got := conf.People[0]; got.TelegramID != head.TelegramID || got.Name != head.Name || got.Unit != head.Unit || !slices.Equal(got.Roles, head.Roles) {
		t.Errorf("people[0] = %+v, want %+v", got, head)
	}
	if got := conf.People[8]; got.Unit != "CTDCT" || !got.Has(domain.RoleObserver) {
		t.Errorf("people[8] = %+v, want the CTDCT observer", got)
	}

	wantBallots := []domain.BallotSpec{
		{ID: "co-bca", Title: "Cờ thi đua của Bộ Công an", Kind: domain.KindApprove, Candidates: domain.Candidates{All: true},
			Voters: domain.VotersUnit, Secret: true, SelfVote: true, Threshold: domain.Threshold{Op: ">", Percent: 50, Of: domain.BaseMembers},
			Quota: 2, Tie: domain.TieRevote, ClosesAfter: 15 * time.Minute},
		{ID: "co-cp", Title: "Cờ thi đua của Chính phủ (đơn vị dẫn đầu)", Kind: domain.KindElect, Candidates: domain.Candidates{AwardedOf: "co-bca"},
			MaxChoices: 1, Voters: domain.VotersUnit, Secret: true, SelfVote: true, Threshold: domain.Threshold{Op: ">", Percent: 50, Of: domain.BaseMembers},
			Quota: 1, Tie: domain.TieRevote, Prerequisite: "co-bca"},
		{ID: "bang-khen", Title: "Bằng khen của Bộ trưởng Bộ Công an", Kind: domain.KindChoose, Candidates: domain.Candidates{Codes: []string{"KHTC", "QLXD", "TBKV", "VTCY"}},
			MaxChoices: 2, Voters: domain.VotersUnit, Secret: false, SelfVote: true, Threshold: domain.Threshold{Op: ">", Percent: 50, Of: domain.BaseValid},
			Quota: 2, Tie: domain.TieChair},
		{ID: "cum-truong-2023", Title: "Đơn vị Cụm trưởng năm 2023", Kind: domain.KindElect, Candidates: domain.Candidates{All: true},
			MaxChoices: 1, Voters: domain.VotersUnit, Secret: true, SelfVote: false, Threshold: domain.Threshold{Op: ">", Percent: 50, Of: domain.BasePresent},
			Quota: 1, Tie: domain.TieRevote, OnResult: "handover"},
	}
	for i, want := range wantBallots {
		if got := conf.Ballots[i]; !ballotEqual(got, want) {
			t.Errorf("ballots[%d] =\n%+v\nwant\n%+v", i, got, want)
		}
	}

	wantReminders := []domain.ReminderSpec{
		{Before: domain.AnchorSummaryDeadline, Offsets: hours(168, 72, 24, 2), To: domain.ToUnitsWithoutSummary},
		{Before: domain.AnchorConference, Offsets: hours(72, 24, 1), To: domain.ToDelegatesNotRegistered},
		{Before: domain.AnchorBallotClose, Offsets: []time.Duration{5 * time.Minute, time.Minute}, To: domain.ToVotersNotVoted},
		{Cron: "0 17 * * MON-FRI", What: "status_digest", To: domain.ToSecretaries, From: at(2022, 11, 1, 0, 0), Until: at(2022, 11, 24, 0, 0)},
	}
	for i, want := range wantReminders {
		if got := conf.Reminders[i]; !reminderEqual(got, want) {
			t.Errorf("reminders[%d] = %+v, want %+v", i, got, want)
		}
	}
}

// hours lists durations of whole hours.
func hours(hs ...int) []time.Duration {
	out := make([]time.Duration, len(hs))
	for i, h := range hs {
		out[i] = time.Duration(h) * time.Hour
	}
	return out
}

// ballotEqual compares ballots field by field (Candidates holds a slice).
func ballotEqual(a, b domain.BallotSpec) bool {
	ca, cb := a.Candidates, b.Candidates
	return a.ID == b.ID && a.Title == b.Title && a.Kind == b.Kind && a.MaxChoices == b.MaxChoices &&
		a.Voters == b.Voters && a.Secret == b.Secret && a.SelfVote == b.SelfVote && a.Threshold == b.Threshold &&
		a.Quota == b.Quota && a.Tie == b.Tie && a.ClosesAfter == b.ClosesAfter && a.OnResult == b.OnResult &&
		a.Prerequisite == b.Prerequisite &&
		ca.All == cb.All && ca.AwardedOf == cb.AwardedOf && slices.Equal(ca.Codes, cb.Codes)
}

// reminderEqual compares reminders, times as instants.
func reminderEqual(a, b domain.ReminderSpec) bool {
	return a.Before == b.Before && slices.Equal(a.Offsets, b.Offsets) && a.Cron == b.Cron && a.What == b.What &&
		a.To == b.To && a.From.Equal(b.From) && a.Until.Equal(b.Until)
}

// TestParseReferenceExample: the shipped example leaves co-bca's winners
// out of bang-khen and elects next year's deputy chair among the units
// other than next year's chair.
func TestParseReferenceExample(t *testing.T) {
	conf := mustParse(t, examples.Cum8)
	bk, _ := conf.Ballot("bang-khen")
	if want := (domain.Candidates{Codes: []string{"KHTC", "QLXD", "TBKV", "VTCY"}, NotAwardedOf: []string{"co-bca"}}); !reflect.DeepEqual(bk.Candidates, want) {
		t.Errorf("bang-khen candidates = %+v, want %+v", bk.Candidates, want)
	}
	dep, ok := conf.Ballot("cum-pho-2023")
	want := domain.Candidates{All: true, NotAwardedOf: []string{"cum-truong-2023"}}
	if !ok || dep.OnResult != domain.OnResultDeputy || dep.Kind != domain.KindElect || dep.Quota != 1 || !reflect.DeepEqual(dep.Candidates, want) {
		t.Errorf("cum-pho-2023 = %+v", dep)
	}
}

// TestParseCandidateTerms: the forms of candidates and what they read as.
func TestParseCandidateTerms(t *testing.T) {
	tests := []struct {
		written string
		want    domain.Candidates
	}{
		{"all", domain.Candidates{All: true}},
		{"[AA, BB]", domain.Candidates{Codes: []string{"AA", "BB"}}},
		{"not-awarded:first", domain.Candidates{NotAwardedOf: []string{"first"}}},
		{"all, not-awarded:first", domain.Candidates{All: true, NotAwardedOf: []string{"first"}}},
		{"[all, not-awarded:first]", domain.Candidates{All: true, NotAwardedOf: []string{"first"}}},
		{"[AA, BB, not-awarded:first]", domain.Candidates{Codes: []string{"AA", "BB"}, NotAwardedOf: []string{"first"}}},
		{"awarded:first, not-awarded:second", domain.Candidates{AwardedOf: "first", NotAwardedOf: []string{"second"}}},
		// A later ballot may be left out: its result is awaited when this one opens.
		{"all, not-awarded:fourth", domain.Candidates{All: true, NotAwardedOf: []string{"fourth"}}},
	}
	for _, tt := range tests {
		t.Run(tt.written, func(t *testing.T) {
			file := strings.Replace(smallFile, "    candidates: awarded:first\n", "    candidates: "+tt.written+"\n", 1)
			file = strings.Replace(file, "reminders:\n", "  - {id: fourth, title: \"Fourth\", kind: approve, candidates: all, voters: unit, threshold: {op: \">\", percent: 50, of: members}, quota: 1}\nreminders:\n", 1)
			conf := mustParse(t, []byte(file))
			got := conf.Ballots[2].Candidates
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("candidates %s = %+v, want %+v", tt.written, got, tt.want)
			}
			// Written back and read again, the same.
			out, err := conffile.Marshal(conf)
			if err != nil {
				t.Fatal(err)
			}
			if again := mustParse(t, out); !reflect.DeepEqual(again.Ballots[2].Candidates, tt.want) {
				t.Errorf("after a round trip: %+v", again.Ballots[2].Candidates)
			}
		})
	}
}

func TestParseFull(t *testing.T) {
	conf := mustParse(t, readFile(t, "testdata/cum12-full.yaml"))
	if len(conf.Units) != 12 || len(conf.Guests) != 3 {
		t.Fatalf("units %d, guests %d; want 12 and 3", len(conf.Units), len(conf.Guests))
	}
	if conf.ScoreMax != 1000 || conf.Grace != 2*time.Hour+30*time.Minute || conf.Cluster.Language != "en" {
		t.Errorf("score_max %v, grace %v, language %q", conf.ScoreMax, conf.Grace, conf.Cluster.Language)
	}
	if got := conf.StartsAt.Format("2006-01-02 15:04 MST -07:00"); got != "2024-12-20 08:30 +07 +07:00" || conf.StartsAt.Location().String() != "Asia/Ho_Chi_Minh" {
		t.Errorf("RFC 3339 starts_at = %s in %s, want 2024-12-20 08:30 +07:00 in Asia/Ho_Chi_Minh", got, conf.StartsAt.Location())
	}
	if conf.Quorum != (domain.Quorum{Percent: 50, Of: domain.QuorumOfDelegates}) {
		t.Errorf("quorum = %+v", conf.Quorum)
	}
	if got := conf.People[2]; got.TelegramID != 0 || got.Username != "giamdoc_stc" {
		t.Errorf("people[2] = %+v, want username giamdoc_stc and no id", got)
	}
	if got := conf.People[1].Username; got != "thuky_snv" {
		t.Errorf("people[1].username = %q, want thuky_snv (no @)", got)
	}
	chain := map[string]string{"co-cp": "co-tinh", "bang-khen-tt": "co-cp"}
	for id, want := range chain {
		if b, _ := conf.Ballot(id); b.Prerequisite != want {
			t.Errorf("%s prerequisite = %q, want %q", id, b.Prerequisite, want)
		}
	}
	if b, _ := conf.Ballot("bang-khen-tt"); b.Candidates.AwardedOf != "" || len(b.Candidates.Codes) != 3 {
		t.Errorf("bang-khen-tt candidates = %+v", b.Candidates)
	}
	if b, _ := conf.Ballot("cum-truong-2025"); b.Quota != 1 || b.MaxChoices != 1 || b.OnResult != "handover" || !b.Secret || b.SelfVote {
		t.Errorf("cum-truong-2025 = %+v", b)
	}
	seen := map[string]bool{}
	for _, b := range conf.Ballots {
		for _, s := range []string{string(b.Kind), string(b.Voters), string(b.Tie), string(b.Threshold.Of), b.Threshold.Op} {
			seen[s] = true
		}
	}
	for _, want := range []string{"approve", "choose", "elect", "unit", "delegate", "revote", "score", "chair", "members", "present", "valid", ">", ">="} {
		if !seen[want] {
			t.Errorf("no ballot uses %s", want)
		}
	}
	if r := conf.Reminders[5]; r.Cron != "@daily" || !r.From.IsZero() || !r.Until.IsZero() {
		t.Errorf("reminders[5] = %+v", r)
	}
	wantUntil := time.Date(2024, 12, 20, 1, 0, 0, 0, time.UTC)
	if r := conf.Reminders[4]; !r.Until.Equal(wantUntil) {
		t.Errorf("reminders[4].until = %v, want %v", r.Until, wantUntil)
	}
}

func TestParseBerlin(t *testing.T) {
	data := replaceOnce(t, smallFile, "timezone: Asia/Ho_Chi_Minh", "timezone: Europe/Berlin")
	conf := mustParse(t, []byte(data))
	if got := conf.StartsAt.Format(time.RFC3339); got != "2023-12-01T08:00:00+01:00" {
		t.Errorf("starts_at = %s, want 2023-12-01T08:00:00+01:00", got)
	}
	if got := conf.Reminders[1].From.Format(time.RFC3339); got != "2023-11-20T00:00:00+01:00" {
		t.Errorf("from = %s, want 2023-11-20T00:00:00+01:00", got)
	}
	if conf.TimeZone().String() != "Europe/Berlin" {
		t.Errorf("TimeZone = %s", conf.TimeZone())
	}
}

func TestParseDefaults(t *testing.T) {
	data := smallFile
	for _, line := range []string{"  timezone: Asia/Ho_Chi_Minh\n", "  language: vi\n", "  group_chat: -100123\n",
		"  checkin_opens: \"2023-12-01 07:00\"\n", "grace: 1h\n"} {
		data = replaceOnce(t, data, line, "")
	}
	conf := mustParse(t, []byte(data))
	if conf.Cluster.Timezone != "Asia/Ho_Chi_Minh" || conf.Cluster.Language != "vi" || conf.Cluster.GroupChat != 0 {
		t.Errorf("cluster defaults = %+v", conf.Cluster)
	}
	if !conf.CheckinOpens.Equal(conf.StartsAt) {
		t.Errorf("checkin_opens = %v, want starts_at %v", conf.CheckinOpens, conf.StartsAt)
	}
	if conf.Grace != 6*time.Hour || conf.ScoreMax != 100 {
		t.Errorf("grace %v, score_max %v; want 6h and 100", conf.Grace, conf.ScoreMax)
	}
	b := conf.Ballots[0]
	if !b.Secret || !b.SelfVote || b.Tie != domain.TieRevote || b.ClosesAfter != 0 || b.MaxChoices != 0 {
		t.Errorf("ballot defaults = %+v", b)
	}
	if third := conf.Ballots[2]; third.Quota != 1 || third.MaxChoices != 1 || third.Prerequisite != "first" {
		t.Errorf("elect defaults = %+v", third)
	}
}

func TestParseAliases(t *testing.T) {
	data := replaceOnce(t, smallFile, `    threshold: {op: ">", percent: 50, of: members}`, `    threshold: &majority {op: ">", percent: 50, of: members}`)
	data = replaceOnce(t, data, `    threshold: {op: ">", percent: 50, of: present}`, `    threshold: *majority`)
	conf := mustParse(t, []byte(data))
	if got := conf.Ballots[2].Threshold; got != (domain.Threshold{Op: ">", Percent: 50, Of: domain.BaseMembers}) {
		t.Errorf("aliased threshold = %+v", got)
	}
}

func TestErrorFormat(t *testing.T) {
	e := conffile.Error{Line: 42, Column: 5, Field: "ballots[1].threshold.percent", Msg: "150 is over 100"}
	if got, want := e.Error(), "line 42: ballots[1].threshold.percent: 150 is over 100"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	errs := conffile.Errors{e, {Msg: "the file is empty"}}
	if got, want := errs.Error(), "line 42: ballots[1].threshold.percent: 150 is over 100\nthe file is empty"; got != want {
		t.Errorf("Errors.Error() = %q, want %q", got, want)
	}
}

// TestParseVietnameseCodes accepts codes with Đ and marks, stores them in
// NFC, and lets references name them as the file's units do.
func TestParseVietnameseCodes(t *testing.T) {
	file := strings.NewReplacer(
		"{code: AA,", "{code: NĐ,", "chair_unit: AA", "chair_unit: NĐ", "unit: AA,", "unit: N\u0110,",
		"{code: BB,", "{code: ĐẮK,", "deputy_unit: BB", "deputy_unit: ĐẮK", "[AA, BB]", "[NĐ, ĐẮK]",
	).Replace(smallFile)
	conf := mustParse(t, []byte(file))
	if got, want := conf.MemberCodes(), []string{"NĐ", "ĐẮK", "CC"}; !slices.Equal(got, want) {
		t.Errorf("units = %v, want %v", got, want)
	}
	if conf.ChairUnit != "NĐ" || conf.People[0].Unit != "NĐ" || !slices.Equal(conf.Ballots[1].Candidates.Codes, []string{"NĐ", "ĐẮK"}) {
		t.Errorf("references: chair %q, person %q, candidates %v", conf.ChairUnit, conf.People[0].Unit, conf.Ballots[1].Candidates.Codes)
	}
}
