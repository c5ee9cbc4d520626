package topology

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"workbench/testutil"
)

// ipIn runs ip(8) with args in the network namespace ns; the test fails if it does.
func ipIn(t testing.TB, ns string, args ...string) {
	t.Helper()
	testutil.Exec(t, append([]string{"ip", "-n", ns}, args...)...)
}

// handMadeLab builds, with ip commands only, a LAN namespace joining two hosts; on
// host1 a bridge with two veth pairs into two container namespaces, a vxlan port and
// a gretap. One container's namespace file sits where the engine keeps it
// (<containers>/<id>/netns, with a state file naming it "web"); the other, "db", is
// returned as an extra source.
func handMadeLab(t *testing.T) (Snapshot, []Source, string) {
	inst := testutil.KernelTest(t)
	lan, h1, h2 := inst.HostNetnsName("lan"), inst.HostNetnsName("host1"), inst.HostNetnsName("host2")
	web, db := inst.Name+"web", inst.Name+"db"
	for _, ns := range []string{lan, h1, h2} {
		testutil.Netns(t, ns)
	}
	webPath, dbPath := testutil.Netns(t, web), testutil.Netns(t, db)
	ipIn(t, lan, "link", "add", "lan0", "type", "bridge")
	ipIn(t, lan, "link", "set", "lan0", "up")
	for i, h := range []string{h1, h2} {
		name := "host" + string(rune('1'+i))
		ipIn(t, lan, "link", "add", name, "type", "veth", "peer", "name", "eth0", "netns", h)
		ipIn(t, lan, "link", "set", name, "master", "lan0", "up")
		ipIn(t, h, "addr", "add", "198.51.100."+string(rune('1'+i))+"/24", "dev", "eth0")
		ipIn(t, h, "link", "set", "eth0", "up")
	}
	ipIn(t, h1, "route", "add", "default", "via", "198.51.100.100")
	testutil.Exec(t, "ip", "netns", "exec", h1, "sysctl", "-qw", "net.ipv4.ip_forward=1")
	ipIn(t, h1, "link", "add", "br0", "type", "bridge")
	ipIn(t, h1, "addr", "add", "172.18.0.1/24", "dev", "br0")
	ipIn(t, h1, "link", "set", "br0", "up")
	for i, c := range []string{web, db} {
		veth := "veth" + []string{"web", "db"}[i]
		ipIn(t, h1, "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", c)
		ipIn(t, h1, "link", "set", veth, "master", "br0", "up")
		ipIn(t, c, "addr", "add", "172.18.0."+string(rune('2'+i))+"/24", "dev", "eth0")
		ipIn(t, c, "link", "set", "eth0", "up")
		ipIn(t, c, "link", "set", "lo", "up")
		ipIn(t, c, "route", "add", "default", "via", "172.18.0.1")
	}
	ipIn(t, h1, "link", "add", "vx42", "type", "vxlan", "id", "42", "local", "198.51.100.1", "remote", "198.51.100.2", "dev", "eth0", "dstport", "4789")
	ipIn(t, h1, "link", "set", "vx42", "master", "br0", "up")
	// A vxlan without a fixed remote learns its peers from the forwarding database.
	ipIn(t, h1, "link", "add", "vx7", "type", "vxlan", "id", "7", "local", "198.51.100.1", "dev", "eth0", "dstport", "4789")
	testutil.Exec(t, "bridge", "-n", h1, "fdb", "append", "00:00:00:00:00:00", "dev", "vx7", "dst", "198.51.100.2")
	testutil.Exec(t, "bridge", "-n", h1, "fdb", "append", "00:00:00:00:00:00", "dev", "vx7", "dst", "198.51.100.3")
	// Some kernels are built without GRE; the gretap is then left out.
	gre := exec.Command("ip", "-n", h1, "link", "add", "gt1", "type", "gretap", "local", "198.51.100.1", "remote", "198.51.100.2", "key", "7").Run() == nil
	if gre {
		ipIn(t, h1, "link", "set", "gt1", "mtu", "1400")
	} else {
		t.Log("this kernel has no gretap: the GRE part is not checked")
	}

	// web's namespace where the engine keeps it.
	dir := filepath.Join(inst.ContainersDir(), "0123456789abcdef")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(inst.RunDir) })
	if err := os.WriteFile(filepath.Join(dir, "state.json"), []byte(`{"Name":"web"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "netns")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := unix.Mount(webPath, file, "", unix.MS_BIND, ""); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = unix.Unmount(file, unix.MNT_DETACH) })
	// "aside" joined web's namespace (--net container:web): no file of its own, its
	// state names web's.
	side := filepath.Join(inst.ContainersDir(), "fedcba9876543210")
	if err := os.MkdirAll(side, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(side, "state.json"), []byte(`{"Name":"aside","NetnsPath":"`+file+`"}`), 0o644); err != nil {
		t.Fatal(err)
	}

	// A namespace made by hand, as [000] does, joined to br0 and not among the sources:
	// it is found as the other end of its veth.
	byHand := inst.Name + "x"
	testutil.Netns(t, byHand)
	ipIn(t, h1, "link", "add", "vethx", "type", "veth", "peer", "name", "eth9", "netns", byHand)
	ipIn(t, h1, "link", "set", "vethx", "master", "br0", "up")
	ipIn(t, byHand, "addr", "add", "172.18.0.9/24", "dev", "eth9")

	sources := append(Sources(inst), Source{Name: "db", Kind: KindContainer, Path: dbPath})
	s, err := Collect(context.Background(), sources)
	if err != nil {
		t.Fatal(err)
	}
	return s, sources, inst.Name
}

func TestCollectHandMadeLab(t *testing.T) {
	s, sources, instName := handMadeLab(t)
	var names []string
	for _, src := range sources {
		names = append(names, string(src.Kind)+":"+src.Name)
	}
	if got := strings.Join(names, " "); got != "lan:lan host:host1 host:host2 container:aside container:web container:db" {
		t.Errorf("sources = %s", got)
	}
	host1, ok := s.Namespace("host1")
	if !ok {
		t.Fatalf("no host1 in %+v", s)
	}
	if host2, _ := s.Namespace("host2"); !host1.Forwarding || host2.Forwarding {
		t.Errorf("forwarding: host1 %v (set), host2 %v (not set)", host1.Forwarding, host2.Forwarding)
	}
	br, _ := host1.Link("br0")
	if br.Kind != "bridge" || !br.Up || len(br.Addrs) != 1 || br.Addrs[0] != "172.18.0.1/24" {
		t.Errorf("br0 = %+v", br)
	}
	veth, _ := host1.Link("vethweb")
	if veth.Master != "br0" || veth.Peer == nil || veth.Peer.Namespace != "web" || veth.Peer.Link != "eth0" {
		t.Errorf("vethweb = %+v peer %+v", veth, veth.Peer)
	}
	if db, _ := host1.Link("vethdb"); db.Peer == nil || db.Peer.Namespace != "db" {
		t.Errorf("vethdb's peer = %+v", db.Peer)
	}
	if x, _ := host1.Link("vethx"); x.Peer == nil || !strings.HasSuffix(x.Peer.Namespace, "x") || x.Peer.Link != "eth9" {
		t.Errorf("vethx's peer in a namespace made by hand = %+v", x.Peer)
	} else if n, _ := s.Namespace(x.Peer.Namespace); n.Kind != KindOther {
		t.Errorf("the namespace made by hand = %+v", n)
	}
	vx, _ := host1.Link("vx42")
	if vx.Kind != "vxlan" || vx.Master != "br0" || vx.Tunnel == nil || vx.Tunnel.VNI != 42 || vx.Tunnel.Remote != "198.51.100.2" || vx.Tunnel.Local != "198.51.100.1" || vx.Tunnel.Dev != "eth0" || vx.Tunnel.Port != 4789 {
		t.Errorf("vx42 = %+v tunnel %+v", vx, vx.Tunnel)
	}
	if vx7, _ := host1.Link("vx7"); vx7.Tunnel == nil || strings.Join(vx7.Tunnel.Remotes, ",") != "198.51.100.2,198.51.100.3" {
		t.Errorf("vx7's remotes from its fdb = %+v", vx7.Tunnel)
	}
	if gt, ok := host1.Link("gt1"); ok && (gt.Kind != "gretap" || gt.Up || gt.MTU != 1400 || gt.Tunnel == nil || gt.Tunnel.Remote != "198.51.100.2" || gt.Tunnel.Key != 7) {
		t.Errorf("gt1 = %+v tunnel %+v", gt, gt.Tunnel)
	}
	if host1.Uplink() != "eth0" {
		t.Errorf("host1's uplink = %q, routes %+v", host1.Uplink(), host1.Routes)
	}
	lan, _ := s.Namespace("lan")
	if p, _ := lan.Link("host2"); p.Peer == nil || p.Peer.Namespace != "host2" || p.Peer.Link != "eth0" || p.Master != "lan0" {
		t.Errorf("lan's port host2 = %+v", p)
	}
	web, _ := s.Namespace("web")
	if web.Kind != KindContainer || len(web.Routes) == 0 || strings.Join(web.Joined, ",") != "aside" {
		t.Errorf("web = %+v", web)
	}

	want := []Hop{{"web", "eth0"}, {"host1", "vethweb"}, {"host1", "br0"}, {"host1", "eth0"}, {"lan", "host1"}, {"lan", "lan0"}}
	if got := Path(s, "web"); len(got) != len(want) || strings.Trim(strings.Join(hopStrings(got), " "), " ") != strings.Join(hopStrings(want), " ") {
		t.Errorf("Path(web) = %v, want %v", got, want)
	}

	if got := Path(s, "aside"); len(got) != len(want) {
		t.Errorf("Path(aside) = %v, want web's path", got)
	}
	text := Render(s, Options{Width: 80, Highlight: "web"})
	for _, line := range []string{
		"▶ ├─ br0  bridge  172.18.0.1/24",
		"▶ │  ├─ vethweb  ⇄ web+aside:eth0 172.18.0.2/24",
		"│  ├─ vethx  no-carrier  ⇄ " + instName + "x" + ":eth9 172.18.0.9/24 DOWN",
		"│  └─ vx42  vxlan vni 42 198.51.100.1→198.51.100.2 dev eth0  mtu 1450",
		"▶    ├─ host1  ⇄ host1:eth0 198.51.100.1/24",
	} {
		if !strings.Contains(text, line) {
			t.Errorf("the picture lacks %q:\n%s", line, text)
		}
	}
	if _, ok := host1.Link("gt1"); ok && !strings.Contains(text, "gt1  gretap 198.51.100.1→198.51.100.2 key 7  DOWN  mtu 1400") {
		t.Errorf("the picture lacks the gretap:\n%s", text)
	}
	if strings.Contains(text, "■ web") {
		t.Errorf("web is drawn on its own though it hangs off br0:\n%s", text)
	}
}

func hopStrings(hs []Hop) []string {
	var out []string
	for _, h := range hs {
		out = append(out, h.Namespace+":"+h.Link)
	}
	return out
}

func TestCollectSkipsMissingNamespaces(t *testing.T) {
	testutil.RequireRoot(t)
	_, err := Collect(context.Background(), []Source{{Name: "ghost", Kind: KindHost, Path: "/run/netns/no-such-namespace"}})
	if err == nil || !strings.Contains(err.Error(), "ghost") {
		t.Errorf("Collect of a missing namespace: %v", err)
	}
}
