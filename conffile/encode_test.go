package conffile_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/confbot/confbot/conffile"
	"github.com/confbot/confbot/conffile/conffiletest"
	"github.com/confbot/confbot/domain"
)

// TestMarshalRoundTrip writes every example and test file back out and
// reads it again: the same conference, and the written file is stable.
func TestMarshalRoundTrip(t *testing.T) {
	files, _ := filepath.Glob("../examples/*.yaml")
	files = append(files, "testdata/cum12-full.yaml")
	for _, name := range files {
		t.Run(filepath.Base(name), func(t *testing.T) {
			conf := mustParse(t, readFile(t, name))
			out, err := conffile.Marshal(conf)
			if err != nil {
				t.Fatal(err)
			}
			again := mustParse(t, out)
			conffiletest.AssertSame(t, conf, again)
			out2, err := conffile.Marshal(again)
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != string(out2) {
				t.Errorf("writing twice differs:\n%s\n---\n%s", out, out2)
			}
		})
	}
	conf := mustParse(t, []byte(smallFile))
	conf.StartsAt = conf.StartsAt.Add(30e9) // seconds are kept, as RFC 3339
	out, _ := conffile.Marshal(conf)
	conffiletest.AssertSame(t, conf, mustParse(t, out))
}

func TestFormatDuration(t *testing.T) {
	for in, want := range map[string]string{"168h": "168h", "2h30m": "2h30m", "90s": "1m30s", "15m": "15m", "0s": "0s", "1h0m5s": "1h0m5s"} {
		d, _ := time.ParseDuration(in)
		if got := domain.FormatDuration(d); got != want {
			t.Errorf("FormatDuration(%s) = %s, want %s", in, got, want)
		}
	}
}

// TestKnownFields lists the sections of the reference file with their fields.
func TestKnownFields(t *testing.T) {
	known, err := conffile.KnownFields(readFile(t, "testdata/cum8-2022.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for section, want := range map[string]string{
		"":                           "cluster units guests conference people ballots reminders grace paperwork",
		"units[]":                    "code name",
		"ballots[].threshold":        "op percent of",
		"reminders[]":                "before offsets to cron what from until",
		"people[]":                   "id username name unit roles rank position",
		"paperwork":                  "superior_body issuing_body number_suffix place proposal_to recipients counting_board",
		"paperwork.counting_board[]": "name rank position",
	} {
		if got := strings.Join(known[section], " "); got != want {
			t.Errorf("known[%q] = %s, want %s", section, got, want)
		}
	}
}
