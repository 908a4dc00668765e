package conffile

import (
	"regexp"
	"slices"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/confbot/confbot/domain"
)

// Patterns of identifiers the file declares.
var (
	clusterIDPattern = regexp.MustCompile(`^[a-z0-9-]{1,40}$`)
)

// Year bounds: anything outside is a typo, not a conference.
const (
	minYear = 2000
	maxYear = 2100
)

// defaultGrace is how late a reminder missed during downtime may still go out.
const defaultGrace = 6 * time.Hour

// file walks the top level. Sections are read in dependency order (the zone
// before any time, units before anything naming a unit), whatever their order
// in the file; problems are sorted back into file order at the end.
func (p *parser) file(root *yaml.Node) *domain.Conference {
	top := p.mapping(root, "", "cluster", "units", "guests", "conference", "people", "ballots", "reminders", "grace", "paperwork")
	conf := &domain.Conference{State: domain.StateDraft, ScoreMax: 100, Grace: defaultGrace}
	if top == nil {
		return conf
	}
	if n := p.need(top, "cluster"); n != nil {
		conf.Cluster = p.cluster(n)
	}
	if n := p.need(top, "units"); n != nil {
		conf.Units = p.units(n, "units", false, nil)
		if n.Kind == yaml.SequenceNode && len(n.Content) == 0 {
			p.at(n, "units", "must list at least one member unit")
		}
	}
	conf.Guests = p.units(top.get("guests"), "guests", true, conf.Units)
	p.declared = make(map[string]domain.Unit, len(conf.Units)+len(conf.Guests))
	for _, u := range slices.Concat(conf.Guests, conf.Units) {
		p.declared[u.Code] = u // members win over a guest reusing their code
	}
	if n := p.need(top, "conference"); n != nil {
		p.conference(n, conf)
	}
	conf.People = p.people(top.get("people"))
	conf.Ballots = p.ballots(top.get("ballots"), conf)
	conf.Reminders = p.reminders(top.get("reminders"), conf)
	conf.Paperwork = p.paperwork(top.get("paperwork"))
	if n := top.get("grace"); n != nil {
		if d, ok := p.duration(n, "grace"); ok {
			if d < 0 {
				p.at(n, "grace", "%s must not be negative", n.Value)
			}
			conf.Grace = d
		}
	}
	return conf
}

// cluster reads the cluster section and sets the zone later times use.
func (p *parser) cluster(n *yaml.Node) domain.Cluster {
	c := domain.Cluster{Timezone: defaultTimezone, Language: "vi"}
	f := p.mapping(n, "cluster", "id", "name", "movement", "timezone", "language", "group_chat")
	if f == nil {
		return c
	}
	if id, ok := p.text(f, "id"); ok {
		if !clusterIDPattern.MatchString(id) {
			p.at(f.get("id"), "cluster.id", "%q is not a valid id: use 1 to 40 of a-z, 0-9 and -", id)
		}
		c.ID = id
	}
	c.Name, _ = p.text(f, "name")
	c.Movement = p.optionalText(f, "movement")
	if zn := f.get("timezone"); zn != nil && p.scalar(zn, "cluster.timezone") {
		c.Timezone = zn.Value
		// "Local" and "" would make the schedule depend on the server's zone.
		loc, err := time.LoadLocation(zn.Value)
		if err != nil || zn.Value == "Local" || zn.Value == "" {
			p.at(zn, "cluster.timezone", "%q is not a known time zone (write it like Asia/Ho_Chi_Minh)", zn.Value)
		} else {
			p.loc = loc
		}
	}
	if ln := f.get("language"); ln != nil {
		c.Language, _ = p.oneOf(ln, "cluster.language", "vi", "en")
	}
	if gn := f.get("group_chat"); gn != nil {
		if id, ok := p.integer(gn, "cluster.group_chat"); ok {
			if id >= 0 {
				p.at(gn, "cluster.group_chat", "%d is not a group chat id (group ids are negative)", id)
			}
			c.GroupChat = id
		}
	}
	return c
}

// units reads the units or guests list. Codes must be unique across both
// lists, so guests are checked against the members already read.
func (p *parser) units(n *yaml.Node, path string, guest bool, members []domain.Unit) []domain.Unit {
	// Codes fold alike when a person could not tell them apart by typing
	// (NĐ and ND), so uniqueness is of the folded form.
	seen := make(map[string]string, len(members))
	for _, u := range members {
		seen[domain.FoldCode(u.Code)] = u.Code
	}
	var out []domain.Unit
	for i, item := range p.list(n, path) {
		at := index(path, i)
		f := p.mapping(item, at, "code", "name")
		if f == nil {
			continue
		}
		u := domain.Unit{Guest: guest}
		if code, ok := p.text(f, "code"); ok {
			code = domain.NormalizeCode(code)
			folded := domain.FoldCode(code)
			switch other := seen[folded]; {
			case !domain.ValidCode(code):
				p.at(f.get("code"), child(at, "code"), "%q is not a valid code: use 1 to %d of the capitals A-Z (Đ and Vietnamese vowels with marks too), 0-9 and _", code, domain.MaxCodeLen)
			case other == code:
				p.at(f.get("code"), child(at, "code"), "code %s is used twice (codes are unique across units and guests)", code)
			case other != "":
				p.at(f.get("code"), child(at, "code"), "code %s reads like %s when typed without marks (codes are unique across units and guests)", code, other)
			}
			if seen[folded] == "" {
				seen[folded] = code
			}
			u.Code = code
		}
		u.Name, _ = p.text(f, "name")
		out = append(out, u)
	}
	return out
}

