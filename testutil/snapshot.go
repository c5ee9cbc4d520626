package testutil

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"workbench/instance"
)

// Snapshot is a readable picture of part of the machine, one line per object.
type Snapshot map[string][]string

var counters = regexp.MustCompile(`\[\d+:\d+\]`)

// MachineNetwork pictures the machine's own network namespace.
func MachineNetwork() Snapshot {
	s := Snapshot{
		"links":    lines(run("ip", "-o", "link", "show"), stripLinkStats),
		"addrs":    lines(run("ip", "-o", "addr", "show"), nil),
		"routes":   lines(run("ip", "route", "show", "table", "all"), nil),
		"iptables": lines(run("iptables-save"), stripCounters),
		"sysctl":   {readFile("/proc/sys/net/ipv4/ip_forward"), readFile("/proc/sys/net/ipv4/conf/all/forwarding")},
	}
	return s
}

// Leftovers pictures everything a workbench instance can leave on the machine:
// named network namespaces, overlay and namespace mounts, cgroups, processes, state
// directories, besides the machine's own network.
func Leftovers() Snapshot {
	s := MachineNetwork()
	s["netns"] = globNames("/run/netns/*")
	s["mounts"] = lines(readFile("/proc/self/mountinfo"), func(l string) string {
		f := strings.Fields(l)
		if len(f) < 5 {
			return ""
		}
		if strings.Contains(l, " - overlay ") || strings.Contains(l, " - nsfs ") || strings.Contains(f[4], "workbench") {
			return f[4]
		}
		return ""
	})
	s["cgroups"] = cgroups()
	s["dirs"] = append(globNames("/run/workbench*"), globNames("/var/lib/workbench-*")...)
	s["processes"] = workbenchProcesses()
	return s
}

// Diff lists what differs between two snapshots, or "" when they are the same.
func Diff(before, after Snapshot) string {
	var b strings.Builder
	keys := make([]string, 0, len(after))
	for k := range after {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		was := map[string]bool{}
		for _, l := range before[k] {
			was[l] = true
		}
		now := map[string]bool{}
		for _, l := range after[k] {
			now[l] = true
			if !was[l] {
				fmt.Fprintf(&b, "  %s: new: %s\n", k, l)
			}
		}
		for _, l := range before[k] {
			if !now[l] {
				fmt.Fprintf(&b, "  %s: gone: %s\n", k, l)
			}
		}
	}
	return b.String()
}

func run(name string, args ...string) string {
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		return fmt.Sprintf("%s failed: %v", name, err)
	}
	return string(out)
}

func readFile(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

func lines(text string, keep func(string) string) []string {
	var out []string
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
	for sc.Scan() {
		l := sc.Text()
		if strings.HasPrefix(l, "#") || strings.TrimSpace(l) == "" {
			continue
		}
		if keep != nil {
			l = keep(l)
		}
		if l != "" {
			out = append(out, l)
		}
	}
	sort.Strings(out)
	return out
}

func stripCounters(l string) string { return counters.ReplaceAllString(l, "") }

// stripLinkStats keeps a link's name, flags and kind, not what changes on its own
// (the operational state words after "state" stay: a link going down is a change).
func stripLinkStats(l string) string {
	l = strings.SplitN(l, "\\", 2)[0]
	if i := strings.Index(l, ": "); i >= 0 {
		return l[i+2:]
	}
	return l
}

func globNames(pattern string) []string {
	m, _ := filepath.Glob(pattern)
	sort.Strings(m)
	return m
}

func cgroups() []string {
	var out []string
	roots, _ := filepath.Glob("/sys/fs/cgroup/*")
	roots = append(roots, "/sys/fs/cgroup")
	for _, r := range roots {
		m, _ := filepath.Glob(filepath.Join(r, "workbench*"))
		out = append(out, m...)
	}
	sort.Strings(out)
	return out
}

// workbenchProcesses lists the workbench's own processes and every process in a
// network namespace other than the machine's (a container's, a lab host's), by
// command line and namespace.
func workbenchProcesses() []string {
	var out []string
	self := fmt.Sprint(os.Getpid())
	machineNet, _ := os.Readlink("/proc/self/ns/net")
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		if filepath.Base(d) == self {
			continue
		}
		b, err := os.ReadFile(filepath.Join(d, "cmdline"))
		if err != nil || len(b) == 0 {
			continue
		}
		cmdline := strings.ReplaceAll(strings.TrimRight(string(b), "\x00"), "\x00", " ")
		argv0 := filepath.Base(strings.SplitN(string(b), "\x00", 2)[0])
		if argv0 == "workbench" || strings.HasPrefix(argv0, "workbench-") {
			out = append(out, cmdline)
		} else if net, err := os.Readlink(filepath.Join(d, "ns/net")); err == nil && net != machineNet {
			out = append(out, cmdline+" (in "+net+")")
		}
	}
	sort.Strings(out)
	return out
}

// InstanceLeftovers lists, one a line, what differs between before and the machine
// now in the objects of the test's instance (the one NewInstance chose; other tests
// run beside it), or "" when nothing does.
func InstanceLeftovers(before Snapshot) string {
	name := os.Getenv(instance.EnvName)
	var mine []string
	for _, l := range strings.Split(Diff(before, Leftovers()), "\n") {
		if strings.Contains(l, name) {
			mine = append(mine, l)
		}
	}
	return strings.Join(mine, "\n")
}
