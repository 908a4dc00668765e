package conffile

import (
	"cmp"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/confbot/confbot/domain"
)

// ballotIDPattern is a ballot id; it travels in callback data, so it is short.
var ballotIDPattern = regexp.MustCompile(`^[a-z0-9-]{1,32}$`)

// awardedPrefix marks candidates drawn from an earlier ballot's winners;
// notAwardedPrefix leaves another ballot's winners out.
const (
	awardedPrefix    = "awarded:"
	notAwardedPrefix = "not-awarded:"
)

// ballotFields are the fields a ballot may have.
var ballotFields = []string{"id", "title", "kind", "candidates", "prerequisite", "max_choices", "voters",
	"secret", "self_vote", "threshold", "quota", "tie", "closes_after", "on_result",
	"proposal_to", "counting_board"}

// ballots reads the ballots list. A prerequisite must name a ballot that
// comes earlier, since ballots open in file order.
func (p *parser) ballots(n *yaml.Node, conf *domain.Conference) []domain.BallotSpec {
	items := p.list(n, "ballots")
	// Every id of the file, to tell "comes later" from "does not exist".
	laterIDs := map[string]bool{}
	for _, item := range items {
		if item.Kind == yaml.MappingNode {
			for k := 0; k+1 < len(item.Content); k += 2 {
				if item.Content[k].Value == "id" {
					laterIDs[strings.TrimSpace(deref(item.Content[k+1]).Value)] = true
				}
			}
		}
	}
	earlier := map[string]domain.BallotSpec{}
	// line of the first ballot deciding next year's chair, and deputy chair
	handover, deputy := 0, 0
	candidatesAt := map[string]*yaml.Node{} // each ballot's candidates, to point a cycle at
	var out []domain.BallotSpec
	for i, item := range items {
		at := index("ballots", i)
		f := p.mapping(item, at, ballotFields...)
		if f == nil {
			continue
		}
		b := p.ballot(f, at, conf, earlier, laterIDs)
		switch b.OnResult {
		case domain.OnResultHandover:
			if handover != 0 {
				p.at(f.get("on_result"), child(at, "on_result"), "only one ballot may decide the handover (another does at line %d)", handover)
			} else {
				handover = f.get("on_result").Line
			}
		case domain.OnResultDeputy:
			if deputy != 0 {
				p.at(f.get("on_result"), child(at, "on_result"), "only one ballot may decide the deputy (another does at line %d)", deputy)
			} else {
				deputy = f.get("on_result").Line
			}
		}
		if b.ID != "" {
			if _, dup := earlier[b.ID]; dup {
				p.at(f.get("id"), child(at, "id"), "ballot id %s is used twice", b.ID)
			} else {
				earlier[b.ID] = b
				candidatesAt[b.ID] = f.get("candidates")
			}
		}
		out = append(out, b)
	}
	p.cycles(out, candidatesAt)
	return out
}

// cycles refuses ballots that wait for each other's results: not-awarded
// may name a later ballot, so "a leaves b's winners out" and "b leaves a's
// out" (or a ballot naming itself) would leave neither able to open. Each
// cycle is told once, at the first of its ballots in file order, as the
// path "a → b → a".
func (p *parser) cycles(ballots []domain.BallotSpec, candidatesAt map[string]*yaml.Node) {
	refs := make(map[string][]string, len(ballots))
	for _, b := range ballots {
		refs[b.ID] = b.References()
	}
	const (
		unseen = iota
		onPath
		done
	)
	state := map[string]int{}
	var path []string
	var visit func(id string)
	visit = func(id string) {
		state[id] = onPath
		path = append(path, id)
		for _, next := range refs[id] {
			if _, known := refs[next]; !known {
				continue // an unknown id, told where it is written
			}
			switch state[next] {
			case unseen:
				visit(next)
			case onPath:
				from := slices.Index(path, next)
				cycle := append(slices.Clone(path[from:]), next)
				first := slices.MinFunc(path[from:], func(a, b string) int {
					return cmp.Compare(ballotIndex(ballots, a), ballotIndex(ballots, b))
				})
				if n := candidatesAt[first]; n != nil {
					p.at(n, child(index("ballots", ballotIndex(ballots, first)), "candidates"),
						"ballots wait for each other's results in a cycle: %s", strings.Join(cycle, " → "))
				}
			}
		}
		path = path[:len(path)-1]
		state[id] = done
	}
	for _, b := range ballots {
		if state[b.ID] == unseen && b.ID != "" {
			visit(b.ID)
		}
	}
}

