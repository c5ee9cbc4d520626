package cli

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	units "github.com/docker/go-units"

	"workbench/core"
)

// psDefaultFormat is what `ps` prints without --format, Docker's default table.
const psDefaultFormat = "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}"

// psHeader names the columns of `ps --format 'table ...'` as Docker does.
var psHeader = headerNames{
	"ID": "CONTAINER ID", "Image": "IMAGE", "Command": "COMMAND", "CreatedAt": "CREATED AT",
	"RunningFor": "CREATED", "Ports": "PORTS", "State": "STATE", "Status": "STATUS",
	"Names": "NAMES", "Labels": "LABELS", "Mounts": "MOUNTS", "LocalVolumes": "LOCAL VOLUMES",
	"Networks": "NETWORKS",
}

// psRow is one container as `ps --format` templates see it: the fields of Docker's
// `docker ps`, in Docker's shapes.
type psRow struct {
	c core.Container
	// mounts are the container's as containerMounts lists them.
	mounts []dockerMount
	// lan maps each lab host to its LAN address, for the ports.
	lan map[string]string
	// trunc shortens IDs, commands and mount names as Docker does without --no-trunc.
	trunc bool
	now   time.Time
}

// newPsRow gathers what ps shows of a container.
func newPsRow(c core.Container, lan map[string]string, trunc bool, now time.Time) psRow {
	return psRow{c: c, mounts: containerMounts(c, nil), lan: lan, trunc: trunc, now: now}
}

// ID is the container's ID, 12 digits unless --no-trunc.
func (r psRow) ID() string {
	if r.trunc {
		return r.c.ShortID()
	}
	return r.c.ID
}

// Image is the image as the container was asked for it.
func (r psRow) Image() string {
	if r.c.Image == "" {
		return "<no image>"
	}
	return r.c.Image
}

// Command is the command line in double quotes, cut to 20 characters unless --no-trunc.
func (r psRow) Command() string {
	cmd := strings.Join(r.c.Cmd, " ")
	if r.trunc {
		cmd = ellipsis(cmd, 20)
	}
	return strconv.Quote(cmd)
}

// CreatedAt is when the container was made, to the second, in local time:
// "2006-01-02 15:04:05 -0700 MST".
func (r psRow) CreatedAt() string { return time.Unix(r.c.Created.Unix(), 0).String() }

// RunningFor says how long ago the container was made: "5 minutes ago".
func (r psRow) RunningFor() string {
	return units.HumanDuration(r.now.Sub(time.Unix(r.c.Created.Unix(), 0))) + " ago"
}

// Ports are the published ports, Docker's way: "198.51.100.1:8080->80/tcp, ...".
func (r psRow) Ports() string { return displayablePorts(r.c, r.lan) }

// State is created, running, paused, restarting or exited.
func (r psRow) State() string { return stateName(r.c) }

// Status is the human status: "Up 5 minutes", "Exited (0) 2 seconds ago".
func (r psRow) Status() string { return r.c.Status(r.now) }

// Names is the container's name.
func (r psRow) Names() string { return r.c.Name }

// Labels are the container's labels as k=v, sorted, comma-separated.
func (r psRow) Labels() string {
	var kv []string
	for k, v := range r.c.Labels {
		kv = append(kv, k+"="+v)
	}
	sort.Strings(kv)
	return strings.Join(kv, ",")
}

// Label is the value of one label, "" if the container has no such label.
func (r psRow) Label(name string) string { return r.c.Labels[name] }

// Mounts names each mount (a volume's name or a bind mount's source), comma-separated.
func (r psRow) Mounts() string {
	var names []string
	for _, m := range r.mounts {
		name := m.Name
		if name == "" {
			name = m.Source
		}
		if r.trunc {
			name = ellipsis(name, 15)
		}
		names = append(names, name)
	}
	return strings.Join(names, ",")
}

// LocalVolumes counts the container's named volumes.
func (r psRow) LocalVolumes() string {
	n := 0
	for _, m := range r.mounts {
		if m.Driver == "local" {
			n++
		}
	}
	return strconv.Itoa(n)
}

// Networks names the networks the container is on, comma-separated.
func (r psRow) Networks() string { return strings.Join(containerNetworks(r.c), ",") }

// MarshalJSON is the row as `ps --format json` prints it: every field by name.
func (r psRow) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]string{
		"ID": r.ID(), "Image": r.Image(), "Command": r.Command(), "CreatedAt": r.CreatedAt(),
		"RunningFor": r.RunningFor(), "Ports": r.Ports(), "State": r.State(), "Status": r.Status(),
		"Names": r.Names(), "Labels": r.Labels(), "Mounts": r.Mounts(), "LocalVolumes": r.LocalVolumes(),
		"Networks": r.Networks(),
	})
}

// ellipsis cuts s to max characters, the last one "…", as Docker cuts columns.
func ellipsis(s string, max int) string {
	rs := []rune(s)
	if len(rs) <= max {
		return s
	}
	return string(rs[:max-1]) + "…"
}

// displayablePorts writes a container's published ports as `docker ps` does: a port
// published on the same number is grouped with its neighbours
// ("198.51.100.1:8080-8081->8080-8081/tcp"), others come after as ADDR:PORT->PORT/PROTO.
func displayablePorts(c core.Container, lan map[string]string) string {
	type port struct {
		addr          string
		public, inner int
		proto         string
	}
	ports := make([]port, 0, len(c.Ports))
	for _, p := range c.Ports {
		ports = append(ports, port{publishedAddr(p, lan), p.HostPort, p.ContainerPort, p.Proto})
	}
	sort.Slice(ports, func(i, j int) bool {
		a, b := ports[i], ports[j]
		switch {
		case a.inner != b.inner:
			return a.inner < b.inner
		case a.addr != b.addr:
			return a.addr < b.addr
		case a.public != b.public:
			return a.public < b.public
		}
		return a.proto < b.proto
	})
	type group struct{ first, last int }
	groups := map[string]*group{}
	var order, out, mappings []string
	form := func(key string, g *group) string {
		addr, proto, _ := strings.Cut(key, "/")
		span := strconv.Itoa(g.first)
		if g.last != g.first {
			span += "-" + strconv.Itoa(g.last)
		}
		return fmt.Sprintf("%s:%s->%s/%s", addr, span, span, proto)
	}
	for _, p := range ports {
		if p.public != p.inner {
			mappings = append(mappings, fmt.Sprintf("%s:%d->%d/%s", p.addr, p.public, p.inner, p.proto))
			continue
		}
		key := p.addr + "/" + p.proto
		g := groups[key]
		switch {
		case g == nil:
			groups[key] = &group{p.inner, p.inner}
			order = append(order, key)
		case p.inner == g.last+1:
			g.last = p.inner
		default:
			out = append(out, form(key, g))
			groups[key] = &group{p.inner, p.inner}
		}
	}
	for _, key := range order {
		out = append(out, form(key, groups[key]))
	}
	return strings.Join(append(out, mappings...), ", ")
}
