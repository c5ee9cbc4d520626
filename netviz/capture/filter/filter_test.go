package filter

import (
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	"golang.org/x/net/bpf"

	"workbench/testutil"
)

// samplePackets are frames of every kind the vocabulary speaks of.
func samplePackets(t testing.TB) [][]byte {
	t.Helper()
	macA, _ := net.ParseMAC("02:42:ac:12:00:02")
	macB, _ := net.ParseMAC("02:42:ac:12:00:03")
	bcast, _ := net.ParseMAC("ff:ff:ff:ff:ff:ff")
	a, b, out := net.IP{172, 18, 0, 2}, net.IP{172, 18, 0, 3}, net.IP{198, 51, 100, 100}
	a6, b6 := net.ParseIP("fd00::2"), net.ParseIP("fd00::3")
	eth := func(src, dst net.HardwareAddr, t layers.EthernetType) *layers.Ethernet {
		return &layers.Ethernet{SrcMAC: src, DstMAC: dst, EthernetType: t}
	}
	ip4 := func(src, dst net.IP, p layers.IPProtocol) *layers.IPv4 {
		return &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: p, SrcIP: src, DstIP: dst}
	}
	ip6 := func(src, dst net.IP, p layers.IPProtocol) *layers.IPv6 {
		return &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: p, SrcIP: src, DstIP: dst}
	}
	tcp := func(s, d int) *layers.TCP {
		return &layers.TCP{SrcPort: layers.TCPPort(s), DstPort: layers.TCPPort(d), SYN: true, Window: 100}
	}
	udp := func(s, d int) *layers.UDP { return &layers.UDP{SrcPort: layers.UDPPort(s), DstPort: layers.UDPPort(d)} }
	frag := ip4(a, b, layers.IPProtocolTCP)
	frag.FragOffset = 100
	sets := [][]gopacket.SerializableLayer{
		{eth(macA, bcast, layers.EthernetTypeARP), &layers.ARP{AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4, HwAddressSize: 6, ProtAddressSize: 4, Operation: 1, SourceHwAddress: macA, SourceProtAddress: a.To4(), DstHwAddress: make([]byte, 6), DstProtAddress: b.To4()}},
		{eth(macB, macA, layers.EthernetTypeARP), &layers.ARP{AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4, HwAddressSize: 6, ProtAddressSize: 4, Operation: 2, SourceHwAddress: macB, SourceProtAddress: b.To4(), DstHwAddress: macA, DstProtAddress: a.To4()}},
		{eth(macA, macB, layers.EthernetTypeIPv4), ip4(a, b, layers.IPProtocolICMPv4), &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(8, 0), Id: 7, Seq: 1}},
		{eth(macB, macA, layers.EthernetTypeIPv4), ip4(b, a, layers.IPProtocolICMPv4), &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(0, 0), Id: 7, Seq: 1}},
		{eth(macA, macB, layers.EthernetTypeIPv4), ip4(a, out, layers.IPProtocolTCP), tcp(40000, 80)},
		{eth(macA, macB, layers.EthernetTypeIPv4), ip4(out, a, layers.IPProtocolTCP), tcp(80, 40000)},
		{eth(macA, macB, layers.EthernetTypeIPv4), ip4(a, b, layers.IPProtocolUDP), udp(5353, 53)},
		{eth(macA, macB, layers.EthernetTypeIPv4), ip4(b, out, layers.IPProtocolUDP), udp(53, 4789)},
		{eth(macA, macB, layers.EthernetTypeIPv4), frag, gopacket.Payload([]byte{0, 80, 0, 80, 1, 2, 3, 4})},
		{eth(macA, macB, layers.EthernetTypeIPv6), ip6(a6, b6, layers.IPProtocolTCP), tcp(22, 80)},
		{eth(macB, macA, layers.EthernetTypeIPv6), ip6(b6, a6, layers.IPProtocolUDP), udp(53, 1000)},
		{eth(macB, macA, layers.EthernetTypeIPv6), ip6(b6, a6, layers.IPProtocolICMPv6), &layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(128, 0)}},
	}
	var pkts [][]byte
	for _, s := range sets {
		buf := gopacket.NewSerializeBuffer()
		for _, l := range s {
			if n, ok := l.(interface {
				SetNetworkLayerForChecksum(gopacket.NetworkLayer) error
			}); ok && len(s) > 1 {
				if nl, ok := s[1].(gopacket.NetworkLayer); ok {
					_ = n.SetNetworkLayerForChecksum(nl)
				}
			}
		}
		if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, s...); err != nil {
			t.Fatal(err)
		}
		pkts = append(pkts, append([]byte(nil), buf.Bytes()...))
	}
	return pkts
}

var crossChecked = []string{
	"", "arp", "ip", "ip6", "tcp", "udp", "icmp", "icmp6",
	"host 172.18.0.2", "src host 172.18.0.2", "dst 172.18.0.3", "ip host 172.18.0.3", "arp host 172.18.0.3",
	"net 172.18.0.0/16", "src net 198.51.100.0/24", "net 0.0.0.0/0", "net fd00::/64", "host fd00::3",
	"port 80", "tcp port 80", "udp port 53", "src port 53", "dst port 4789", "port 80 or 53", "udp port domain",
	"tcp and not port 22", "icmp or arp", "not (icmp or arp)", "host 172.18.0.2 and (tcp or icmp)",
	"ether host 02:42:ac:12:00:02", "ether src 02:42:ac:12:00:03", "ip6 and udp", "!arp && !icmp6",
	"tcp dst port 80 or udp src port 53",
	"arp[6:2] = 1", "arp[6:2] == 2", "icmp[icmptype] = icmp-echo", "icmp[icmptype] = icmp-echoreply",
	"icmp[icmptype] = icmp-echo and src host 172.18.0.2", "icmp[0] != 8", "tcp[tcpflags] & tcp-syn != 0",
	"tcp[13] & 2 = 2", "tcp[13] & 0 = 0", "ip[9] = 17", "udp[2:2] = 53", "udp[2:2] >= 1000", "tcp[0:2] < 1024",
	"ether[12:2] = 0x0806", "ip[8] > 32", "ip[2:2] <= 40", "ip[12:4] = 0xac120002", "not icmp[icmptype] = icmp-echo",
}