// ballotIndex is the position of ballot id in the file.
func ballotIndex(ballots []domain.BallotSpec, id string) int {
	return slices.IndexFunc(ballots, func(b domain.BallotSpec) bool { return b.ID == id })
}

// ballot reads one ballot.
func (p *parser) ballot(f *fields, at string, conf *domain.Conference, earlier map[string]domain.BallotSpec, all map[string]bool) domain.BallotSpec {
	b := domain.BallotSpec{Secret: true, SelfVote: true, Tie: domain.TieRevote}
	if id, ok := p.text(f, "id"); ok {
		if !ballotIDPattern.MatchString(id) {
			p.at(f.get("id"), child(at, "id"), "%q is not a valid ballot id: use 1 to 32 of a-z, 0-9 and -", id)
		}
		b.ID = id
	}
	b.Title, _ = p.text(f, "title")
	if kn := p.need(f, "kind"); kn != nil {
		kind, _ := p.oneOf(kn, child(at, "kind"), string(domain.KindApprove), string(domain.KindChoose), string(domain.KindElect))
		b.Kind = domain.BallotKind(kind)
	}
	candidateCount := p.candidates(f, at, conf, earlier, all, &b)
	p.maxChoices(f, at, candidateCount, &b)
	if vn := p.need(f, "voters"); vn != nil {
		voters, _ := p.oneOf(vn, child(at, "voters"), string(domain.VotersUnit), string(domain.VotersDelegate))
		b.Voters = domain.VoterKind(voters)
	}
	if sn := f.get("secret"); sn != nil {
		b.Secret, _ = p.boolean(sn, child(at, "secret"))
	}
	if sn := f.get("self_vote"); sn != nil {
		b.SelfVote, _ = p.boolean(sn, child(at, "self_vote"))
	}
	if tn := p.need(f, "threshold"); tn != nil {
		b.Threshold = p.threshold(tn, child(at, "threshold"))
	}
	p.quota(f, at, &b)
	if tn := f.get("tie"); tn != nil {
		tie, _ := p.oneOf(tn, child(at, "tie"), string(domain.TieRevote), string(domain.TieScore), string(domain.TieChair))
		b.Tie = domain.TieRule(tie)
	}
	if cn := f.get("closes_after"); cn != nil {
		if d, ok := p.duration(cn, child(at, "closes_after")); ok {
			if d <= 0 {
				p.at(cn, child(at, "closes_after"), "%s must be above 0 (leave it out to close by hand)", cn.Value)
			}
			b.ClosesAfter = d
		}
	}
	if on := f.get("on_result"); on != nil {
		if result, ok := p.oneOf(on, child(at, "on_result"), domain.OnResultHandover, domain.OnResultDeputy); ok {
			switch {
			case b.Kind == "" || b.Kind == domain.KindElect:
				b.OnResult = result
			case result == domain.OnResultDeputy:
				p.at(on, child(at, "on_result"), "deputy follows an elect ballot, and this one is %s", b.Kind)
			default:
				p.at(on, child(at, "on_result"), "handover follows an elect ballot, and this one is %s", b.Kind)
			}
		}
	}
	b.ProposalTo = p.optionalText(f, "proposal_to")
	b.CountingBoard = p.countingBoard(f.get("counting_board"), child(at, "counting_board"))
	return b
}

