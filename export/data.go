package export

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/storage"
)

// Source is what Gather reads; *storage.Store satisfies it.
type Source interface {
	Conference(ctx context.Context, ref string) (*domain.Conference, error)
	Members(ctx context.Context, ref string) (map[int64]domain.Membership, error)
	Attendance(ctx context.Context, ref string) (map[int64]domain.Attendance, error)
	Presence(ctx context.Context, ref string) (map[int64]domain.Presence, map[string]domain.Presence, error)
	QuorumOverride(ctx context.Context, ref string) (domain.QuorumOverride, bool, error)
	Summaries(ctx context.Context, ref, unit string) ([]domain.SummaryVersion, error)
	BallotRound(ctx context.Context, ref, id string) (domain.RoundInfo, error)
	BallotRoundAt(ctx context.Context, ref, id string, round int) (domain.RoundInfo, error)
	AllResults(ctx context.Context, ref string, ballots []string) (map[string][]domain.Result, error)
	NamedVotes(ctx context.Context, ref, id string, round int) (map[string]domain.Vote, error)
	AuditTail(ctx context.Context, ref string, n int) ([]domain.AuditEntry, error)
}

var _ Source = (*storage.Store)(nil)

// Data is everything the exports are made from: a snapshot of one
// conference's records, free of storage.
type Data struct {
	Conference *domain.Conference
	People     []Person                           // known people: member units in file order, then guests; by name within a unit
	Attendance domain.AttendanceState             // registrations, check-ins, whole-unit marks, latest summaries
	Override   *domain.QuorumOverride             // a secretary's decision to go on without quorum, if any
	Summaries  map[string][]domain.SummaryVersion // unit → every version, oldest first
	Ballots    []Ballot                           // in file order
	Audit      []domain.AuditEntry                // oldest first
}

// Person is one known person of the conference.
type Person struct {
	ID    int64
	Name  string
	Unit  string
	Roles []domain.Role
}

// Ballot is one ballot's rounds and outcome.
type Ballot struct {
	Spec    domain.BallotSpec
	State   domain.BallotState // of the latest round; draft when never opened
	Rounds  []Round            // rounds with a result, in round order
	Outcome domain.Outcome
}

// Round is one tallied round.
type Round struct {
	Result   domain.Result
	Eligible int                    // voters on the round's roster
	Named    map[string]domain.Vote // voter key → vote, named ballots only; nil for secret ones
	OpenedAt time.Time              // zero when unknown
	ClosedAt time.Time              // when the round closed and was tallied; zero when unknown
}

// Gather reads conference ref's records from src.
func Gather(ctx context.Context, src Source, ref string) (*Data, error) {
	c, err := src.Conference(ctx, ref)
	if err != nil {
		return nil, err
	}
	d := &Data{Conference: c, Summaries: map[string][]domain.SummaryVersion{}}
	members, err := src.Members(ctx, ref)
	if err != nil {
		return nil, err
	}
	st := domain.AttendanceState{People: map[int64]domain.Attendee{}, Summaries: map[string]domain.SummaryVersion{}}
	for id, m := range members {
		st.People[id] = domain.Attendee{Unit: m.Unit, Roles: m.Roles}
		d.People = append(d.People, Person{ID: id, Name: m.Name, Unit: m.Unit, Roles: m.Roles})
	}
	sortPeople(c, d.People)
	if st.Registered, err = src.Attendance(ctx, ref); err != nil {
		return nil, err
	}
	if st.Present, st.UnitsPresent, err = src.Presence(ctx, ref); err != nil {
		return nil, err
	}
	if o, ok, err := src.QuorumOverride(ctx, ref); err != nil {
		return nil, err
	} else if ok {
		d.Override = &o
	}
	for _, u := range c.Units {
		versions, err := src.Summaries(ctx, ref, u.Code)
		if err != nil {
			return nil, err
		}
		if len(versions) > 0 {
			d.Summaries[u.Code] = versions
			st.Summaries[u.Code] = versions[len(versions)-1]
		}
	}
	d.Attendance = st
	if d.Ballots, err = gatherBallots(ctx, src, c); err != nil {
		return nil, err
	}
	if d.Audit, err = src.AuditTail(ctx, ref, 0); err != nil {
		return nil, err
	}
	return d, nil
}

