package capture

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"workbench/nsutil"
	"workbench/testutil"
)

// testLab is the lab of article [000], made by hand for one test: two "containers"
// (network namespaces a and b) joined by veths to the bridge br0 of a "host" namespace.
//
//	a: eth0 172.18.0.2/24 -- host: vetha, br0 172.18.0.1/24, vethb -- b: eth0 172.18.0.3/24
type testLab struct {
	host, a, b string // network namespace paths
}

func newTestLab(t testing.TB) *testLab {
	t.Helper()
	inst := testutil.KernelTest(t)
	l := &testLab{}
	names := map[string]*string{"caph": &l.host, "capa": &l.a, "capb": &l.b}
	for _, short := range []string{"caph", "capa", "capb"} {
		name := inst.HostNetnsName(short)
		*names[short] = testutil.Netns(t, name)
		// IPv4 only, as the workbench's lab hosts: no router solicitation or MLD report
		// slips in among the packets a test counts.
		sysctl(t, name, "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")
	}
	h := inst.HostNetnsName("caph")
	testutil.Exec(t, "ip", "-n", h, "link", "set", "lo", "up")
	testutil.Exec(t, "ip", "-n", h, "link", "add", "br0", "type", "bridge")
	testutil.Exec(t, "ip", "-n", h, "addr", "add", "172.18.0.1/24", "dev", "br0")
	testutil.Exec(t, "ip", "-n", h, "link", "set", "br0", "up")
	// This bridge needs no iptables: without these hooks a bridged frame costs half.
	sysctl(t, h, "net.bridge.bridge-nf-call-iptables=0", "net.bridge.bridge-nf-call-ip6tables=0", "net.bridge.bridge-nf-call-arptables=0")
	for _, c := range []struct{ short, addr string }{{"capa", "172.18.0.2/24"}, {"capb", "172.18.0.3/24"}} {
		ns, veth := inst.HostNetnsName(c.short), "veth"+c.short[3:]
		testutil.Exec(t, "ip", "-n", h, "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns)
		testutil.Exec(t, "ip", "-n", h, "link", "set", veth, "master", "br0", "up")
		testutil.Exec(t, "ip", "-n", ns, "addr", "add", c.addr, "dev", "eth0")
		testutil.Exec(t, "ip", "-n", ns, "link", "set", "eth0", "up")
		testutil.Exec(t, "ip", "-n", ns, "link", "set", "lo", "up")
	}
	return l
}

// sysctl sets kernel settings in the network namespace name, or logs why it could not
// (a module that is not loaded, a kernel without IPv6).
func sysctl(t testing.TB, name string, settings ...string) {
	t.Helper()
	args := append([]string{"netns", "exec", name, "sysctl", "-q", "-w"}, settings...)
	if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
		t.Logf("sysctl %s in %s: %v: %s", strings.Join(settings, " "), name, err, out)
	}
}

// ping pings addr count times from inside the namespace at nsPath.
func ping(t testing.TB, nsPath, addr string, count int) {
	t.Helper()
	cmd := exec.Command("busybox", "ping", "-c", strconv.Itoa(count), "-W", "2", addr)
	if out, err := nsutil.Output(nsPath, cmd); err != nil {
		t.Fatalf("ping %s: %v: %s", addr, err, out)
	}
}

// collect reads packets until the capture has delivered want of them or timeout
// passes, then stops the capture and returns everything delivered.
func collect(t testing.TB, c *Capture, want int, timeout time.Duration) []Packet {
	t.Helper()
	var got []Packet
	deadline := time.After(timeout)
	if want == 0 {
		for {
			select {
			case p := <-c.Packets():
				got = append(got, p)
				continue
			default:
			}
			break
		}
	}
	for len(got) < want {
		select {
		case p, ok := <-c.Packets():
			if !ok {
				return got
			}
			got = append(got, p)
		case <-deadline:
			want = 0
		}
	}
	c.Stop()
	for p := range c.Packets() {
		got = append(got, p)
	}
	if err := c.Err(); err != nil {
		t.Fatalf("capture: %v", err)
	}
	return got
}

