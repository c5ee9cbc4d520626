package capture

import (
	"context"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

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
	testutil.RequireRoot(t)
	testutil.KeepMachineNetwork(t)
	inst := testutil.NewInstance(t)
	l := &testLab{}
	names := map[string]*string{"caph": &l.host, "capa": &l.a, "capb": &l.b}
	for _, short := range []string{"caph", "capa", "capb"} {
		name := inst.HostNetnsName(short)
		ip(t, "netns", "add", name)
		t.Cleanup(func() { _ = exec.Command("ip", "netns", "del", name).Run() })
		*names[short] = inst.HostNetnsPath(short)
	}
	h := inst.HostNetnsName("caph")
	ip(t, "-n", h, "link", "set", "lo", "up")
	ip(t, "-n", h, "link", "add", "br0", "type", "bridge")
	ip(t, "-n", h, "addr", "add", "172.18.0.1/24", "dev", "br0")
	ip(t, "-n", h, "link", "set", "br0", "up")
	for _, c := range []struct{ short, addr string }{{"capa", "172.18.0.2/24"}, {"capb", "172.18.0.3/24"}} {
		ns, veth := inst.HostNetnsName(c.short), "veth"+c.short[3:]
		ip(t, "-n", h, "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns)
		ip(t, "-n", h, "link", "set", veth, "master", "br0", "up")
		ip(t, "-n", ns, "addr", "add", c.addr, "dev", "eth0")
		ip(t, "-n", ns, "link", "set", "eth0", "up")
		ip(t, "-n", ns, "link", "set", "lo", "up")
	}
	return l
}

// ip runs ip(8) and fails the test on error; every call names a namespace of the test.
func ip(t testing.TB, args ...string) {
	t.Helper()
	if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
		t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
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

// flood sends minimal UDP datagrams from the namespace at nsPath to dst as fast as it
// can until the context ends, and returns how many it sent.
func flood(ctx context.Context, nsPath string, dst string) (int, error) {
	var conn net.Conn
	err := nsutil.Do(nsPath, func() error {
		var err error
		conn, err = net.Dial("udp4", dst)
		return err
	})
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	payload := make([]byte, 18) // 14 + 20 + 8 + 18 = a 60-byte frame, Ethernet's minimum
	sent := 0
	for ctx.Err() == nil {
		for i := 0; i < 256; i++ {
			if _, err := conn.Write(payload); err == nil {
				sent++
			}
		}
	}
	return sent, nil
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
