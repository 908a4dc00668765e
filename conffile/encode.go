package conffile

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/confbot/confbot/domain"
)

// Marshal writes c as a conference file that Parse reads back to the same
// conference (its state and next chair aside: they are not part of a file).
func Marshal(c *domain.Conference) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(Node(c)); err != nil {
		return nil, fmt.Errorf("encode %s: %w", c.Ref(), err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encode %s: %w", c.Ref(), err)
	}
	return buf.Bytes(), nil
}

// Node renders c as the node tree of its conference file, every field the
// parser would otherwise default written out, so that a reader of the file
// (or of the workbook made from it) sees the whole conference.
func Node(c *domain.Conference) *yaml.Node {
	loc := c.TimeZone()
	moment := func(t time.Time) *yaml.Node { return str(writeMoment(t, loc, false)) }
	top := &mapNode{}
	cl := top.child("cluster")
	cl.add("id", str(c.Cluster.ID)).add("name", str(c.Cluster.Name)).addText("movement", c.Cluster.Movement).
		add("timezone", str(c.Cluster.Timezone)).add("language", str(c.Cluster.Language))
	if c.Cluster.GroupChat != 0 {
		cl.add("group_chat", integer(c.Cluster.GroupChat))
	}
	top.add("units", unitsNode(c.Units))
	if len(c.Guests) > 0 {
		top.add("guests", unitsNode(c.Guests))
	}
	conf := top.child("conference")
	conf.add("id", str(c.ID)).add("title", str(c.Title)).add("year", integer(int64(c.Year))).
		add("starts_at", moment(c.StartsAt)).add("ends_at", moment(c.EndsAt)).addText("location", c.Location).
		add("chair_unit", str(c.ChairUnit)).addText("deputy_unit", c.DeputyUnit)
	conf.child("quorum").add("percent", number(c.Quorum.Percent)).add("of", str(string(c.Quorum.Of)))
	conf.add("summary_deadline", moment(c.SummaryDeadline)).add("checkin_opens", moment(c.CheckinOpens)).
		add("score_max", number(c.ScoreMax))
	if len(c.People) > 0 {
		people := seq()
		for _, p := range c.People {
			m := &mapNode{}
			if p.TelegramID != 0 {
				m.add("id", integer(p.TelegramID))
			}
			m.addText("username", p.Username).add("name", str(p.Name)).add("unit", str(p.Unit))
			roles := seq()
			roles.Style = yaml.FlowStyle
			for _, r := range p.Roles {
				roles.Content = append(roles.Content, str(string(r)))
			}
			m.add("roles", roles).addText("rank", p.Rank).addText("position", p.Position)
			n := m.node()
			n.Style = yaml.FlowStyle
			people.Content = append(people.Content, n)
		}
		top.add("people", people)
	}
	if len(c.Ballots) > 0 {
		ballots := seq()
		for _, b := range c.Ballots {
			ballots.Content = append(ballots.Content, ballotNode(b))
		}
		top.add("ballots", ballots)
	}
	if len(c.Reminders) > 0 {
		reminders := seq()
		for _, r := range c.Reminders {
			reminders.Content = append(reminders.Content, reminderNode(r, loc))
		}
		top.add("reminders", reminders)
	}
	top.add("grace", str(domain.FormatDuration(c.Grace)))
	if w := paperworkNode(c.Paperwork); w != nil {
		top.add("paperwork", w)
	}
	return top.node()
}

// paperworkNode renders the paperwork section, or nil when it says nothing.
func paperworkNode(w domain.Paperwork) *yaml.Node {
	m := &mapNode{}
	m.addText("superior_body", w.SuperiorBody).addText("issuing_body", w.IssuingBody).
		addText("number_suffix", w.NumberSuffix).addText("place", w.Place).addText("proposal_to", w.ProposalTo)
	if len(w.Recipients) > 0 {
		recipients := seq()
		for _, line := range w.Recipients {
			recipients.Content = append(recipients.Content, str(line))
		}
		m.add("recipients", recipients)
	}
	m.addBoard(w.CountingBoard)
	if len(m.n.Content) == 0 {
		return nil
	}
	return m.node()
}

// addBoard appends a ban kiểm phiếu unless it is empty, a person a line.
func (m *mapNode) addBoard(board []domain.Signer) *mapNode {
	if len(board) == 0 {
		return m
	}
	list := seq()
	for _, s := range board {
		p := &mapNode{}
		p.add("name", str(s.Name)).addText("rank", s.Rank).addText("position", s.Position)
		n := p.node()
		n.Style = yaml.FlowStyle
		list.Content = append(list.Content, n)
	}
	return m.add("counting_board", list)
}

