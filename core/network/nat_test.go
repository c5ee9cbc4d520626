package network

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

func TestOutboundIsMasqueraded(t *testing.T) {
	m, inst := newLab(t)
	c, _ := attached(t, m, inst, "a", "c1")
	got := capture(t, inst.HostNetnsPath(OutsideHost), "eth0", "icmp", func() {
		inNs(t, c, "busybox", "ping", "-c1", "-W2", "198.51.100.100")
	})
	if !strings.Contains(got, "198.51.100.1 > 198.51.100.100") {
		t.Errorf("outside saw %q, want the ping from host1's address 198.51.100.1", got)
	}
}

func TestNetworksAreIsolated(t *testing.T) {
	m, inst := newLab(t)
	ctx := t.Context()
	if _, err := m.CreateNetwork(ctx, NetworkOptions{Name: "blue", Subnet: "172.30.0.0/24"}); err != nil {
		t.Fatal(err)
	}
	a, b, b2 := newSandbox(t, inst, "a"), newSandbox(t, inst, "b"), newSandbox(t, inst, "c")
	if _, err := m.Attach(ctx, AttachRequest{ContainerID: "a", NetnsPath: a}); err != nil {
		t.Fatal(err)
	}
	ab, err := m.Attach(ctx, AttachRequest{ContainerID: "b", ContainerName: "bee", Network: "blue", NetnsPath: b, IP: "172.30.0.50"})
	if err != nil {
		t.Fatal(err)
	}
	if ab.IP != "172.30.0.50/24" {
		t.Errorf("static address = %s", ab.IP)
	}
	hosts := t.TempDir() + "/hosts"
	if err := writeFile(hosts, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Attach(ctx, AttachRequest{ContainerID: "c", ContainerName: "sea", Network: "blue", NetnsPath: b2, HostsFile: hosts}); err != nil {
		t.Fatal(err)
	}
	if tryNs(a, "busybox", "ping", "-c1", "-W1", "172.30.0.50") {
		t.Error("a container on the default network reached one on network blue")
	}
	inNs(t, b2, "busybox", "ping", "-c1", "-W2", "172.30.0.50")
	text := inNs(t, b2, "cat", hosts)
	if !strings.Contains(text, "172.30.0.50\tbee") || !strings.Contains(text, "\tsea") {
		t.Errorf("hosts file of sea:\n%s", text)
	}
	if err := m.RemoveNetwork(ctx, "blue"); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Errorf("rm of a network in use: %v", err)
	}
	if err := m.Detach(ctx, ab); err != nil {
		t.Fatal(err)
	}
	if text := inNs(t, b2, "cat", hosts); strings.Contains(text, "bee") {
		t.Errorf("bee is still in sea's hosts file after it left:\n%s", text)
	}
}

func TestCrossHost(t *testing.T) {
	for _, mode := range []string{CrossHostGW, CrossHostVXLAN, CrossHostGRE} {
		t.Run(mode, func(t *testing.T) {
			m, inst := newLab(t)
			ctx := t.Context()
			if _, err := m.AddHost(ctx, "host2"); err != nil {
				t.Fatal(err)
			}
			_, err := m.CreateNetwork(ctx, NetworkOptions{Name: "span", CrossHost: mode})
			if err != nil && strings.Contains(err.Error(), "no GRE support") {
				t.Skip(err)
			}
			if err != nil {
				t.Fatal(err)
			}
			a, b := newSandbox(t, inst, "a"), newSandbox(t, inst, "b")
			aa, err := m.Attach(ctx, AttachRequest{ContainerID: "a", Network: "span", NetnsPath: a})
			if err != nil {
				t.Fatal(err)
			}
			bb, err := m.Attach(ctx, AttachRequest{Host: "host2", ContainerID: "b", Network: "span", NetnsPath: b})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(aa.IP, "10.10.1.") || !strings.HasPrefix(bb.IP, "10.10.2.") {
				t.Errorf("addresses %s and %s, want host slices 10.10.1.0/24 and 10.10.2.0/24", aa.IP, bb.IP)
			}
			got := capture(t, b, "eth0", "icmp", func() {
				inNs(t, a, "busybox", "ping", "-c1", "-W2", addrOf(bb.IP))
			})
			// A full-size packet crosses too: the network's MTU leaves room for the tunnel.
			mtu := strings.Fields(inNs(t, a, "cat", "/sys/class/net/eth0/mtu"))[0]
			size := fmt.Sprint(atoi(mtu) - 28)
			inNs(t, a, "busybox", "ping", "-c1", "-W2", "-s", size, addrOf(bb.IP))
			if !strings.Contains(got, addrOf(aa.IP)+" > "+addrOf(bb.IP)) {
				t.Errorf("host2's container saw %q, want the ping from %s unchanged (no NAT inside the cluster)", got, addrOf(aa.IP))
			}

			// A host added later joins the network too, and leaves it cleanly.
			if _, err := m.AddHost(ctx, "host3"); err != nil {
				t.Fatal(err)
			}
			c := newSandbox(t, inst, "c")
			cc, err := m.Attach(ctx, AttachRequest{Host: "host3", ContainerID: "c", Network: "span", NetnsPath: c})
			if err != nil {
				t.Fatal(err)
			}
			inNs(t, a, "busybox", "ping", "-c1", "-W2", addrOf(cc.IP))
			inNs(t, c, "busybox", "ping", "-c1", "-W2", addrOf(bb.IP))
			if err := m.RemoveHost(ctx, "host3"); err == nil {
				t.Error("host3 was removed with a container on it")
			}
			if err := m.Detach(ctx, cc); err != nil {
				t.Fatal(err)
			}
			host1 := inst.HostNetnsPath(DefaultHost)
			if err := m.RemoveHost(ctx, "host3"); err != nil {
				t.Fatal(err)
			}
			after := inNs(t, host1, "ip", "-o", "link") + inNs(t, host1, "ip", "route") + inNs(t, host1, "bridge", "fdb", "show")
			if strings.Contains(after, "10.10.3.0") || strings.Contains(after, "gspan-3") || strings.Contains(after, "00:00:00:00:00:00 dev vx-span dst 198.51.100.3") {
				t.Errorf("host1 still has links or routes to host3:\n%s", after)
			}
			inNs(t, a, "busybox", "ping", "-c1", "-W2", addrOf(bb.IP))

			if err := m.Detach(ctx, aa); err != nil {
				t.Fatal(err)
			}
			if err := m.Detach(ctx, bb); err != nil {
				t.Fatal(err)
			}
			if err := m.RemoveNetwork(ctx, "span"); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