// candidates reads who may be voted for, and the prerequisite, into b. It
// returns how many candidates there are, or 0 when that is known only once
// an earlier ballot has a result.
//
// The candidates are terms: a base (all, awarded:BALLOT, or member unit
// codes) and any number of not-awarded:BALLOT, which leave that ballot's
// winners out (one award per achievement). A scalar holds all or
// awarded:BALLOT and the not-awarded terms, separated by commas
// ("all, not-awarded:co-bca"); a list holds codes and may hold the same
// terms ([KHTC, QLXD, not-awarded:co-bca]), as a workbook cell reads. Only
// not-awarded alone means every member unit but the winners.
func (p *parser) candidates(f *fields, at string, conf *domain.Conference, earlier map[string]domain.BallotSpec, all map[string]bool, b *domain.BallotSpec) int {
	path := child(at, "candidates")
	count := 0
	if cn := p.need(f, "candidates"); cn != nil {
		count = p.candidateTerms(cn, path, conf, earlier, all, b)
	}
	if pn := f.get("prerequisite"); pn != nil && p.scalar(pn, child(at, "prerequisite")) {
		id := strings.TrimSpace(pn.Value)
		switch {
		case b.Candidates.AwardedOf != "" && id != b.Candidates.AwardedOf:
			p.at(pn, child(at, "prerequisite"), "%s differs from candidates awarded:%s", id, b.Candidates.AwardedOf)
		case p.earlierBallot(pn, child(at, "prerequisite"), id, b.ID, earlier, all):
			b.Prerequisite = id
		}
	}
	return count
}

// term is one word of a candidates field, with where it was written.
type term struct {
	node *yaml.Node
	path string
	text string
}

// candidateTerms reads a candidates field's terms into b.
func (p *parser) candidateTerms(cn *yaml.Node, path string, conf *domain.Conference, earlier map[string]domain.BallotSpec, all map[string]bool, b *domain.BallotSpec) int {
	var terms []term
	switch cn.Kind {
	case yaml.ScalarNode:
		for _, part := range strings.Split(cn.Value, ",") {
			text := strings.TrimSpace(part)
			if text != "all" && !strings.HasPrefix(text, awardedPrefix) && !strings.HasPrefix(text, notAwardedPrefix) {
				p.at(cn, path, "must be all, awarded:BALLOT, not-awarded:BALLOT, or a list of member unit codes")
				return 0
			}
			terms = append(terms, term{cn, path, text})
		}
	case yaml.SequenceNode:
		if len(cn.Content) == 0 {
			p.at(cn, path, "must list at least one unit")
		}
		for j, item := range p.list(cn, path) {
			if cp := index(path, j); p.scalar(item, cp) {
				terms = append(terms, term{item, cp, strings.TrimSpace(item.Value)})
			}
		}
	default:
		p.at(cn, path, "must be all, awarded:BALLOT, not-awarded:BALLOT, or a list of member unit codes")
		return 0
	}

	base := "" // the first base term, to name it if another follows
	listed := map[string]bool{}
	for _, t := range terms {
		switch {
		case strings.HasPrefix(t.text, notAwardedPrefix):
			id := strings.TrimSpace(strings.TrimPrefix(t.text, notAwardedPrefix))
			switch {
			case listed[notAwardedPrefix+id]:
				p.at(t.node, t.path, "%s is listed twice", notAwardedPrefix+id)
			case !all[id]:
				// Any ballot of the file, later ones too: its result is
				// awaited when this one opens; a cycle is refused later.
				p.at(t.node, t.path, "not-awarded:%s names no ballot of this file", id)
			default:
				b.Candidates.NotAwardedOf = append(b.Candidates.NotAwardedOf, id)
			}
			listed[notAwardedPrefix+id] = true
			continue
		case base != "" && (t.text == "all" || strings.HasPrefix(t.text, awardedPrefix) || base == "all" || strings.HasPrefix(base, awardedPrefix)):
			p.at(t.node, t.path, "combines %s with %s: write one of all, awarded:BALLOT or unit codes, with any not-awarded:BALLOT", base, t.text)
			continue
		case t.text == "all":
			b.Candidates.All = true
		case strings.HasPrefix(t.text, awardedPrefix):
			id := strings.TrimSpace(strings.TrimPrefix(t.text, awardedPrefix))
			if p.earlierBallot(t.node, t.path, id, b.ID, earlier, all) {
				b.Candidates.AwardedOf = id
				b.Prerequisite = id
			}
		default:
			code := domain.NormalizeCode(t.text)
			if listed[code] {
				p.at(t.node, t.path, "%s is listed twice", code)
				continue
			}
			listed[code] = true
			if p.memberUnit(t.node, t.path, code) {
				b.Candidates.Codes = append(b.Candidates.Codes, code)
			}
		}
		if base == "" {
			base = t.text
		}
	}
	switch {
	case len(b.Candidates.NotAwardedOf) > 0:
		return 0 // known once the left-out ballots have results
	case b.Candidates.All:
		return len(conf.Units)
	}
	return len(b.Candidates.Codes)
}

