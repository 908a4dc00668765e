package handlers

// recordsCommands are the export, handover, new-year and audit commands.
func (r *Router) recordsCommands() []*command {
	if r.records() == nil {
		return nil // a Router without the records store (unit tests of other features)
	}
	return []*command{
		{name: "export", roles: staff, run: r.exportFiles},
		{name: "handover", roles: staff, run: r.handover},
		{name: "newyear", roles: staff, run: r.newYear},
		{name: "audit", roles: staff, run: r.auditLog},
	}
}
