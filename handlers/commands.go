package handlers

import (
	"context"

	"github.com/confbot/confbot/domain"
)

// command is one slash command: who may use it, its help line, what it does.
type command struct {
	name  string
	roles []domain.Role // empty: everyone
	run   func(ctx context.Context, req *request) error
}

func (c *command) allowed(req *request) bool {
	return len(c.roles) == 0 || req.has(c.roles...)
}

// helpKey is the catalogue key of the command's line in /help.
func (c *command) helpKey() string { return "help.cmd." + c.name }

// descKey is the catalogue key of the command's setMyCommands description.
func (c *command) descKey() string { return "cmd.desc." + c.name }

// register lists every command the bot answers; /help and setMyCommands are
// derived from it, so they never mention a command that does not exist.
// Each feature lists its own commands in its own file.
func (r *Router) register() {
	for _, group := range [][]*command{r.setupCommands(), r.attendanceCommands(), r.ballotCommands(), r.reminderCommands(), r.recordsCommands()} {
		for _, c := range group {
			r.commands[c.name] = c
			r.order = append(r.order, c)
		}
	}
}

// changesConference lists the commands that change a conference's
// attendance, summaries or ballots: once it is closed they are refused (its
// record is final), while reading commands (/status, /tally, /export) go on.
var changesConference = map[string]bool{
	"attend": true, "checkin": true, "present": true, "summary": true, "vote": true,
	"ballot": true, "quorum": true, "invite": true, "bind": true, "remind": true, "authorize": true,
}

// staff may run a conference: its secretaries and the bot's admins.
var staff = []domain.Role{domain.RoleSecretary, domain.RoleAdmin}

func (r *Router) setupCommands() []*command {
	return []*command{
		{name: "start", run: r.start},
		{name: "help", run: r.help},
		{name: "whoami", run: r.whoami},
		{name: "lang", run: r.lang},
		{name: "use", run: r.use},
		{name: "invite", roles: staff, run: r.invite},
		{name: "bind", roles: staff, run: r.bind},
		{name: "import", roles: []domain.Role{domain.RoleAdmin}, run: r.importFile},
		{name: "template", roles: staff, run: r.template},
	}
}
