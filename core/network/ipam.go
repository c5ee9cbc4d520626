package network

import (
	"encoding/binary"
	"fmt"
	"net/netip"
)

// reservedRanges are the lab's own address ranges and the machine's LAN; no container
// network may overlap them.
var reservedRanges = []struct{ prefix, what string }{
	{"192.0.2.0/24", "the machine's own network"},
	{lanSubnet, "the lab's LAN"},
	{worldSubnet, "the lab's outside world"},
	{"127.0.0.0/8", "loopback"},
	{"224.0.0.0/4", "multicast"},
	{"0.0.0.0/8", "this network"},
}

// ParseSubnet reads a network's subnet: an IPv4 CIDR written with its host bits zero,
// between /8 and /30, that overlaps none of the lab's reserved ranges.
func ParseSubnet(s string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(s)
	if err != nil || !p.Addr().Is4() {
		return netip.Prefix{}, fmt.Errorf("subnet %q is not an IPv4 CIDR: use e.g. --subnet 172.20.0.0/16", s)
	}
	if p.Masked() != p {
		return netip.Prefix{}, fmt.Errorf("subnet %q has host bits set: use %s", s, p.Masked())
	}
	if p.Bits() < 8 || p.Bits() > 30 {
		return netip.Prefix{}, fmt.Errorf("subnet %q: the prefix length must be between /8 and /30", s)
	}
	for _, r := range reservedRanges {
		if p.Overlaps(netip.MustParsePrefix(r.prefix)) {
			return netip.Prefix{}, fmt.Errorf("subnet %s overlaps %s (%s): pick another, e.g. 172.20.0.0/16", p, r.prefix, r.what)
		}
	}
	return p, nil
}

// ParseGateway reads a gateway address, which must be a usable address of subnet.
func ParseGateway(s string, subnet netip.Prefix) (netip.Addr, error) {
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is4() {
		return netip.Addr{}, fmt.Errorf("gateway %q is not an IPv4 address: use e.g. --gateway 172.20.0.1", s)
	}
	if !subnet.Contains(a) {
		return netip.Addr{}, fmt.Errorf("gateway %s is outside subnet %s: pick an address inside it", a, subnet)
	}
	if a == subnet.Addr() || a == lastAddr(subnet) {
		return netip.Addr{}, fmt.Errorf("gateway %s is the network or broadcast address of %s: pick a host address", a, subnet)
	}
	return a, nil
}

func toU32(a netip.Addr) uint32 { b := a.As4(); return binary.BigEndian.Uint32(b[:]) }

func fromU32(v uint32) netip.Addr {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], v)
	return netip.AddrFrom4(b)
}

// lastAddr is the broadcast address of p.
func lastAddr(p netip.Prefix) netip.Addr {
	return fromU32(toU32(p.Addr()) | (1<<(32-p.Bits()) - 1))
}

// allocate picks an address for a new endpoint of n: want when given (it must be a
// free host address of the pool), else the first free one after the highest in use,
// wrapping around, so a released address is not handed out again at once. taken maps
// the addresses in use to their container IDs; nothing is written to pick one.
func allocate(n *Network, taken map[netip.Addr]string, want string) (netip.Addr, error) {
	subnet := netip.MustParsePrefix(n.Subnet)
	pool := netip.MustParsePrefix(n.Pool)
	used := map[netip.Addr]string{netip.MustParseAddr(n.Gateway): "the gateway"}
	for a, id := range taken {
		used[a] = "container " + shortID(id)
	}
	usable := func(a netip.Addr) bool {
		return pool.Contains(a) && a != subnet.Addr() && a != lastAddr(subnet) && a != pool.Addr() && a != lastAddr(pool)
	}
	if want != "" {
		a, err := netip.ParseAddr(want)
		if err != nil || !a.Is4() {
			return netip.Addr{}, fmt.Errorf("--ip %q is not an IPv4 address: use e.g. --ip %s", want, fromU32(toU32(pool.Addr())+10))
		}
		if !usable(a) {
			return netip.Addr{}, fmt.Errorf("--ip %s is outside network %s's range %s: pick a host address inside it", a, n.Name, pool)
		}
		if who, ok := used[a]; ok {
			return netip.Addr{}, fmt.Errorf("--ip %s is taken on network %s by %s: pick another address", a, n.Name, who)
		}
		return a, nil
	}
	first, last := toU32(pool.Addr())+1, toU32(lastAddr(pool))-1
	start := first
	for a := range taken {
		if v := toU32(a); v >= start && v < last {
			start = v + 1
		}
	}
	for i, size := uint32(0), last-first+1; i < size; i++ {
		a := fromU32(first + (start-first+i)%size)
		if _, taken := used[a]; !taken && usable(a) {
			return a, nil
		}
	}
	return netip.Addr{}, fmt.Errorf("network %s has no free address left in %s: remove a container or make a network with a larger --subnet", n.Name, pool)
}

func nameOr(e Endpoint) string {
	if e.ContainerName != "" {
		return e.ContainerName
	}
	return shortID(e.ContainerID)
}

func shortID(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}
