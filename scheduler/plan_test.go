package scheduler_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/scheduler"
)

func jobLines(jobs []scheduler.Job, loc *time.Location) []string {
	out := make([]string, len(jobs))
	for i, j := range jobs {
		out[i] = j.DueAt.In(loc).Format("2006-01-02 15:04 MST") + " " + j.ID
	}
	return out
}

func sameLines(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestPlanReferenceConference(t *testing.T) {
	conf := cum8()
	jobs, err := scheduler.Plan(conf, map[string]time.Time{"co-bca": at(hcm, "2022-11-24 09:15")},
		at(hcm, "2022-11-10 00:00"), at(hcm, "2022-11-17 23:59"))
	if err != nil {
		t.Fatal(err)
	}
	sameLines(t, jobLines(jobs, hcm), []string{
		"2022-11-10 17:00 +07 digest/secretaries/2022-11-10T17:00",
		"2022-11-10 17:00 +07 summary_deadline/168h",
		"2022-11-11 17:00 +07 digest/secretaries/2022-11-11T17:00",
		"2022-11-14 17:00 +07 digest/secretaries/2022-11-14T17:00",
		"2022-11-14 17:00 +07 summary_deadline/72h",
		"2022-11-15 17:00 +07 digest/secretaries/2022-11-15T17:00",
		"2022-11-16 17:00 +07 digest/secretaries/2022-11-16T17:00",
		"2022-11-16 17:00 +07 summary_deadline/24h",
		"2022-11-17 15:00 +07 summary_deadline/2h",
		"2022-11-17 17:00 +07 digest/secretaries/2022-11-17T17:00",
		"2022-11-21 08:00 +07 conference/72h",
		"2022-11-23 08:00 +07 conference/24h",
		"2022-11-24 07:00 +07 conference/1h",
		"2022-11-24 09:10 +07 ballot_close/co-bca/5m",
		"2022-11-24 09:14 +07 ballot_close/co-bca/1m",
	})
	for _, j := range jobs {
		if j.Conference != "cum8-bt/tk-2022" || j.Grace != 6*time.Hour {
			t.Errorf("%s: conference %q grace %v", j.ID, j.Conference, j.Grace)
		}
	}
}

func TestPlanDigestBounds(t *testing.T) {
	tests := []struct {
		name         string
		cron         string
		from, until  string // "" for none
		since, upto  string
		wantFirst    string
		wantLast     string
		wantN        int
		wantFirstUTC string
	}{
		{"until a date covers that day", "0 17 * * MON-FRI", "2022-11-01 00:00", "2022-11-24 00:00", "2022-10-01 00:00", "2022-12-31 00:00",
			"2022-11-01 17:00", "2022-11-24 17:00", 18, "2022-11-01 10:00"},
		{"until a time is that minute", "0 17 * * MON-FRI", "2022-11-01 00:00", "2022-11-24 16:59", "2022-10-01 00:00", "2022-12-31 00:00",
			"2022-11-01 17:00", "2022-11-23 17:00", 17, "2022-11-01 10:00"},
		{"unbounded: the planning window", "30 8 * * *", "", "", "2022-11-20 08:30", "2022-11-22 08:30",
			"2022-11-20 08:30", "2022-11-22 08:30", 3, "2022-11-20 01:30"},
		{"@every aligned on the local clock, not on the window", "@every 6h", "", "", "2022-11-20 08:10", "2022-11-21 08:10",
			"2022-11-20 12:00", "2022-11-21 06:00", 4, "2022-11-20 05:00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			conf := cum8()
			spec := domain.ReminderSpec{Cron: tc.cron, What: "status_digest", To: domain.ToSecretaries}
			if tc.from != "" {
				spec.From, spec.Until = at(hcm, tc.from), at(hcm, tc.until)
			}
			conf.Reminders = []domain.ReminderSpec{spec}
			jobs, err := scheduler.PlanDigests(conf, at(hcm, tc.since), at(hcm, tc.upto))
			if err != nil {
				t.Fatal(err)
			}
			if len(jobs) != tc.wantN {
				t.Fatalf("%d jobs, want %d: %v", len(jobs), tc.wantN, jobLines(jobs, hcm))
			}
			first, last := jobs[0].DueAt.In(hcm).Format("2006-01-02 15:04"), jobs[len(jobs)-1].DueAt.In(hcm).Format("2006-01-02 15:04")
			if first != tc.wantFirst || last != tc.wantLast {
				t.Errorf("first %s last %s, want %s and %s", first, last, tc.wantFirst, tc.wantLast)
			}
			if got := jobs[0].DueAt.UTC().Format("2006-01-02 15:04"); got != tc.wantFirstUTC {
				t.Errorf("first in UTC %s, want %s", got, tc.wantFirstUTC)
			}
		})
	}
}

