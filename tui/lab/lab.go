// Package lab finds an instance's lab hosts the way the views must: from the kernel
// (the network namespaces bind-mounted in /run/netns), not from the engine's memory.
package lab

import (
	"os"
	"sort"
	"strings"

	"workbench/instance"
	"workbench/nsutil"
)

// Real names the machine's own network namespace.
const Real = "real"

// Hosts lists the lab hosts of inst that exist now, host1 first, then by name.
func Hosts(inst instance.Instance) []string {
	entries, err := os.ReadDir("/run/netns")
	if err != nil {
		return nil
	}
	prefix := inst.HostNetnsName("")
	var hosts []string
	for _, e := range entries {
		if h, ok := strings.CutPrefix(e.Name(), prefix); ok && h != "" {
			hosts = append(hosts, h)
		}
	}
	sort.Slice(hosts, func(i, j int) bool {
		if (hosts[i] == "host1") != (hosts[j] == "host1") {
			return hosts[i] == "host1"
		}
		return hosts[i] < hosts[j]
	})
	return hosts
}

// NetnsPath is the network namespace file of a lab host, or the machine's for Real.
func NetnsPath(inst instance.Instance, host string) string {
	if host == Real {
		return nsutil.MachinePath
	}
	return inst.HostNetnsPath(host)
}
