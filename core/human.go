package core

import (
	"strconv"
	"time"
)

func itoa(n int) string { return strconv.Itoa(n) }

// humanDuration says how long d is the way `docker ps` does.
func humanDuration(d time.Duration) string {
	s := int(d.Seconds())
	switch {
	case s < 1:
		return "Less than a second"
	case s == 1:
		return "1 second"
	case s < 60:
		return itoa(s) + " seconds"
	case s < 120:
		return "About a minute"
	case s < 3600:
		return itoa(s/60) + " minutes"
	case s < 7200:
		return "About an hour"
	case s < 48*3600:
		return itoa(s/3600) + " hours"
	}
	return itoa(s/86400) + " days"
}
