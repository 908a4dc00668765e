package domain_test

import (
	"errors"
	"testing"

	"github.com/confbot/confbot/domain"
)

func TestRecordNext(t *testing.T) {
	tests := []struct {
		name         string
		chair, dep   string // recorded before
		office       domain.Office
		unit         string
		wantChair    string
		wantDeputy   string
		wantPrevious string
		wantErr      error
	}{
		{name: "first chair", office: domain.OfficeChair, unit: "VKHCN", wantChair: "VKHCN"},
		{name: "first deputy", chair: "VKHCN", office: domain.OfficeDeputy, unit: "KHTC", wantChair: "VKHCN", wantDeputy: "KHTC"},
		{name: "deputy replaced", chair: "VKHCN", dep: "KHTC", office: domain.OfficeDeputy, unit: "QLXD",
			wantChair: "VKHCN", wantDeputy: "QLXD", wantPrevious: "KHTC"},
		{name: "chair replaced", chair: "VKHCN", dep: "KHTC", office: domain.OfficeChair, unit: "TBKV",
			wantChair: "TBKV", wantDeputy: "KHTC", wantPrevious: "VKHCN"},
		{name: "deputy unchanged", dep: "KHTC", office: domain.OfficeDeputy, unit: "KHTC",
			wantDeputy: "KHTC", wantPrevious: "KHTC", wantErr: domain.ErrNextUnchanged},
		{name: "the chair as deputy", chair: "VKHCN", office: domain.OfficeDeputy, unit: "VKHCN",
			wantChair: "VKHCN", wantErr: domain.ErrChairIsDeputy},
		{name: "the deputy as chair", dep: "KHTC", office: domain.OfficeChair, unit: "KHTC",
			wantDeputy: "KHTC", wantErr: domain.ErrChairIsDeputy},
		{name: "a guest", office: domain.OfficeDeputy, unit: "CTDCT", wantErr: domain.ErrInvalid},
		{name: "an unknown unit", office: domain.OfficeChair, unit: "NOPE", wantErr: domain.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := refConference()
			c.NextChairUnit, c.NextDeputyUnit = tt.chair, tt.dep
			previous, err := c.RecordNext(tt.office, tt.unit)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Fatalf("RecordNext() error = %v, want %v", err, tt.wantErr)
			}
			if c.NextChairUnit != tt.wantChair || c.NextDeputyUnit != tt.wantDeputy {
				t.Errorf("after RecordNext: chair %q deputy %q, want %q %q", c.NextChairUnit, c.NextDeputyUnit, tt.wantChair, tt.wantDeputy)
			}
			if err == nil && previous != tt.wantPrevious {
				t.Errorf("previous = %q, want %q", previous, tt.wantPrevious)
			}
		})
	}
}

func TestSuccessorsOf(t *testing.T) {
	tests := []struct {
		name              string
		deputy            string // this year's deputy chair unit
		nextChair, nextDp string
		want              domain.Successors
		wantErr           error
	}{
		{name: "both elected", deputy: "VKHCN", nextChair: "VKHCN", nextDp: "KHTC",
			want: domain.Successors{Chair: "VKHCN", Deputy: "KHTC"}},
		{name: "chair elected, no deputy", deputy: "VKHCN", nextChair: "TBKV",
			want: domain.Successors{Chair: "TBKV"}},
		{name: "no chair: this year's deputy proposed", deputy: "VKHCN", nextDp: "KHTC",
			want: domain.Successors{Chair: "VKHCN", Deputy: "KHTC", ChairProposed: true}},
		{name: "no chair, no election: this year's deputy proposed", deputy: "VKHCN",
			want: domain.Successors{Chair: "VKHCN", ChairProposed: true}},
		{name: "the proposed chair was elected deputy: no deputy", deputy: "VKHCN", nextDp: "VKHCN",
			want: domain.Successors{Chair: "VKHCN", ChairProposed: true}},
		{name: "nobody to chair", nextDp: "KHTC", wantErr: domain.ErrNoNextChair},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := refConference()
			c.DeputyUnit, c.NextChairUnit, c.NextDeputyUnit = tt.deputy, tt.nextChair, tt.nextDp
			got, err := domain.SuccessorsOf(c)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Fatalf("SuccessorsOf() error = %v, want %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("SuccessorsOf() = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestOfficeOf(t *testing.T) {
	for onResult, want := range map[string]domain.Office{"handover": domain.OfficeChair, "deputy": domain.OfficeDeputy, "": ""} {
		b := domain.BallotSpec{Kind: domain.KindElect, OnResult: onResult}
		if got := domain.OfficeOf(b); got != want {
			t.Errorf("OfficeOf(on_result %q) = %q, want %q", onResult, got, want)
		}
		if b.Elects() != (want != "") {
			t.Errorf("Elects(on_result %q) = %v", onResult, b.Elects())
		}
	}
}
