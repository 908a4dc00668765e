package handlers

import "context"

// converse continues a conversation the person has open, if any; it
// reports whether the message was taken.
func (r *Router) converse(ctx context.Context, req *request) (bool, error) { return false, nil }
