package trace

import (
	"context"
	"testing"

	"workbench/testutil"
)

// TestTwoTracesOfOneProcess arms two traces of one process in the same namespace, as
// the Trace pane and a lab's `expect trace` do: each makes its own table and closing
// one leaves the other's armed.
func TestTwoTracesOfOneProcess(t *testing.T) {
	inst := testutil.KernelTest(t)
	places := []Place{{Name: "tr", Kind: "other", Netns: testutil.Netns(t, inst.HostNetnsName("tr"))}}
	var sessions []*Session
	for range 2 {
		s, err := Start(context.Background(), Options{Places: places, Filter: "icmp"})
		if err != nil {
			t.Fatalf("a second trace of the process: %v", err)
		}
		t.Cleanup(func() { _ = s.Close() })
		sessions = append(sessions, s)
	}
	if left := traceTables(t, inst); len(left) != 2 {
		t.Fatalf("two traces armed these tables: %v", left)
	}
	_ = sessions[0].Close()
	if left := traceTables(t, inst); len(left) != 1 {
		t.Errorf("after one trace closed: %v", left)
	}
}
