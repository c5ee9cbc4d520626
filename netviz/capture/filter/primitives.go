package filter

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"

	"golang.org/x/net/bpf"
)

// Offsets in an Ethernet frame (the kernel has already removed any VLAN tag).
const (
	offEtherType = 12
	offIPProto   = 23 // IPv4 protocol
	offIPFrag    = 20 // IPv4 flags and fragment offset
	offIPSrc     = 26
	offIPDst     = 30
	offARPSpa    = 28
	offARPTpa    = 38
	offIP6Next   = 20
	offIP6Src    = 22
	offIP6Dst    = 38
	offIP6Ports  = 54 // first byte after a 40-byte IPv6 header
	offIPHeader  = 14
)

// Ethernet types and IP protocol numbers the vocabulary names.
const (
	etherIPv4  = 0x0800
	etherARP   = 0x0806
	etherIPv6  = 0x86dd
	protoICMP  = 1
	protoTCP   = 6
	protoUDP   = 17
	protoSCTP  = 132
	protoICMP6 = 58
)

// servicePorts are the port names accepted after "port".
var servicePorts = map[string]int{"domain": 53, "dns": 53, "http": 80, "https": 443, "ssh": 22, "telnet": 23, "ntp": 123, "vxlan": 4789, "bootps": 67, "bootpc": 68}

// always is a test that every packet passes (a /0 network).
var always node = atom{load: bpf.LoadConstant{Dst: bpf.RegA, Val: 0}, cond: bpf.JumpEqual, val: 0}

func load(off uint32, size int) bpf.Instruction { return bpf.LoadAbsolute{Off: off, Size: size} }

func eq(off uint32, size int, v uint32) node {
	return atom{load: load(off, size), cond: bpf.JumpEqual, val: v}
}

func etherType(t uint32) node { return eq(offEtherType, 2, t) }

func and(ns ...node) node {
	n := ns[0]
	for _, m := range ns[1:] {
		n = andNode{n, m}
	}
	return n
}

func or(ns ...node) node {
	n := ns[0]
	for _, m := range ns[1:] {
		n = orNode{n, m}
	}
	return n
}

// protoNode is a protocol named on its own.
func protoNode(proto string) (node, bool) {
	ip, ip6 := etherType(etherIPv4), etherType(etherIPv6)
	switch proto {
	case "ip":
		return ip, true
	case "ip6":
		return ip6, true
	case "arp":
		return etherType(etherARP), true
	case "tcp", "udp":
		n := uint32(protoTCP)
		if proto == "udp" {
			n = protoUDP
		}
		return or(and(ip, eq(offIPProto, 1, n)), and(ip6, eq(offIP6Next, 1, n))), true
	case "icmp":
		return and(ip, eq(offIPProto, 1, protoICMP)), true
	case "icmp6":
		return and(ip6, eq(offIP6Next, 1, protoICMP6)), true
	case "vlan":
		return atom{load: bpf.LoadExtension{Num: bpf.ExtVLANTagPresent}, cond: bpf.JumpNotEqual, val: 0}, true
	}
	return nil, false
}

// vlanID matches frames tagged with one VLAN ID.
func vlanID(id int) node {
	present, _ := protoNode("vlan")
	return and(present, atom{load: bpf.LoadExtension{Num: bpf.ExtVLANTag}, mask: 0x0fff, cond: bpf.JumpEqual, val: uint32(id)})
}

// either applies a direction: src, dst or (no direction) either of them.
func either(dir string, src, dst node) node {
	switch dir {
	case "src":
		return src
	case "dst":
		return dst
	}
	return or(src, dst)
}

