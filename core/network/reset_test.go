package network

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"workbench/nsutil"
	"workbench/testutil"
)

func TestResetLeavesNothing(t *testing.T) {
	before := testutil.Leftovers()
	m, inst := newLab(t)
	ctx := t.Context()
	if _, err := m.AddHost(ctx, "host2"); err != nil {
		t.Fatal(err)
	}
	if _, err := m.CreateNetwork(ctx, NetworkOptions{Name: "span", CrossHost: CrossHostVXLAN}); err != nil {
		t.Fatal(err)
	}
	c := newSandbox(t, inst, "a")
	a, err := m.Attach(ctx, AttachRequest{ContainerID: "a", NetnsPath: c})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Publish(ctx, a, []PortSpec{{HostPort: 8080, ContainerPort: 80, Proto: "tcp"}}); err != nil {
		t.Fatal(err)
	}
	// A process left running in a lab host goes with the host's namespace.
	sleeper := exec.Command("sleep", "300")
	if err := nsutil.Start(NetnsPath(inst, "host2"), sleeper); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- sleeper.Wait() }()
	// A damaged endpoint file (a writer killed before atomic writes) does not stop reset.
	files, _ := filepath.Glob(filepath.Join(m.stateDir(), "endpoints", "*", "*", "*.json"))
	if len(files) == 0 {
		t.Fatal("no endpoint file to damage")
	}
	if err := os.WriteFile(files[0], []byte(`{"ContainerID":`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := m.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	select {
	case <-exited:
	case <-time.After(2 * time.Second):
		sleeper.Process.Kill()
		t.Error("a process in host2's namespace outlived Reset")
	}
	os.RemoveAll(inst.RunDir)
	if left := testutil.InstanceLeftovers(before); left != "" {
		t.Errorf("after Reset the instance left:\n%s", left)
	}
}
