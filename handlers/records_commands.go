package handlers

// recordsCommands are the export, minutes, handover, new-year and audit commands.
func (r *Router) recordsCommands() []*command { return nil }
