package handlers

// ballotCommands are the ballot, vote, tally and receipt commands.
func (r *Router) ballotCommands() []*command { return nil }

// ballotButtons are their buttons, by callback data prefix.
func (r *Router) ballotButtons() map[string]buttonFunc { return nil }
