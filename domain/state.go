package domain

import "fmt"

// ConferenceState is where a conference is in its year.
type ConferenceState string

// Conference states, in order (SPEC §1).
const (
	StateDraft     ConferenceState = "draft"      // being set up
	StateOpen      ConferenceState = "open"       // registration and summaries
	StateInSession ConferenceState = "in_session" // check-in, ballots
	StateClosed    ConferenceState = "closed"     // results final, minutes
	StateArchived  ConferenceState = "archived"
)

// nextState lists the one legal move out of each state.
var nextState = map[ConferenceState]ConferenceState{
	StateDraft:     StateOpen,
	StateOpen:      StateInSession,
	StateInSession: StateClosed,
	StateClosed:    StateArchived,
}

// Transition moves the conference to state to, or says why it may not.
func (c *Conference) Transition(to ConferenceState) error {
	from := c.State
	if from == "" {
		from = StateDraft
	}
	if next, ok := nextState[from]; !ok || next != to {
		return fmt.Errorf("%w: conference %s is %s and cannot become %s", ErrIllegalState, c.Ref(), from, to)
	}
	c.State = to
	return nil
}

// Editable reports whether the conference file may still be re-imported over it.
func (c *Conference) Editable() bool {
	return c.State == "" || c.State == StateDraft || c.State == StateOpen
}