// qualified builds a host, net or port primitive.
func qualified(q quals, value string) (node, error) {
	switch q.kind {
	case "port":
		return portNode(q, value)
	case "net":
		pfx, err := parseNet(value)
		if err != nil {
			return nil, err
		}
		return addrNode(q, pfx)
	}
	if q.proto == "ether" {
		mac, err := net.ParseMAC(value)
		if err != nil || len(mac) != 6 {
			return nil, fmt.Errorf("expected a MAC address such as 02:42:ac:12:00:02, found %q", value)
		}
		return either(q.dir, macNode(6, mac), macNode(0, mac)), nil
	}
	a, err := netip.ParseAddr(value)
	if err != nil {
		return nil, fmt.Errorf("expected an IP address (host names are not resolved), found %q", value)
	}
	return addrNode(q, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
}

func parseNet(value string) (netip.Prefix, error) {
	pfx, err := netip.ParsePrefix(value)
	if err != nil {
		a, aerr := netip.ParseAddr(value)
		if aerr != nil {
			return netip.Prefix{}, fmt.Errorf("expected a network such as 172.18.0.0/16, found %q", value)
		}
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	if pfx.Masked() != pfx {
		return netip.Prefix{}, fmt.Errorf("%s has host bits set: write %s", value, pfx.Masked())
	}
	return pfx, nil
}

// addrNode matches an IPv4 or IPv6 address or network in IP headers (and, for IPv4
// without a protocol, in ARP's sender and target addresses as tcpdump does).
func addrNode(q quals, pfx netip.Prefix) (node, error) {
	if pfx.Addr().Is4() {
		ip := either(q.dir, prefix4(offIPSrc, pfx), prefix4(offIPDst, pfx))
		ipPart := and(etherType(etherIPv4), ip)
		arpPart := and(etherType(etherARP), either(q.dir, prefix4(offARPSpa, pfx), prefix4(offARPTpa, pfx)))
		switch q.proto {
		case "":
			return or(ipPart, arpPart), nil
		case "ip":
			return ipPart, nil
		case "arp":
			return arpPart, nil
		case "tcp", "udp", "icmp":
			p, _ := protoNode(q.proto)
			return and(p, ipPart), nil
		}
		return nil, fmt.Errorf("an IPv4 address cannot follow %q", q.proto)
	}
	ip6 := and(etherType(etherIPv6), either(q.dir, prefix6(offIP6Src, pfx), prefix6(offIP6Dst, pfx)))
	switch q.proto {
	case "", "ip6":
		return ip6, nil
	case "tcp", "udp", "icmp6":
		p, _ := protoNode(q.proto)
		return and(p, ip6), nil
	}
	return nil, fmt.Errorf("an IPv6 address cannot follow %q", q.proto)
}

// prefix4 compares the 4-byte address at off with pfx.
func prefix4(off uint32, pfx netip.Prefix) node {
	b := pfx.Addr().As4()
	if pfx.Bits() == 0 {
		return always
	}
	mask := ^uint32(0) << (32 - pfx.Bits())
	return atom{load: load(off, 4), mask: mask, cond: bpf.JumpEqual, val: binary.BigEndian.Uint32(b[:]) & mask}
}

// prefix6 compares the 16-byte address at off with pfx, a word at a time.
func prefix6(off uint32, pfx netip.Prefix) node {
	b := pfx.Addr().As16()
	var words []node
	for i, bits := 0, pfx.Bits(); i < 4 && bits > 0; i, bits = i+1, bits-32 {
		mask := ^uint32(0)
		if bits < 32 {
			mask <<= 32 - bits
		}
		v := binary.BigEndian.Uint32(b[4*i:]) & mask
		words = append(words, atom{load: load(off+uint32(4*i), 4), mask: mask, cond: bpf.JumpEqual, val: v})
	}
	if len(words) == 0 {
		return always
	}
	return and(words...)
}

// macNode compares the MAC address at off (0 = destination, 6 = source).
func macNode(off uint32, mac net.HardwareAddr) node {
	return and(eq(off+2, 4, binary.BigEndian.Uint32(mac[2:])), eq(off, 2, uint32(binary.BigEndian.Uint16(mac[:2]))))
}

// portNode matches TCP/UDP (and SCTP) ports in unfragmented IPv4 and in IPv6 without
// extension headers, as tcpdump does.
func portNode(q quals, value string) (node, error) {
	port, ok := servicePorts[value]
	if !ok {
		var err error
		if port, err = parseNumber(value, 65535); err != nil {
			return nil, fmt.Errorf("port: %v", err)
		}
	}
	var protos []uint32
	switch q.proto {
	case "", "ip", "ip6":
		protos = []uint32{protoTCP, protoUDP, protoSCTP}
	case "tcp":
		protos = []uint32{protoTCP}
	case "udp":
		protos = []uint32{protoUDP}
	default:
		return nil, fmt.Errorf("a port cannot follow %q: use tcp or udp", q.proto)
	}
	in := func(off uint32) node {
		var alts []node
		for _, p := range protos {
			alts = append(alts, eq(off, 1, p))
		}
		return or(alts...)
	}
	ipPort := func(off uint32) node {
		return atom{pre: []bpf.Instruction{bpf.LoadMemShift{Off: offIPHeader}}, load: bpf.LoadIndirect{Off: offIPHeader + off, Size: 2}, cond: bpf.JumpEqual, val: uint32(port)}
	}
	notFragment := notNode{atom{load: load(offIPFrag, 2), cond: bpf.JumpBitsSet, val: 0x1fff}}
	v4 := and(etherType(etherIPv4), in(offIPProto), notFragment, either(q.dir, ipPort(0), ipPort(2)))
	v6 := and(etherType(etherIPv6), in(offIP6Next), either(q.dir, eq(offIP6Ports, 2, uint32(port)), eq(offIP6Ports+2, 2, uint32(port))))
	switch q.proto {
	case "ip":
		return v4, nil
	case "ip6":
		return v6, nil
	}
	return or(v4, v6), nil
}

// parseNumber parses a decimal number from 0 to max.
func parseNumber(s string, max int) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("expected a number from 0 to %d, found %q", max, s)
	}
	if n < 0 || n > max {
		return 0, errors.New("expected a number from 0 to " + strconv.Itoa(max) + ", found " + s)
	}
	return n, nil
}