// candidatesNode renders candidates as the parser reads them: a list of
// codes (and not-awarded terms) in flow style, else one scalar of terms
// ("all", "awarded:co-bca", "all, not-awarded:co-bca").
func candidatesNode(c domain.Candidates) *yaml.Node {
	if len(c.Codes) > 0 {
		codes := seq()
		codes.Style = yaml.FlowStyle
		for _, code := range c.Codes {
			codes.Content = append(codes.Content, str(code))
		}
		for _, id := range c.NotAwardedOf {
			codes.Content = append(codes.Content, str(notAwardedPrefix+id))
		}
		return codes
	}
	return str(strings.Join(candidateTerms(c), ", "))
}

// candidateTerms are the scalar terms of candidates without codes.
func candidateTerms(c domain.Candidates) []string {
	var terms []string
	switch {
	case c.All:
		terms = append(terms, "all")
	case c.AwardedOf != "":
		terms = append(terms, awardedPrefix+c.AwardedOf)
	}
	for _, id := range c.NotAwardedOf {
		terms = append(terms, notAwardedPrefix+id)
	}
	return terms
}

// ballotNode renders one ballot.
func ballotNode(b domain.BallotSpec) *yaml.Node {
	m := &mapNode{}
	m.add("id", str(b.ID)).add("title", str(b.Title)).add("kind", str(string(b.Kind)))
	m.add("candidates", candidatesNode(b.Candidates))
	if b.Prerequisite != "" && b.Prerequisite != b.Candidates.AwardedOf {
		m.add("prerequisite", str(b.Prerequisite))
	}
	if b.Kind == domain.KindChoose {
		m.add("max_choices", integer(int64(b.MaxChoices)))
	}
	m.add("voters", str(string(b.Voters))).add("secret", boolean(b.Secret)).add("self_vote", boolean(b.SelfVote))
	m.child("threshold").add("op", str(b.Threshold.Op)).add("percent", number(b.Threshold.Percent)).
		add("of", str(string(b.Threshold.Of)))
	m.add("quota", integer(int64(b.Quota))).add("tie", str(string(b.Tie)))
	if b.ClosesAfter > 0 {
		m.add("closes_after", str(domain.FormatDuration(b.ClosesAfter)))
	}
	m.addText("on_result", b.OnResult).addText("proposal_to", b.ProposalTo).addBoard(b.CountingBoard)
	return m.node()
}

// reminderNode renders a reminder or a digest.
func reminderNode(r domain.ReminderSpec, loc *time.Location) *yaml.Node {
	m := &mapNode{}
	if r.Cron != "" {
		m.add("cron", str(r.Cron)).add("what", str(r.What)).add("to", str(string(r.To)))
		if !r.From.IsZero() {
			m.add("from", str(writeMoment(r.From, loc, true)))
		}
		if !r.Until.IsZero() {
			m.add("until", str(writeMoment(r.Until, loc, true)))
		}
		return m.node()
	}
	offsets := seq()
	offsets.Style = yaml.FlowStyle
	for _, d := range r.Offsets {
		offsets.Content = append(offsets.Content, str(domain.FormatDuration(d)))
	}
	return m.add("before", str(string(r.Before))).add("offsets", offsets).add("to", str(string(r.To))).node()
}

// unitsNode renders the units or guests list.
func unitsNode(units []domain.Unit) *yaml.Node {
	list := seq()
	for _, u := range units {
		m := &mapNode{}
		m.add("code", str(u.Code)).add("name", str(u.Name))
		n := m.node()
		n.Style = yaml.FlowStyle
		list.Content = append(list.Content, n)
	}
	return list
}

// writeMoment writes a time the way a secretary would: local to the
// cluster and to the minute, a bare date for midnight where dates are
// allowed, and RFC 3339 only when seconds matter.
func writeMoment(t time.Time, loc *time.Location, allowDate bool) string {
	t = t.In(loc)
	switch {
	case t.Second() != 0 || t.Nanosecond() != 0:
		return t.Format(time.RFC3339Nano)
	case allowDate && t.Hour() == 0 && t.Minute() == 0:
		return t.Format(dateLayout)
	}
	return t.Format(localLayout)
}

// mapNode builds a mapping node field by field, in order.
type mapNode struct{ n yaml.Node }

func (m *mapNode) node() *yaml.Node {
	m.n.Kind = yaml.MappingNode
	return &m.n
}

// add appends a field.
func (m *mapNode) add(key string, value *yaml.Node) *mapNode {
	m.n.Content = append(m.n.Content, str(key), value)
	return m
}

// addText appends a text field unless it is empty.
func (m *mapNode) addText(key, value string) *mapNode {
	if value != "" {
		m.add(key, str(value))
	}
	return m
}

// child appends a field holding a mapping and returns that mapping.
func (m *mapNode) child(key string) *mapNode {
	c := &mapNode{}
	m.add(key, c.node())
	return c
}

func seq() *yaml.Node { return &yaml.Node{Kind: yaml.SequenceNode} }

func str(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

func integer(v int64) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.FormatInt(v, 10)}
}

func number(v float64) *yaml.Node {
	tag := "!!float"
	if v == float64(int64(v)) {
		tag = "!!int"
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: formatNumber(v)}
}

func boolean(v bool) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(v)}
}
