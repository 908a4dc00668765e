package storage

import (
	"slices"
	"sync"

	"github.com/confbot/confbot/domain"
)

// confCache holds the latest decoded version of each conference this
// process has read. It is keyed by the conference's version counter, which
// every write bumps, so a stale entry is never returned.
type confCache struct {
	mu sync.Mutex
	m  map[string]cachedConf
}

type cachedConf struct {
	version int64
	conf    *domain.Conference
}

func (c *confCache) get(ref string, version int64) (*domain.Conference, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[ref]
	if !ok || e.version != version || version == 0 {
		return nil, false
	}
	return cloneConference(e.conf), true
}

func (c *confCache) put(ref string, version int64, conf *domain.Conference) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]cachedConf{}
	}
	if e, ok := c.m[ref]; ok && e.version > version {
		return
	}
	c.m[ref] = cachedConf{version: version, conf: cloneConference(conf)}
}

// cloneConference copies a conference deeply enough that a caller changing
// its fields or lists cannot change the cached one.
func cloneConference(c *domain.Conference) *domain.Conference {
	out := *c
	out.Units = slices.Clone(c.Units)
	out.Guests = slices.Clone(c.Guests)
	out.People = slices.Clone(c.People)
	for i := range out.People {
		out.People[i].Roles = slices.Clone(out.People[i].Roles)
	}
	out.Ballots = slices.Clone(c.Ballots)
	for i := range out.Ballots {
		out.Ballots[i].Candidates.Codes = slices.Clone(out.Ballots[i].Candidates.Codes)
	}
	out.Reminders = slices.Clone(c.Reminders)
	for i := range out.Reminders {
		out.Reminders[i].Offsets = slices.Clone(out.Reminders[i].Offsets)
	}
	return &out
}
