package capture

import (
	"context"
	"net"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
	"golang.org/x/sys/unix"

	"workbench/nsutil"
)

// sendFrames writes whole Ethernet frames on eth0 of the namespace at nsPath.
func sendFrames(t *testing.T, nsPath string, frames ...[]byte) {
	t.Helper()
	err := nsutil.Do(nsPath, func() error {
		eth0, err := net.InterfaceByName("eth0")
		if err != nil {
			return err
		}
		fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			return err
		}
		defer unix.Close(fd)
		for _, f := range frames {
			if err := unix.Sendto(fd, f, 0, &unix.SockaddrLinklayer{Ifindex: eth0.Index, Halen: 6}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("send frames: %v", err)
	}
}

// TestVLANTagsAreShownAndFiltered sends a frame tagged with VLAN 100 and an untagged
// one. The kernel takes the tag off a frame before the ring; the capture puts it back
// in the line and the pcap data, and the filter "vlan 100" matches through the
// kernel's metadata.
func TestVLANTagsAreShownAndFiltered(t *testing.T) {
	l := newTestLab(t)
	c, err := Start(context.Background(), Config{Netns: l.host, Interfaces: []string{"vetha"}, Filter: "vlan 100", LinkHeaders: true})
	if err != nil {
		t.Fatal(err)
	}
	udp := func(tagged bool) []byte {
		ls := []layersOf{ether(layers.EthernetTypeIPv4)}
		if tagged {
			ls = []layersOf{ether(layers.EthernetTypeDot1Q), &layers.Dot1Q{VLANIdentifier: 100, Type: layers.EthernetTypeIPv4}}
		}
		ls = append(ls, ipv4("172.18.0.2", "172.18.0.3", layers.IPProtocolUDP), &layers.UDP{SrcPort: 40000, DstPort: 9}, payload("vlan"))
		return frame(t, ls...)
	}
	sendFrames(t, l.a, udp(false), udp(true), udp(false))
	pkts := settle(t, c)
	got := lines(pkts)
	t.Logf("vlan 100 on vetha:\n%s", got)
	want := "vetha In 02:42:ac:12:00:02 > 02:42:ac:12:00:03, ethertype 802.1Q (0x8100), vlan 100, ethertype IPv4 (0x0800), length 60: IP 172.18.0.2.40000 > 172.18.0.3.9: UDP, length 4"
	if len(pkts) != 1 || !strings.Contains(got, want) {
		t.Errorf("want the tagged frame only, as\n%s", want)
	}
}

// TestGREFromTheWire captures a GRE packet sent on the wire and shows the packet inside.
func TestGREFromTheWire(t *testing.T) {
	l := newTestLab(t)
	c, err := Start(context.Background(), Config{Netns: l.host, Interfaces: []string{"vetha"}, Filter: "ip"})
	if err != nil {
		t.Fatal(err)
	}
	inner := frame(t, ipv4("172.17.1.2", "172.17.2.2", layers.IPProtocolICMPv4), icmpEcho(8, 5, 1))
	sendFrames(t, l.a, frame(t, ether(layers.EthernetTypeIPv4), ipv4("172.18.0.2", "172.18.0.3", layers.IPProtocolGRE), &layers.GRE{Protocol: layers.EthernetTypeIPv4}, payload(string(inner))))
	got := lines(settle(t, c))
	want := "vetha In IP 172.18.0.2 > 172.18.0.3: GREv0, length 32: IP 172.17.1.2 > 172.17.2.2: ICMP echo request, id 5, seq 1, length 8"
	if !strings.Contains(got, want) {
		t.Errorf("got:\n%swant %s", got, want)
	}
}

// TestDNSQuestionIsShown captures a name lookup (busybox nslookup) on the bridge.
func TestDNSQuestionIsShown(t *testing.T) {
	l := newTestLab(t)
	c, err := Start(context.Background(), Config{Netns: l.host, Interfaces: []string{"br0"}, Filter: "udp port 53"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	// Nothing answers on b: the question alone is what this checks.
	_ = nsutil.Run(l.a, exec.CommandContext(ctx, "busybox", "nslookup", "outside.lab", "172.18.0.3"))
	got := lines(settle(t, c))
	t.Logf("udp port 53 on br0:\n%s", got)
	if !regexp.MustCompile(`br0 In IP 172\.18\.0\.2\.\d+ > 172\.18\.0\.3\.53: \d+\+ A\? outside\.lab\. \(29\)`).MatchString(got) {
		t.Errorf("no DNS question for outside.lab. in:\n%s", got)
	}
}
