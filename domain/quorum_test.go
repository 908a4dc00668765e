package domain_test

import (
	"testing"

	"github.com/confbot/confbot/domain"
)

func TestQuorumStatus(t *testing.T) {
	members := func(p float64) domain.Quorum { return domain.Quorum{Percent: p, Of: domain.QuorumOfMembers} }
	delegates := func(p float64) domain.Quorum { return domain.Quorum{Percent: p, Of: domain.QuorumOfDelegates} }
	tests := []struct {
		name              string
		quorum            domain.Quorum
		present, eligible int
		wantReached       bool
		wantNeed          int
	}{
		// The reference file: 66.67 % of 6 member units. 4/6 prints as 66.67: two thirds.
		{"reference, 3 of 6", members(66.67), 3, 6, false, 4},
		{"reference, 4 of 6", members(66.67), 4, 6, true, 4},
		{"reference, all 6", members(66.67), 6, 6, true, 4},
		{"two thirds of 9 is 6", members(66.67), 5, 9, false, 6},
		{"half of 6 is 3", members(50), 3, 6, true, 3},
		// 75 % of 7: 5/7 = 71.43, 6/7 = 85.71.
		{"75 % of 7 needs 6", members(75), 5, 7, false, 6},
		{"everyone", members(100), 5, 6, false, 6},
		{"no quorum required", members(0), 0, 6, true, 0},
		{"nobody eligible", members(50), 0, 0, false, 0},
		{"impossible percentage", members(150), 6, 6, false, 7},
		// Delegates: the caller passes voting delegates, guests left out.
		{"60 % of 10 delegates", delegates(60), 6, 10, true, 6},
		{"60 % of 10 delegates, 5 present", delegates(60), 5, 10, false, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reached, need := domain.QuorumStatus(tt.quorum, tt.present, tt.eligible)
			if reached != tt.wantReached || need != tt.wantNeed {
				t.Errorf("QuorumStatus() = %v, %d; want %v, %d", reached, need, tt.wantReached, tt.wantNeed)
			}
		})
	}
}