// TestCompileMatchesTcpdump checks every expression against tcpdump's own compiler on
// the same packets: the same packets must be kept.
func TestCompileMatchesTcpdump(t *testing.T) {
	testutil.RequireTools(t, "tcpdump")
	pkts := samplePackets(t)
	file := filepath.Join(t.TempDir(), "sample.pcap")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	w := pcapgo.NewWriter(f)
	if err := w.WriteFileHeader(65535, layers.LinkTypeEthernet); err != nil {
		t.Fatal(err)
	}
	for i, p := range pkts {
		ci := gopacket.CaptureInfo{Timestamp: time.Unix(int64(i+1), 0), CaptureLength: len(p), Length: len(p)}
		if err := w.WritePacket(ci, p); err != nil {
			t.Fatal(err)
		}
	}
	f.Close()
	for _, expr := range crossChecked {
		prog, err := Compile(expr, DefaultSnaplen)
		if err != nil {
			t.Errorf("Compile(%q): %v", expr, err)
			continue
		}
		vm, err := bpf.NewVM(prog)
		if err != nil {
			t.Fatalf("Compile(%q) gave an invalid program: %v", expr, err)
		}
		var ours []string
		for i, p := range pkts {
			if n, err := vm.Run(p); err == nil && n > 0 {
				ours = append(ours, strconv.Itoa(i+1))
			}
		}
		args := []string{"-r", file, "-nn", "-tt"}
		if expr != "" {
			args = append(args, expr)
		}
		out := testutil.Exec(t, append([]string{"tcpdump"}, args...)...)
		var theirs []string
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			if line != "" {
				theirs = append(theirs, strings.SplitN(line, ".", 2)[0])
			}
		}
		if strings.Join(ours, ",") != strings.Join(theirs, ",") {
			t.Errorf("%q keeps packets %v, tcpdump keeps %v", expr, ours, theirs)
		}
	}
}

func TestCompileErrorsSayWhere(t *testing.T) {
	for expr, want := range map[string]string{
		"host":                         "column 5: expected an IP or MAC address, found the end of the filter",
		"tcp port eighty":              `column 10: expected a port number (0-65535) or name, found "eighty"`,
		"host 10.0.0.1 and":            "column 18: expected a primitive",
		"(icmp or arp":                 `column 13: expected ")", found the end of the filter`,
		"icmp arp":                     `column 6: expected "and", "or" or the end of the filter, found "arp"`,
		"host example.com":             `column 6: expected an IP address (host names are not resolved), found "example.com"`,
		"net 10.0.0.1/8":               "column 5: 10.0.0.1/8 has host bits set: write 10.0.0.0/8",
		"port 70000":                   "column 6: port: expected a number from 0 to 65535",
		"80":                           `column 1: "80" needs a qualifier before it`,
		"foo":                          `column 1: expected a primitive`,
		"icmp port 80":                 `a port cannot follow "icmp"`,
		"ip6 host 10.0.0.1":            `an IPv4 address cannot follow "ip6"`,
		"host 10.0.0.1 # x":            `column 15: unexpected character '#'`,
		"ether host 1.2.3.4":           "expected a MAC address",
		"tcp and (udp or )":            `column 17: expected a primitive`,
		"ether":                        `expected "host", "src" or "dst" after "ether"`,
		"vlan 5000":                    "vlan ID: expected a number from 0 to 4095",
		"src port 80 or dst ":          "column 20: expected an IP or MAC address, found the end of the filter",
		"icmp[icmptype] = 99999999999": `column 18: expected a number or a name`,
		"arp[6:3] = 1":                 `column 5: size "3": read 1, 2 or 4 bytes`,
		"icmp6[0] = 1":                 `column 1: icmp6[...] cannot be read`,
		"icmp[icmptype] echo":          `column 16: expected =, !=, <, >, <= or >=`,
		"arp[6:2 = 1":                  `column 9: expected "]"`,
		"icmp[nosuch] = 1":             `column 6: offset: expected a number`,
	} {
		_, err := Compile(expr, DefaultSnaplen)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Compile(%q) = %v, want an error containing %q", expr, err, want)
		}
	}
}

func FuzzCompile(f *testing.F) {
	testutil.Seed(f, crossChecked...)
	f.Add("vlan 100 and (not host fe80::1 || port 1)")
	f.Add("((((")
	pkts := samplePackets(f)
	f.Fuzz(func(t *testing.T, expr string) {
		prog, err := Compile(expr, DefaultSnaplen)
		if err != nil {
			if _, ok := err.(*Error); !ok && !strings.Contains(err.Error(), "too long") && !strings.Contains(err.Error(), "instructions") {
				t.Fatalf("Compile(%q) error of type %T: %v", expr, err, err)
			}
			return
		}
		if _, err := bpf.Assemble(prog); err != nil {
			t.Fatalf("Compile(%q) does not assemble: %v", expr, err)
		}
		if vm, err := bpf.NewVM(prog); err == nil {
			for _, p := range pkts {
				_, _ = vm.Run(p)
			}
		}
	})
}
