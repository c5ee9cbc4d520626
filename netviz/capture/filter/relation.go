package filter

import (
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/net/bpf"
)

// The comparisons of a relation ("icmp[icmptype] = icmp-echo") and their BPF tests.
var relops = map[string]bpf.JumpTest{
	"=": bpf.JumpEqual, "!=": bpf.JumpNotEqual,
	">": bpf.JumpGreaterThan, "<": bpf.JumpLessThan,
	">=": bpf.JumpGreaterOrEqual, "<=": bpf.JumpLessOrEqual,
}

// namedValues are tcpdump's names for offsets and values in relations.
var namedValues = map[string]uint32{
	"icmptype": 0, "icmpcode": 1, "tcpflags": 13,
	"icmp-echoreply": 0, "icmp-unreach": 3, "icmp-sourcequench": 4, "icmp-redirect": 5,
	"icmp-echo": 8, "icmp-routeradvert": 9, "icmp-routersolicit": 10, "icmp-timxceed": 11,
	"icmp-paramprob": 12, "icmp-tstamp": 13, "icmp-tstampreply": 14, "icmp-ireq": 15,
	"icmp-ireqreply": 16, "icmp-maskreq": 17, "icmp-maskreply": 18,
	"tcp-fin": 0x01, "tcp-syn": 0x02, "tcp-rst": 0x04, "tcp-push": 0x08,
	"tcp-ack": 0x10, "tcp-urg": 0x20, "tcp-ece": 0x40, "tcp-cwr": 0x80,
}

const relationHelp = "PROTO[OFFSET:SIZE] [& MASK] = VALUE, e.g. icmp[icmptype] = icmp-echo or arp[6:2] = 1"

// relation parses what follows PROTO in PROTO[OFFSET[:SIZE]] [& MASK] RELOP VALUE: the
// bytes at OFFSET of the protocol's header, read as a big-endian number of SIZE bytes
// (1, 2 or 4; 1 when not given), compared with VALUE. For tcp, udp and icmp the
// header is found after the IPv4 header, in unfragmented packets, as tcpdump does.
func (p *parser) relation(proto string, at token) (node, error) {
	if _, ok := map[string]bool{"ether": true, "ip": true, "arp": true, "tcp": true, "udp": true, "icmp": true}[proto]; !ok {
		return nil, &Error{Col: at.col, Msg: fmt.Sprintf("%s[...] cannot be read: index ether, ip, arp, tcp, udp or icmp", proto)}
	}
	p.pos++ // "["
	t, ok := p.next()
	if !ok {
		return nil, p.errExpected("an offset in " + relationHelp)
	}
	offText, sizeText, sized := strings.Cut(t.text, ":")
	off, err := relationValue(offText, 0xffff)
	if err != nil {
		return nil, &Error{Col: t.col, Msg: "offset: " + err.Error()}
	}
	size := 1
	if sized {
		if size, err = strconv.Atoi(sizeText); err != nil || size != 1 && size != 2 && size != 4 {
			return nil, &Error{Col: t.col, Msg: fmt.Sprintf("size %q: read 1, 2 or 4 bytes, e.g. arp[6:2]", sizeText)}
		}
	}
	if t, ok := p.next(); !ok || t.text != "]" {
		p.pos -= boolToInt(ok)
		return nil, p.errExpected(`"]"`)
	}
	mask := ^uint32(0)
	if t, _ := p.peek(); t.text == "&" {
		p.pos++
		v, ok := p.next()
		if mask, err = relationValue(v.text, ^uint32(0)); !ok || err != nil {
			return nil, &Error{Col: v.col, Msg: "mask: expected a number or a name such as tcp-syn"}
		}
	}
	op, ok := p.next()
	cond, known := relops[op.text]
	if !ok || !known {
		p.pos -= boolToInt(ok)
		return nil, p.errExpected("=, !=, <, >, <= or >= in " + relationHelp)
	}
	v, ok := p.next()
	val, err := relationValue(v.text, ^uint32(0))
	if !ok || err != nil {
		p.pos -= boolToInt(ok)
		return nil, p.errExpected("a number or a name such as icmp-echo after " + op.text)
	}
	return indexed(proto, off, size, mask, cond, val), nil
}

// indexed is the test of a relation on the header of proto.
func indexed(proto string, off uint32, size int, mask uint32, cond bpf.JumpTest, val uint32) node {
	a := atom{load: load(off, size), mask: mask, cond: cond, val: val}
	switch proto {
	case "ip", "arp":
		a.load = load(offIPHeader+off, size)
	case "tcp", "udp", "icmp":
		a.pre = []bpf.Instruction{bpf.LoadMemShift{Off: offIPHeader}}
		a.load = bpf.LoadIndirect{Off: offIPHeader + off, Size: size}
	}
	if mask == 0 {
		// Every bit is masked off: the value compared is 0.
		a.pre, a.load, a.mask = nil, bpf.LoadConstant{Dst: bpf.RegA, Val: 0}, ^uint32(0)
	}
	switch proto {
	case "ip":
		return and(etherType(etherIPv4), a)
	case "arp":
		return and(etherType(etherARP), a)
	case "tcp", "udp", "icmp":
		protoNum := map[string]uint32{"tcp": protoTCP, "udp": protoUDP, "icmp": protoICMP}[proto]
		notFragment := notNode{atom{load: load(offIPFrag, 2), cond: bpf.JumpBitsSet, val: 0x1fff}}
		return and(etherType(etherIPv4), eq(offIPProto, 1, protoNum), notFragment, a)
	}
	return a
}

// relationValue reads a number (decimal or 0x hexadecimal) up to max, or one of
// tcpdump's names.
func relationValue(s string, max uint32) (uint32, error) {
	if v, ok := namedValues[s]; ok {
		return v, nil
	}
	n, err := strconv.ParseUint(s, 0, 32)
	if err != nil || uint32(n) > max {
		return 0, fmt.Errorf("expected a number from 0 to %d or a name such as icmptype, found %q", max, s)
	}
	return uint32(n), nil
}
