package conffile

import (
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/confbot/confbot/domain"
)

// paperwork reads the optional paperwork section: what the formal records
// print in their header (superior and issuing body, the number's suffix,
// the place), whom a passed title is proposed to, the Nơi nhận list and
// the ban kiểm phiếu.
func (p *parser) paperwork(n *yaml.Node) domain.Paperwork {
	var w domain.Paperwork
	if n == nil {
		return w
	}
	f := p.mapping(n, "paperwork", "superior_body", "issuing_body", "number_suffix", "place",
		"proposal_to", "recipients", "counting_board")
	if f == nil {
		return w
	}
	w.SuperiorBody = p.optionalText(f, "superior_body")
	w.IssuingBody = p.optionalText(f, "issuing_body")
	if suffix := p.optionalText(f, "number_suffix"); suffix != "" {
		if strings.ContainsAny(suffix, "/ \t") {
			p.at(f.get("number_suffix"), "paperwork.number_suffix", "%q must be one word without a slash, like BB-CTĐ8", suffix)
		}
		w.NumberSuffix = suffix
	}
	w.Place = p.optionalText(f, "place")
	w.ProposalTo = p.optionalText(f, "proposal_to")
	for i, item := range p.list(f.get("recipients"), "paperwork.recipients") {
		at := index("paperwork.recipients", i)
		if !p.scalar(item, at) {
			continue
		}
		line := strings.TrimSpace(item.Value)
		if line == "" {
			p.at(item, at, "must not be empty")
			continue
		}
		w.Recipients = append(w.Recipients, line)
	}
	w.CountingBoard = p.countingBoard(f.get("counting_board"), "paperwork.counting_board")
	return w
}

// countingBoard reads a ban kiểm phiếu: a list of people, the first the
// trưởng ban, each with a name and optionally a rank and position.
func (p *parser) countingBoard(n *yaml.Node, path string) []domain.Signer {
	if n == nil {
		return nil
	}
	items := p.list(n, path)
	if n.Kind == yaml.SequenceNode && len(items) == 0 {
		p.at(n, path, "must list at least one person (the first is the head of the board), or be left out")
	}
	var board []domain.Signer
	seen := map[string]int{}
	for i, item := range items {
		at := index(path, i)
		f := p.mapping(item, at, "name", "rank", "position")
		if f == nil {
			continue
		}
		var s domain.Signer
		s.Name, _ = p.text(f, "name")
		if line := seen[s.Name]; s.Name != "" && line != 0 {
			p.at(f.get("name"), child(at, "name"), "%s is listed twice (first at line %d)", s.Name, line)
		} else if s.Name != "" {
			seen[s.Name] = f.get("name").Line
		}
		s.Rank = p.optionalText(f, "rank")
		s.Position = p.optionalText(f, "position")
		board = append(board, s)
	}
	return board
}
