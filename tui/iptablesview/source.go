package iptablesview

import (
	"context"

	"workbench/cmdlog"
	"workbench/core/network"
	"workbench/instance"
	"workbench/netviz/iptables"
)

// KernelSource reads the tables of an instance's lab hosts from the kernel.
type KernelSource struct {
	Inst instance.Instance
	Log  *cmdlog.Log
}

// Hosts lists the lab hosts that exist now.
func (s KernelSource) Hosts() []string { return network.HostNames(s.Inst) }

// Read reads every table of host.
func (s KernelSource) Read(ctx context.Context, host string) (iptables.Snapshot, error) {
	return iptables.Read(ctx, network.NetnsPath(s.Inst, host), host)
}

// Zero sets the counters of table ("" = all) of host back to zero, as `iptables -Z`.
func (s KernelSource) Zero(ctx context.Context, host, table string) error {
	return iptables.Zero(ctx, network.NetnsPath(s.Inst, host), table, s.Log)
}
