package network

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"workbench/nsutil"
	"workbench/testutil"
)

// Crash tests kill a command at a random instant, as `kill -9` would, and then the next
// command must succeed without a warning and find every network and host either whole
// or not there at all, in the state and in the kernel.

// try runs a command line that has to succeed without a word on standard error; it
// returns the output, or what went wrong.
func (l *binaryLab) try(args ...string) (out, problem string) {
	r := testutil.Run(l.t, "", args...)
	switch {
	case r.Code != 0:
		return r.Out, fmt.Sprintf("workbench %s: exit %d: %s", strings.Join(args, " "), r.Code, strings.TrimSpace(r.Err))
	case r.Err != "":
		return r.Out, fmt.Sprintf("workbench %s warned: %s", strings.Join(args, " "), strings.TrimSpace(r.Err))
	}
	return r.Out, ""
}

// crashLoop runs step n times. A step that finds a problem fails the test; the lab is
// then reset and set up again, so that the next step starts whole and the test tells
// how many steps broke it.
func (l *binaryLab) crashLoop(n int, setup func(), step func() string) {
	broken := 0
	for i := range n {
		if p := step(); p != "" {
			broken++
			l.t.Errorf("step %d: %s", i+1, p)
			l.run("reset")
			setup()
		}
	}
	if broken > 0 {
		l.t.Errorf("%d of %d steps left the lab broken", broken, n)
	}
}

// killer kills commands at random and counts the kills that came before their end.
type killer struct {
	t            *testing.T
	rng          *rand.Rand
	runs, killed int
}

func newKiller(t *testing.T) *killer {
	k := &killer{t: t, rng: testutil.Rand(t)}
	t.Cleanup(func() { t.Logf("%d of %d commands were killed before they ended", k.killed, k.runs) })
	return k
}

// kill runs the command line args and kills it after a random delay in [0, d).
func (k *killer) kill(d time.Duration, args ...string) {
	k.runs++
	if killed, _ := testutil.KillAtRandom(k.t, args, d, k.rng); killed {
		k.killed++
	}
}

// listedIn says whether a listing has a line whose first word is name.
func listedIn(listing, name string) bool {
	for _, line := range strings.Split(listing, "\n") {
		if f := strings.Fields(line); len(f) > 0 && f[0] == name {
			return true
		}
	}
	return false
}

// listedOn says whether `network ls` lists network name on host.
func listedOn(listing, name, host string) bool {
	for _, line := range strings.Split(listing, "\n") {
		if f := strings.Fields(line); len(f) > 1 && f[0] == name && f[1] == host {
			return true
		}
	}
	return false
}

// linkIn says whether the namespace at path has a link of that name.
func linkIn(path, name string) bool { return tryNs(path, "ip", "link", "show", name) }

