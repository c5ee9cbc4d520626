package network

import (
	"fmt"
	"os"
	"strings"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"

	"workbench/nsutil"
)

// LoopbackUp sets lo up in the network namespace at nsPath (a fresh namespace has it
// down).
func LoopbackUp(nsPath string) error {
	ns, err := netns.GetFromPath(nsPath)
	if err != nil {
		return fmt.Errorf("open network namespace %s: %w", nsPath, err)
	}
	defer ns.Close()
	h, err := netlink.NewHandleAt(ns)
	if err != nil {
		return fmt.Errorf("netlink in %s: %w", nsPath, err)
	}
	defer h.Close()
	lo, err := h.LinkByName("lo")
	if err != nil {
		return fmt.Errorf("find lo in %s: %w", nsPath, err)
	}
	if err := h.LinkSetUp(lo); err != nil {
		return fmt.Errorf("set lo up in %s: %w", nsPath, err)
	}
	return nil
}

// ContainerSysctls sets, in a container's own network namespace, what Docker sets in
// every container's: any port may be bound without CAP_NET_BIND_SERVICE and any group
// may ping (ICMP datagram sockets), so that a container whose root is not the
// namespace's (--userns) can still serve port 80 and ping.
func (m *Manager) ContainerSysctls(nsPath string) error {
	set := [][2]string{{"net.ipv4.ip_unprivileged_port_start", "0"}, {"net.ipv4.ping_group_range", "0 2147483647"}}
	err := nsutil.Do(nsPath, func() error {
		for _, kv := range set {
			if err := os.WriteFile("/proc/sys/"+strings.ReplaceAll(kv[0], ".", "/"), []byte(kv[1]), 0o644); err != nil {
				return fmt.Errorf("sysctl -w %s=%s: %w", kv[0], kv[1], err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, kv := range set {
		m.log.AddArgs(CommandIn(nsPath, "sysctl", "-w", kv[0]+"="+kv[1])...)
	}
	return nil
}
