package capture

import (
	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// layerSet holds one preallocated instance of every layer the decoder understands, so
// decoding a packet allocates nothing.
type layerSet struct {
	eth     layers.Ethernet
	dot1q   layers.Dot1Q
	arp     layers.ARP
	ip4     layers.IPv4
	ip6     layers.IPv6
	icmp4   layers.ICMPv4
	icmp6   layers.ICMPv6
	tcp     layers.TCP
	udp     layers.UDP
	dns     layers.DNS
	vxlan   tunnelVXLAN
	gre     tunnelGRE
	fromEth *gopacket.DecodingLayerParser
	fromIP4 *gopacket.DecodingLayerParser
	fromIP6 *gopacket.DecodingLayerParser
	decoded []gopacket.LayerType
	err     error // the decoding error, if the packet is cut short or malformed
}

// tunnelVXLAN and tunnelGRE stop the parser at a tunnel header: the packet inside is
// decoded by a second layer set so that it does not overwrite the outer layers.
type (
	tunnelVXLAN struct{ layers.VXLAN }
	tunnelGRE   struct{ layers.GRE }
)

// NextLayerType ends the outer decoding at the VXLAN header.
func (*tunnelVXLAN) NextLayerType() gopacket.LayerType { return gopacket.LayerTypeZero }

// NextLayerType ends the outer decoding at the GRE header.
func (*tunnelGRE) NextLayerType() gopacket.LayerType { return gopacket.LayerTypeZero }

func newLayerSet() *layerSet {
	s := &layerSet{decoded: make([]gopacket.LayerType, 0, 16)}
	all := []gopacket.DecodingLayer{&s.eth, &s.dot1q, &s.arp, &s.ip4, &s.ip6, &s.icmp4, &s.icmp6, &s.tcp, &s.udp, &s.dns, &s.vxlan, &s.gre}
	for _, p := range []**gopacket.DecodingLayerParser{&s.fromEth, &s.fromIP4, &s.fromIP6} {
		first := layers.LayerTypeEthernet
		switch p {
		case &s.fromIP4:
			first = layers.LayerTypeIPv4
		case &s.fromIP6:
			first = layers.LayerTypeIPv6
		}
		*p = gopacket.NewDecodingLayerParser(first, all...)
		(*p).IgnoreUnsupported = true
	}
	return s
}

// decode decodes data starting with the given layer and reports whether it got past
// the first one.
func (s *layerSet) decode(first gopacket.LayerType, data []byte) bool {
	p := s.fromEth
	switch first {
	case layers.LayerTypeIPv4:
		p = s.fromIP4
	case layers.LayerTypeIPv6:
		p = s.fromIP6
	}
	s.err = p.DecodeLayers(data, &s.decoded)
	return len(s.decoded) > 0
}

// has reports whether the last decode produced layer t.
func (s *layerSet) has(t gopacket.LayerType) bool {
	for _, d := range s.decoded {
		if d == t {
			return true
		}
	}
	return false
}

// Decoder turns raw Ethernet frames into one-line summaries in tcpdump's style. It
// reuses its layers for every packet, so it allocates nothing per packet; it is not
// safe for use by several goroutines at once.
type Decoder struct {
	outer, inner *layerSet
	// LinkHeaders prints the MAC addresses and Ethernet type of each frame (tcpdump -e).
	LinkHeaders bool
}

// NewDecoder returns a decoder with its layers allocated once.
func NewDecoder(linkHeaders bool) *Decoder {
	return &Decoder{outer: newLayerSet(), inner: newLayerSet(), LinkHeaders: linkHeaders}
}

// AppendLine appends the one-line summary of p ("12:00:00.000001 br0 Out IP 172.18.0.2 >
// 172.18.0.3: ICMP echo request, id 7, seq 1, length 64") to dst.
func (d *Decoder) AppendLine(dst []byte, p *Packet) []byte {
	dst = p.Time.AppendFormat(dst, "15:04:05.000000")
	dst = append(dst, ' ')
	if p.Iface != "" {
		dst = append(dst, p.Iface...)
		dst = append(dst, ' ')
	}
	if p.Dir != DirUnknown {
		dst = append(dst, p.Dir.String()...)
		dst = append(dst, ' ')
	}
	return d.AppendSummary(dst, p.Data, p.Length)
}

// AppendSummary appends the protocol part of the summary of an Ethernet frame of
// wireLen bytes on the wire, of which data was captured.
func (d *Decoder) AppendSummary(dst, data []byte, wireLen int) []byte {
	d.outer.decode(layers.LayerTypeEthernet, data)
	return d.appendFrame(dst, d.outer, wireLen, true)
}
