package network

import (
	"os"
	"strings"
	"testing"

	"workbench/testutil"
)

func writeFile(path, s string) error { return os.WriteFile(path, []byte(s), 0o644) }

func TestLabHostsReachEachOther(t *testing.T) {
	m, inst := newLab(t)
	ctx := t.Context()
	out := testutil.Exec(t, "ip", "netns", "list")
	for _, h := range []string{"host1", "outside", "lan"} {
		if !strings.Contains(out, inst.HostNetnsName(h)) {
			t.Errorf("ip netns list lacks %s:\n%s", inst.HostNetnsName(h), out)
		}
	}
	host1, _ := m.HostNetnsPath("")
	inNs(t, host1, "busybox", "ping", "-c1", "-W2", "198.51.100.100")
	inNs(t, host1, "busybox", "ping", "-c1", "-W2", "203.0.113.1")
	if got := strings.TrimSpace(inNs(t, host1, "cat", "/proc/sys/net/ipv4/ip_forward")); got != "1" {
		t.Errorf("ip_forward in host1 = %q", got)
	}
	if _, err := m.AddHost(ctx, "host2"); err != nil {
		t.Fatal(err)
	}
	inNs(t, inst.HostNetnsPath("host2"), "busybox", "ping", "-c1", "-W2", "198.51.100.1")
	if err := m.EnsureLab(ctx); err != nil {
		t.Fatalf("EnsureLab twice: %v", err)
	}
	hosts, _ := m.Hosts()
	if len(hosts) != 3 {
		t.Errorf("hosts = %+v, want outside, host1, host2", hosts)
	}
	if err := m.RemoveHost(ctx, "host2"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(inst.HostNetnsPath("host2")); err == nil {
		t.Error("host2's namespace is still there after host rm")
	}
}

func TestAttachPingNATAndPublish(t *testing.T) {
	m, inst := newLab(t)
	ctx := t.Context()
	a1path, a2path := newSandbox(t, inst, "a"), newSandbox(t, inst, "b")
	a1, err := m.Attach(ctx, AttachRequest{ContainerID: "aaaa1111", ContainerName: "web", NetnsPath: a1path})
	if err != nil {
		t.Fatal(err)
	}
	a2, err := m.Attach(ctx, AttachRequest{ContainerID: "bbbb2222", ContainerName: "cli", NetnsPath: a2path})
	if err != nil {
		t.Fatal(err)
	}
	if a1.IP != "172.18.0.2/16" || a1.IfName != "eth0" || a1.MAC != "02:42:ac:12:00:02" || a1.Gateway != "172.18.0.1" {
		t.Errorf("first attachment = %+v", a1)
	}
	inNs(t, a2path, "busybox", "ping", "-c1", "-W2", addrOf(a1.IP))
	inNs(t, a1path, "busybox", "ping", "-c1", "-W2", "203.0.113.1")

	dir := t.TempDir()
	serve(t, a1path, dir, "80", "hello from web\n")
	bindings, err := m.Publish(ctx, a1, []PortSpec{{HostPort: 8080, ContainerPort: 80, Proto: "tcp"}, {ContainerPort: 80}})
	if err != nil {
		t.Fatal(err)
	}
	if len(bindings) != 2 || bindings[1].HostPort < ephemeralFirst {
		t.Errorf("bindings = %+v", bindings)
	}
	outside := inst.HostNetnsPath(OutsideHost)
	host1 := inst.HostNetnsPath(DefaultHost)
	for _, c := range []struct{ who, ns, url string }{
		{"outside", outside, "http://198.51.100.1:8080/"},
		{"host1", host1, "http://198.51.100.1:8080/"},
		{"host1 via localhost", host1, "http://127.0.0.1:8080/"},
		{"the container itself (hairpin)", a1path, "http://198.51.100.1:8080/"},
		{"another container", a2path, "http://198.51.100.1:8080/"},
	} {
		if got, err := fetch(c.ns, c.url); err != nil || got != "hello from web\n" {
			t.Errorf("%s fetching %s: %q, %v", c.who, c.url, got, err)
		}
	}
	if err := m.Unpublish(ctx, bindings); err != nil {
		t.Fatal(err)
	}
	if _, err := fetch(outside, "http://198.51.100.1:8080/"); err == nil {
		t.Error("the port still answers after Unpublish")
	}
	if err := m.Detach(ctx, a2); err != nil {
		t.Fatal(err)
	}
	if tryNs(host1, "ip", "link", "show", a2.HostVeth) {
		t.Errorf("%s is still there after Detach", a2.HostVeth)
	}
}

func TestCommandLogShowsWhatAPersonWouldType(t *testing.T) {
	m, inst := newLab(t)
	c, a := attached(t, m, inst, "a", "c1")
	if _, err := m.Publish(t.Context(), a, []PortSpec{{HostPort: 8080, ContainerPort: 80, Proto: "tcp"}}); err != nil {
		t.Fatal(err)
	}
	all := strings.Join(testutil.Commands(t, m.log), "\n") + "\n"
	host := inst.HostNetnsName(DefaultHost)
	for _, want := range []string{
		"ip netns add " + host,
		"ip -n " + inst.HostNetnsName("lan") + " link add host1 type veth peer name eth0 netns " + host,
		"ip netns exec " + host + " sysctl -w net.ipv4.ip_forward=1",
		"ip -n " + host + " link add wb0 type bridge",
		"ip netns exec " + host + " iptables -t nat -A WB-POSTROUTING -s 172.18.0.0/16 '!' -o wb0 -j MASQUERADE -m comment --comment 'workbench bridge: containers leave with the host'\\''s address'",
		"ip -n " + host + " link add " + a.HostVeth + " mtu 1500 type veth peer name eth0 address 02:42:ac:12:00:02 netns " + c,
		"ip -n " + host + " link set " + a.HostVeth + " master wb0",
		"ip -n " + inst.HostNetnsName("cta") + " route add default via 172.18.0.1 dev eth0",
		"ip netns exec " + host + " iptables -t nat -A WB-DNAT -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.18.0.2:80",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("the command log lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("command log:\n%s", all)
	}
}
