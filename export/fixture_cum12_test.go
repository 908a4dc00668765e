package export_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/examples"
	"github.com/confbot/confbot/export"
)

// cum12Data is examples/cum12-full.yaml played to its end without storage:
// every member unit present but SNN, every unit's summary in, and ballots
// that need what the reference conference never does: a tie broken by
// score (co-tinh: SKHDT and SYT have 8 of 12 each, for the last place), a
// revote (bang-khen-ubnd: STNMT and SCT have 6 of 11 each for the third
// place, and round 2 settles it), delegates as voters (co-cp), a named approve ballot
// (bang-khen-tt) and the election.
func cum12Data(t *testing.T) *export.Data {
	t.Helper()
	c, d, st := closedConference(t, examples.Cum12, "STC")
	for _, p := range c.People {
		if p.TelegramID == 0 {
			continue
		}
		d.People = append(d.People, export.Person{ID: p.TelegramID, Name: p.Name, Unit: p.Unit, Roles: p.Roles})
		st.People[p.TelegramID] = domain.Attendee{Unit: p.Unit, Roles: p.Roles}
		st.Present[p.TelegramID] = domain.Presence{Unit: p.Unit, At: at(t, "2024-12-20 07:45"), By: p.TelegramID}
	}
	for i, u := range c.Units {
		if u.Code != "SNN" {
			st.UnitsPresent[u.Code] = domain.Presence{Unit: u.Code, At: at(t, "2024-12-20 08:00"), By: 200002}
		}
		score := 900 - float64(i)*10
		switch u.Code {
		case "SKHDT":
			score = 940
		case "SYT":
			score = 955
		}
		v := domain.SummaryVersion{Version: 1, Unit: u.Code, Score: score, At: at(t, "2024-12-09 10:00"), Late: u.Code == "SCT"}
		d.Summaries[u.Code] = []domain.SummaryVersion{v}
		st.Summaries[u.Code] = v
	}
	d.Attendance = st

	units := c.MemberCodes()
	approveYes := func(yes map[string]int, voters int) []domain.Vote {
		votes := make([]domain.Vote, voters)
		for i := range votes {
			votes[i] = domain.Vote{Approve: map[string]domain.Choice{}}
			for code, n := range yes {
				choice := domain.ChoiceNo
				if i < n {
					choice = domain.ChoiceYes
				}
				votes[i].Approve[code] = choice
			}
		}
		return votes
	}
	rounds := map[string][][]domain.Vote{
		"co-tinh": {approveYes(map[string]int{"SNV": 11, "STC": 10, "SKHDT": 8, "SYT": 8, "STP": 7, "SGDDT": 5, "SXD": 4,
			"SGTVT": 3, "STNMT": 2, "SCT": 2, "SNN": 0, "S_TTTT": 1}, 11)},
		"co-cp":        {picks("SYT", "SYT", "SYT", "STC")},
		"bang-khen-tt": {approveYes(map[string]int{"SYT": 4}, 4)},
		"bang-khen-ubnd": {picks("SGTVT STNMT SCT", "SGTVT STNMT SCT", "SGTVT STNMT SCT", "SGTVT STNMT SCT", "S_TTTT STNMT SCT", "S_TTTT STNMT SCT",
			"SGTVT S_TTTT", "SGTVT S_TTTT", "S_TTTT SGTVT", "S_TTTT SGTVT", "S_TTTT SGTVT"),
			picks("STNMT", "STNMT", "SCT", "STNMT", "STNMT", "SCT", "STNMT", "SCT", "STNMT", "SCT", "SCT")},
		"cum-truong-2025": {picks("STC", "STC", "STC", "STC", "STC", "STC", "STC", "SNV", "SYT", "SYT", "STP")},
	}
	scores := map[string]float64{}
	for code, s := range st.Summaries {
		scores[code] = s.Score
	}
	awarded := map[string][]string{}
	for bi, spec := range c.Ballots {
		cands, err := c.CandidatesOf(spec, awarded)
		if err != nil {
			t.Fatal(err)
		}
		members, present := 12, 11
		if spec.Voters == domain.VotersDelegate {
			members, present = 4, 4
		}
		b := export.Ballot{Spec: spec, State: domain.BallotClosed}
		var results []domain.Result
		roundSpec := spec
		for ri, votes := range rounds[spec.ID] {
			var counters domain.Counters
			named := map[string]domain.Vote{}
			for i, v := range votes {
				counters.Add(roundSpec, v, 1)
				named[fmt.Sprint(units[i%len(units)])] = v
			}
			res, err := domain.Tally(domain.TallyInput{Ballot: roundSpec, Round: ri + 1, Candidates: cands, Counters: counters,
				Members: members, Present: present, Scores: scores})
			if err != nil {
				t.Fatal(err)
			}
			opened := at(t, "2024-12-20 09:00").Add(time.Duration(bi*30+ri*15) * time.Minute)
			r := export.Round{Result: res, Eligible: present, OpenedAt: opened, ClosedAt: opened.Add(10 * time.Minute)}
			if !spec.Secret {
				r.Named = named
			}
			b.Rounds = append(b.Rounds, r)
			results = append(results, res)
			if res.NeedsRevote {
				cands, roundSpec = domain.RevoteCandidates(res), domain.RevoteSpec(spec, res)
			}
		}
		b.Outcome = domain.OutcomeOf(results)
		awarded[spec.ID] = b.Outcome.Awarded
		d.Ballots = append(d.Ballots, b)
	}
	return d
}
