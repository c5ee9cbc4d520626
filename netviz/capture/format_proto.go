package capture

import (
	"strconv"

	"github.com/gopacket/gopacket/layers"
)

func appendICMPv4(dst []byte, c *layers.ICMPv4, length int) []byte {
	dst = append(dst, "ICMP "...)
	switch c.TypeCode.Type() {
	case layers.ICMPv4TypeEchoRequest, layers.ICMPv4TypeEchoReply:
		dst = appendEcho(dst, c.TypeCode.Type() == layers.ICMPv4TypeEchoRequest, true, uint64(c.Id), uint64(c.Seq))
	case layers.ICMPv4TypeDestinationUnreachable:
		dst = append(dst, "destination unreachable, code "...)
		dst = strconv.AppendUint(dst, uint64(c.TypeCode.Code()), 10)
	case layers.ICMPv4TypeTimeExceeded:
		dst = append(dst, "time exceeded in-transit"...)
	default:
		dst = append(dst, "type "...)
		dst = strconv.AppendUint(dst, uint64(c.TypeCode.Type()), 10)
		dst = append(dst, " code "...)
		dst = strconv.AppendUint(dst, uint64(c.TypeCode.Code()), 10)
	}
	dst = append(dst, ", length "...)
	return strconv.AppendInt(dst, int64(length), 10)
}

// appendEcho writes an echo request or reply and, when known, its id and sequence
// number, as tcpdump does.
func appendEcho(dst []byte, request, known bool, id, seq uint64) []byte {
	if request {
		dst = append(dst, "echo request"...)
	} else {
		dst = append(dst, "echo reply"...)
	}
	if known {
		dst = append(dst, ", id "...)
		dst = strconv.AppendUint(dst, id, 10)
		dst = append(dst, ", seq "...)
		dst = strconv.AppendUint(dst, seq, 10)
	}
	return dst
}

// icmp6Words are the words of the ICMPv6 messages without an echo's id and sequence,
// and, for neighbour discovery, what precedes the target address.
var icmp6Words = map[uint8][2]string{
	layers.ICMPv6TypeNeighborSolicitation:  {"neighbor solicitation", ", who has "},
	layers.ICMPv6TypeNeighborAdvertisement: {"neighbor advertisement", ", tgt is "},
	layers.ICMPv6TypeRouterSolicitation:    {"router solicitation", ""},
	layers.ICMPv6TypeRouterAdvertisement:   {"router advertisement", ""},
}

func appendICMPv6(dst []byte, c *layers.ICMPv6, length int) []byte {
	dst = append(dst, "ICMP6, "...)
	t := c.TypeCode.Type()
	words, named := icmp6Words[t]
	switch {
	case t == layers.ICMPv6TypeEchoRequest || t == layers.ICMPv6TypeEchoReply:
		var id, seq uint64
		if len(c.Payload) >= 4 {
			id, seq = uint64(c.Payload[0])<<8|uint64(c.Payload[1]), uint64(c.Payload[2])<<8|uint64(c.Payload[3])
		}
		dst = appendEcho(dst, t == layers.ICMPv6TypeEchoRequest, len(c.Payload) >= 4, id, seq)
	case named:
		dst = append(dst, words[0]...)
		if words[1] != "" && len(c.Payload) >= 20 {
			dst = append(dst, words[1]...)
			dst = appendIP(dst, c.Payload[4:20])
		}
	default:
		dst = append(dst, "type "...)
		dst = strconv.AppendUint(dst, uint64(t), 10)
	}
	dst = append(dst, ", length "...)
	return strconv.AppendInt(dst, int64(length), 10)
}

func appendTCP(dst []byte, t *layers.TCP) []byte {
	dst = append(dst, "Flags ["...)
	for _, f := range [...]struct {
		on bool
		c  byte
	}{{t.SYN, 'S'}, {t.FIN, 'F'}, {t.RST, 'R'}, {t.PSH, 'P'}, {t.URG, 'U'}, {t.ECE, 'E'}, {t.CWR, 'W'}, {t.ACK, '.'}} {
		if f.on {
			dst = append(dst, f.c)
		}
	}
	dst = append(dst, ']')
	if len(t.Payload) > 0 || t.SYN || t.FIN || t.RST {
		// Like tcpdump, a bare acknowledgement shows no sequence number.
		dst = append(dst, ", seq "...)
		dst = strconv.AppendUint(dst, uint64(t.Seq), 10)
		if len(t.Payload) > 0 {
			dst = append(dst, ':')
			dst = strconv.AppendUint(dst, uint64(t.Seq)+uint64(len(t.Payload)), 10)
		}
	}
	if t.ACK {
		dst = append(dst, ", ack "...)
		dst = strconv.AppendUint(dst, uint64(t.Ack), 10)
	}
	dst = append(dst, ", win "...)
	dst = strconv.AppendUint(dst, uint64(t.Window), 10)
	dst = append(dst, ", length "...)
	return strconv.AppendInt(dst, int64(len(t.Payload)), 10)
}

// appendDNS appends a query ("4660+ A? example.com.") or an answer ("4660 1/0/0 A
// 203.0.113.10") with the UDP payload length in parentheses, as tcpdump does.
func appendDNS(dst []byte, m *layers.DNS, length int) []byte {
	dst = strconv.AppendUint(dst, uint64(m.ID), 10)
	if !m.QR {
		if m.RD {
			dst = append(dst, '+')
		}
		for _, q := range m.Questions {
			dst = append(dst, ' ')
			dst = append(dst, q.Type.String()...)
			dst = append(dst, "? "...)
			dst = appendName(dst, q.Name)
		}
	} else {
		if m.ResponseCode != layers.DNSResponseCodeNoErr {
			dst = append(dst, ' ')
			dst = append(dst, m.ResponseCode.String()...)
		}
		dst = append(dst, ' ')
		dst = strconv.AppendUint(dst, uint64(m.ANCount), 10)
		dst = append(dst, '/')
		dst = strconv.AppendUint(dst, uint64(m.NSCount), 10)
		dst = append(dst, '/')
		dst = strconv.AppendUint(dst, uint64(m.ARCount), 10)
		for i, a := range m.Answers {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, ' ')
			dst = append(dst, a.Type.String()...)
			dst = append(dst, ' ')
			switch a.Type {
			case layers.DNSTypeA, layers.DNSTypeAAAA:
				dst = appendIP(dst, a.IP)
			case layers.DNSTypeCNAME:
				dst = appendName(dst, a.CNAME)
			case layers.DNSTypePTR:
				dst = appendName(dst, a.PTR)
			case layers.DNSTypeNS:
				dst = appendName(dst, a.NS)
			}
		}
	}
	dst = append(dst, " ("...)
	dst = strconv.AppendInt(dst, int64(length), 10)
	return append(dst, ')')
}

func appendName(dst, name []byte) []byte {
	dst = append(dst, name...)
	return append(dst, '.')
}