// TestPlanTimeZones: Hà Nội has no DST; Berlin changes on 2022-03-27 and
// 2022-10-30. A daily 02:30 digest fires once a day in both, and a week
// before a 17:00 deadline is 17:00 on the wall clock.
func TestPlanTimeZones(t *testing.T) {
	tests := []struct {
		zone     string
		deadline string
		since    string
		upto     string
		want     []string // UTC
	}{
		{"Asia/Ho_Chi_Minh", "2022-11-03 17:00", "2022-10-29 00:00", "2022-10-31 23:59", []string{
			"2022-10-27 10:00 summary_deadline/168h",
			"2022-10-28 19:30 digest/secretaries/2022-10-29T02:30",
			"2022-10-29 19:30 digest/secretaries/2022-10-30T02:30",
			"2022-10-30 19:30 digest/secretaries/2022-10-31T02:30",
			"2022-11-03 08:00 summary_deadline/2h",
		}},
		{"Europe/Berlin", "2022-11-03 17:00", "2022-10-29 00:00", "2022-10-31 23:59", []string{
			"2022-10-27 15:00 summary_deadline/168h", // 17:00 CEST, a week before 17:00 CET
			"2022-10-29 00:30 digest/secretaries/2022-10-29T02:30",
			"2022-10-30 00:30 digest/secretaries/2022-10-30T02:30", // the first 02:30; not again at 01:30 UTC
			"2022-10-31 01:30 digest/secretaries/2022-10-31T02:30",
			"2022-11-03 14:00 summary_deadline/2h",
		}},
		{"Europe/Berlin", "2022-04-01 17:00", "2022-03-26 00:00", "2022-03-28 23:59", []string{
			"2022-03-25 16:00 summary_deadline/168h", // 17:00 CET
			"2022-03-26 01:30 digest/secretaries/2022-03-26T02:30",
			"2022-03-27 01:30 digest/secretaries/2022-03-27T02:30", // 02:30 does not exist: 03:30 CEST
			"2022-03-28 00:30 digest/secretaries/2022-03-28T02:30",
			"2022-04-01 13:00 summary_deadline/2h",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.zone+" "+tc.deadline, func(t *testing.T) {
			loc := mustZone(tc.zone)
			conf := cum8()
			conf.Cluster.Timezone = tc.zone
			conf.SummaryDeadline = at(loc, tc.deadline)
			conf.StartsAt = time.Time{}
			conf.Reminders = []domain.ReminderSpec{
				{Before: domain.AnchorSummaryDeadline, Offsets: hours(168, 2), To: domain.ToUnitsWithoutSummary},
				{Cron: "30 2 * * *", What: "status_digest", To: domain.ToSecretaries},
			}
			jobs, err := scheduler.Plan(conf, nil, at(loc, tc.since), at(loc, tc.upto))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, j := range jobs {
				got = append(got, j.DueAt.UTC().Format("2006-01-02 15:04")+" "+j.ID)
			}
			sameLines(t, got, tc.want)
		})
	}
}

func TestPlanRefusesBadCron(t *testing.T) {
	for _, spec := range []string{"CRON_TZ=UTC 0 17 * * *", "TZ=Asia/Tokyo 0 17 * * *", "every day", "61 17 * * *", "0 17 * *"} {
		t.Run(spec, func(t *testing.T) {
			conf := cum8()
			conf.Reminders = []domain.ReminderSpec{{Cron: spec, What: "status_digest", To: domain.ToSecretaries}}
			if _, err := scheduler.Plan(conf, nil, at(hcm, "2022-11-01 00:00"), at(hcm, "2022-11-02 00:00")); err == nil {
				t.Fatal("no error")
			}
		})
	}
}

// TestHandBuiltConferenceMatchesTheFile keeps cum8() honest: the times and
// reminder entries it copies from testdata/cum8-2022.yaml are the file's.
func TestHandBuiltConferenceMatchesTheFile(t *testing.T) {
	raw, err := os.ReadFile("testdata/cum8-2022.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Cluster    struct{ Timezone string }
		Conference struct {
			StartsAt        string `yaml:"starts_at"`
			SummaryDeadline string `yaml:"summary_deadline"`
		}
		Reminders []struct {
			Before, Cron, To, From, Until string
			Offsets                       []string
		}
		Grace string
	}
	if err := yaml.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	conf := cum8()
	loc := mustZone(file.Cluster.Timezone)
	if !at(loc, file.Conference.StartsAt).Equal(conf.StartsAt) || !at(loc, file.Conference.SummaryDeadline).Equal(conf.SummaryDeadline) {
		t.Errorf("conference times differ from the file")
	}
	if g, _ := time.ParseDuration(file.Grace); g != conf.Grace {
		t.Errorf("grace %v, file %s", conf.Grace, file.Grace)
	}
	if len(file.Reminders) != len(conf.Reminders) {
		t.Fatalf("%d reminders, file has %d", len(conf.Reminders), len(file.Reminders))
	}
	for i, r := range file.Reminders {
		got := conf.Reminders[i]
		var offsets []time.Duration
		for _, o := range r.Offsets {
			d, _ := time.ParseDuration(o)
			offsets = append(offsets, d)
		}
		if string(got.Before) != r.Before || got.Cron != r.Cron || string(got.To) != r.To || fmt.Sprint(got.Offsets) != fmt.Sprint(offsets) {
			t.Errorf("reminders[%d] = %+v, file %+v", i, got, r)
		}
		if r.From != "" && (!at(loc, r.From+" 00:00").Equal(got.From) || !at(loc, r.Until+" 00:00").Equal(got.Until)) {
			t.Errorf("reminders[%d] from/until differ from the file", i)
		}
	}
}