func gatherBallots(ctx context.Context, src Source, c *domain.Conference) ([]Ballot, error) {
	ref := c.Ref()
	ids := make([]string, len(c.Ballots))
	for i, b := range c.Ballots {
		ids[i] = b.ID
	}
	results, err := src.AllResults(ctx, ref, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Ballot, 0, len(c.Ballots))
	for _, spec := range c.Ballots {
		latest, err := src.BallotRound(ctx, ref, spec.ID)
		if err != nil {
			return nil, err
		}
		b := Ballot{Spec: spec, State: latest.State, Outcome: domain.OutcomeOf(results[spec.ID])}
		for _, res := range results[spec.ID] {
			info, err := src.BallotRoundAt(ctx, ref, spec.ID, res.Round)
			if err != nil {
				return nil, err
			}
			r := Round{Result: res, Eligible: info.Eligible, OpenedAt: info.OpenedAt, ClosedAt: info.ClosedAt}
			if !info.Secret {
				// Only a named round has who-chose-what; storage refuses it for a
				// secret one, and the exports never ask.
				named, err := src.NamedVotes(ctx, ref, spec.ID, res.Round)
				if err != nil && !errors.Is(err, storage.ErrSecretBallot) {
					return nil, fmt.Errorf("named votes of %s: %w", spec.ID, err)
				}
				r.Named = named
			}
			b.Rounds = append(b.Rounds, r)
		}
		out = append(out, b)
	}
	return out, nil
}

// sortPeople orders people by their unit's place in the file (members, then
// guests, then anything else), then by name and id: a stable order for files.
func sortPeople(c *domain.Conference, people []Person) {
	rank := unitRank(c)
	slices.SortFunc(people, func(a, b Person) int {
		if ra, rb := rank(a.Unit), rank(b.Unit); ra != rb {
			return ra - rb
		}
		if n := strings.Compare(a.Name, b.Name); n != 0 {
			return n
		}
		return int(a.ID - b.ID)
	})
}

func unitRank(c *domain.Conference) func(code string) int {
	pos := map[string]int{}
	for i, u := range c.Units {
		pos[u.Code] = i
	}
	for i, g := range c.Guests {
		pos[g.Code] = len(c.Units) + i
	}
	return func(code string) int {
		if p, ok := pos[code]; ok {
			return p
		}
		return len(pos)
	}
}

// allUnits lists member units then guests, in file order.
func allUnits(c *domain.Conference) []domain.Unit {
	return append(append([]domain.Unit(nil), c.Units...), c.Guests...)
}

// unitName gives a unit's full name, or its code when unknown.
func unitName(c *domain.Conference, code string) string {
	if u, ok := c.Unit(code); ok {
		return u.Name
	}
	return code
}

// DocumentDate is the date the minutes carry and the PDF's creation date:
// the conference's end (its start, when no end is set), so the same records
// always give the same files.
func (d *Data) DocumentDate() time.Time {
	c := d.Conference
	switch {
	case !c.EndsAt.IsZero():
		return c.EndsAt.In(c.TimeZone())
	case !c.StartsAt.IsZero():
		return c.StartsAt.In(c.TimeZone())
	}
	return time.Date(c.Year, 12, 31, 0, 0, 0, 0, c.TimeZone())
}

// stamp formats a time for tables: sortable, in the cluster's zone.
func (d *Data) stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(d.Conference.TimeZone()).Format("2006-01-02 15:04:05")
}

// voterOrder sorts a named round's voter keys: units in file order, then
// delegates by name.
func (d *Data) voterOrder(named map[string]domain.Vote) []string {
	rank := unitRank(d.Conference)
	keys := sortedKeys(named)
	slices.SortStableFunc(keys, func(a, b string) int {
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra - rb
		}
		return strings.Compare(d.voterLabel(a), d.voterLabel(b))
	})
	return keys
}

// voterLabel names a named ballot's voter key: a unit code as it is, a
// delegate's user id as their name and unit.
func (d *Data) voterLabel(key string) string {
	for _, p := range d.People {
		if fmt.Sprint(p.ID) == key {
			return p.Name + " (" + p.Unit + ")"
		}
	}
	return key
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
