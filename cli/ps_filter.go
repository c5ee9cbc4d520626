package cli

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"workbench/core"
)

// psFilterKeys are the keys `ps --filter` takes.
const psFilterKeys = "name, id, status, label, network, volume or exited"

// psStates are the values of --filter status=, Docker's container states.
var psStates = []string{"created", "restarting", "running", "removing", "paused", "exited", "dead"}

// psFilter is the --filter values of ps, combined as Docker combines them: a
// container must match every key given; within a key, any one value will do, except
// label, where it must match every one.
type psFilter struct {
	names, ids []valueMatcher
	statuses   []string
	labels     []labelMatch
	networks   []string
	volumes    []string
	exited     []int
}

// valueMatcher matches a name or an ID as Docker does: equal to the value, or matched
// by it as a regular expression.
type valueMatcher struct {
	value string
	re    *regexp.Regexp
}

func (m valueMatcher) match(s string) bool { return s == m.value || m.re.MatchString(s) }

// labelMatch is label=KEY (the label is there) or label=KEY=VALUE.
type labelMatch struct {
	key, value string
	hasValue   bool
}

// parsePsFilters reads the --filter values, KEY=VALUE each.
func parsePsFilters(values []string) (psFilter, error) {
	var f psFilter
	for _, v := range values {
		key, val, ok := strings.Cut(v, "=")
		if !ok {
			return f, fmt.Errorf("--filter %q is not KEY=VALUE: e.g. --filter name=web or --filter status=exited", v)
		}
		switch key {
		case "name", "id":
			re, err := regexp.Compile(val)
			if err != nil {
				return f, fmt.Errorf("--filter %s: %q is not a regular expression (%v): give a name or a pattern such as ^web", key, val, err)
			}
			if key == "name" {
				f.names = append(f.names, valueMatcher{val, re})
			} else {
				f.ids = append(f.ids, valueMatcher{val, re})
			}
		case "status":
			if !slices.Contains(psStates, val) {
				return f, fmt.Errorf("--filter status=%s: the states are %s", val, strings.Join(psStates, ", "))
			}
			f.statuses = append(f.statuses, val)
		case "label":
			k, lv, has := strings.Cut(val, "=")
			if k == "" {
				return f, fmt.Errorf("--filter label=%s names no label: give label=KEY or label=KEY=VALUE", val)
			}
			f.labels = append(f.labels, labelMatch{k, lv, has})
		case "network":
			f.networks = append(f.networks, val)
		case "volume":
			f.volumes = append(f.volumes, val)
		case "exited":
			n, err := strconv.Atoi(val)
			if err != nil || n < 0 || n > 255 {
				return f, fmt.Errorf("--filter exited=%s: give an exit status from 0 to 255, e.g. exited=137", val)
			}
			f.exited = append(f.exited, n)
		default:
			return f, fmt.Errorf("--filter %s is not a filter ps knows: use %s", key, psFilterKeys)
		}
	}
	return f, nil
}

// showsAll says whether the filter asks for containers in any state, as a status
// filter does in Docker (no -a needed for status=exited).
func (f psFilter) showsAll() bool { return len(f.statuses) > 0 }

// match says whether a container passes every key of the filter.
func (f psFilter) match(r psRow) bool {
	anyOf := func(ms []valueMatcher, s string) bool {
		return len(ms) == 0 || slices.ContainsFunc(ms, func(m valueMatcher) bool { return m.match(s) })
	}
	// Docker's names carry a leading slash, and its name patterns are written for it.
	if !anyOf(f.names, "/"+r.c.Name) && !anyOf(f.names, r.c.Name) || !anyOf(f.ids, r.c.ID) {
		return false
	}
	if len(f.statuses) > 0 && !slices.Contains(f.statuses, r.State()) {
		return false
	}
	for _, l := range f.labels {
		v, ok := r.c.Labels[l.key]
		if !ok || l.hasValue && v != l.value {
			return false
		}
	}
	if len(f.networks) > 0 && !slices.ContainsFunc(containerNetworks(r.c), func(n string) bool { return slices.Contains(f.networks, n) }) {
		return false
	}
	if len(f.volumes) > 0 && !slices.ContainsFunc(r.c.Mounts, func(m core.Mount) bool {
		return m.Type == core.MountVolume && slices.Contains(f.volumes, m.Source) || slices.Contains(f.volumes, m.Target)
	}) {
		return false
	}
	if len(f.exited) > 0 && (r.c.State != core.StateExited || !slices.Contains(f.exited, r.c.ExitCode)) {
		return false
	}
	return true
}
