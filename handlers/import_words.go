package handlers

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/confbot/confbot/conffile"
	"github.com/confbot/confbot/i18n"
)

// /import speaks the reader's language: a conference file's problems and a
// re-import's change list come from conffile in English (what the CLI
// prints), and are said here from the catalogue. A message conffile adds
// without a catalogue entry is shown in English rather than lost; a test
// checks that none is missing.

// fileProblemKeys maps each problem format conffile writes to its
// catalogue key (conffile.*); the placeholders {a}, {b}, {c} take the
// format's arguments in order.
var fileProblemKeys = map[string]string{
	"%d is listed twice (first at line %d)":                                                                       "conffile.listed_twice_line",
	"%d is more than the %d candidates":                                                                           "conffile.max_choices_over",
	"%d is not a Telegram user id (a positive number)":                                                            "conffile.not_user_id",
	"%d is not a group chat id (group ids are negative)":                                                          "conffile.not_group_id",
	"%d is not a plausible year (%d to %d)":                                                                       "conffile.implausible_year",
	"%d must be at least 1":                                                                                       "conffile.at_least_one",
	"%q is not a Telegram username (@name: 4 to 32 of A-Z, a-z, 0-9 and _)":                                       "conffile.not_username",
	"%q is not a duration (write it like 168h, 2h30m or 90s)":                                                     "conffile.not_duration",
	"%q is not a known time zone (write it like Asia/Ho_Chi_Minh)":                                                "conffile.not_zone",
	"%q is not a number":                                                                                          "conffile.not_number",
	"%q is not a role (secretary, head, delegate, observer)":                                                      "conffile.not_role",
	"%q is not a time (write 2022-11-24 08:00 or RFC 3339)":                                                       "conffile.not_time",
	"%q is not a time (write 2022-11-24 08:00, 2022-11-24, or RFC 3339)":                                          "conffile.not_time_or_date",
	"%q is not a valid ballot id: use 1 to 32 of a-z, 0-9 and -":                                                  "conffile.bad_ballot_id",
	"%q is not a valid code: use 1 to %d of the capitals A-Z (Đ and Vietnamese vowels with marks too), 0-9 and _": "conffile.bad_unit_code",
	"code %s reads like %s when typed without marks (codes are unique across units and guests)":                   "conffile.code_folds_alike",
	"%q is not a valid id: use 1 to 40 of a-z, 0-9 and -":                                                         "conffile.bad_id",
	"%q is not a whole number":                                                                                    "conffile.not_whole_number",
	"%q is not one of %s":                                                                                         "conffile.not_one_of",
	"%q must be one word without a slash, like BB-CT\u01108":                                                      "conffile.suffix_one_word",
	"%q must be true or false":                                                                                    "conffile.not_bool",
	"%q never fires":                                                                                              "conffile.cron_never",
	"%q never fires between from and until":                                                                       "conffile.cron_never_between",
	"%q: %v":                                                                                                      "conffile.cron_bad",
	"%s belongs to a member unit, and %s is a guest":                                                              "conffile.member_role_guest",
	"%s differs from candidates awarded:%s":                                                                       "conffile.prerequisite_differs",
	"%s is a guest, not a member unit":                                                                            "conffile.is_guest",
	"%s is below 0":                                                                                               "conffile.below_zero",
	"%s is listed twice":                                                                                          "conffile.listed_twice",
	"%s is listed twice (first at line %d)":                                                                       "conffile.listed_twice_at",
	"%s is not above 0 and at most 100":                                                                           "conffile.quorum_range",
	"%s is over 100":                                                                                              "conffile.over_100",
	"%s must be above 0":                                                                                          "conffile.above_zero",
	"%s must be above 0 (it counts back from the deadline)":                                                       "conffile.offset_above_zero",
	"%s must be above 0 (leave it out to close by hand)":                                                          "conffile.closes_after_above_zero",
	"%s must not be negative":                                                                                     "conffile.not_negative",
	"@%s is listed twice (first at line %d)":                                                                      "conffile.username_twice",
	"a field name must be plain text":                                                                             "conffile.field_name_text",
	"a second YAML document starts here; a conference file holds one":                                             "conffile.second_document",
	"admin comes from BOT_ADMINS, not from the conference file":                                                   "conffile.admin_from_env",
	"aliases make the file expand beyond %d nodes":                                                                "conffile.aliases_expand",
	"an elect ballot awards one; write 1 or leave quota out":                                                      "conffile.elect_quota",
	"an elect ballot chooses one; leave max_choices out or write 1":                                               "conffile.elect_max_choices",
	"and %d more problems not listed":                                                                             "conffile.more_problems",
	"applies to choose ballots only; approve asks about each candidate":                                           "conffile.choose_only",
	"ballot id %s is used twice":                                                                                  "conffile.ballot_id_twice",
	"code %s is used twice (codes are unique across units and guests)":                                            "conffile.code_twice",
	"duplicate field (first at line %d)":                                                                          "conffile.duplicate_field",
	"deputy follows an elect ballot, and this one is %s":                                                          "conffile.deputy_elect",
	"not-awarded:%s names no ballot of this file":                                                                 "conffile.not_awarded_unknown",
	"combines %s with %s: write one of all, awarded:BALLOT or unit codes, with any not-awarded:BALLOT":            "conffile.candidates_bases",
	"ballots wait for each other's results in a cycle: %s":                                                        "conffile.ballot_cycle",
	"only one ballot may decide the deputy (another does at line %d)":                                             "conffile.one_deputy",
	"handover follows an elect ballot, and this one is %s":                                                        "conffile.handover_elect",
	"is required": "conffile.required",
	"is required (a reminder needs before, offsets and to; a digest needs cron, what and to)": "conffile.reminder_required",
	"merge keys (<<) are not supported; write the fields out":                                 "conffile.merge_keys",
	"must be a list": "conffile.must_be_list",
	"must be a mapping of fields (name: value)":                                             "conffile.must_be_mapping",
	"must be a single value, not a list or a mapping":                                       "conffile.must_be_scalar",
	"must be after starts_at":                                                               "conffile.after_start",
	"must be all, awarded:BALLOT, not-awarded:BALLOT, or a list of member unit codes":       "conffile.candidates_form",
	"must be before ends_at":                                                                "conffile.before_end",
	"must differ from chair_unit":                                                           "conffile.deputy_differs",
	"must list at least one member unit":                                                    "conffile.one_member_unit",
	"must list at least one offset, like [24h, 2h]":                                         "conffile.one_offset",
	"must list at least one person (the first is the head of the board), or be left out":    "conffile.one_board_member",
	"must list at least one role":                                                           "conffile.one_role",
	"must list at least one unit":                                                           "conffile.one_unit",
	"must not be before from":                                                               "conffile.not_before_from",
	"must not be empty":                                                                     "conffile.not_empty",
	"needs an id or a username (or both) to recognise the person":                           "conffile.id_or_username",
	"not valid YAML at or after this line: %s":                                              "conffile.yaml_at_line",
	"not valid YAML: %s":                                                                    "conffile.yaml_invalid",
	"not valid YAML: the file could not be read":                                            "conffile.yaml_unreadable",
	"observer is a guest's role, and %s is a member unit":                                   "conffile.observer_member",
	"only one ballot may decide the handover (another does at line %d)":                     "conffile.one_handover",
	"prerequisite %q is not an earlier ballot (it comes later; ballots open in file order)": "conffile.prerequisite_later",
	"prerequisite %q is not an earlier ballot (it is this ballot)":                          "conffile.prerequisite_self",
	"prerequisite %q is not an earlier ballot (no ballot has that id)":                      "conffile.prerequisite_unknown",
	"the file is %d bytes, over the limit of %d":                                            "conffile.file_too_big",
	"the file is empty":                                                                     "conffile.file_empty",
	"the file is empty (only comments)":                                                     "conffile.file_only_comments",
	"the file is not UTF-8 text (is it a binary or a spreadsheet?)":                         "conffile.file_not_text",
	"unit %s is not declared under units":                                                   "conffile.unit_not_member",
	"unit %s is not declared under units or guests":                                         "conffile.unit_not_declared",
	"unknown field %q (known: %s)":                                                          "conffile.unknown_field",
}

