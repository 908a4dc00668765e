package handlers

import "github.com/confbot/confbot/domain"

// ballotCommands are the ballot, vote, tally and receipt commands.
func (r *Router) ballotCommands() []*command {
	return []*command{
		{name: "ballot", roles: staff, run: r.ballot},
		{name: "vote", run: r.vote},
		{name: "tally", run: r.tally},
		{name: "receipts", run: r.receipts},
		{name: "authorize", roles: []domain.Role{domain.RoleHead}, run: r.authorize},
	}
}

// ballotButtons are their buttons, by callback data prefix.
func (r *Router) ballotButtons() map[string]buttonFunc {
	return map[string]buttonFunc{
		"bv": r.voteButton("bv"),
		"bc": r.voteButton("bc"),
		"bs": r.voteButton("bs"),
		"be": r.voteButton("be"),
		"bo": r.staffBallotButton("open"),
		"bx": r.staffBallotButton("close"),
		"au": r.authorizeButton,
	}
}
