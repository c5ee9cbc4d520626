package capture

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

var (
	macA = net.HardwareAddr{0x02, 0x42, 0xac, 0x12, 0x00, 0x02}
	macB = net.HardwareAddr{0x02, 0x42, 0xac, 0x12, 0x00, 0x03}
)

// frame serialises layers into a frame, fixing lengths and checksums.
func frame(t testing.TB, ls ...gopacket.SerializableLayer) []byte {
	t.Helper()
	for _, l := range ls {
		if tl, ok := l.(interface {
			SetNetworkLayerForChecksum(gopacket.NetworkLayer) error
		}); ok {
			for _, n := range ls {
				if nl, ok := n.(gopacket.NetworkLayer); ok {
					_ = tl.SetNetworkLayerForChecksum(nl)
				}
			}
		}
	}
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		t.Fatal(err)
	}
	return append([]byte(nil), buf.Bytes()...)
}

// layersOf is a layer that frame can serialise.
type layersOf = gopacket.SerializableLayer

func payload(s string) gopacket.Payload { return gopacket.Payload(s) }

func icmpEcho(typ uint8, id, seq uint16) *layers.ICMPv4 {
	return &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(typ, 0), Id: id, Seq: seq}
}

func ipv4(src, dst string, p layers.IPProtocol) *layers.IPv4 {
	return &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: p, SrcIP: net.ParseIP(src).To4(), DstIP: net.ParseIP(dst).To4()}
}

func ether(t layers.EthernetType) *layers.Ethernet {
	return &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: t}
}

func TestSummaries(t *testing.T) {
	dnsQuery := &layers.DNS{ID: 4660, RD: true, Questions: []layers.DNSQuestion{{Name: []byte("outside.lab"), Type: layers.DNSTypeA, Class: layers.DNSClassIN}}}
	dnsAnswer := &layers.DNS{ID: 4660, QR: true, Questions: dnsQuery.Questions, Answers: []layers.DNSResourceRecord{
		{Name: []byte("outside.lab"), Type: layers.DNSTypeCNAME, Class: layers.DNSClassIN, CNAME: []byte("www.lab")},
		{Name: []byte("www.lab"), Type: layers.DNSTypeA, Class: layers.DNSClassIN, IP: net.IP{203, 0, 113, 10}}}}
	inner := frame(t, ipv4("172.17.1.2", "172.17.2.2", layers.IPProtocolICMPv4), &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(8, 0), Id: 9, Seq: 3}, gopacket.Payload(make([]byte, 56)))
	for _, c := range []struct {
		name, want string
		data       []byte
		linkHeader bool
	}{
		{"tcp syn", "IP 172.18.0.2.40000 > 198.51.100.100.80: Flags [S], seq 1000, win 64240, length 0",
			frame(t, ether(layers.EthernetTypeIPv4), ipv4("172.18.0.2", "198.51.100.100", layers.IPProtocolTCP), &layers.TCP{SrcPort: 40000, DstPort: 80, SYN: true, Seq: 1000, Window: 64240}), false},
		{"tcp data", "IP 198.51.100.100.80 > 172.18.0.2.40000: Flags [P.], seq 5:10, ack 1001, win 510, length 5",
			frame(t, ether(layers.EthernetTypeIPv4), ipv4("198.51.100.100", "172.18.0.2", layers.IPProtocolTCP), &layers.TCP{SrcPort: 80, DstPort: 40000, PSH: true, ACK: true, Seq: 5, Ack: 1001, Window: 510}, gopacket.Payload("hello")), false},
		{"udp", "IP 172.18.0.2.5000 > 172.18.0.3.6000: UDP, length 3",
			frame(t, ether(layers.EthernetTypeIPv4), ipv4("172.18.0.2", "172.18.0.3", layers.IPProtocolUDP), &layers.UDP{SrcPort: 5000, DstPort: 6000}, gopacket.Payload("abc")), false},
		{"dns query", "IP 172.18.0.2.33000 > 172.18.0.1.53: 4660+ A? outside.lab. (29)",
			frame(t, ether(layers.EthernetTypeIPv4), ipv4("172.18.0.2", "172.18.0.1", layers.IPProtocolUDP), &layers.UDP{SrcPort: 33000, DstPort: 53}, dnsQuery), false},
		{"dns answer", "IP 172.18.0.1.53 > 172.18.0.2.33000: 4660 2/0/0 CNAME www.lab., A 203.0.113.10",
			frame(t, ether(layers.EthernetTypeIPv4), ipv4("172.18.0.1", "172.18.0.2", layers.IPProtocolUDP), &layers.UDP{SrcPort: 53, DstPort: 33000}, dnsAnswer), false},
		{"gre", "IP 198.51.100.1 > 198.51.100.2: GREv0, length 88: IP 172.17.1.2 > 172.17.2.2: ICMP echo request, id 9, seq 3, length 64",
			frame(t, ether(layers.EthernetTypeIPv4), ipv4("198.51.100.1", "198.51.100.2", layers.IPProtocolGRE), &layers.GRE{Protocol: layers.EthernetTypeIPv4}, gopacket.Payload(inner)), false},
		{"link headers", "02:42:ac:12:00:02 > 02:42:ac:12:00:03, ethertype IPv4 (0x0800), length 60: IP 172.18.0.2.1 > 172.18.0.3.2: UDP, length 0",
			frame(t, ether(layers.EthernetTypeIPv4), ipv4("172.18.0.2", "172.18.0.3", layers.IPProtocolUDP), &layers.UDP{SrcPort: 1, DstPort: 2}, gopacket.Payload(make([]byte, 0))), true},
		{"ipv6 echo", "IP6 fd00::2 > fd00::3: ICMP6, echo request, id 1, seq 2, length 12",
			frame(t, ether(layers.EthernetTypeIPv6), &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: layers.IPProtocolICMPv6, SrcIP: net.ParseIP("fd00::2"), DstIP: net.ParseIP("fd00::3")},
				&layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(128, 0)}, gopacket.Payload([]byte{0, 1, 0, 2, 0, 0, 0, 0})), false},
		{"truncated", "IP 172.18.0.2 > 172.18.0.3: [|TCP]",
			frame(t, ether(layers.EthernetTypeIPv4), ipv4("172.18.0.2", "172.18.0.3", layers.IPProtocolTCP), &layers.TCP{SrcPort: 1, DstPort: 2})[:40], false},
		{"unknown ethertype", "ethertype 0x88cc, length 60", frame(t, ether(0x88cc), gopacket.Payload("abcdef")), false},
	} {
		d := NewDecoder(c.linkHeader)
		got := string(d.AppendSummary(nil, c.data, max(len(c.data), 60)))
		if !strings.HasPrefix(got, c.want) {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
}

// TestDecoderAllocatesNothing decodes and formats packets of every common kind with
// the same decoder: no allocation per packet.
func TestDecoderAllocatesNothing(t *testing.T) {
	pkts := [][]byte{
		frame(t, ether(layers.EthernetTypeIPv4), ipv4("172.18.0.2", "172.18.0.3", layers.IPProtocolUDP), &layers.UDP{SrcPort: 5000, DstPort: 9}, gopacket.Payload(make([]byte, 18))),
		frame(t, ether(layers.EthernetTypeIPv4), ipv4("172.18.0.2", "198.51.100.100", layers.IPProtocolTCP), &layers.TCP{SrcPort: 40000, DstPort: 80, SYN: true}),
		frame(t, ether(layers.EthernetTypeIPv4), ipv4("172.18.0.2", "172.18.0.3", layers.IPProtocolICMPv4), &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(8, 0), Id: 1, Seq: 1}),
		frame(t, &layers.Ethernet{SrcMAC: macA, DstMAC: layers.EthernetBroadcast, EthernetType: layers.EthernetTypeARP}, &layers.ARP{AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4, HwAddressSize: 6, ProtAddressSize: 4, Operation: 1, SourceHwAddress: macA, SourceProtAddress: []byte{172, 18, 0, 2}, DstHwAddress: make([]byte, 6), DstProtAddress: []byte{172, 18, 0, 3}}),
	}
	d := NewDecoder(true)
	buf := make([]byte, 0, 512)
	p := Packet{Time: time.Now(), Iface: "br0", Dir: DirIn}
	allocs := testing.AllocsPerRun(1000, func() {
		for _, data := range pkts {
			p.Data, p.Length = data, len(data)
			buf = d.AppendLine(buf[:0], &p)
		}
	})
	if allocs != 0 {
		t.Errorf("decoding and formatting allocates %.1f times per round of %d packets, want 0", allocs, len(pkts))
	}
}