// fileProblem says one conference-file problem in lang, as HTML: where it
// is, then what is wrong; what comes from the file is escaped.
func (r *Router) fileProblem(lang i18n.Lang, e conffile.Error) string {
	msg := esc(e.Msg)
	if key, ok := fileProblemKeys[e.Format]; ok {
		args := make([]any, 0, 2*len(e.Args))
		for i, a := range e.Args {
			args = append(args, string(rune('a'+i)), esc(a))
		}
		msg = i18n.HTML(r.Catalog.T(lang, key, args...))
	}
	field := esc(e.Field)
	switch {
	case e.Line > 0 && e.Field != "":
		return r.Catalog.T(lang, "import.error_line", "line", strconv.Itoa(e.Line), "field", field, "msg", msg)
	case e.Line > 0:
		return r.Catalog.T(lang, "import.error_line_only", "line", strconv.Itoa(e.Line), "msg", msg)
	case e.Field != "":
		return r.Catalog.T(lang, "import.error_field", "field", field, "msg", msg)
	}
	return string(msg)
}

// Shapes of conffile.Diff's lines.
var (
	changeAdded   = regexp.MustCompile(`^(\S+): added (.+)$`)
	changeRemoved = regexp.MustCompile(`^(\S+): removed (.+)$`)
	changeOrder   = regexp.MustCompile(`^(\S+): order (.*) → (.*)$`)
	changeChanged = regexp.MustCompile(`^(\S+): (.*) → (.*)$`)
)

// fileChange says one line of a re-import's change list in lang, as HTML;
// what comes from the file is escaped.
func (r *Router) fileChange(lang i18n.Lang, line string) string {
	none := func(s string) i18n.HTML {
		return i18n.HTML(strings.ReplaceAll(string(esc(s)), "(none)", r.Catalog.T(lang, "import.change.none")))
	}
	if m := changeAdded.FindStringSubmatch(line); m != nil {
		return r.Catalog.T(lang, "import.change.added", "field", esc(m[1]), "what", esc(m[2]))
	}
	if m := changeRemoved.FindStringSubmatch(line); m != nil {
		return r.Catalog.T(lang, "import.change.removed", "field", esc(m[1]), "what", esc(m[2]))
	}
	if m := changeOrder.FindStringSubmatch(line); m != nil {
		return r.Catalog.T(lang, "import.change.order", "field", esc(m[1]), "old", esc(m[2]), "new", esc(m[3]))
	}
	if m := changeChanged.FindStringSubmatch(line); m != nil {
		return r.Catalog.T(lang, "import.change.changed", "field", esc(m[1]), "old", none(m[2]), "new", none(m[3]))
	}
	return string(esc(line))
}
