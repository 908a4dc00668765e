package handlers

import "context"

// converse continues a conversation the person has open, if any; it
// reports whether the message was taken.
func (r *Router) converse(ctx context.Context, req *request) (bool, error) {
	if r.att() == nil {
		return false, nil
	}
	draft, found, err := r.loadDraft(ctx, req.user.ID)
	if err != nil {
		return true, r.fail(ctx, req, err)
	}
	if !found {
		if req.msg.Document != nil && req.active != nil {
			return true, r.reply(ctx, req, "summary.use_command")
		}
		return false, nil
	}
	if err := r.continueSummary(ctx, req, draft); err != nil {
		return true, r.fail(ctx, req, err)
	}
	return true, nil
}

// skip passes over the optional text.
func (r *Router) skip(ctx context.Context, req *request) error {
	draft, found, err := r.loadDraft(ctx, req.user.ID)
	if err != nil {
		return err
	}
	if !found {
		return r.reply(ctx, req, "conversation.none")
	}
	if draft.Step != stepText {
		key := map[string]string{stepDocument: "summary.need_document", stepScore: "summary.score_required"}[draft.Step]
		return r.reply(ctx, req, key)
	}
	c, err := r.Store.Conference(ctx, draft.Ref)
	if err != nil {
		return err
	}
	draft.Step = stepScore
	return r.saveDraft(ctx, req, c, draft)
}

// cancel ends the open conversation; nothing of it was stored.
func (r *Router) cancel(ctx context.Context, req *request) error {
	ended, err := r.att().EndConversation(ctx, req.user.ID)
	if err != nil {
		return err
	}
	if !ended {
		return r.reply(ctx, req, "conversation.none")
	}
	return r.reply(ctx, req, "conversation.cancelled")
}
