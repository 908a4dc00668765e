package domain_test

import (
	"errors"
	"testing"
	"time"

	"github.com/confbot/confbot/domain"
)

func TestParseAttendAnswer(t *testing.T) {
	tests := []struct {
		name, in string
		want     domain.AttendAnswer
		ok       bool
	}{
		{"yes", "yes", domain.AttendYes, true},
		{"upper case", "YES", domain.AttendYes, true},
		{"vietnamese yes", "có", domain.AttendYes, true},
		{"no", "no", domain.AttendNo, true},
		{"vietnamese no", "không", domain.AttendNo, true},
		{"substitute", "substitute", domain.AttendSubstitute, true},
		{"short substitute", "thay", domain.AttendSubstitute, true},
		{"nonsense", "maybe", "", false},
		{"empty", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := domain.ParseAttendAnswer(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("ParseAttendAnswer(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestCleanName(t *testing.T) {
	long := make([]rune, domain.MaxNameLength+1)
	for i := range long {
		long[i] = 'ă'
	}
	tests := []struct {
		name, in, want string
		wantErr        bool
	}{
		{"spaces collapse", "  Nguyễn   Văn  An ", "Nguyễn Văn An", false},
		{"empty", "", "", false},
		{"too long", string(long), "", true},
		{"control", "An\x07", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := domain.CleanName(tt.in)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("CleanName(%q) = %q, %v", tt.in, got, err)
			}
		})
	}
}

func TestCheckinCode(t *testing.T) {
	seed := []byte("0123456789abcdef0123456789abcdef")
	at := time.Date(2022, 11, 24, 7, 31, 0, 0, time.UTC)
	code := domain.CheckinCode(seed, at)
	if len(code) != 6 {
		t.Fatalf("code %q is not six digits", code)
	}
	tests := []struct {
		name string
		code string
		at   time.Time
		want bool
	}{
		{"same window", code, at.Add(3 * time.Minute), true},
		{"next window still accepts it", code, at.Add(6 * time.Minute), true},
		{"two windows later it is gone", code, at.Add(11 * time.Minute), false},
		{"before it was shown", code, at.Add(-5 * time.Minute), false},
		{"wrong digits", "000000", at, code == "000000"},
		{"too short", code[:5], at, false},
		{"padded with spaces", " " + code + " ", at, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := domain.CheckinCodeValid(seed, tt.code, tt.at); got != tt.want {
				t.Errorf("CheckinCodeValid(%q, %v) = %v, want %v", tt.code, tt.at, got, tt.want)
			}
		})
	}
	if other := domain.CheckinCode([]byte("another seed"), at); other == code {
		t.Errorf("two seeds give the same code %s", code)
	}
	if got := domain.CheckinCodeChanges(at); !got.Equal(time.Date(2022, 11, 24, 7, 35, 0, 0, time.UTC)) {
		t.Errorf("CheckinCodeChanges = %v", got)
	}
}

func TestParseScore(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		max     float64
		want    float64
		wantErr error
	}{
		{"integer", "96", 100, 96, nil},
		{"one decimal", "96.5", 100, 96.5, nil},
		{"decimal comma", "92,25", 100, 92.25, nil},
		{"zero", "0", 100, 0, nil},
		{"the maximum", "100", 100, 100, nil},
		{"default scale", "100", 0, 100, nil},
		{"other scale", "950.5", 1000, 950.5, nil},
		{"above the maximum", "150", 100, 0, domain.ErrScoreRange},
		{"a hundredth above", "100.01", 100, 0, domain.ErrScoreRange},
		{"three decimals", "96.555", 100, 0, domain.ErrScorePrecision},
		{"letters", "abc", 100, 0, domain.ErrScoreNotNumber},
		{"negative", "-5", 100, 0, domain.ErrScoreNotNumber},
		{"exponent", "1e2", 100, 0, domain.ErrScoreNotNumber},
		{"empty", "", 100, 0, domain.ErrScoreNotNumber},
		{"trailing dot", "96.", 100, 0, domain.ErrScoreNotNumber},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := domain.ParseScore(tt.in, tt.max)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) || !errors.Is(err, domain.ErrInvalid) {
					t.Errorf("ParseScore(%q) error = %v, want %v", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("ParseScore(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestDocumentTypes(t *testing.T) {
	tests := []struct {
		name, file, mime string
		data             []byte
		allowed, content bool
	}{
		{"pdf", "bao-cao.pdf", "application/pdf", []byte("%PDF-1.7 ..."), true, true},
		{"pdf with generic mime", "BAO-CAO.PDF", "application/octet-stream", []byte("%PDF-1.4"), true, true},
		{"docx", "bc.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", []byte("PK\x03\x04rest"), true, true},
		{"xlsx", "diem.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", []byte("PK\x03\x04"), true, true},
		{"doc", "bc.doc", "application/msword", []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0}, true, true},
		{"xls", "bc.xls", "application/vnd.ms-excel", []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, true, true},
		{"odt", "bc.odt", "application/vnd.oasis.opendocument.text", []byte("PK\x03\x04"), true, true},
		{"renamed picture", "bc.pdf", "application/pdf", []byte("\x89PNG\r\n"), true, false},
		{"picture", "anh.png", "image/png", []byte("\x89PNG"), false, false},
		{"pdf extension, image mime", "bc.pdf", "image/jpeg", []byte("%PDF"), false, true},
		{"program", "setup.exe", "application/octet-stream", []byte("MZ"), false, false},
		{"no extension", "baocao", "application/pdf", []byte("%PDF"), false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := domain.DocumentAllowed(tt.file, tt.mime); got != tt.allowed {
				t.Errorf("DocumentAllowed(%q, %q) = %v", tt.file, tt.mime, got)
			}
			if got := domain.DocumentContentMatches(tt.file, tt.data); got != tt.content {
				t.Errorf("DocumentContentMatches(%q) = %v", tt.file, got)
			}
		})
	}
}

func TestSummaryLateAndOwed(t *testing.T) {
	deadline := time.Date(2022, 11, 17, 17, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		deadline time.Time
		at       time.Time
		want     bool
	}{
		{"before", deadline, deadline.Add(-time.Hour), false},
		{"at the deadline", deadline, deadline, false},
		{"a second after", deadline, deadline.Add(time.Second), true},
		{"no deadline", time.Time{}, deadline, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := domain.SummaryLate(tt.deadline, tt.at); got != tt.want {
				t.Errorf("SummaryLate = %v, want %v", got, tt.want)
			}
		})
	}
	c := referenceConference()
	owed := c.UnitsOwingSummary(map[string]domain.SummaryVersion{"CNTT": {}, "VTCY": {}, "CTDCT": {}})
	if got, want := len(owed), 4; got != want || owed[0] != "KHTC" || owed[3] != "VKHCN" {
		t.Errorf("UnitsOwingSummary = %v", owed)
	}
}

