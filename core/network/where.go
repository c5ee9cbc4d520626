package network

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"workbench/instance"
	"workbench/nsutil"
)

// This file answers where the lab is, for anyone who reads it (the views, the CLI, the
// scripts) without taking the lock: which hosts exist, where a host's namespace is,
// and how a command run in a namespace is written down. The answers come from the
// kernel's bind mounts in /run/netns, not from the state, so a view shows a host as
// soon as its namespace exists.

// NetnsPath is where the network namespace of host is, or will be: "" is host1,
// RealHost the machine's own.
func NetnsPath(inst instance.Instance, host string) string {
	switch host {
	case "":
		host = DefaultHost
	case RealHost:
		return nsutil.MachinePath
	}
	return inst.HostNetnsPath(host)
}

// Namespace is one network namespace of the lab as the kernel has it now.
type Namespace struct {
	// Name is the host's name, or LANName for the LAN's own namespace.
	Name string
	// Path is its bind-mounted file in /run/netns.
	Path string
}

// LANName names the LAN's own namespace among the lab's namespaces; no host has it.
const LANName = lanNetns

// Namespaces lists the lab's namespaces that exist now: the LAN's, then host1, then
// the other hosts by name.
func Namespaces(inst instance.Instance) []Namespace {
	prefix := inst.HostNetnsName("")
	var out []Namespace
	for _, path := range NamedNamespaces() {
		if name, ok := strings.CutPrefix(filepath.Base(path), prefix); ok && name != "" {
			out = append(out, Namespace{Name: name, Path: path})
		}
	}
	rank := func(name string) int {
		switch name {
		case LANName:
			return 0
		case DefaultHost:
			return 1
		}
		return 2
	}
	sort.SliceStable(out, func(i, j int) bool {
		if ri, rj := rank(out[i].Name), rank(out[j].Name); ri != rj {
			return ri < rj
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// HostNames lists the lab hosts whose namespaces exist now, host1 first, then by
// name; the LAN is not a host.
func HostNames(inst instance.Instance) []string {
	var out []string
	for _, ns := range Namespaces(inst) {
		if ns.Name != LANName {
			out = append(out, ns.Name)
		}
	}
	return out
}

// NamedNamespaces lists every named network namespace of the machine (the files in
// /run/netns): the lab's of every instance, and any made by hand with `ip netns add`.
func NamedNamespaces() []string {
	entries, err := os.ReadDir(netnsDir)
	if err != nil {
		return nil
	}
	out := make([]string, 0, len(entries))
	for _, e := range entries {
		out = append(out, filepath.Join(netnsDir, e.Name()))
	}
	return out
}

// CommandIn is the command line a person types to run args in the network namespace
// at nsPath: args alone in the machine's own, `ip netns exec NAME ...` in a named one,
// `nsenter --net=PATH ...` in any other (a container's).
func CommandIn(nsPath string, args ...string) []string {
	switch {
	case nsPath == nsutil.MachinePath:
		return args
	case filepath.Dir(nsPath) == netnsDir:
		return append([]string{"ip", "netns", "exec", filepath.Base(nsPath)}, args...)
	default:
		return append([]string{"nsenter", "--net=" + nsPath}, args...)
	}
}
