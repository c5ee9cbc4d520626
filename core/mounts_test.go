package core

import (
	"strings"
	"testing"

	"workbench/core/network"
	"workbench/testutil"
)

func TestParseVolume(t *testing.T) {
	for in, want := range map[string]Mount{
		"/srv/data:/data":      {Type: MountBind, Source: "/srv/data", Target: "/data", CreateSource: true},
		"/srv/data:/data:ro":   {Type: MountBind, Source: "/srv/data", Target: "/data", ReadOnly: true, CreateSource: true},
		"data:/data":           {Type: MountVolume, Source: "data", Target: "/data"},
		"data:/data:nocopy,ro": {Type: MountVolume, Source: "data", Target: "/data", NoCopy: true, ReadOnly: true},
		"/cache":               {Type: MountVolume, Target: "/cache", Anonymous: true},
	} {
		got, err := ParseVolume(in)
		if err != nil || got != want {
			t.Errorf("ParseVolume(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "rel", "data:rel", "./x:/y", "a:/b:z", "x:/", "-bad:/x", "a:b:c:d", "/x:/y:nocopy"} {
		if _, err := ParseVolume(bad); err == nil || strings.Contains(err.Error(), "\n") {
			t.Errorf("ParseVolume(%q) = %v, want one line", bad, err)
		}
	}
}

func TestParseMountAndTmpfs(t *testing.T) {
	m, err := ParseMount("type=tmpfs,dst=/run,tmpfs-size=64m,tmpfs-mode=1770")
	if err != nil || m.Type != MountTmpfs || m.Target != "/run" || m.Size != 64<<20 || m.Mode != 0o1770 {
		t.Errorf("tmpfs mount: %+v %v", m, err)
	}
	m, err = ParseMount("type=bind,source=/srv,target=/srv,readonly")
	if err != nil || m.Type != MountBind || !m.ReadOnly || m.CreateSource {
		t.Errorf("bind mount: %+v %v", m, err)
	}
	m, err = ParseMount("type=volume,target=/data")
	if err != nil || !m.Anonymous {
		t.Errorf("anonymous volume: %+v %v", m, err)
	}
	for _, bad := range []string{"type=nfs,dst=/x", "dst=/x,bind-propagation=shared", "type=tmpfs,dst=/x,tmpfs-size=lots", "type=bind,target=/x", "foo=bar,dst=/x", "type=volume,src=data,dst=rel"} {
		if _, err := ParseMount(bad); err == nil {
			t.Errorf("ParseMount(%q) passed", bad)
		}
	}
	tm, err := ParseTmpfs("/scratch:size=8m,mode=700")
	if err != nil || tm.Size != 8<<20 || tm.Mode != 0o700 {
		t.Errorf("ParseTmpfs: %+v %v", tm, err)
	}
	if _, err := ParseTmpfs("/x:exec=1"); err == nil {
		t.Error("--tmpfs with an unknown option passed")
	}
}

func TestParseUlimit(t *testing.T) {
	u, err := ParseUlimit("nofile=1024:2048")
	if err != nil || u != (Ulimit{Name: "nofile", Soft: 1024, Hard: 2048}) {
		t.Errorf("ParseUlimit = %+v %v", u, err)
	}
	if u, err := ParseUlimit("core=-1"); err != nil || u.Soft != -1 || u.Hard != -1 {
		t.Errorf("unlimited core: %+v %v", u, err)
	}
	for _, bad := range []string{"nofile", "files=1", "nofile=2048:1024", "nofile=x", "nofile=-1:10"} {
		if _, err := ParseUlimit(bad); err == nil {
			t.Errorf("ParseUlimit(%q) passed", bad)
		}
	}
}

func TestParsePortRanges(t *testing.T) {
	ps, err := network.ParsePorts("8080-8082:80-82/udp")
	if err != nil || len(ps) != 3 || ps[2].HostPort != 8082 || ps[2].ContainerPort != 82 || ps[2].Proto != "udp" {
		t.Fatalf("ParsePorts: %+v %v", ps, err)
	}
	if ps, err := network.ParsePorts("80-81"); err != nil || len(ps) != 2 || ps[1].HostPort != 0 {
		t.Fatalf("a range on free host ports: %+v %v", ps, err)
	}
	for _, bad := range []string{"8080-8081:80-82", "90-80", "1-2000"} {
		if _, err := network.ParsePorts(bad); err == nil {
			t.Errorf("ParsePorts(%q) passed", bad)
		}
	}
}

func TestContainerCaps(t *testing.T) {
	caps, err := containerCaps([]string{"NET_ADMIN"}, []string{"CAP_CHOWN", "mknod"}, false)
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Join(caps, ",")
	if !strings.Contains(s, "CAP_NET_ADMIN") || strings.Contains(s, "CAP_CHOWN") || strings.Contains(s, "CAP_MKNOD") || len(caps) != 13 {
		t.Fatalf("caps = %v", caps)
	}
	if caps, _ := containerCaps([]string{"CAP_KILL"}, []string{"ALL"}, false); strings.Join(caps, ",") != "CAP_KILL" {
		t.Fatalf("drop ALL add KILL = %v", caps)
	}
	if _, err := containerCaps([]string{"CAP_FLY"}, nil, false); err == nil {
		t.Fatal("an unknown capability passed")
	}
}

func FuzzParseVolume(f *testing.F) {
	testutil.Seed(f, "/a:/b:ro", "v:/d", "/x", "a:b:c:d", ":", "::ro")
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseVolume(s)
		if err == nil && (!strings.HasPrefix(m.Target, "/") || m.Type == "") {
			t.Fatalf("ParseVolume(%q) accepted %+v", s, m)
		}
		_, _ = ParseMount(s)
		_, _ = ParseTmpfs(s)
		_, _ = ParseUlimit(s)
	})
}
