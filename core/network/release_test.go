package network

import (
	"path/filepath"
	"strings"
	"testing"

	"workbench/testutil"
)

// Release frees the address at once and takes the veth off the bridge; the kernel
// deletes the pair when the container's namespace goes.
func TestReleaseLeavesTheVethToTheNamespace(t *testing.T) {
	m, inst := newLab(t)
	c, a := attached(t, m, inst, "rel", "c1")
	host1 := inst.HostNetnsPath(DefaultHost)
	if err := m.Release(t.Context(), a); err != nil {
		t.Fatal(err)
	}
	out := inNs(t, host1, "ip", "-o", "link", "show", a.HostVeth)
	if strings.Contains(out, "master") || strings.Contains(out, "state UP") {
		t.Errorf("%s is still on the bridge or up after Release: %s", a.HostVeth, out)
	}
	_, b := attached(t, m, inst, "rel2", "c2")
	if b.IP != a.IP {
		t.Errorf("the released address %s was not handed out again (got %s)", a.IP, b.IP)
	}
	// The container's namespace goes: the kernel takes the pair with it.
	testutil.Exec(t, "ip", "netns", "del", filepath.Base(c))
	testutil.Eventually(t, a.HostVeth+" to go with its peer's namespace", func() bool { return !tryNs(host1, "ip", "link", "show", a.HostVeth) })
}