// flood sends minimal UDP frames (60 bytes, Ethernet's minimum) from eth0 of the
// namespace at nsPath to the address dst on the same LAN, as fast as it can, until the
// context ends, and returns how many it sent. The frames go to dstMAC, or when it is nil
// to dst's own MAC (resolved by ARP first). They are written on an AF_PACKET socket with
// sendmmsg, 64 at a time, so that the sender costs as little as possible.
func flood(ctx context.Context, nsPath, dst string, dstMAC net.HardwareAddr) (int, error) {
	host, _, err := net.SplitHostPort(dst)
	if err != nil {
		return 0, err
	}
	var fd int
	var frame []byte
	err = nsutil.Do(nsPath, func() error {
		eth0, err := net.InterfaceByName("eth0")
		if err != nil {
			return err
		}
		addrs, err := eth0.Addrs()
		if err != nil || len(addrs) == 0 {
			return fmt.Errorf("eth0 has no address: %v", err)
		}
		src := addrs[0].(*net.IPNet).IP.To4()
		// The destination's MAC: a first datagram makes the kernel resolve it.
		conn, err := net.Dial("udp4", dst)
		if err != nil {
			return err
		}
		_, _ = conn.Write([]byte{0})
		conn.Close()
		dmac := dstMAC
		for i := 0; i < 100 && dmac == nil; i++ {
			time.Sleep(10 * time.Millisecond)
			dmac = neighbour(host)
		}
		if dmac == nil {
			return fmt.Errorf("no ARP entry for %s", host)
		}
		frame = udpFrame(eth0.HardwareAddr, dmac, src, net.ParseIP(host).To4())
		if fd, err = unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, 0); err != nil {
			return err
		}
		_ = unix.SetsockoptInt(fd, unix.SOL_PACKET, unix.PACKET_QDISC_BYPASS, 1)
		return unix.Bind(fd, &unix.SockaddrLinklayer{Ifindex: eth0.Index})
	})
	if err != nil {
		return 0, err
	}
	defer unix.Close(fd)
	const batch = 64
	var iov [batch]unix.Iovec
	var msgs [batch]mmsghdr
	for i := range msgs {
		iov[i].Base, iov[i].Len = &frame[0], uint64(len(frame))
		msgs[i].hdr.Iov, msgs[i].hdr.Iovlen = &iov[i], 1
	}
	sent := 0
	for ctx.Err() == nil {
		n, _, errno := unix.Syscall6(unix.SYS_SENDMMSG, uintptr(fd), uintptr(unsafe.Pointer(&msgs[0])), batch, 0, 0, 0)
		if errno == 0 {
			sent += int(n)
		}
	}
	return sent, nil
}

// mmsghdr is struct mmsghdr of sendmmsg(2).
type mmsghdr struct {
	hdr unix.Msghdr
	len uint32
	_   [4]byte
}

// neighbour reads the MAC of addr from the calling thread's namespace's ARP table.
func neighbour(addr string) net.HardwareAddr {
	out, err := exec.Command("ip", "neigh", "show", addr).Output()
	if err != nil {
		return nil
	}
	f := strings.Fields(string(out))
	for i := 0; i+1 < len(f); i++ {
		if f[i] == "lladdr" {
			mac, _ := net.ParseMAC(f[i+1])
			return mac
		}
	}
	return nil
}

// udpFrame is a 60-byte Ethernet frame holding an IPv4 UDP datagram to port 9.
func udpFrame(smac, dmac net.HardwareAddr, src, dst net.IP) []byte {
	f := make([]byte, 60)
	copy(f[0:], dmac)
	copy(f[6:], smac)
	f[12], f[13] = 0x08, 0x00
	ip := f[14:34]
	ip[0], ip[3], ip[8], ip[9] = 0x45, 46, 64, 17 // version+IHL, total length 46, TTL, UDP
	copy(ip[12:], src)
	copy(ip[16:], dst)
	var sum uint32
	for i := 0; i < 20; i += 2 {
		sum += uint32(ip[i])<<8 | uint32(ip[i+1])
	}
	for sum > 0xffff {
		sum = sum&0xffff + sum>>16
	}
	ip[10], ip[11] = byte(^sum>>8), byte(^sum)
	udp := f[34:42]
	udp[0], udp[1], udp[3], udp[5] = 0x9c, 0x40, 9, 26 // 40000 -> 9, length 26
	return f
}

// settle lets the last packets through the ring and the merge, then stops the capture
// and returns everything it delivered.
func settle(t testing.TB, c *Capture) []Packet {
	t.Helper()
	time.Sleep(300 * time.Millisecond)
	return collect(t, c, 0, 0)
}

func lines(pkts []Packet) string {
	var b strings.Builder
	for _, p := range pkts {
		b.WriteString(p.Line)
		b.WriteByte('\n')
	}
	return b.String()
}