// earlierBallot reports (and returns false for) an id that is not a ballot
// listed before this one.
func (p *parser) earlierBallot(n *yaml.Node, path, id, self string, earlier map[string]domain.BallotSpec, all map[string]bool) bool {
	if _, ok := earlier[id]; ok && id != self {
		return true
	}
	switch {
	case id == self:
		p.at(n, path, "prerequisite %q is not an earlier ballot (it is this ballot)", id)
	case all[id]:
		p.at(n, path, "prerequisite %q is not an earlier ballot (it comes later; ballots open in file order)", id)
	default:
		p.at(n, path, "prerequisite %q is not an earlier ballot (no ballot has that id)", id)
	}
	return false
}

// maxChoices reads max_choices: required for choose, 1 for elect, absent for approve.
func (p *parser) maxChoices(f *fields, at string, candidateCount int, b *domain.BallotSpec) {
	path := child(at, "max_choices")
	mn := f.get("max_choices")
	var value int64
	if mn != nil {
		var ok bool
		if value, ok = p.integer(mn, path); !ok {
			return
		}
	}
	switch b.Kind {
	case domain.KindChoose:
		switch {
		case mn == nil:
			p.need(f, "max_choices")
		case value < 1:
			p.at(mn, path, "%d must be at least 1", value)
		case candidateCount > 0 && value > int64(candidateCount):
			p.at(mn, path, "%d is more than the %d candidates", value, candidateCount)
		}
		b.MaxChoices = int(value)
	case domain.KindElect:
		if mn != nil && value != 1 {
			p.at(mn, path, "an elect ballot chooses one; leave max_choices out or write 1")
		}
		b.MaxChoices = 1
	case domain.KindApprove:
		if mn != nil {
			p.at(mn, path, "applies to choose ballots only; approve asks about each candidate")
		}
	}
}

// quota reads how many candidates may be awarded; elect awards one.
func (p *parser) quota(f *fields, at string, b *domain.BallotSpec) {
	path := child(at, "quota")
	qn := f.get("quota")
	if qn == nil {
		if b.Kind == domain.KindElect {
			b.Quota = 1
			return
		}
		p.need(f, "quota")
		return
	}
	q, ok := p.integer(qn, path)
	if !ok {
		return
	}
	switch {
	case q < 1:
		p.at(qn, path, "%d must be at least 1", q)
	case b.Kind == domain.KindElect && q != 1:
		p.at(qn, path, "an elect ballot awards one; write 1 or leave quota out")
	}
	b.Quota = int(q)
}

// threshold reads the share a candidate needs to pass.
func (p *parser) threshold(n *yaml.Node, path string) domain.Threshold {
	var t domain.Threshold
	f := p.mapping(n, path, "op", "percent", "of")
	if f == nil {
		return t
	}
	if on := p.need(f, "op"); on != nil {
		t.Op, _ = p.oneOf(on, child(path, "op"), ">", ">=")
	}
	if pn := p.need(f, "percent"); pn != nil {
		if v, ok := p.number(pn, child(path, "percent")); ok {
			switch {
			case v > 100:
				p.at(pn, child(path, "percent"), "%s is over 100", formatNumber(v))
			case v < 0:
				p.at(pn, child(path, "percent"), "%s is below 0", formatNumber(v))
			}
			t.Percent = v
		}
	}
	if bn := p.need(f, "of"); bn != nil {
		of, _ := p.oneOf(bn, child(path, "of"), string(domain.BaseMembers), string(domain.BasePresent), string(domain.BaseValid))
		t.Of = domain.ThresholdBase(of)
	}
	return t
}