// linkNamesIn lists the names of the links of the namespace at path, sorted.
func linkNamesIn(t testing.TB, path string) []string {
	var names []string
	for _, f := range strings.Fields(linkNames(inNs(t, path, "ip", "-o", "link"))) {
		name, _, _ := strings.Cut(strings.TrimSuffix(f, ":"), "@")
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// rulesOf counts the rules of network name in the namespace at path (0 when the
// namespace is gone).
func rulesOf(path, name string) int {
	out, err := nsutil.Output(path, exec.Command("iptables-save"))
	if err != nil {
		return 0
	}
	return strings.Count(string(out), `--comment "workbench `+name+`: `)
}

// checkNetwork says whether `network ls` lists network name once `host up` has
// reconciled the lab, and finds a problem if the hosts' kernels do not have all of it
// (bridge, rules, VXLAN port) where it is listed and none of it where it is not.
func (l *binaryLab) checkNetwork(name string, hosts []string, vxlan bool) (listed bool, problem string) {
	if _, p := l.try("host", "up"); p != "" {
		return false, p
	}
	out, p := l.try("network", "ls")
	if p != "" {
		return false, p
	}
	wantRules := 8
	if vxlan {
		wantRules = 10
	}
	var on []string
	for _, h := range hosts {
		path := l.inst.HostNetnsPath(h)
		br, vx, rules := linkIn(path, "br-"+name), linkIn(path, "vx-"+name), rulesOf(path, name)
		if listedOn(out, name, h) {
			on = append(on, h)
			if !br || rules != wantRules || vxlan && !vx {
				return true, fmt.Sprintf("network %s is listed on %s, which has bridge %v, VXLAN %v and %d of its %d rules", name, h, br, vx, rules, wantRules)
			}
		} else if br || vx || rules != 0 {
			return false, fmt.Sprintf("network %s is not listed on %s, which has bridge %v, VXLAN %v and %d of its rules", name, h, br, vx, rules)
		}
	}
	if len(on) != 0 && len(on) != len(hosts) {
		return true, fmt.Sprintf("network %s is listed on %v only, not on all of %v", name, on, hosts)
	}
	return len(on) > 0, ""
}

func TestCrashNetworkCreate(t *testing.T) {
	l := newBinaryLab(t)
	k := newKiller(t)
	l.must("host", "up")
	d, _ := testutil.Timed(t, "network", "create", "blue")
	l.must("network", "rm", "blue")
	host1 := []string{DefaultHost}
	l.crashLoop(30, func() {}, func() string {
		k.kill(d, "network", "create", "blue")
		listed, p := l.checkNetwork("blue", host1, false)
		if p != "" {
			return p
		}
		if !listed {
			if _, p := l.try("network", "create", "blue"); p != "" {
				return p
			}
		}
		if _, p := l.try("network", "rm", "blue"); p != "" {
			return p
		}
		if listed, p := l.checkNetwork("blue", host1, false); p != "" || listed {
			return "after network rm: " + p
		}
		return ""
	})
}

func TestCrashNetworkRm(t *testing.T) {
	l := newBinaryLab(t)
	k := newKiller(t)
	l.must("network", "create", "blue")
	d, _ := testutil.Timed(t, "network", "rm", "blue")
	host1 := []string{DefaultHost}
	l.crashLoop(20, func() {}, func() string {
		if _, p := l.try("network", "create", "blue"); p != "" {
			return p
		}
		k.kill(d, "network", "rm", "blue")
		listed, p := l.checkNetwork("blue", host1, false)
		if p != "" {
			return p
		}
		if listed {
			if _, p := l.try("network", "rm", "blue"); p != "" {
				return p
			}
		}
		return ""
	})
}

func TestCrashCrossHostNetwork(t *testing.T) {
	l := newBinaryLab(t)
	k := newKiller(t)
	setup := func() { l.must("host", "add", "host2") }
	setup()
	dCreate, _ := testutil.Timed(t, "network", "create", "--crosshost", "vxlan", "span")
	dRm, _ := testutil.Timed(t, "network", "rm", "span")
	hosts := []string{DefaultHost, "host2"}
	l.crashLoop(15, setup, func() string {
		k.kill(dCreate, "network", "create", "--crosshost", "vxlan", "span")
		listed, p := l.checkNetwork("span", hosts, true)
		if p != "" {
			return p
		}
		if !listed {
			if _, p := l.try("network", "create", "--crosshost", "vxlan", "span"); p != "" {
				return p
			}
		}
		k.kill(dRm, "network", "rm", "span")
		if listed, p = l.checkNetwork("span", hosts, true); p != "" {
			return p
		}
		if listed {
			if _, p := l.try("network", "rm", "span"); p != "" {
				return p
			}
		}
		return ""
	})
}

// checkHost says whether `host ls` lists host name once `host up` has reconciled the
// lab, and finds a problem if the kernel does not have all of it (namespace, uplink,
// its part of network span and the route of host1 to that part) when it is listed, or
// any of it when it is not.
func (l *binaryLab) checkHost(name, slice string) (listed bool, problem string) {
	if _, p := l.try("host", "up"); p != "" {
		return false, p
	}
	out, p := l.try("host", "ls")
	if p != "" {
		return false, p
	}
	listed = listedIn(out, name)
	path := l.inst.HostNetnsPath(name)
	_, err := os.Stat(path)
	ns := err == nil
	uplink := linkIn(l.inst.HostNetnsPath(lanNetns), name)
	route := strings.TrimSpace(inNs(l.t, l.inst.HostNetnsPath(DefaultHost), "ip", "route", "show", slice)) != ""
	part := ns && linkIn(path, "br-span")
	if listed != ns || listed != uplink || listed != route || listed != part {
		return listed, fmt.Sprintf("host %s listed %v: namespace %v, uplink %v, host1's route to %s %v, bridge of span %v", name, listed, ns, uplink, slice, route, part)
	}
	return listed, ""
}

func TestCrashHostAddRm(t *testing.T) {
	l := newBinaryLab(t)
	k := newKiller(t)
	setup := func() { l.must("network", "create", "--crosshost", "host-gw", "span") }
	setup()
	dAdd, _ := testutil.Timed(t, "host", "add", "host2")
	dRm, _ := testutil.Timed(t, "host", "rm", "host2")
	l.crashLoop(20, setup, func() string {
		k.kill(dAdd, "host", "add", "host2")
		listed, p := l.checkHost("host2", "10.10.2.0/24")
		if p != "" {
			return p
		}
		if !listed {
			if _, p := l.try("host", "add", "host2"); p != "" {
				return p
			}
		}
		k.kill(dRm, "host", "rm", "host2")
		if listed, p = l.checkHost("host2", "10.10.2.0/24"); p != "" {
			return p
		}
		if listed {
			if _, p := l.try("host", "rm", "host2"); p != "" {
				return p
			}
		}
		return ""
	})
}

// labWhole finds a problem in the default lab: the LAN with the uplinks of host1 and
// outside and nothing else, host1's bridge network and chains and no other network,
// and packets both ways.
func (l *binaryLab) labWhole() string {
	for ns, want := range map[string]string{
		lanNetns:    "host1 lan0 lo outside",
		DefaultHost: "eth0 lo wb0",
		OutsideHost: "eth0 lo world0",
	} {
		names := linkNamesIn(l.t, l.inst.HostNetnsPath(ns))
		if got := strings.Join(names, " "); got != want {
			return fmt.Sprintf("%s has links %q, want %q", ns, got, want)
		}
	}
	host1 := l.inst.HostNetnsPath(DefaultHost)
	if n := rulesOf(host1, DefaultNetwork); n != 8 {
		return fmt.Sprintf("host1 has %d rules of its bridge network, want 8", n)
	}
	// Five jumps to the host's chains, and the isolation of the bridge network.
	if n := strings.Count(inNs(l.t, host1, "iptables-save"), "-j WB-"); n != 6 {
		return fmt.Sprintf("host1 has %d jumps to its chains, want 6", n)
	}
	for _, c := range [][]string{
		{"host", "exec", OutsideHost, "busybox", "ping", "-c1", "-W1", lanIP(1)},
		{"host", "exec", DefaultHost, "busybox", "ping", "-c1", "-W1", "203.0.113.1"},
	} {
		if _, p := l.try(c...); p != "" {
			return p
		}
	}
	return ""
}

func TestCrashFirstLabCreation(t *testing.T) {
	l := newBinaryLab(t)
	k := newKiller(t)
	d, _ := testutil.Timed(t, "host", "up")
	makers := [][]string{{"host", "up"}, {"network", "create", "blue"}}
	l.crashLoop(30, func() {}, func() string {
		l.must("reset")
		k.kill(d, makers[k.rng.IntN(len(makers))]...)
		listed, p := l.checkNetwork("blue", []string{DefaultHost}, false)
		if p != "" {
			return p
		}
		if listed {
			if _, p := l.try("network", "rm", "blue"); p != "" {
				return p
			}
		}
		return l.labWhole()
	})
}

// leaveHalfMadeHost records host name as half made, with its namespace file in the way
// of its removal: a directory with a file in it, which removing a namespace cannot
// remove. It returns the path of that directory.
func (l *binaryLab) leaveHalfMadeHost(name string) string {
	t := l.t
	statePath := filepath.Join(l.inst.RunDir, "network", "state.json")
	b, err := os.ReadFile(statePath)
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Hosts    []map[string]any `json:"hosts"`
		Networks []map[string]any `json:"networks"`
	}
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	known := false
	for _, h := range st.Hosts {
		if h["name"] == name {
			h["pending"], known = true, true
		}
	}
	if !known {
		st.Hosts = append(st.Hosts, map[string]any{"name": name, "index": 3, "lanAddr": "198.51.100.3/24", "pending": true})
	}
	if b, err = json.Marshal(st); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(statePath, b, 0o644); err != nil {
		t.Fatal(err)
	}
	blocker := l.inst.HostNetnsPath(name)
	if err := deleteNamedNetns(filepath.Base(blocker)); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(blocker, "in-the-way"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(blocker) })
	return blocker
}

