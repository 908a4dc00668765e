package domain

// QuorumStatus says whether present of eligible meets quorum q, and need, the
// fewest present that meet it. For QuorumOfMembers the caller passes member
// units with at least one checked-in person and all member units; for
// QuorumOfDelegates, checked-in voting delegates and all voting delegates.
// Guests are never counted, in either number: leaving them out is the
// caller's duty, since only it knows who is present.
//
// Like thresholds, the share is compared as the minutes print it, rounded
// half up to two decimals, and must be at least q.Percent: "66.67" means two
// thirds, so 4 of 6 member units reach it. With nobody eligible the quorum is
// never reached (need is 0); a percentage above 100 cannot be met (need is
// eligible+1).
func QuorumStatus(q Quorum, present, eligible int) (reached bool, need int) {
	if eligible <= 0 {
		return false, 0
	}
	want := hundredths(q.Percent)
	need = eligible + 1
	for n := 0; n <= eligible; n++ {
		if percentHundredths(n, eligible) >= want {
			need = n
			break
		}
	}
	return present >= need, need
}
