// Package conffile reads a conference file (SPEC §4) into a domain.Conference.
//
// The file is YAML, but it is not decoded into structs: the parser walks the
// yaml.Node tree itself so that every problem carries its line, column and a
// field path such as ballots[2].threshold.percent, and so that one pass
// reports every problem of the file instead of stopping at the first. List
// indexes in field paths count from 0, as in the file's order.
//
// Times are RFC 3339 or "YYYY-MM-DD HH:MM" in the cluster's time zone; the
// from and until of a digest also take a bare date, meaning the start of that
// day in the zone. Durations are Go durations (168h, 2h30m, 90s). Unknown
// fields are errors.
package conffile

// The zone database is embedded so that Asia/Ho_Chi_Minh loads in minimal
// container images that ship no /usr/share/zoneinfo.
import _ "time/tzdata"
