package trace

import (
	"encoding/binary"
	"fmt"
	"net/netip"
)

// Header is a packet's IPv4 and transport header at one point of its journey.
type Header struct {
	// Src and Dst are the IP addresses.
	Src netip.Addr `json:"src"`
	Dst netip.Addr `json:"dst"`
	// Proto is "tcp", "udp", "icmp" or the protocol number.
	Proto string `json:"proto"`
	// SrcPort and DstPort are the TCP or UDP ports.
	SrcPort uint16 `json:"srcPort,omitempty"`
	DstPort uint16 `json:"dstPort,omitempty"`
	// TTL is the time to live, which each router takes one from.
	TTL uint8 `json:"ttl"`
	// ID is the IP identification, kept by routers and NAT.
	ID uint16 `json:"id"`
	// Length is the IP packet's total length.
	Length uint16 `json:"length"`
	// Flags are the TCP flags as tcpdump writes them ("S", "S.", "R.", "P.").
	Flags string `json:"flags,omitempty"`
	// ICMPType and ICMPCode, and for echoes ICMPID and Seq.
	ICMPType uint8  `json:"icmpType,omitempty"`
	ICMPCode uint8  `json:"icmpCode,omitempty"`
	ICMPID   uint16 `json:"icmpId,omitempty"`
	Seq      uint32 `json:"seq,omitempty"`
	// Ack is the TCP acknowledgement number.
	Ack uint32 `json:"ack,omitempty"`
}

// The IP protocols a header names.
const (
	protoICMP = 1
	protoTCP  = 6
	protoUDP  = 17
)

// ICMP types the journeys speak of.
const (
	icmpEchoReply   = 0
	icmpUnreachable = 3
	icmpEcho        = 8
)

// parseHeader reads an IPv4 header and the transport header after it; ok is false when
// network is not an IPv4 header.
func parseHeader(network, transport []byte) (Header, bool) {
	if len(network) < 20 || network[0]>>4 != 4 {
		return Header{}, false
	}
	h := Header{
		Src:    netip.AddrFrom4([4]byte(network[12:16])),
		Dst:    netip.AddrFrom4([4]byte(network[16:20])),
		TTL:    network[8],
		ID:     binary.BigEndian.Uint16(network[4:]),
		Length: binary.BigEndian.Uint16(network[2:]),
	}
	t := transport
	switch p := network[9]; p {
	case protoTCP:
		h.Proto = "tcp"
		if len(t) >= 14 {
			h.SrcPort, h.DstPort = binary.BigEndian.Uint16(t), binary.BigEndian.Uint16(t[2:])
			h.Seq, h.Ack = binary.BigEndian.Uint32(t[4:]), binary.BigEndian.Uint32(t[8:])
			h.Flags = tcpFlags(t[13])
		}
	case protoUDP:
		h.Proto = "udp"
		if len(t) >= 4 {
			h.SrcPort, h.DstPort = binary.BigEndian.Uint16(t), binary.BigEndian.Uint16(t[2:])
		}
	case protoICMP:
		h.Proto = "icmp"
		if len(t) >= 2 {
			h.ICMPType, h.ICMPCode = t[0], t[1]
		}
		if len(t) >= 8 && (h.ICMPType == icmpEcho || h.ICMPType == icmpEchoReply) {
			h.ICMPID, h.Seq = binary.BigEndian.Uint16(t[4:]), uint32(binary.BigEndian.Uint16(t[6:]))
		}
	default:
		h.Proto = fmt.Sprint(p)
	}
	return h, true
}

// tcpFlags writes TCP flags as tcpdump does.
func tcpFlags(f byte) string {
	s := ""
	for _, x := range []struct {
		bit byte
		c   string
	}{{0x02, "S"}, {0x01, "F"}, {0x04, "R"}, {0x08, "P"}, {0x10, "."}} {
		if f&x.bit != 0 {
			s += x.c
		}
	}
	return s
}

// hasPorts tells whether the protocol has ports.
func (h Header) hasPorts() bool { return h.Proto == "tcp" || h.Proto == "udp" }

// Endpoints writes "SRC:PORT -> DST:PORT" (no ports for ICMP).
func (h Header) Endpoints() string {
	if h.hasPorts() {
		return fmt.Sprintf("%s:%d -> %s:%d", h.Src, h.SrcPort, h.Dst, h.DstPort)
	}
	return fmt.Sprintf("%s -> %s", h.Src, h.Dst)
}

// String writes the header in one line, close to tcpdump's.
func (h Header) String() string {
	switch h.Proto {
	case "tcp":
		return fmt.Sprintf("%s tcp [%s] seq %d", h.Endpoints(), h.Flags, h.Seq)
	case "udp":
		return fmt.Sprintf("%s udp length %d", h.Endpoints(), h.Length)
	case "icmp":
		return h.Endpoints() + " " + h.icmpText()
	}
	return h.Endpoints() + " proto " + h.Proto
}

func (h Header) icmpText() string {
	switch {
	case h.ICMPType == icmpEcho:
		return fmt.Sprintf("ICMP echo request, id %d, seq %d", h.ICMPID, h.Seq)
	case h.ICMPType == icmpEchoReply:
		return fmt.Sprintf("ICMP echo reply, id %d, seq %d", h.ICMPID, h.Seq)
	case h.ICMPType == icmpUnreachable && h.ICMPCode == 3:
		return "ICMP port unreachable"
	case h.ICMPType == icmpUnreachable && h.ICMPCode == 1:
		return "ICMP host unreachable"
	case h.ICMPType == icmpUnreachable:
		return fmt.Sprintf("ICMP unreachable, code %d", h.ICMPCode)
	}
	return fmt.Sprintf("ICMP type %d, code %d", h.ICMPType, h.ICMPCode)
}

// fingerprint names a packet whatever NAT and routers did to it: the IP
// identification and length and the parts of the transport header that NAT keeps.
type fingerprint struct {
	proto  string
	id     uint16
	length uint16
	seq    uint32
	ack    uint32
	icmp   uint8
}

func (h Header) fingerprint() fingerprint {
	return fingerprint{proto: h.Proto, id: h.ID, length: h.Length, seq: h.Seq, ack: h.Ack, icmp: h.ICMPType}
}

// reverses tells whether h goes back the way r came: the reply to r (an answer from
// its destination, or an ICMP error about it).
func (h Header) reverses(r Header) bool {
	if h.Src != r.Dst || h.Dst != r.Src {
		return false
	}
	if h.Proto == "icmp" && h.ICMPType == icmpUnreachable {
		return true
	}
	if h.Proto != r.Proto {
		return false
	}
	if h.hasPorts() {
		return h.SrcPort == r.DstPort && h.DstPort == r.SrcPort
	}
	return h.Proto != "icmp" || r.ICMPType == icmpEcho && h.ICMPType == icmpEchoReply && h.ICMPID == r.ICMPID
}
