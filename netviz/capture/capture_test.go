package capture

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"workbench/testutil"
)

// TestPingOnBridge is [000]'s "tcpdump -i br0" while one namespace pings the other.
func TestPingOnBridge(t *testing.T) {
	l := newTestLab(t)
	c := started(t, Config{Netns: l.host, Where: "host test", Interfaces: []string{"br0"}, LinkHeaders: true, Filter: "arp or icmp"})
	ping(t, l.a, "172.18.0.3", 2)
	got := lines(settle(t, c))
	t.Logf("capture on br0:\n%s", got)
	for _, want := range []string{
		`br0 In [0-9a-f:]+ > ff:ff:ff:ff:ff:ff, ethertype ARP \(0x0806\), length 42: ARP, Request who-has 172\.18\.0\.3 tell 172\.18\.0\.2, length 28`,
		`br0 In [0-9a-f:]+ > [0-9a-f:]+, ethertype ARP \(0x0806\), length 42: ARP, Reply 172\.18\.0\.3 is-at [0-9a-f:]+, length 28`,
		`IP 172\.18\.0\.2 > 172\.18\.0\.3: ICMP echo request, id \d+, seq 0, length 64`,
		`IP 172\.18\.0\.3 > 172\.18\.0\.2: ICMP echo reply, id \d+, seq 0, length 64`,
		`IP 172\.18\.0\.2 > 172\.18\.0\.3: ICMP echo request, id \d+, seq 1, length 64`,
	} {
		if !regexp.MustCompile(want).MatchString(got) {
			t.Errorf("no line matches %s", want)
		}
	}
	who := strings.Index(got, "who-has")
	if who < 0 || who > strings.Index(got, "is-at") || strings.Index(got, "is-at") > strings.Index(got, "echo request") {
		t.Errorf("want ARP who-has, then the reply, then ICMP echo request")
	}
}

