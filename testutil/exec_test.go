package testutil

import (
	"os"
	"os/exec"
	"testing"
)

func TestExecReturnsStandardOutput(t *testing.T) {
	if out := Exec(t, "sh", "-c", "echo out; echo err >&2"); out != "out\n" {
		t.Errorf("Exec of a program printing out and err (on standard error) = %q, want %q", out, "out\n")
	}
}

func TestExecFailsWithTheCommandAndAllItPrinted(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"sh", "-c", "echo out; echo err >&2; exit 3"}, "sh -c echo out; echo err >&2; exit 3: exit status 3: out\nerr\n"},
		{[]string{"no-such-program-here", "x"}, `no-such-program-here x: exec: "no-such-program-here": executable file not found in $PATH: `},
	} {
		r, returned := record(func(t testing.TB) { Exec(t, c.args...) })
		if returned || r.failure() != c.want {
			t.Errorf("Exec(%q): returned %v, failure %q, want %q", c.args, returned, r.failure(), c.want)
		}
	}
}

func TestNetnsLastsUntilItsTestEnds(t *testing.T) {
	name := KernelTest(t).HostNetnsName("netns")
	r, _ := record(func(t testing.TB) {
		if path := Netns(t, name); path != "/run/netns/"+name {
			t.Errorf("Netns(%q) = %s", name, path)
		}
	})
	t.Cleanup(r.end)
	if r.failure() != "" {
		t.Fatalf("Netns(%q) failed: %s", name, r.failure())
	}
	Contains(t, "the namespace's links", Exec(t, "ip", "-n", name, "link", "show"), "1: lo: <LOOPBACK>")
	again, returned := record(func(t testing.TB) { Netns(t, name) })
	Contains(t, "the failure to make a namespace twice", again.failure(), "ip netns add "+name+": exit status 1: ", "File exists")
	if returned || len(again.cleanups) != 0 {
		t.Errorf("Netns of a namespace that exists returned %v with %d cleanups", returned, len(again.cleanups))
	}
	r.end()
	if _, err := os.Stat("/run/netns/" + name); !os.IsNotExist(err) || r.failure() != "" {
		t.Errorf("after its test ended, /run/netns/%s: %v, failure %q", name, err, r.failure())
	}
}

func TestNetnsFailsTheTestIfItStaysAfterItsEnd(t *testing.T) {
	name := KernelTest(t).HostNetnsName("busy")
	r, _ := record(func(t testing.TB) { Netns(t, name) })
	path := "/run/netns/" + name
	t.Cleanup(func() {
		_ = exec.Command("umount", path).Run()
		Exec(t, "ip", "netns", "del", name)
	})
	// A second mount on the file keeps `ip netns del` from removing it.
	Exec(t, "mount", "--bind", path, path)
	r.end()
	Contains(t, "the failure when the namespace stays", r.failure(), "ip netns del "+name+": exit status 1: ", "busy")
}