// referenceConference is the shape of examples/cum8-2022.yaml.
func referenceConference() *domain.Conference {
	c := &domain.Conference{Cluster: domain.Cluster{ID: "cum8-bt"}, ID: "tk-2022",
		Quorum: domain.Quorum{Percent: 66.67, Of: domain.QuorumOfMembers}}
	for _, code := range []string{"CNTT", "KHTC", "QLXD", "TBKV", "VTCY", "VKHCN"} {
		c.Units = append(c.Units, domain.Unit{Code: code})
	}
	c.Guests = []domain.Unit{{Code: "CTDCT", Guest: true}}
	return c
}

func referenceAttendees() map[int64]domain.Attendee {
	head := []domain.Role{domain.RoleHead}
	return map[int64]domain.Attendee{
		100001: {Unit: "CNTT", Roles: []domain.Role{domain.RoleHead, domain.RoleSecretary}},
		100002: {Unit: "KHTC", Roles: head}, 100003: {Unit: "QLXD", Roles: head},
		100004: {Unit: "TBKV", Roles: head}, 100005: {Unit: "VTCY", Roles: head},
		100006: {Unit: "VKHCN", Roles: head},
		100011: {Unit: "CNTT", Roles: []domain.Role{domain.RoleDelegate, domain.RoleSecretary}},
		100012: {Unit: "KHTC", Roles: []domain.Role{domain.RoleDelegate}},
		100021: {Unit: "CTDCT", Roles: []domain.Role{domain.RoleObserver}},
		100031: {Unit: "QLXD", Roles: []domain.Role{domain.RoleSecretary}}, // a secretary only: never counts
	}
}