// started starts a capture of cfg, failing the test when it cannot.
func started(t *testing.T, cfg Config) *Capture {
	t.Helper()
	c, err := Start(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestFilterRunsInTheKernel checks that the filter keeps only what it should and that
// it runs in the kernel: the socket's own count holds only the packets kept.
func TestFilterRunsInTheKernel(t *testing.T) {
	l := newTestLab(t)
	c := started(t, Config{Netns: l.host, Interfaces: []string{"br0"}, Filter: "icmp and src host 172.18.0.2"})
	ping(t, l.a, "172.18.0.3", 3)
	pkts := collect(t, c, 3, 3*time.Second)
	for _, p := range pkts {
		if !strings.Contains(p.Line, "IP 172.18.0.2 > 172.18.0.3: ICMP echo request") {
			t.Errorf("the filter let through: %s", p.Line)
		}
	}
	st := c.Stats()
	if len(pkts) != 3 || st.Received != 3 || st.Filtered != 3 || st.Dropped != 0 {
		t.Errorf("got %d packets, stats %+v; want 3 echo requests, and the kernel's socket counting only those 3", len(pkts), st)
	}
}

// TestMergeInTimeOrder captures both veths of the bridge at once: the request is seen
// entering on vetha then leaving on vethb, and the reply the other way round.
func TestMergeInTimeOrder(t *testing.T) {
	l := newTestLab(t)
	c := started(t, Config{Netns: l.host, Interfaces: []string{"vetha", "vethb"}, Filter: "icmp"})
	ping(t, l.a, "172.18.0.3", 2)
	pkts := collect(t, c, 8, 3*time.Second)
	t.Logf("capture on vetha and vethb:\n%s", lines(pkts))
	if len(pkts) != 8 {
		t.Fatalf("got %d packets, want 8 (2 requests and 2 replies, each on both veths)", len(pkts))
	}
	for i := 1; i < len(pkts); i++ {
		if pkts[i].Time.Before(pkts[i-1].Time) {
			t.Errorf("packet %d is older than the one before it", i)
		}
	}
	want := []string{"vetha In IP 172.18.0.2 > 172.18.0.3: ICMP echo request", "vethb Out IP 172.18.0.2 > 172.18.0.3: ICMP echo request",
		"vethb In IP 172.18.0.3 > 172.18.0.2: ICMP echo reply", "vetha Out IP 172.18.0.3 > 172.18.0.2: ICMP echo reply"}
	for i, p := range pkts {
		if !strings.Contains(p.Line, want[i%4]) {
			t.Errorf("packet %d: %s\nwant %s", i, p.Line, want[i%4])
		}
	}
}

// TestAnyInterface captures every interface of the host namespace with one socket.
func TestAnyInterface(t *testing.T) {
	l := newTestLab(t)
	c := started(t, Config{Netns: l.host, Interfaces: []string{"any"}, Filter: "icmp"})
	ping(t, l.a, "172.18.0.1", 1)
	got := lines(collect(t, c, 4, 3*time.Second))
	for _, want := range []string{"vetha In IP 172.18.0.2 > 172.18.0.1: ICMP echo request", "br0 In IP 172.18.0.2 > 172.18.0.1: ICMP echo request",
		"br0 Out IP 172.18.0.1 > 172.18.0.2: ICMP echo reply", "vetha Out IP 172.18.0.1 > 172.18.0.2: ICMP echo reply"} {
		if !strings.Contains(got, want) {
			t.Errorf("-i any: no line %q in:\n%s", want, got)
		}
	}
}

// TestPcapReadByTcpdump writes a capture and has tcpdump read it back.
func TestPcapReadByTcpdump(t *testing.T) {
	l := newTestLab(t)
	file := filepath.Join(t.TempDir(), "ping.pcap")
	w, err := CreatePcap(file, 0)
	if err != nil {
		t.Fatal(err)
	}
	c := started(t, Config{Netns: l.host, Interfaces: []string{"br0"}})
	ping(t, l.a, "172.18.0.3", 3)
	pkts := settle(t, c)
	for _, p := range pkts {
		if err := w.Write(p); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	out := testutil.Exec(t, "tcpdump", "-nn", "-r", file)
	if n := strings.Count(out, "\n"); n != len(pkts) || n < 8 {
		t.Errorf("tcpdump read %d packets, the capture wrote %d:\n%s", n, len(pkts), out)
	}
	var back []Packet
	if err := ReadFile(file, "icmp", false, func(p Packet) bool { back = append(back, p); return true }); err != nil {
		t.Fatal(err)
	}
	if len(back) != 6 || !strings.Contains(back[0].Line, "IP 172.18.0.2 > 172.18.0.3: ICMP echo request, id") {
		t.Errorf("read back with filter icmp:\n%s", lines(back))
	}
}

// TestVXLANShowsInnerPacket pings across a VXLAN between two namespaces and captures
// the underlay: each line shows the tunnel and the packet inside.
func TestVXLANShowsInnerPacket(t *testing.T) {
	l := newTestLab(t)
	for _, c := range []struct {
		ns, local, remote, inner string
	}{{l.a, "172.18.0.2", "172.18.0.3", "10.42.0.1/24"}, {l.b, "172.18.0.3", "172.18.0.2", "10.42.0.2/24"}} {
		name := filepath.Base(c.ns)
		testutil.Exec(t, "ip", "-n", name, "link", "add", "vx0", "type", "vxlan", "id", "42", "local", c.local, "remote", c.remote, "dstport", "4789", "dev", "eth0")
		testutil.Exec(t, "ip", "-n", name, "addr", "add", c.inner, "dev", "vx0")
		testutil.Exec(t, "ip", "-n", name, "link", "set", "vx0", "up")
	}
	c := started(t, Config{Netns: l.host, Interfaces: []string{"br0"}, Filter: "udp port 4789"})
	ping(t, l.a, "10.42.0.2", 1)
	got := lines(collect(t, c, 4, 3*time.Second))
	t.Logf("VXLAN on br0:\n%s", got)
	for _, want := range []string{
		"IP 172.18.0.2.", " > 172.18.0.3.4789: VXLAN, flags [I] (0x08), vni 42: ARP, Request who-has 10.42.0.2 tell 10.42.0.1",
		"VXLAN, flags [I] (0x08), vni 42: IP 10.42.0.1 > 10.42.0.2: ICMP echo request, id",
		"VXLAN, flags [I] (0x08), vni 42: IP 10.42.0.2 > 10.42.0.1: ICMP echo reply, id",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("no line contains %q", want)
		}
	}
}

// TestKernelDropsAreCounted floods a capture whose reader is not read: the ring fills
// and the kernel's drops are counted and reported.
func TestKernelDropsAreCounted(t *testing.T) {
	l := newTestLab(t)
	c := started(t, Config{Netns: l.host, Interfaces: []string{"vetha"}, Filter: "udp", BufferSize: 128 << 10})
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	sent, err := flood(ctx, l.a, "172.18.0.3:9", nil)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	c.Stop()
	n := 0
	for range c.Packets() {
		n++
	}
	st := c.Stats()
	t.Logf("sent %d, delivered %d, stats %+v", sent, n, st)
	if st.Dropped == 0 {
		t.Errorf("a full ring dropped nothing? stats %+v", st)
	}
	if uint64(n) != st.Received || st.Filtered < st.Received+st.Dropped {
		t.Errorf("the counts do not add up: %d delivered, stats %+v", n, st)
	}
}

// TestStartBadInput: an unknown interface or namespace and a filter that does not
// parse each give one line, and nothing is left open.
func TestStartBadInput(t *testing.T) {
	l := newTestLab(t)
	for _, c := range []struct {
		cfg  Config
		want string
	}{
		{Config{Netns: l.host, Where: "host test", Interfaces: []string{"eth9"}}, `no interface "eth9" in host test: it has br0, lo, vetha, vethb`},
		{Config{Netns: l.host, Interfaces: []string{"br0", "nope"}}, `no interface "nope"`},
		{Config{Netns: "/run/netns/does-not-exist", Where: "host ghost"}, "no network namespace at /run/netns/does-not-exist (host ghost)"},
		{Config{Netns: l.host, Filter: "tcp port eighty"}, `filter: column 10: expected a port number`},
		{Config{Netns: l.host, Interfaces: []string{"any", "br0"}}, "-i any captures every interface"},
		{Config{}, "no network namespace given"},
	} {
		c2, err := Start(context.Background(), c.cfg)
		if err == nil {
			c2.Stop()
			t.Errorf("Start(%+v) succeeded, want %q", c.cfg, c.want)
			continue
		}
		if !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("Start(%+v) = %v, want one line with %q", c.cfg, err, c.want)
		}
	}
}

// TestInterfaceGoingAwayEndsTheCapture: a capture whose interface is deleted ends with
// one line saying so, instead of spinning on the socket's error.
func TestInterfaceGoingAwayEndsTheCapture(t *testing.T) {
	l := newTestLab(t)
	c := started(t, Config{Netns: l.host, Where: "host test", Interfaces: []string{"vethb"}})
	testutil.Exec(t, "ip", "-n", filepath.Base(l.host), "link", "del", "vethb")
	select {
	case <-waitClosed(c):
	case <-time.After(3 * time.Second):
		c.Stop()
		t.Fatal("the capture goes on after its interface was deleted")
	}
	if err := c.Err(); err == nil || !strings.Contains(err.Error(), "interface vethb in host test went down or away") {
		t.Errorf("Err() = %v", err)
	}
}

func waitClosed(c *Capture) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		for range c.Packets() {
		}
		close(done)
	}()
	return done
}

