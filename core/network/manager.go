// Package network builds the lab's hosts and networks: named network namespaces joined
// by a simulated LAN, a bridge per network, veth endpoints for containers, address
// pools, NAT and port publishing in iptables chains of its own, and routes or tunnels
// between hosts. Every kernel operation is also recorded in the command log as the
// `ip`, `iptables` or `sysctl` command a person would type.
package network

import (
	"context"
	"errors"

	"workbench/cmdlog"
	"workbench/instance"
	"workbench/nsutil"
)

// RealHost names the machine's own network namespace, used only when asked for.
const RealHost = "real"

// DefaultHost is the lab host that exists from the start and is used when none is named.
const DefaultHost = "host1"

// Manager makes and removes the lab's hosts, networks, endpoints and port mappings of
// one instance. Callers hold the instance lock around every changing call.
type Manager struct {
	inst instance.Instance
	log  *cmdlog.Log
}

// New returns the manager of an instance's lab; log receives the equivalent commands.
func New(inst instance.Instance, log *cmdlog.Log) *Manager {
	return &Manager{inst: inst, log: log}
}

var errNotYet = errors.New("not implemented yet")

// EnsureLab makes what is missing of the lab: the LAN, host1, the peer `outside` and
// host1's default bridge network. It changes nothing that is already there.
func (m *Manager) EnsureLab(ctx context.Context) error { return errNotYet }

// HostNetnsPath is the network namespace file of a lab host: "" means host1 and "real"
// the machine's own namespace.
func (m *Manager) HostNetnsPath(host string) (string, error) {
	switch host {
	case "":
		host = DefaultHost
	case RealHost:
		return nsutil.MachinePath, nil
	}
	return m.inst.HostNetnsPath(host), nil
}

// Attach makes an endpoint for a container on a network.
func (m *Manager) Attach(ctx context.Context, req AttachRequest) (Attachment, error) {
	return Attachment{}, errNotYet
}

// Detach removes an endpoint and releases its address.
func (m *Manager) Detach(ctx context.Context, a Attachment) error { return errNotYet }

// Publish maps host ports to an endpoint's ports.
func (m *Manager) Publish(ctx context.Context, a Attachment, ports []PortSpec) ([]PortBinding, error) {
	return nil, errNotYet
}

// Unpublish removes port mappings made by Publish.
func (m *Manager) Unpublish(ctx context.Context, b []PortBinding) error { return errNotYet }

// Reset removes every host, link, rule and namespace of the instance's lab.
func (m *Manager) Reset(ctx context.Context) error { return errNotYet }