// TestListingsChangeNothingWhileACleanupFails leaves a half-made host that cannot be
// removed: the listings show what is whole and say nothing, since they clean nothing
// up; `host up`, which does, warns in one line per problem.
func TestListingsChangeNothingWhileACleanupFails(t *testing.T) {
	for _, c := range []struct {
		host  string
		lists map[string]string
	}{
		// A host of its own: the lab is whole.
		{"host3", map[string]string{"network ls": "blue", "host ls": "host1", "topology": "host1", "iptables": "WB-FORWARD"}},
		// host1 itself: the listings show what there is.
		{"host1", map[string]string{"network ls": "NETWORK", "host ls": "outside", "topology": "outside", "iptables --host outside": "OUTPUT"}},
	} {
		t.Run(c.host, func(t *testing.T) {
			l := newBinaryLab(t)
			l.must("network", "create", "blue")
			blocker := l.leaveHalfMadeHost(c.host)
			statePath := filepath.Join(l.inst.RunDir, "network", "state.json")
			before, _ := os.ReadFile(statePath)
			for cmdline, want := range c.lists {
				r := testutil.Run(t, "", strings.Fields(cmdline)...)
				what := "workbench " + cmdline
				if r.Code != 0 || !strings.Contains(r.Out, want) || r.Err != "" {
					t.Errorf("%s: exit %d, printed %q (stderr %q); want exit 0, the listing and nothing on stderr", what, r.Code, r.Out, r.Err)
				}
				if listedIn(r.Out, c.host) {
					t.Errorf("%s lists the half-made %s:\n%s", what, c.host, r.Out)
				}
			}
			if after, _ := os.ReadFile(statePath); !bytes.Equal(before, after) {
				t.Errorf("the listings changed the state:\n%s\nbecame\n%s", before, after)
			}
			up := testutil.Run(t, "", "host", "up")
			warnings := strings.Split(strings.TrimSpace(up.Err), "\n")
			if !strings.Contains(warnings[0], "removing host "+c.host) {
				t.Errorf("host up: stderr %q, want a warning about removing %s first", up.Err, c.host)
			}
			for _, w := range warnings {
				if !strings.HasPrefix(w, "workbench: ") {
					t.Errorf("host up: stderr line %q is not a one-line message", w)
				}
			}
			if c.host != DefaultHost && (len(warnings) != 1 || up.Code != 0) {
				t.Errorf("host up: exit %d, stderr %q, want one warning and success", up.Code, up.Err)
			}
			// Once the obstacle is gone, the next command finishes the cleanup (and
			// makes host1 again), quietly.
			os.RemoveAll(blocker)
			if _, p := l.try("host", "up"); p != "" {
				t.Error(p)
			}
			if b, _ := os.ReadFile(statePath); strings.Contains(string(b), "pending") {
				t.Errorf("a record is still pending after the cleanup: %s", b)
			}
			if c.host == DefaultHost {
				if p := l.labWhole(); p != "" {
					t.Error(p)
				}
			}
		})
	}
}
