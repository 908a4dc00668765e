package domain

// QuorumAtClose is the conference's quorum as it stood when a round closed:
// what its tally reports, however attendance changes afterwards.
type QuorumAtClose struct {
	Reached    bool `json:"reached"`
	Present    int  `json:"present"`
	Eligible   int  `json:"eligible"`
	Overridden bool `json:"overridden"`
}

// ClosingFacts are what a round's tally depends on besides its counters,
// fixed in the same atomic step that closes the round. A tally computed from
// them and the (frozen) counters is the same whenever and wherever it runs,
// so a tally job retried after a crash publishes the same result.
type ClosingFacts struct {
	Present int                `json:"present"`          // eligible voters present: the base "of: present"
	Scores  map[string]float64 `json:"scores,omitempty"` // self-assessed scores, for tie: score
	Quorum  QuorumAtClose      `json:"quorum"`
}