// TestHopByHop follows a ping through three namespaces in one capture, as article [004]
// does with tcpdump on each hop: a's eth0, the host's bridge, b's eth0, in time order.
func TestHopByHop(t *testing.T) {
	l := newTestLab(t)
	c, err := Start(context.Background(), Config{Filter: "icmp", Targets: []Target{
		{Netns: l.a, Where: "container a", Place: "a", Iface: "eth0"},
		{Netns: l.host, Where: "host test", Place: "host", Iface: "br0"},
		{Netns: l.b, Where: "container b", Place: "b", Iface: "eth0"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	ping(t, l.a, "172.18.0.3", 1)
	pkts := settle(t, c)
	t.Logf("one ping, hop by hop:\n%s", lines(pkts))
	want := []string{
		"a:eth0 Out IP 172.18.0.2 > 172.18.0.3: ICMP echo request",
		"host:br0 In IP 172.18.0.2 > 172.18.0.3: ICMP echo request",
		"b:eth0 In IP 172.18.0.2 > 172.18.0.3: ICMP echo request",
		"b:eth0 Out IP 172.18.0.3 > 172.18.0.2: ICMP echo reply",
		"host:br0 In IP 172.18.0.3 > 172.18.0.2: ICMP echo reply",
		"a:eth0 In IP 172.18.0.3 > 172.18.0.2: ICMP echo reply",
	}
	if len(pkts) != len(want) {
		t.Fatalf("got %d packets, want %d", len(pkts), len(want))
	}
	for i, p := range pkts {
		if !strings.Contains(p.Line, want[i]) {
			t.Errorf("packet %d: %s\nwant %s", i+1, p.Line, want[i])
		}
	}
	if _, err := Start(context.Background(), Config{Targets: []Target{{Netns: l.a, Where: "container a", Iface: "eth0"}, {Netns: l.b, Where: "container b", Iface: "eth9"}}}); err == nil || !strings.Contains(err.Error(), `no interface "eth9" in container b`) {
		t.Errorf("an unknown interface in the second namespace: %v", err)
	}
}
