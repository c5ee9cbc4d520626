package capture

import (
	"net/netip"
	"strconv"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

const hexDigits = "0123456789abcdef"

// appendFrame appends the summary of a decoded Ethernet frame.
func (d *Decoder) appendFrame(dst []byte, s *layerSet, wireLen int, outer bool) []byte {
	if !s.has(layers.LayerTypeEthernet) {
		return append(dst, "[|ether] length "...)
	}
	etype := s.eth.EthernetType
	if s.has(layers.LayerTypeDot1Q) {
		etype = s.dot1q.Type
	}
	if d.LinkHeaders {
		dst = appendMAC(dst, s.eth.SrcMAC)
		dst = append(dst, " > "...)
		dst = appendMAC(dst, s.eth.DstMAC)
		if s.has(layers.LayerTypeDot1Q) {
			dst = append(dst, ", ethertype 802.1Q (0x8100), vlan "...)
			dst = strconv.AppendUint(dst, uint64(s.dot1q.VLANIdentifier), 10)
		}
		dst = append(dst, ", ethertype "...)
		dst = append(dst, etherTypeName(etype)...)
		dst = append(dst, " (0x"...)
		dst = appendHex16(dst, uint16(etype))
		dst = append(dst, "), length "...)
		dst = strconv.AppendInt(dst, int64(wireLen), 10)
		dst = append(dst, ": "...)
	} else if s.has(layers.LayerTypeDot1Q) {
		dst = append(dst, "vlan "...)
		dst = strconv.AppendUint(dst, uint64(s.dot1q.VLANIdentifier), 10)
		dst = append(dst, ": "...)
	}
	switch {
	case s.has(layers.LayerTypeARP):
		return appendARP(dst, &s.arp)
	case s.has(layers.LayerTypeIPv4), s.has(layers.LayerTypeIPv6):
		return d.appendIP(dst, s)
	case etype == layers.EthernetTypeARP || etype == layers.EthernetTypeIPv4 || etype == layers.EthernetTypeIPv6:
		return append(dst, "[|"+etherTypeName(etype)+"]"...)
	}
	dst = append(dst, "ethertype 0x"...)
	dst = appendHex16(dst, uint16(etype))
	dst = append(dst, ", length "...)
	return strconv.AppendInt(dst, int64(wireLen), 10)
}

func etherTypeName(t layers.EthernetType) string {
	switch t {
	case layers.EthernetTypeIPv4:
		return "IPv4"
	case layers.EthernetTypeIPv6:
		return "IPv6"
	case layers.EthernetTypeARP:
		return "ARP"
	case layers.EthernetTypeDot1Q:
		return "802.1Q"
	}
	return "Unknown"
}

func appendARP(dst []byte, a *layers.ARP) []byte {
	dst = append(dst, "ARP, "...)
	switch a.Operation {
	case layers.ARPRequest:
		dst = append(dst, "Request who-has "...)
		dst = appendIP(dst, a.DstProtAddress)
		dst = append(dst, " tell "...)
		dst = appendIP(dst, a.SourceProtAddress)
	case layers.ARPReply:
		dst = append(dst, "Reply "...)
		dst = appendIP(dst, a.SourceProtAddress)
		dst = append(dst, " is-at "...)
		dst = appendMAC(dst, a.SourceHwAddress)
	default:
		dst = append(dst, "operation "...)
		dst = strconv.AppendUint(dst, uint64(a.Operation), 10)
	}
	dst = append(dst, ", length "...)
	return strconv.AppendInt(dst, int64(8+2*int(a.HwAddressSize)+2*int(a.ProtAddressSize)), 10)
}

// appendIP appends the IP layer and what it carries.
func (d *Decoder) appendIP(dst []byte, s *layerSet) []byte {
	var src, dstIP []byte
	var payloadLen int
	var proto layers.IPProtocol
	if s.has(layers.LayerTypeIPv4) {
		dst = append(dst, "IP "...)
		src, dstIP, proto = s.ip4.SrcIP, s.ip4.DstIP, s.ip4.Protocol
		payloadLen = int(s.ip4.Length) - int(s.ip4.IHL)*4
	} else {
		dst = append(dst, "IP6 "...)
		src, dstIP, proto = s.ip6.SrcIP, s.ip6.DstIP, s.ip6.NextHeader
		payloadLen = int(s.ip6.Length)
	}
	sport, dport := -1, -1 // no ports
	switch {
	case s.has(layers.LayerTypeTCP):
		sport, dport = int(s.tcp.SrcPort), int(s.tcp.DstPort)
	case s.has(layers.LayerTypeUDP):
		sport, dport = int(s.udp.SrcPort), int(s.udp.DstPort)
	}
	dst = appendEndpoint(dst, src, sport)
	dst = append(dst, " > "...)
	dst = appendEndpoint(dst, dstIP, dport)
	dst = append(dst, ": "...)
	switch {
	case s.has(layers.LayerTypeICMPv4):
		return appendICMPv4(dst, &s.icmp4, payloadLen)
	case s.has(layers.LayerTypeICMPv6):
		return appendICMPv6(dst, &s.icmp6, payloadLen)
	case s.has(layers.LayerTypeTCP):
		return appendTCP(dst, &s.tcp)
	case s.has(layers.LayerTypeDNS):
		return appendDNS(dst, &s.dns, len(s.udp.Payload))
	case s.has(layers.LayerTypeVXLAN):
		dst = append(dst, "VXLAN, flags [I] (0x08), vni "...)
		dst = strconv.AppendUint(dst, uint64(s.vxlan.VNI), 10)
		dst = append(dst, ": "...)
		return d.appendInner(dst, layers.LayerTypeEthernet, s.vxlan.Payload)
	case s.has(layers.LayerTypeUDP):
		dst = append(dst, "UDP, length "...)
		return strconv.AppendInt(dst, int64(len(s.udp.Payload)), 10)
	case s.has(layers.LayerTypeGRE):
		dst = append(dst, "GREv"...)
		dst = strconv.AppendUint(dst, uint64(s.gre.Version), 10)
		if s.gre.KeyPresent {
			dst = append(dst, ", key=0x"...)
			dst = strconv.AppendUint(dst, uint64(s.gre.Key), 16)
		}
		dst = append(dst, ", length "...)
		dst = strconv.AppendInt(dst, int64(payloadLen), 10)
		dst = append(dst, ": "...)
		switch s.gre.Protocol {
		case layers.EthernetTypeIPv4:
			return d.appendInner(dst, layers.LayerTypeIPv4, s.gre.Payload)
		case layers.EthernetTypeIPv6:
			return d.appendInner(dst, layers.LayerTypeIPv6, s.gre.Payload)
		case layers.EthernetTypeTransparentEthernetBridging:
			return d.appendInner(dst, layers.LayerTypeEthernet, s.gre.Payload)
		}
		dst = append(dst, "protocol 0x"...)
		return appendHex16(dst, uint16(s.gre.Protocol))
	}
	if s.err != nil {
		dst = append(dst, "[|"...)
		dst = append(dst, proto.String()...)
		return append(dst, ']')
	}
	dst = append(dst, proto.String()...)
	dst = append(dst, ", length "...)
	return strconv.AppendInt(dst, int64(payloadLen), 10)
}

// appendInner appends the packet carried by a tunnel (VXLAN, GRE).
func (d *Decoder) appendInner(dst []byte, first gopacket.LayerType, data []byte) []byte {
	if !d.inner.decode(first, data) {
		return append(dst, "[|inner]"...)
	}
	if first == layers.LayerTypeEthernet {
		return d.appendFrame(dst, d.inner, len(data), false)
	}
	return d.appendIP(dst, d.inner)
}

// appendIP appends a 4- or 16-byte address without allocating.
// appendEndpoint appends an address as tcpdump writes it, with .PORT unless port is
// negative.
func appendEndpoint(dst, ip []byte, port int) []byte {
	dst = appendIP(dst, ip)
	if port < 0 {
		return dst
	}
	return strconv.AppendInt(append(dst, '.'), int64(port), 10)
}

func appendIP(dst, ip []byte) []byte {
	switch len(ip) {
	case 4:
		for i, b := range ip {
			if i > 0 {
				dst = append(dst, '.')
			}
			dst = strconv.AppendUint(dst, uint64(b), 10)
		}
		return dst
	case 16:
		a := netip.AddrFrom16([16]byte(ip)).Unmap()
		return a.AppendTo(dst)
	}
	return append(dst, '?')
}

func appendMAC(dst, mac []byte) []byte {
	for i, b := range mac {
		if i > 0 {
			dst = append(dst, ':')
		}
		dst = append(dst, hexDigits[b>>4], hexDigits[b&0xf])
	}
	return dst
}

func appendHex16(dst []byte, v uint16) []byte {
	return append(dst, hexDigits[v>>12], hexDigits[v>>8&0xf], hexDigits[v>>4&0xf], hexDigits[v&0xf])
}
