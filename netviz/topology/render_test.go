package topology

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"workbench/testutil/golden"
)

func veth(idx int, name, master, peerNs, peerLink string, peerIdx int, addrs ...string) Link {
	return Link{Index: idx, Name: name, Kind: "veth", MTU: 1500, Up: true, State: "up", Master: master,
		MAC: fmt.Sprintf("02:42:ac:12:00:%02x", idx), Addrs: addrs, Peer: &Peer{Namespace: peerNs, Link: peerLink, Index: peerIdx}}
}

func lo() Link {
	return Link{Index: 1, Name: "lo", Kind: "loopback", MTU: 65536, Up: true, State: "unknown", Addrs: []string{"127.0.0.1/8"}}
}

// fixture is a lab of two hosts on the LAN and `outside`; host1 has a bridge with two
// containers (one namespace shared by two), a vxlan port and a gretap; host2 a bridge
// that is down; a container with no network; and a veth whose peer was not read.
func fixture() Snapshot {
	return Snapshot{Namespaces: []Namespace{
		{Name: "lan", Kind: KindLAN, Path: "/run/netns/wb-lan", Inode: 1, Links: []Link{
			lo(),
			{Index: 2, Name: "lan0", Kind: "bridge", MTU: 1500, Up: true, State: "up", MAC: "aa:bb:cc:00:00:01"},
			veth(3, "host1", "lan0", "host1", "eth0", 2),
			veth(4, "host2", "lan0", "host2", "eth0", 2),
			veth(5, "outside", "lan0", "outside", "eth0", 2),
		}},
		{Name: "host1", Kind: KindHost, Path: "/run/netns/wb-host1", Inode: 2, Forwarding: true, Links: []Link{
			lo(),
			veth(2, "eth0", "", "lan", "host1", 3, "198.51.100.1/24"),
			{Index: 3, Name: "wb0", Kind: "bridge", MTU: 1500, Up: true, State: "up", MAC: "aa:bb:cc:00:01:01", Addrs: []string{"172.18.0.1/16"}},
			veth(4, "veth1a2b3c4", "wb0", "web", "eth0", 2),
			veth(5, "veth5d6e7f8", "wb0", "app", "eth0", 2),
			{Index: 6, Name: "vx-blue", Kind: "vxlan", MTU: 1450, Up: true, State: "unknown", Master: "wb0", Tunnel: &Tunnel{VNI: 4242, Local: "198.51.100.1", Remote: "198.51.100.2", Port: 4789, Dev: "eth0"}},
			{Index: 7, Name: "gre-h2", Kind: "gretap", MTU: 1462, Up: true, State: "unknown", Tunnel: &Tunnel{Local: "198.51.100.1", Remote: "198.51.100.2", Key: 7}},
			veth(8, "vethlost", "", "", "", 9),
		}, Routes: []Route{
			{Dst: "172.18.0.0/16", Dev: "wb0"},
			{Dst: "198.51.100.0/24", Dev: "eth0"},
			{Dst: "default", Gateway: "198.51.100.100", Dev: "eth0"},
		}},
		{Name: "host2", Kind: KindHost, Path: "/run/netns/wb-host2", Inode: 3, Forwarding: true, Links: []Link{
			lo(),
			veth(2, "eth0", "", "lan", "host2", 4, "198.51.100.2/24"),
			{Index: 3, Name: "wb0", Kind: "bridge", MTU: 1500, Up: true, State: "down", Addrs: []string{"172.19.0.1/16"}},
			{Index: 4, Name: "dummy0", Kind: "dummy", MTU: 1500, Up: false, State: "down"},
		}, Routes: []Route{{Dst: "default", Gateway: "198.51.100.100", Dev: "eth0"}}},
		{Name: "outside", Kind: KindHost, Path: "/run/netns/wb-outside", Inode: 4, Links: []Link{
			lo(),
			veth(2, "eth0", "", "lan", "outside", 5, "198.51.100.100/24"),
			{Index: 3, Name: "world0", Kind: "dummy", MTU: 1500, Up: true, State: "unknown", Addrs: []string{"203.0.113.1/24"}},
		}},
		{Name: "web", Kind: KindContainer, Path: "/run/workbench/containers/0123/netns", Inode: 5, Links: []Link{
			lo(), veth(2, "eth0", "", "host1", "veth1a2b3c4", 4, "172.18.0.2/16"),
		}, Routes: []Route{{Dst: "default", Gateway: "172.18.0.1", Dev: "eth0"}}},
		{Name: "app", Joined: []string{"sidecar"}, Kind: KindContainer, Path: "/run/workbench/containers/4567/netns", Inode: 6, Links: []Link{
			lo(), veth(2, "eth0", "", "host1", "veth5d6e7f8", 5, "172.18.0.3/16"),
		}},
		{Name: "lonely", Kind: KindContainer, Path: "/run/workbench/containers/89ab/netns", Inode: 7, Links: []Link{lo()}},
	}}
}

