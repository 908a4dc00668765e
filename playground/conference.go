package playground

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/confbot/confbot/conffile"
	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/telegramsim"
)

// firstGeneratedID numbers the people a file knows only by @username: the
// simulated Telegram needs an id for them, and the same file always gets the
// same ids, so a playground on a real Redis finds them again.
const firstGeneratedID int64 = 7100001

func parseConference(data []byte) (*domain.Conference, error) {
	c, err := conffile.Parse(data)
	var ferrs *conffile.Errors
	if errors.As(err, &ferrs) {
		return nil, fmt.Errorf("conference file has %d error(s):\n%s", len(*ferrs), ferrs.Error())
	}
	if err != nil {
		return nil, fmt.Errorf("conference file: %w", err)
	}
	return c, nil
}

// loadConference stores the conference with its dates moved next to the
// clock's now and registration open. A real Redis that already holds it
// (a playground run before) is left as it is, and the clock resumes where
// it was advanced to.
func (p *Playground) loadConference(ctx context.Context, c *domain.Conference) error {
	existing, err := p.Store.Conference(ctx, c.Ref())
	switch {
	case err == nil:
		p.Conference = existing
		if skipped, err := p.rdb.Get(ctx, p.clockKey()).Int64(); err == nil {
			p.Clock.Advance(time.Duration(skipped))
		}
		return nil
	case !errors.Is(err, domain.ErrNotFound):
		return fmt.Errorf("load conference: %w", err)
	}
	MoveDates(c, p.Clock.Now())
	c.State = domain.StateOpen // registration works at once
	if err := p.Store.SaveConference(ctx, c); err != nil {
		return fmt.Errorf("store conference: %w", err)
	}
	p.Conference = c
	return nil
}

func (p *Playground) clockKey() string { return RedisPrefix + ":playground:clock-skipped" }

// addPeople puts the administrator, every person of the conference and the
// cluster's group chat into the simulated Telegram.
func (p *Playground) addPeople() {
	c := p.Conference
	p.byID = make(map[int64]Person)
	add := func(person Person) {
		p.people = append(p.people, person)
		p.byID[person.ID] = person
		p.Sim.AddUser(telegramsim.User{ID: person.ID, FirstName: person.Name, Username: person.Username, LanguageCode: "vi"})
	}
	add(Person{ID: AdminID, Name: "Quản trị viên", Username: "playground_admin", Roles: []string{string(domain.RoleAdmin)}})
	used := map[int64]bool{AdminID: true}
	for _, person := range c.People {
		used[person.TelegramID] = true
	}
	next := firstGeneratedID
	for _, person := range c.People {
		id := person.TelegramID
		if id == 0 {
			for used[next] {
				next++
			}
			id = next
			used[id] = true
		}
		roles := make([]string, len(person.Roles))
		for i, r := range person.Roles {
			roles[i] = string(r)
		}
		unit, _ := c.Unit(person.Unit)
		add(Person{ID: id, Name: person.Name, Username: person.Username, Unit: person.Unit, UnitName: unit.Name, Roles: roles})
	}
	if c.Cluster.GroupChat != 0 {
		p.Sim.AddGroup(c.Cluster.GroupChat, c.Cluster.Name)
	}
}

// maxSteps bounds the due times one Advance steps through (a day of a
// per-minute digest is 1,440).
const maxSteps = 5000

// Advance moves the simulated time forward by d and returns the new time.
// It steps through every due time of the schedule in between, in order,
// ticking at each, so every reminder, close and digest fires at its own
// time as it would in real time — none is skipped, none marked late.
func (p *Playground) Advance(ctx context.Context, d time.Duration) time.Time {
	target := p.Clock.Now().Add(d)
	for range maxSteps {
		now := p.Clock.Now()
		next, ok := p.nextDue(ctx, now, target)
		if !ok {
			break
		}
		p.step(ctx, next.Sub(now))
	}
	now := p.step(ctx, target.Sub(p.Clock.Now()))
	// The page hears of the jump once, when it is done: a person acting
	// mid-way would act at a moment the button did not ask for.
	p.mu.Lock()
	close(p.clockCh)
	p.clockCh = make(chan struct{})
	p.mu.Unlock()
	return now
}

// nextDue is the earliest due time of any conference's schedule in (now, until].
func (p *Playground) nextDue(ctx context.Context, now, until time.Time) (time.Time, bool) {
	refs, err := p.Store.ReminderConferences(ctx)
	if err != nil {
		return time.Time{}, false
	}
	var best time.Time
	for _, ref := range refs {
		if at, ok, err := p.Store.NextDueAfter(ctx, ref, now, until); err == nil && ok && (best.IsZero() || at.Before(best)) {
			best = at
		}
	}
	return best, !best.IsZero()
}

// step moves the clock by d and ticks.
func (p *Playground) step(ctx context.Context, d time.Duration) time.Time {
	if d < 0 {
		d = 0
	}
	now := p.Clock.Advance(d)
	if p.mini != nil && d > 0 {
		p.mini.FastForward(d) // keys with a TTL expire in simulated time too
	} else {
		// Best effort: the clock resumes from here after a restart.
		_ = p.rdb.Set(ctx, p.clockKey(), strconv.FormatInt(int64(p.Clock.Skipped()), 10), 0).Err()
	}
	p.mu.Lock()
	tick := p.tick
	p.mu.Unlock()
	if tick != nil {
		tick(ctx)
	}
	return now
}

// AdvanceToConference moves the clock to the conference's start (as stored
// now: an /import may have moved it); it does nothing once that has passed.
func (p *Playground) AdvanceToConference(ctx context.Context) time.Time {
	start := p.Conference.StartsAt
	if c, err := p.Store.Conference(ctx, p.Conference.Ref()); err == nil {
		start = c.StartsAt
	}
	return p.Advance(ctx, start.Sub(p.Clock.Now()))
}

// clockChanged returns a channel closed at the next clock jump.
func (p *Playground) clockChanged() <-chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.clockCh
}
