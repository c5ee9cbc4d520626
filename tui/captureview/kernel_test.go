package captureview

import (
	"context"
	"testing"
	"time"

	"workbench/core/network"
	"workbench/testutil"
)

// TestKernelSourceCapturesAcrossNamespaces makes two lab hosts of a test instance
// joined by a veth pair, lists them the way the pane does, captures a ping on both
// ends at once and gets each packet tagged with its target, in time order.
func TestKernelSourceCapturesAcrossNamespaces(t *testing.T) {
	inst := testutil.KernelTest(t)
	a, b := inst.HostNetnsName("hosta"), inst.HostNetnsName("hostb")
	testutil.Netns(t, a)
	testutil.Netns(t, b)
	for _, args := range [][]string{
		{"-n", a, "link", "add", "va", "type", "veth", "peer", "name", "vb", "netns", b},
		{"-n", a, "addr", "add", "10.98.0.1/24", "dev", "va"}, {"-n", a, "link", "set", "va", "up"},
		{"-n", b, "addr", "add", "10.98.0.2/24", "dev", "vb"}, {"-n", b, "link", "set", "vb", "up"},
	} {
		testutil.Exec(t, append([]string{"ip"}, args...)...)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	targets, err := KernelSource{Inst: inst}.Targets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(targets) != 2 || targets[0].Label() != "hosta/va" || targets[1].Label() != "hostb/vb" || targets[0].Netns != network.NetnsPath(inst, "hosta") {
		t.Fatalf("targets = %+v, want hosta/va and hostb/vb", targets)
	}
	s, err := StartKernel(ctx, targets, "icmp")
	if err != nil {
		t.Fatal(err)
	}
	testutil.Exec(t, "ip", "netns", "exec", a, "busybox", "ping", "-c", "2", "-W", "1", "10.98.0.2")
	seen := map[string]int{}
	var last time.Time
	for len(seen) < 2 || seen["hosta:va"]+seen["hostb:vb"] < 8 {
		select {
		case p, ok := <-s.Packets():
			if !ok {
				t.Fatalf("the capture ended early: %v", s.Err())
			}
			if p.Time.Before(last) {
				t.Errorf("packet at %s came after one at %s", p.Time.Format(time.StampMicro), last.Format(time.StampMicro))
			}
			last = p.Time
			seen[p.Iface]++
		case <-ctx.Done():
			t.Fatalf("saw %v, want 4 ICMP packets on each of hosta:va and hostb:vb", seen)
		}
	}
	s.Stop()
	if seen["hosta:va"] != 4 || seen["hostb:vb"] != 4 {
		t.Errorf("saw %v, want 4 ICMP packets on each end", seen)
	}
}