func TestRenderGolden(t *testing.T) {
	for _, c := range []struct {
		width     int
		highlight string
	}{{80, ""}, {80, "sidecar"}, {160, "web"}, {200, "web"}} {
		got := Render(fixture(), Options{Width: c.width, Highlight: c.highlight})
		for i, l := range strings.Split(got, "\n") {
			if w := ansi.StringWidth(l); w > c.width {
				t.Errorf("width %d: line %d is %d wide: %q", c.width, i, w, l)
			}
		}
		name := fmt.Sprintf("render-%d.txt", c.width)
		if c.highlight != "" {
			name = fmt.Sprintf("render-%d-%s.txt", c.width, c.highlight)
		}
		golden.Assert(t, name, got)
	}
}

func TestRenderColourOnlyWhenAsked(t *testing.T) {
	if plain := Render(fixture(), Options{Highlight: "web"}); strings.Contains(plain, "\x1b[") {
		t.Error("plain output has escape sequences")
	}
	col := Render(fixture(), Options{Highlight: "web", Color: true})
	if !strings.Contains(col, "\x1b[") {
		t.Error("coloured output has no escape sequences")
	}
	if ansi.Strip(col) != Render(fixture(), Options{Highlight: "web"}) {
		t.Error("colour changes the text")
	}
}

func TestRenderEmpty(t *testing.T) {
	if got := Render(Snapshot{}, Options{}); !strings.Contains(got, "no lab yet") {
		t.Errorf("empty snapshot: %q", got)
	}
}

func TestPath(t *testing.T) {
	s := fixture()
	got := strings.Join(hopStrings(Path(s, "sidecar")), " ")
	if got != "app:eth0 host1:veth5d6e7f8 host1:wb0 host1:eth0 lan:host1 lan:lan0" {
		t.Errorf("Path(sidecar) = %s", got)
	}
	if p := Path(s, "nobody"); p != nil {
		t.Errorf("Path(nobody) = %v", p)
	}
	if p := Path(s, "lonely"); len(p) != 0 {
		t.Errorf("Path(lonely) = %v", p)
	}
}

// bigSnapshot is a lab with n containers spread over 4 hosts.
func bigSnapshot(n int) Snapshot {
	s := fixture()
	for i := 0; i < n; i++ {
		h := &s.Namespaces[1+i%2]
		name := fmt.Sprintf("c%03d", i)
		vname := fmt.Sprintf("veth%07x", i)
		h.Links = append(h.Links, veth(100+i, vname, "wb0", name, "eth0", 2))
		s.Namespaces = append(s.Namespaces, Namespace{Name: name, Kind: KindContainer, Links: []Link{
			lo(), veth(2, "eth0", "", h.Name, vname, 100+i, fmt.Sprintf("172.18.%d.%d/16", i/250, i%250+2)),
		}})
	}
	return s
}

// BenchmarkRender250 renders a lab of 250 containers at 200 columns with a highlighted
// path, 50 times, and reports the median and worst time of one render.
func BenchmarkRender250(b *testing.B) {
	s := bigSnapshot(250)
	for range b.N {
		var times []float64
		for i := 0; i < 50; i++ {
			start := time.Now()
			_ = Render(s, Options{Width: 200, Highlight: "c100", Color: true})
			times = append(times, float64(time.Since(start).Microseconds())/1000)
		}
		b.ReportMetric(percentile(times, 0.5), "p50-ms")
		b.ReportMetric(percentile(times, 1), "max-ms")
	}
}

func TestOnly(t *testing.T) {
	var names []string
	for _, n := range fixture().Only("host1").Namespaces {
		names = append(names, n.Name)
	}
	if got := strings.Join(names, " "); got != "host1 web app" {
		t.Errorf("Only(host1) keeps %s", got)
	}
	if text := Render(fixture().Only("host1"), Options{}); !strings.Contains(text, "eth0  198.51.100.1/24  ⇄ lan:host1") {
		t.Errorf("a peer in a namespace left out loses its name:\n%s", text)
	}
}

func percentile(v []float64, p float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return s[int(p*float64(len(s)-1))]
}

// FuzzRender draws the fixture with fuzzed names and widths: it must never panic nor
// draw a line wider than asked.
func FuzzRender(f *testing.F) {
	f.Add("web", "eth0", "172.18.0.2/16", 80)
	f.Add("ウェブ", "eth\t0", "", 200)
	f.Add("", "", "\x1b[31m", 3)
	f.Fuzz(func(t *testing.T, ns, link, addr string, width int) {
		s := fixture()
		s.Namespaces[4].Name = ns
		s.Namespaces[4].Links[1].Name = link
		s.Namespaces[4].Links[1].Addrs = []string{addr}
		s.Namespaces[1].Links[3].Peer = &Peer{Namespace: ns, Link: link, Index: 2}
		width = width%400 + 1
		if width < 1 {
			width = -width + 1
		}
		text := Render(s, Options{Width: width, Highlight: ns})
		if strings.ContainsAny(ns+link+addr, "\x1b\t\n\r") {
			return // control characters have no width of their own
		}
		for _, l := range strings.Split(text, "\n") {
			if w := ansi.StringWidth(l); w > max(width, 4) {
				t.Fatalf("width %d: a line is %d wide: %q", width, w, l)
			}
		}
	})
}