// conference reads the conference section into conf.
func (p *parser) conference(n *yaml.Node, conf *domain.Conference) {
	f := p.mapping(n, "conference", "id", "title", "year", "starts_at", "ends_at", "location",
		"chair_unit", "deputy_unit", "quorum", "summary_deadline", "checkin_opens", "score_max")
	if f == nil {
		return
	}
	if id, ok := p.text(f, "id"); ok {
		if !clusterIDPattern.MatchString(id) {
			p.at(f.get("id"), "conference.id", "%q is not a valid id: use 1 to 40 of a-z, 0-9 and -", id)
		}
		conf.ID = id
	}
	conf.Title, _ = p.text(f, "title")
	if yn := p.need(f, "year"); yn != nil {
		if y, ok := p.integer(yn, "conference.year"); ok {
			if y < minYear || y > maxYear {
				p.at(yn, "conference.year", "%d is not a plausible year (%d to %d)", y, minYear, maxYear)
			}
			conf.Year = int(y)
		}
	}
	conf.StartsAt = p.requiredMoment(f, "starts_at")
	conf.EndsAt = p.requiredMoment(f, "ends_at")
	if !conf.StartsAt.IsZero() && !conf.EndsAt.IsZero() && !conf.StartsAt.Before(conf.EndsAt) {
		p.at(f.get("ends_at"), "conference.ends_at", "must be after starts_at")
	}
	conf.Location = p.optionalText(f, "location")
	if code, ok := p.text(f, "chair_unit"); ok {
		code = domain.NormalizeCode(code)
		p.memberUnit(f.get("chair_unit"), "conference.chair_unit", code)
		conf.ChairUnit = code
	}
	if code := domain.NormalizeCode(p.optionalText(f, "deputy_unit")); code != "" {
		p.memberUnit(f.get("deputy_unit"), "conference.deputy_unit", code)
		if code == conf.ChairUnit {
			p.at(f.get("deputy_unit"), "conference.deputy_unit", "must differ from chair_unit")
		}
		conf.DeputyUnit = code
	}
	if qn := p.need(f, "quorum"); qn != nil {
		conf.Quorum = p.quorum(qn)
	}
	conf.SummaryDeadline = p.requiredMoment(f, "summary_deadline")
	p.beforeEnd(f, "summary_deadline", conf.SummaryDeadline, conf.EndsAt)
	// Without its own time, check-in opens when the conference starts.
	conf.CheckinOpens = conf.StartsAt
	if cn := f.get("checkin_opens"); cn != nil {
		conf.CheckinOpens, _ = p.moment(cn, "conference.checkin_opens", false)
		p.beforeEnd(f, "checkin_opens", conf.CheckinOpens, conf.EndsAt)
	}
	if sn := f.get("score_max"); sn != nil {
		if v, ok := p.number(sn, "conference.score_max"); ok {
			if v <= 0 {
				p.at(sn, "conference.score_max", "%s must be above 0", formatNumber(v))
			}
			conf.ScoreMax = v
		}
	}
}

// requiredMoment reads a required time field of the conference section.
func (p *parser) requiredMoment(f *fields, name string) time.Time {
	n := p.need(f, name)
	if n == nil {
		return time.Time{}
	}
	t, _ := p.moment(n, child(f.path, name), false)
	return t
}

// beforeEnd reports a deadline that is not before the conference ends.
func (p *parser) beforeEnd(f *fields, name string, t, end time.Time) {
	if !t.IsZero() && !end.IsZero() && !t.Before(end) {
		p.at(f.get(name), child(f.path, name), "must be before ends_at")
	}
}

// memberUnit reports a code that is not a declared member unit.
func (p *parser) memberUnit(n *yaml.Node, path, code string) bool {
	u, ok := p.declared[code]
	if ok && !u.Guest {
		return true
	}
	if ok {
		p.at(n, path, "%s is a guest, not a member unit", code)
	} else {
		p.at(n, path, "unit %s is not declared under units", code)
	}
	return false
}

// quorum reads the conference's quorum.
func (p *parser) quorum(n *yaml.Node) domain.Quorum {
	q := domain.Quorum{Of: domain.QuorumOfMembers}
	f := p.mapping(n, "conference.quorum", "percent", "of")
	if f == nil {
		return q
	}
	if pn := p.need(f, "percent"); pn != nil {
		if v, ok := p.number(pn, "conference.quorum.percent"); ok {
			if v <= 0 || v > 100 {
				p.at(pn, "conference.quorum.percent", "%s is not above 0 and at most 100", formatNumber(v))
			}
			q.Percent = v
		}
	}
	if on := p.need(f, "of"); on != nil {
		of, _ := p.oneOf(on, "conference.quorum.of", string(domain.QuorumOfMembers), string(domain.QuorumOfDelegates))
		q.Of = domain.QuorumBase(of)
	}
	return q
}
