package cli

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// parseTimeFlags reads --since and --until (see parseTimeFlag); one not given is the
// zero time.
func parseTimeFlags(since, until string, now time.Time) (from, to time.Time, err error) {
	if since != "" {
		if from, err = parseTimeFlag("since", since, now); err != nil {
			return from, to, err
		}
	}
	if until != "" {
		to, err = parseTimeFlag("until", until, now)
	}
	return from, to, err
}

// parseTimeFlag reads a --since or --until value as Docker does: a duration back
// from now ("10m", "1h30m"), an RFC 3339 time ("2024-05-01T12:00:00Z", with or without
// fractions and zone; without a zone it is local time), a date ("2024-05-01"), or a
// Unix time in seconds ("1714564800", "1714564800.5").
func parseTimeFlag(flag, value string, now time.Time) (time.Time, error) {
	bad := func() (time.Time, error) {
		return time.Time{}, fmt.Errorf("--%s %q is not a time: give a duration back from now (10m, 1h30m), an RFC 3339 time (2024-05-01T12:00:00Z) or a Unix time", flag, value)
	}
	if d, err := time.ParseDuration(value); err == nil && value != "0" {
		return now.Add(-d), nil
	}
	if !strings.Contains(value, "-") {
		sec, frac, hasFrac := strings.Cut(value, ".")
		s, err := strconv.ParseInt(sec, 10, 64)
		if err != nil || sec == "" || strings.HasPrefix(sec, "+") {
			return bad()
		}
		var ns int64
		if hasFrac {
			if frac == "" || len(frac) > 9 || strings.Trim(frac, "0123456789") != "" {
				return bad()
			}
			ns, _ = strconv.ParseInt(frac+strings.Repeat("0", 9-len(frac)), 10, 64)
		}
		return time.Unix(s, ns), nil
	}
	// A zone is given by Z, +hh:mm, or a fourth dash (-hh:mm after the date's two).
	zoned := strings.ContainsAny(value, "zZ+") || strings.Count(value, "-") == 3
	var layout string
	switch _, clock, hasClock := strings.Cut(value, "T"); {
	case !hasClock && zoned:
		layout = "2006-01-02Z07:00"
	case !hasClock:
		layout = "2006-01-02"
	default:
		colons := strings.Count(clock, ":")
		if zoned && !strings.ContainsAny(clock, "zZ") && colons > 0 {
			colons-- // the zone's own colon
		}
		layout = [...]string{"2006-01-02T15", "2006-01-02T15:04", "2006-01-02T15:04:05"}[min(colons, 2)]
		if strings.Contains(clock, ".") {
			layout = "2006-01-02T15:04:05.999999999"
		}
		if zoned {
			layout += "Z07:00"
		}
	}
	var t time.Time
	var err error
	if zoned {
		t, err = time.Parse(layout, value)
	} else {
		t, err = time.ParseInLocation(layout, value, now.Location())
	}
	if err != nil {
		return bad()
	}
	return t, nil
}