func TestDetailShowsEveryLayer(t *testing.T) {
	data := frame(t, ether(layers.EthernetTypeIPv4), ipv4("172.18.0.2", "172.18.0.3", layers.IPProtocolICMPv4), &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(8, 0), Id: 1, Seq: 1})
	got := Detail(data)
	for _, want := range []string{"Ethernet", "SrcMAC=02:42:ac:12:00:02", "IPv4", "SrcIP=172.18.0.2", "ICMPv4", "EchoRequest"} {
		if !strings.Contains(got, want) {
			t.Errorf("detail view lacks %q:\n%s", want, got)
		}
	}
}

func TestReadFileBadInput(t *testing.T) {
	dir := t.TempDir()
	notPcap := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notPcap, []byte("this is not a capture\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ path, filter, want string }{
		{notPcap, "", "is not a pcap or pcapng file"},
		{filepath.Join(dir, "missing.pcap"), "", "cannot read " + dir + "/missing.pcap: no such file or directory"},
		{notPcap, "port eighty", "filter: column 6"},
	} {
		err := ReadFile(c.path, c.filter, false, func(Packet) bool { return true })
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ReadFile(%s, %q) = %v, want %q", c.path, c.filter, err, c.want)
		}
	}
	if _, err := CreatePcap(filepath.Join(dir, "no/such/dir/x.pcap"), 0); err == nil || !strings.Contains(err.Error(), "cannot write the capture to") {
		t.Errorf("CreatePcap in a missing directory: %v", err)
	}
}

// FuzzDecoder feeds the decoder arbitrary frames: it must never panic.
func FuzzDecoder(f *testing.F) {
	f.Add(frame(f, ether(layers.EthernetTypeIPv4), ipv4("172.18.0.2", "172.18.0.3", layers.IPProtocolUDP), &layers.UDP{SrcPort: 1, DstPort: 4789}, &layers.VXLAN{ValidIDFlag: true, VNI: 42}, gopacket.Payload(make([]byte, 14))))
	f.Add(frame(f, ether(layers.EthernetTypeIPv4), ipv4("172.18.0.2", "172.18.0.3", layers.IPProtocolUDP), &layers.UDP{SrcPort: 53, DstPort: 53}, gopacket.Payload([]byte{0, 1, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0})))
	f.Add(frame(f, ether(layers.EthernetTypeDot1Q), &layers.Dot1Q{VLANIdentifier: 10, Type: layers.EthernetTypeARP}, gopacket.Payload(make([]byte, 28))))
	f.Add([]byte{})
	d := NewDecoder(true)
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = d.AppendSummary(nil, data, len(data))
	})
}
