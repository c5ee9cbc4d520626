package trace

import (
	"fmt"
	"net/netip"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
)

// addrs lists the IPv4 addresses of a namespace, eth0's first.
func addrs(p Place) ([]netip.Addr, error) {
	fd, err := netns.GetFromPath(p.Netns)
	if err != nil {
		return nil, fmt.Errorf("open the network namespace of %s: %w", p.Name, err)
	}
	defer fd.Close()
	h, err := netlink.NewHandleAt(fd)
	if err != nil {
		return nil, fmt.Errorf("netlink in %s: %w", p.Name, err)
	}
	defer h.Close()
	list, err := h.AddrList(nil, netlink.FAMILY_V4)
	if err != nil {
		return nil, fmt.Errorf("addresses of %s: %w", p.Name, err)
	}
	var first, rest []netip.Addr
	for _, a := range list {
		ip, ok := netip.AddrFromSlice(a.IP.To4())
		if !ok || ip.IsLoopback() {
			continue
		}
		if l, err := h.LinkByIndex(a.LinkIndex); err == nil && l.Attrs().Name == "eth0" {
			first = append(first, ip)
		} else {
			rest = append(rest, ip)
		}
	}
	return append(first, rest...), nil
}

// AddrOf is the address a probe to a host or container goes to: its eth0's.
func AddrOf(p Place) (netip.Addr, error) {
	as, err := addrs(p)
	if err != nil {
		return netip.Addr{}, err
	}
	if len(as) == 0 {
		return netip.Addr{}, fmt.Errorf("%s has no IPv4 address to send a probe to", p.Name)
	}
	return as[0], nil
}

// PlaceOf is the index of the place that holds an address, -1 when none does.
func PlaceOf(places []Place, a netip.Addr) int {
	for i, p := range places {
		as, _ := addrs(p)
		for _, x := range as {
			if x == a {
				return i
			}
		}
	}
	return -1
}