func TestAttendanceQuorum(t *testing.T) {
	here := domain.Presence{}
	delegates := func(c *domain.Conference) *domain.Conference {
		c.Quorum = domain.Quorum{Percent: 60, Of: domain.QuorumOfDelegates}
		return c
	}
	tests := []struct {
		name    string
		conf    *domain.Conference
		present []int64
		units   []string
		want    domain.QuorumCount
	}{
		{"nobody", referenceConference(), nil, nil,
			domain.QuorumCount{Of: domain.QuorumOfMembers, Present: 0, Eligible: 6, Need: 4}},
		{"three heads and the guest", referenceConference(), []int64{100001, 100002, 100003, 100021}, nil,
			domain.QuorumCount{Of: domain.QuorumOfMembers, Present: 3, Eligible: 6, Need: 4, Guests: 1}},
		{"two of one unit count once", referenceConference(), []int64{100001, 100011, 100002, 100003}, nil,
			domain.QuorumCount{Of: domain.QuorumOfMembers, Present: 3, Eligible: 6, Need: 4}},
		{"a secretary only does not make the unit present", referenceConference(), []int64{100031}, nil,
			domain.QuorumCount{Of: domain.QuorumOfMembers, Present: 0, Eligible: 6, Need: 4}},
		{"four checked in, one marked: reached", referenceConference(), []int64{100001, 100002, 100003, 100004}, []string{"VTCY"},
			domain.QuorumCount{Of: domain.QuorumOfMembers, Present: 5, Eligible: 6, Need: 4, Reached: true}},
		{"delegates: 5 of 8 voting people", delegates(referenceConference()), []int64{100001, 100011, 100002, 100012, 100021}, []string{"QLXD"},
			domain.QuorumCount{Of: domain.QuorumOfDelegates, Present: 5, Eligible: 8, Need: 5, Reached: true, Guests: 1}},
		{"delegates: 4 of 8", delegates(referenceConference()), []int64{100001, 100011, 100002, 100012}, nil,
			domain.QuorumCount{Of: domain.QuorumOfDelegates, Present: 4, Eligible: 8, Need: 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := domain.AttendanceState{People: referenceAttendees(), Present: map[int64]domain.Presence{}, UnitsPresent: map[string]domain.Presence{}}
			for _, id := range tt.present {
				st.Present[id] = here
			}
			for _, u := range tt.units {
				st.UnitsPresent[u] = here
			}
			if got := st.Quorum(tt.conf); got != tt.want {
				t.Errorf("Quorum() = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestAttendanceStatus(t *testing.T) {
	c := referenceConference()
	st := domain.AttendanceState{
		People: referenceAttendees(),
		Registered: map[int64]domain.Attendance{
			100001: {Answer: domain.AttendYes}, 100011: {Answer: domain.AttendYes},
			100002: {Answer: domain.AttendSubstitute}, 100003: {Answer: domain.AttendNo},
		},
		Present:      map[int64]domain.Presence{100002: {}, 100021: {}},
		UnitsPresent: map[string]domain.Presence{"VTCY": {}},
		Summaries:    map[string]domain.SummaryVersion{"KHTC": {Score: 92.5, Version: 2}},
	}
	board := st.Status(c)
	if len(board) != 7 || board[0].Unit.Code != "CNTT" || board[6].Unit.Code != "CTDCT" {
		t.Fatalf("board order: %+v", board)
	}
	tests := []struct {
		name string
		got  domain.UnitStatus
		want func(domain.UnitStatus) bool
	}{
		{"CNTT: both registered yes, absent", board[0], func(u domain.UnitStatus) bool {
			return u.People == 2 && u.Registered == 2 && u.Yes == 2 && !u.Present && u.Summary == nil
		}},
		{"KHTC: one substitute of two, present, summary v2", board[1], func(u domain.UnitStatus) bool {
			return u.People == 2 && u.Registered == 1 && u.Substitute == 1 && u.Present && u.Summary != nil && u.Summary.Version == 2
		}},
		{"QLXD: the head said no; the secretary is counted as a person", board[2], func(u domain.UnitStatus) bool {
			return u.People == 2 && u.Registered == 1 && u.No == 1 && !u.Present
		}},
		{"VTCY: marked present as a unit", board[4], func(u domain.UnitStatus) bool { return u.Present && u.Registered == 0 }},
		{"guest present", board[6], func(u domain.UnitStatus) bool { return u.Present && u.People == 1 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !tt.want(tt.got) {
				t.Errorf("%+v", tt.got)
			}
		})
	}
}

func TestPresentVoters(t *testing.T) {
	c := referenceConference()
	st := domain.AttendanceState{People: referenceAttendees(),
		Present:      map[int64]domain.Presence{100001: {}, 100011: {}, 100021: {}, 100031: {}},
		UnitsPresent: map[string]domain.Presence{"KHTC": {}}}
	tests := []struct {
		name string
		kind domain.VoterKind
		want int
	}{
		{"units: CNTT and KHTC", domain.VotersUnit, 2},
		{"delegates: two of CNTT, two of marked KHTC; guest and bare secretary left out", domain.VotersDelegate, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := st.PresentVoters(c, tt.kind); got != tt.want {
				t.Errorf("PresentVoters(%s) = %d, want %d", tt.kind, got, tt.want)
			}
		})
	}
}
