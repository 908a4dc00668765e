package conffile

import (
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/confbot/confbot/domain"
)

// usernamePattern is a Telegram username, with or without its @.
var usernamePattern = regexp.MustCompile(`^@?[A-Za-z0-9_]{4,32}$`)

// people reads the optional people list.
func (p *parser) people(n *yaml.Node) []domain.Person {
	ids := map[int64]int{}        // Telegram id → line first seen
	usernames := map[string]int{} // lower-case username → line first seen
	var out []domain.Person
	for i, item := range p.list(n, "people") {
		at := index("people", i)
		f := p.mapping(item, at, "id", "username", "name", "unit", "roles", "rank", "position")
		if f == nil {
			continue
		}
		var person domain.Person
		if idn := f.get("id"); idn != nil {
			if id, ok := p.integer(idn, child(at, "id")); ok {
				switch {
				case id <= 0:
					p.at(idn, child(at, "id"), "%d is not a Telegram user id (a positive number)", id)
				case ids[id] != 0:
					p.at(idn, child(at, "id"), "%d is listed twice (first at line %d)", id, ids[id])
				default:
					ids[id] = idn.Line
				}
				person.TelegramID = id
			}
		}
		if un := f.get("username"); un != nil && p.scalar(un, child(at, "username")) {
			name := strings.TrimSpace(un.Value)
			lower := strings.ToLower(strings.TrimPrefix(name, "@"))
			switch {
			case !usernamePattern.MatchString(name):
				p.at(un, child(at, "username"), "%q is not a Telegram username (@name: 4 to 32 of A-Z, a-z, 0-9 and _)", name)
			case usernames[lower] != 0:
				p.at(un, child(at, "username"), "@%s is listed twice (first at line %d)", lower, usernames[lower])
			default:
				usernames[lower] = un.Line
			}
			person.Username = lower
		}
		if f.get("id") == nil && f.get("username") == nil {
			p.at(f.node, at, "needs an id or a username (or both) to recognise the person")
		}
		person.Name, _ = p.text(f, "name")
		person.Rank = p.optionalText(f, "rank")
		person.Position = p.optionalText(f, "position")
		var unit domain.Unit
		if code, ok := p.text(f, "unit"); ok {
			code = domain.NormalizeCode(code)
			var declared bool
			if unit, declared = p.declared[code]; !declared {
				p.at(f.get("unit"), child(at, "unit"), "unit %s is not declared under units or guests", code)
			}
			person.Unit = code
		}
		person.Roles = p.roles(f, at, unit)
		out = append(out, person)
	}
	return out
}

// roles reads a person's roles and checks each against the unit: observers
// come from guests, heads and delegates from member units. unit is zero when
// the person's unit is unknown, and then only the role names are checked.
func (p *parser) roles(f *fields, at string, unit domain.Unit) []domain.Role {
	rn := p.need(f, "roles")
	if rn == nil {
		return nil
	}
	path := child(at, "roles")
	items := p.list(rn, path)
	if rn.Kind == yaml.SequenceNode && len(items) == 0 {
		p.at(rn, path, "must list at least one role")
	}
	var roles []domain.Role
	for j, item := range items {
		rp := index(path, j)
		if !p.scalar(item, rp) {
			continue
		}
		role := domain.Role(strings.TrimSpace(item.Value))
		switch {
		case role == domain.RoleAdmin:
			p.at(item, rp, "admin comes from BOT_ADMINS, not from the conference file")
			continue
		case !role.Valid():
			p.at(item, rp, "%q is not a role (secretary, head, delegate, observer)", item.Value)
			continue
		case contains(rolesText(roles), string(role)):
			p.at(item, rp, "%s is listed twice", role)
			continue
		}
		if unit.Code != "" {
			switch {
			case role == domain.RoleObserver && !unit.Guest:
				p.at(item, rp, "observer is a guest's role, and %s is a member unit", unit.Code)
			case (role == domain.RoleHead || role == domain.RoleDelegate) && unit.Guest:
				p.at(item, rp, "%s belongs to a member unit, and %s is a guest", role, unit.Code)
			}
		}
		roles = append(roles, role)
	}
	return roles
}

// rolesText lists roles as plain strings.
func rolesText(roles []domain.Role) []string {
	out := make([]string, len(roles))
	for i, r := range roles {
		out[i] = string(r)
	}
	return out
}
