package sources_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"workbench/core/network"
	"workbench/testutil"
	"workbench/tui/captureview"
	"workbench/tui/sources"
)

// TestSourcesReadARealContainer runs a container with the real binary and reads it
// back the way the panes do: its row, its inside, its cgroup sample, its namespace.
func TestSourcesReadARealContainer(t *testing.T) {
	inst := testutil.NewLab(t)
	testutil.MustRun(t, "run", "-d", "--name", "probe", "--cpus", "0.5", "-p", "8080:80", "busybox", "sleep", "1000")
	testutil.MustRun(t, "run", "-d", "--name", "side", "--net", "container:probe", "busybox", "sleep", "1000")

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	e := sources.New(inst)
	snap, err := e.Containers().Load(ctx, "probe")
	if err != nil || len(snap.Containers) != 2 {
		t.Fatalf("Load: %v, %+v", err, snap)
	}
	c := snap.Containers[1] // newest first: side, then probe
	if c.Name != "probe" || c.State != "running" || c.Host != "host1" {
		t.Errorf("row: %+v", c)
	}
	if len(c.Networks) != 1 || !strings.HasPrefix(c.Networks[0], "bridge 172.") {
		t.Errorf("networks: %q", c.Networks)
	}
	if len(c.Ports) != 1 || c.Ports[0] != "8080->80/tcp" {
		t.Errorf("ports: %q", c.Ports)
	}
	d := c.Detail
	if d.Pid <= 0 || len(d.PidsInside) == 0 || !strings.Contains(strings.Join(d.PidsInside, " "), "sleep") {
		t.Errorf("processes: pid %d, %q", d.Pid, d.PidsInside)
	}
	if !strings.HasPrefix(d.CgroupPath, inst.CgroupParent()+"/") {
		t.Errorf("cgroup path %q is not under %s", d.CgroupPath, inst.CgroupParent())
	}
	if !strings.Contains(strings.Join(d.Limits, " "), "cpu 0.50") {
		t.Errorf("limits: %q", d.Limits)
	}
	kinds := map[string]string{}
	for _, n := range d.Namespaces {
		kinds[n.Kind] = n.SharedWith
	}
	for _, own := range []string{"mnt", "pid", "uts", "ipc"} {
		if shared, ok := kinds[own]; !ok || shared != "" {
			t.Errorf("the %s namespace is missing or shared (%q)", own, shared)
		}
	}
	if kinds["net"] != "side" {
		t.Errorf("probe's network namespace is shared with %q, want side (--net container:probe)", kinds["net"])
	}
	if len(d.Veths) != 1 || !strings.Contains(d.Veths[0], "eth0 172.") {
		t.Errorf("links: %q", d.Veths)
	}

	// The sampler sees the container after two samples (a rate needs two readings).
	e.Cgroups().Sample(ctx)
	time.Sleep(time.Second)
	samples, err := e.Cgroups().Sample(ctx)
	if ser, ok := samples.Find("probe"); err != nil || !ok || len(ser.History) == 0 {
		t.Errorf("the cgroup sample has no probe: %v, %+v", err, samples)
	}
	nets, err := e.CaptureNetns(ctx)
	if err != nil || len(nets) != 2 || nets[1].Where != "probe" {
		t.Errorf("capture namespaces: %v, %+v", err, nets)
	}
	if hosts := network.HostNames(inst); len(hosts) == 0 || hosts[0] != "host1" {
		t.Errorf("lab hosts: %q", hosts)
	}

	// Its output, streams apart, as the logs view reads it.
	testutil.MustRun(t, "run", "-d", "--name", "talk", "busybox", "sh", "-c", "echo hello; echo trouble >&2; sleep 1000")
	r, err := e.Containers().Logs(ctx, "talk")
	if err != nil {
		t.Fatalf("Logs: %v", err)
	}
	defer r.Close()
	var got []string
	testutil.Eventually(t, "two lines in talk's log", func() bool {
		if ent, err := r.Next(); err == nil {
			got = append(got, ent.Stream+" "+strings.TrimSpace(ent.Text))
		}
		return len(got) == 2
	})
	if strings.Join(got, ", ") != "stdout hello, stderr trouble" && strings.Join(got, ", ") != "stderr trouble, stdout hello" {
		t.Errorf("the log read %q", got)
	}

	// Killed, probe is attached to nothing and says how it ended; side, in probe's
	// network namespace, shows that mode.
	testutil.MustRun(t, "kill", "probe")
	exited := func() bool {
		for _, c := range snap.Containers {
			if c.Name == "probe" {
				return c.State == "exited"
			}
		}
		return false
	}
	testutil.Eventually(t, "probe to have exited", func() bool {
		if snap, err = e.Containers().Load(ctx, "probe"); err != nil {
			t.Fatal(err)
		}
		return exited()
	})
	// The capture pane offers only running containers.
	if nets, err := e.CaptureNetns(ctx); err != nil || slices.ContainsFunc(nets, func(n captureview.Netns) bool { return n.Where == "probe" }) {
		t.Errorf("capture namespaces once probe was killed: %v, %+v", err, nets)
	}
	for _, c := range snap.Containers {
		switch c.Name {
		case "probe":
			if c.State != "exited" || c.ExitCode != 137 || len(c.Networks) != 0 {
				t.Errorf("killed probe: state %s, code %d, networks %q", c.State, c.ExitCode, c.Networks)
			}
		case "side":
			if c.State == "running" && strings.Join(c.Networks, " ") != "container:probe" {
				t.Errorf("side's networks: %q", c.Networks)
			}
		}
	}
}
