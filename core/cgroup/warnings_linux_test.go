package cgroup

import (
	"testing"

	"workbench/testutil"
)

// This machine has every controller the workbench uses, so run warns of nothing.
func TestMachineWarningsOnThisMachine(t *testing.T) {
	testutil.RequireRoot(t)
	w, err := MachineWarnings()
	if err != nil {
		t.Fatal(err)
	}
	if len(w) != 0 {
		t.Fatalf("warnings on a machine with every controller: %q", w)
	}
	if got := missingWarnings(map[string]bool{"cpu": true, "cpuacct": true, "cpuset": true, "memory": true, "devices": true, "freezer": true}); len(got) != 1 || got[0] == "" {
		t.Fatalf("a machine without pids should get one warning, got %q", got)
	}
}
