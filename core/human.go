package core

import (
	"strconv"
	"time"

	"github.com/docker/go-units"
)

func itoa(n int) string { return strconv.Itoa(n) }

// humanDuration says how long d is the way `docker ps` does.
func humanDuration(d time.Duration) string { return units.HumanDuration(d) }
