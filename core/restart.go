package core

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// RestartPolicy says whether a container is started again when it ends, as Docker's
// --restart does.
type RestartPolicy struct {
	// Name is "no", "on-failure", "always" or "unless-stopped".
	Name string `json:",omitempty"`
	// MaximumRetryCount bounds the restarts of on-failure (0: no bound).
	MaximumRetryCount int `json:",omitempty"`
}

// ParseRestartPolicy reads a --restart value: no, on-failure[:N], always,
// unless-stopped.
func ParseRestartPolicy(s string) (RestartPolicy, error) {
	name, count, hasCount := strings.Cut(s, ":")
	p := RestartPolicy{Name: name}
	switch name {
	case "", "no", "always", "unless-stopped":
		if hasCount {
			return p, fmt.Errorf("--restart %s takes no count: only on-failure:N does", s)
		}
		if name == "" {
			p.Name = "no"
		}
	case "on-failure":
		if hasCount {
			n, err := strconv.Atoi(count)
			if err != nil || n < 0 {
				return p, fmt.Errorf("--restart %s: the count must be a whole number of 0 or more, e.g. on-failure:3", s)
			}
			p.MaximumRetryCount = n
		}
	default:
		return p, fmt.Errorf("--restart %q is unknown: use no, on-failure[:N], always or unless-stopped", s)
	}
	return p, nil
}

// String is the policy as --restart takes it.
func (p RestartPolicy) String() string {
	if p.Name == "on-failure" && p.MaximumRetryCount > 0 {
		return p.Name + ":" + strconv.Itoa(p.MaximumRetryCount)
	}
	if p.Name == "" {
		return "no"
	}
	return p.Name
}

// restarts says whether a container that ended with code is started again.
func (c Container) restarts(code int) bool {
	if c.ManuallyStopped {
		return false
	}
	switch c.Restart.Name {
	case "always", "unless-stopped":
		return true
	case "on-failure":
		return code != 0 && (c.Restart.MaximumRetryCount == 0 || c.RestartCount < c.Restart.MaximumRetryCount)
	}
	return false
}

// nextRestartDelay is how long the monitor waits before starting a container again:
// Docker's back-off, 100 ms doubling up to a minute (prev is the last delay), back to
// 100 ms after a run of 10 seconds or more.
func nextRestartDelay(prev, ran time.Duration) time.Duration {
	if ran >= 10*time.Second || prev == 0 {
		return 100 * time.Millisecond
	}
	return min(2*prev, time.Minute)
}
