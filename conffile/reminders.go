package conffile

import (
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
	"go.yaml.in/yaml/v3"

	"github.com/confbot/confbot/domain"
)

// minEvery is the shortest @every a digest may use: a five-field cron spec
// fires at most once a minute, and a descriptor should not flood secretaries
// faster than that.
const minEvery = time.Minute

// audiences are the values of a reminder's to.
var audiences = []string{string(domain.ToUnitsWithoutSummary), string(domain.ToDelegatesNotRegistered),
	string(domain.ToVotersNotVoted), string(domain.ToSecretaries)}

// reminders reads the reminders list. An entry with cron is a digest; any
// other entry counts back from a deadline.
func (p *parser) reminders(n *yaml.Node, conf *domain.Conference) []domain.ReminderSpec {
	var out []domain.ReminderSpec
	for i, item := range p.list(n, "reminders") {
		at := index("reminders", i)
		if item.Kind != yaml.MappingNode {
			p.at(item, at, "must be a mapping of fields (name: value)")
			continue
		}
		if hasKey(item, "cron") {
			if r, ok := p.digest(item, at, conf); ok {
				out = append(out, r)
			}
			continue
		}
		if r, ok := p.offsetReminder(item, at); ok {
			out = append(out, r)
		}
	}
	return out
}

// hasKey reports whether mapping n has the key.
func hasKey(n *yaml.Node, key string) bool {
	for k := 0; k+1 < len(n.Content); k += 2 {
		if deref(n.Content[k]).Value == key {
			return true
		}
	}
	return false
}

// offsetReminder reads {before, offsets, to}.
func (p *parser) offsetReminder(n *yaml.Node, at string) (domain.ReminderSpec, bool) {
	var r domain.ReminderSpec
	f := p.mapping(n, at, "before", "offsets", "to")
	if f == nil {
		return r, false
	}
	if bn := f.get("before"); bn == nil {
		p.at(n, child(at, "before"), "is required (a reminder needs before, offsets and to; a digest needs cron, what and to)")
	} else {
		before, _ := p.oneOf(bn, child(at, "before"), string(domain.AnchorSummaryDeadline),
			string(domain.AnchorConference), string(domain.AnchorBallotClose))
		r.Before = domain.ReminderAnchor(before)
	}
	if on := p.need(f, "offsets"); on != nil {
		path := child(at, "offsets")
		items := p.list(on, path)
		if on.Kind == yaml.SequenceNode && len(items) == 0 {
			p.at(on, path, "must list at least one offset, like [24h, 2h]")
		}
		listed := map[time.Duration]bool{}
		for j, item := range items {
			d, ok := p.duration(item, index(path, j))
			switch {
			case !ok:
			case d <= 0:
				p.at(item, index(path, j), "%s must be above 0 (it counts back from the deadline)", item.Value)
			case listed[d]:
				p.at(item, index(path, j), "%s is listed twice", item.Value)
			default:
				listed[d] = true
				r.Offsets = append(r.Offsets, d)
			}
		}
	}
	r.To = p.audience(f, at)
	return r, true
}

// audience reads a reminder's required to.
func (p *parser) audience(f *fields, at string) domain.Audience {
	tn := p.need(f, "to")
	if tn == nil {
		return ""
	}
	to, _ := p.oneOf(tn, child(at, "to"), audiences...)
	return domain.Audience(to)
}

// digest reads {cron, what, to, from, until}.
func (p *parser) digest(n *yaml.Node, at string, conf *domain.Conference) (domain.ReminderSpec, bool) {
	var r domain.ReminderSpec
	f := p.mapping(n, at, "cron", "what", "to", "from", "until")
	if f == nil {
		return r, false
	}
	if wn := p.need(f, "what"); wn != nil {
		r.What, _ = p.oneOf(wn, child(at, "what"), "status_digest")
	}
	r.To = p.audience(f, at)
	if fn := f.get("from"); fn != nil {
		r.From, _ = p.moment(fn, child(at, "from"), true)
	}
	if un := f.get("until"); un != nil {
		r.Until, _ = p.moment(un, child(at, "until"), true)
		if !r.From.IsZero() && !r.Until.IsZero() && r.Until.Before(r.From) {
			p.at(un, child(at, "until"), "must not be before from")
		}
	}
	cn := p.need(f, "cron")
	if cn == nil || !p.scalar(cn, child(at, "cron")) {
		return r, true
	}
	r.Cron = strings.TrimSpace(cn.Value)
	schedule, err := parseCron(r.Cron)
	if err != nil {
		p.at(cn, child(at, "cron"), "%q: %v", r.Cron, err)
		return r, true
	}
	// A spec such as "0 0 30 2 *" parses but never fires; say so now rather
	// than wait for a digest that never comes.
	from := r.From
	if from.IsZero() && !conf.StartsAt.IsZero() {
		from = conf.StartsAt.AddDate(-1, 0, 0)
	}
	if !from.IsZero() {
		next := schedule.Next(from.In(p.loc).Add(-time.Nanosecond))
		switch {
		case next.IsZero():
			p.at(cn, child(at, "cron"), "%q never fires", r.Cron)
		case !r.Until.IsZero() && !r.Until.Before(r.From) && next.After(r.Until):
			p.at(cn, child(at, "cron"), "%q never fires between from and until", r.Cron)
		}
	}
	return r, true
}

// parseCron validates a five-field cron spec (descriptors such as @daily
// allowed) without letting the library's panics through.
func parseCron(spec string) (schedule cron.Schedule, err error) {
	if strings.HasPrefix(spec, "CRON_TZ=") || strings.HasPrefix(spec, "TZ=") {
		return nil, fmt.Errorf("a time zone prefix is not allowed: the cluster's time zone applies")
	}
	// robfig/cron panics on some malformed specs instead of returning an error.
	defer func() {
		if r := recover(); r != nil {
			schedule, err = nil, fmt.Errorf("not a cron spec (five fields: minute hour day month weekday)")
		}
	}()
	schedule, err = cron.ParseStandard(spec)
	if err != nil {
		return nil, fmt.Errorf("not a cron spec (five fields: minute hour day month weekday): %w", err)
	}
	if every, ok := schedule.(cron.ConstantDelaySchedule); ok && every.Delay < minEvery {
		return nil, fmt.Errorf("@every must be at least %s", minEvery)
	}
	return schedule, nil
}
