package export_test

import (
	"strings"
	"testing"
	"time"

	"github.com/confbot/confbot/conffile"
	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/examples"
	"github.com/confbot/confbot/export"
)

// at is a time of the reference conference's day, in Hà Nội.
func at(t *testing.T, clock string) time.Time {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	tm, err := time.ParseInLocation("2006-01-02 15:04", clock, loc)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

// referenceData is the reference conference played to its end, built
// without storage: everyone present but VTCY (whose head was marked by the
// secretary as a whole unit), the guest present, three summaries (one late,
// CNTT's twice), the five ballots tallied as in the e2e test, VKHCN elected
// chair and KHTC deputy chair.
func referenceData(t *testing.T) *export.Data {
	t.Helper()
	c, d, st := closedConference(t, examples.Cum8, "VKHCN")
	c.NextDeputyUnit = "KHTC"
	for _, p := range c.People {
		d.People = append(d.People, export.Person{ID: p.TelegramID, Name: p.Name, Unit: p.Unit, Roles: p.Roles})
		st.People[p.TelegramID] = domain.Attendee{Unit: p.Unit, Roles: p.Roles}
		st.Registered[p.TelegramID] = domain.Attendance{Answer: domain.AttendYes, Unit: p.Unit, At: at(t, "2022-11-20 09:00")}
		if p.Unit != "VTCY" {
			st.Present[p.TelegramID] = domain.Presence{Unit: p.Unit, At: at(t, "2022-11-24 07:30"), By: p.TelegramID}
		}
	}
	st.Registered[100005] = domain.Attendance{Answer: domain.AttendSubstitute, Substitute: "Phó Cục trưởng Lê Văn Bình", Unit: "VTCY", At: at(t, "2022-11-21 10:15")}
	st.Registered[100012] = domain.Attendance{Answer: domain.AttendNo, Unit: "KHTC", At: at(t, "2022-11-21 11:00")}
	delete(st.Present, 100012)
	st.UnitsPresent["VTCY"] = domain.Presence{Unit: "VTCY", At: at(t, "2022-11-24 07:50"), By: 100011}
	d.Summaries["CNTT"] = []domain.SummaryVersion{
		{Version: 1, Unit: "CNTT", Score: 95, By: 100011, ByName: "Cán bộ thi đua CNTT", At: at(t, "2022-11-15 16:00"),
			Document: &domain.SummaryDocument{FileID: "f1", FileName: "bao-cao-CNTT.pdf", Size: 120345, SHA256: "9f2b1c0e5a2d4e6f8a1b3c5d7e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f"}},
		{Version: 2, Unit: "CNTT", Score: 96.5, Text: "Bổ sung số liệu quý IV, \"bản cuối\"", By: 100011, ByName: "Cán bộ thi đua CNTT",
			At: at(t, "2022-11-18 08:30"), Late: true,
			Document: &domain.SummaryDocument{FileID: "f2", FileName: "bao-cao-CNTT-v2.docx", Size: 98000, SHA256: "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9"}},
	}
	d.Summaries["KHTC"] = []domain.SummaryVersion{{Version: 1, Unit: "KHTC", Score: 92.25, Text: "Báo cáo tóm tắt", By: 100012, ByName: "Cán bộ thi đua KHTC", At: at(t, "2022-11-16 10:00")}}
	for u, vs := range d.Summaries {
		st.Summaries[u] = vs[len(vs)-1]
	}
	d.Attendance = st

	votes := map[string][]domain.Vote{
		"co-bca": {
			approve("CNTT:yes KHTC:yes QLXD:yes"), approve("CNTT:yes KHTC:yes QLXD:yes TBKV:yes VTCY:yes VKHCN:yes"),
			approve("CNTT:yes KHTC:yes QLXD:yes TBKV:yes VTCY:yes VKHCN:no"), approve("CNTT:yes KHTC:yes QLXD:yes TBKV:yes VTCY:no"),
			approve("CNTT:yes KHTC:yes QLXD:no TBKV:no"), approve("CNTT:yes KHTC:no"),
		},
		"co-cp": picks("KHTC", "CNTT", "CNTT", "CNTT", "CNTT", "KHTC"),
		// co-bca's winners (CNTT, KHTC) are left out of bang-khen.
		"bang-khen":       picks("QLXD TBKV", "QLXD TBKV", "QLXD TBKV", "TBKV VTCY", "QLXD TBKV", "QLXD VTCY"),
		"cum-truong-2023": picks("VKHCN", "VKHCN", "VKHCN", "VKHCN", "KHTC", "KHTC"),
		// The deputy among all but next year's chair (VKHCN): KHTC.
		"cum-pho-2023": picks("KHTC", "QLXD", "KHTC", "KHTC", "KHTC", "KHTC"),
	}
	voters := []string{"CNTT", "KHTC", "QLXD", "TBKV", "VTCY", "VKHCN"}
	awarded := map[string][]string{}
	for _, spec := range c.Ballots {
		cands, err := c.CandidatesOf(spec, awarded)
		if err != nil {
			t.Fatal(err)
		}
		var counters domain.Counters
		named := map[string]domain.Vote{}
		for i, v := range votes[spec.ID] {
			counters.Add(spec, v, 1)
			named[voters[i]] = v
		}
		res, err := domain.Tally(domain.TallyInput{Ballot: spec, Round: 1, Candidates: cands, Counters: counters, Members: 6, Present: 6})
		if err != nil {
			t.Fatal(err)
		}
		opened := at(t, "2022-11-24 08:05").Add(time.Duration(len(d.Ballots)) * 20 * time.Minute)
		round := export.Round{Result: res, Eligible: 6, OpenedAt: opened, ClosedAt: opened.Add(12 * time.Minute)}
		b := export.Ballot{Spec: spec, State: domain.BallotClosed, Rounds: []export.Round{round},
			Outcome: domain.OutcomeOf([]domain.Result{res})}
		if !spec.Secret {
			b.Rounds[0].Named = named
		}
		awarded[spec.ID] = b.Outcome.Awarded
		d.Ballots = append(d.Ballots, b)
	}
	d.Audit = []domain.AuditEntry{
		{ID: "1-0", At: at(t, "2022-11-01 08:00"), ActorID: 900001, ActorName: "Quản trị", Action: "import", Detail: "cum8-bt/tk-2022"},
		{ID: "2-0", At: at(t, "2022-11-24 08:05"), ActorID: 100011, ActorName: "Cán bộ thi đua CNTT", Action: "open", Detail: "co-bca"},
		{ID: "3-0", At: at(t, "2022-11-24 11:20"), ActorID: 100011, ActorName: "Cán bộ thi đua CNTT", Action: "close", Detail: "conference"},
	}
	return d
}

// closedConference parses a conference file, closes the conference with
// next as next year's chair, and gives empty records to fill.
func closedConference(t *testing.T, file []byte, next string) (*domain.Conference, *export.Data, domain.AttendanceState) {
	t.Helper()
	c, err := conffile.Parse(file)
	if err != nil {
		t.Fatal(err)
	}
	c.State = domain.StateClosed
	c.NextChairUnit = next
	d := &export.Data{Conference: c, Summaries: map[string][]domain.SummaryVersion{}}
	st := domain.AttendanceState{People: map[int64]domain.Attendee{}, Registered: map[int64]domain.Attendance{},
		Present: map[int64]domain.Presence{}, UnitsPresent: map[string]domain.Presence{}, Summaries: map[string]domain.SummaryVersion{}}
	return c, d, st
}

func approve(marks string) domain.Vote {
	v := domain.Vote{Approve: map[string]domain.Choice{}}
	for _, part := range strings.Fields(marks) {
		unit, choice, _ := strings.Cut(part, ":")
		v.Approve[unit] = domain.Choice(choice)
	}
	return v
}

func picks(ballots ...string) []domain.Vote {
	out := make([]domain.Vote, len(ballots))
	for i, b := range ballots {
		out[i] = domain.Vote{Picks: strings.Fields(b)}
	}
	return out
}
