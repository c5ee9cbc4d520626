// Package network builds the lab's hosts and networks: named network namespaces joined
// by a simulated LAN, a bridge per network, veth endpoints for containers, address
// pools, NAT and port publishing in iptables chains of its own, and routes or tunnels
// between hosts. Every kernel operation is also recorded in the command log as the
// `ip`, `iptables` or `sysctl` command a person would type.
package network

import (
	"workbench/cmdlog"
	"workbench/errkind"
	"workbench/instance"
)

// RealHost names the machine's own network namespace, used only when asked for.
const RealHost = "real"

// DefaultHost is the lab host that exists from the start and is used when none is named.
const DefaultHost = "host1"

// Manager makes and removes the lab's hosts, networks, endpoints and port mappings of
// one instance. Callers hold the instance lock around every changing call.
type Manager struct {
	inst     instance.Instance
	log      *cmdlog.Log
	warnings []string
}

// New returns the manager of an instance's lab; log receives the equivalent commands.
func New(inst instance.Instance, log *cmdlog.Log) *Manager {
	return &Manager{inst: inst, log: log}
}

// HostNetnsPath is the network namespace file of an existing lab host: "" means host1
// and "real" the machine's own namespace.
func (m *Manager) HostNetnsPath(host string) (string, error) {
	if err := CheckHostName(host); err != nil && host != "" {
		return "", err
	}
	path := NetnsPath(m.inst, host)
	if host == RealHost {
		return path, nil
	}
	if !exists(path) || host == lanNetns {
		return "", errkind.New(errkind.NotFound, "host", host, "unknown host %q", host)
	}
	return path, nil
}
