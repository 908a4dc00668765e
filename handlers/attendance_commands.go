package handlers

// attendanceCommands are the attendance, check-in, quorum and summary commands.
func (r *Router) attendanceCommands() []*command { return nil }

// attendanceButtons are their buttons, by callback data prefix.
func (r *Router) attendanceButtons() map[string]buttonFunc { return nil }
