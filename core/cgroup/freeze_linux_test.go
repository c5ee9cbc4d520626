package cgroup

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"workbench/testutil"
)

// cpuUsage is the group's CPU time so far, in ns.
func cpuUsage(t *testing.T, g *Group) uint64 {
	t.Helper()
	s, err := g.Stats()
	if err != nil {
		t.Fatal(err)
	}
	return s.CPUUsageNs
}

// waitRunning waits until the group's CPU time grows: its processes run.
func waitRunning(t *testing.T, g *Group, what string) {
	t.Helper()
	start := cpuUsage(t, g)
	testutil.Eventually(t, "the group to use CPU "+what, func() bool { return cpuUsage(t, g) != start })
}

func TestFreezeStopsABusyGroupAndThawResumesIt(t *testing.T) {
	g, _, log := newGroup(t, Limits{})
	startInGroup(t, g, busyLoop())
	t.Cleanup(func() { _ = g.Thaw() }) // before the kill: a frozen process does not die
	waitRunning(t, g, "before the freeze")
	state := filepath.Join(g.lo.dir("freezer", g.Path()), "freezer.state")

	if err := g.Freeze(); err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(readTestFile(t, state)); got != "FROZEN" {
		t.Fatalf("freezer.state = %s after Freeze", got)
	}
	before := cpuUsage(t, g)
	time.Sleep(300 * time.Millisecond)
	if after := cpuUsage(t, g); after != before {
		t.Errorf("the frozen busy loop used %d ns of CPU in 300 ms", after-before)
	}

	if err := g.Thaw(); err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(readTestFile(t, state)); got != "THAWED" {
		t.Fatalf("freezer.state = %s after Thaw", got)
	}
	waitRunning(t, g, "after the thaw")
	requireLogged(t, log, "echo FROZEN > "+state)
	requireLogged(t, log, "echo THAWED > "+state)
}

// A group of a v2 tree: cgroup.freeze is written, and Freeze returns once the kernel
// (here a goroutine) reports "frozen 1" in cgroup.events.
func TestV2FreezeWaitsForTheFrozenEvent(t *testing.T) {
	g, dir := fakeV2Group(t, map[string]string{"cgroup.procs": "", "cgroup.freeze": "0\n", "cgroup.events": "populated 1\nfrozen 0\n"})
	events := filepath.Join(dir, "cgroup.events")
	kernel := make(chan error, 1)
	var reported atomic.Bool
	go func() {
		for {
			if b, _ := os.ReadFile(filepath.Join(dir, "cgroup.freeze")); string(b) == "1" {
				time.Sleep(20 * time.Millisecond) // the processes take a while to stop
				reported.Store(true)
				kernel <- os.WriteFile(events, []byte("populated 1\nfrozen 1\n"), 0o644)
				return
			}
			time.Sleep(time.Millisecond)
		}
	}()
	if err := g.Freeze(); err != nil {
		t.Fatal(err)
	}
	if !reported.Load() {
		t.Fatal("Freeze returned before cgroup.events reported the group frozen")
	}
	if err := <-kernel; err != nil {
		t.Fatal(err)
	}
	if frozen, err := g.frozen(); !frozen || err != nil {
		t.Fatalf("frozen() = %v, %v", frozen, err)
	}
	if err := g.Thaw(); err != nil {
		t.Fatal(err)
	}
	if got := readTestFile(t, filepath.Join(dir, "cgroup.freeze")); got != "0" {
		t.Errorf("cgroup.freeze = %q after Thaw", got)
	}
	cmds := testutil.Commands(t, g.log)
	want := []string{"echo 1 > " + dir + "/cgroup.freeze", "echo 0 > " + dir + "/cgroup.freeze"}
	if !reflect.DeepEqual(cmds, want) {
		t.Errorf("recorded %q, want %q", cmds, want)
	}

	// A freeze that cannot be watched is undone at once.
	os.Remove(events)
	if err := g.Freeze(); err == nil || !strings.Contains(err.Error(), "cgroup.events") {
		t.Errorf("Freeze without cgroup.events: %v", err)
	}
	if got := readTestFile(t, filepath.Join(dir, "cgroup.freeze")); got != "0" {
		t.Errorf("cgroup.freeze = %q after a failed Freeze, want it thawed", got)
	}
	os.Remove(filepath.Join(dir, "cgroup.freeze"))
	if err := g.Freeze(); err == nil || !strings.Contains(err.Error(), "Linux 5.2") {
		t.Errorf("Freeze without cgroup.freeze: %v", err)
	}
}

func TestFreezeWithoutAFreezerSaysWhy(t *testing.T) {
	root := t.TempDir()
	g := &Group{lo: layout{mode: V1, root: root, present: map[string]bool{"cpu": true}}, path: "/workbench/c1"}
	if err := g.Freeze(); err == nil || !strings.Contains(err.Error(), "freezer cgroup controller is not available") {
		t.Errorf("Freeze without the controller: %v", err)
	}
	g.lo.present["freezer"] = true
	if err := g.Thaw(); err == nil || !strings.Contains(err.Error(), "no freezer directory") {
		t.Errorf("Thaw of a group made without a freezer directory: %v", err)
	}
}
