package storage

import (
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

// cloneConference copies the conference's fields, so a caller may change
// them (a state, a chair) on its copy; its lists (units, people, ballots,
// reminders) are shared with the cache and are read-only — copying a
// thousand people on every read cost more than the decode it saved.
// Writers go through UpdateConference, which decodes a fresh copy.
func cloneConference(c *domain.Conference) *domain.Conference {
	out := *c
	return &out
}
