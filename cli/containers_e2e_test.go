package cli

import (
	"strings"
	"testing"

	"workbench/testutil"
)

func TestCommandsActOnEveryValidName(t *testing.T) {
	testutil.NewLab(t)
	for _, n := range []string{"k1", "k2", "k3"} {
		testutil.MustRun(t, "run", "-d", "--name", n, "--net", "none", "busybox", "sleep", "1000")
	}
	state := func(name string) string {
		return strings.TrimSpace(testutil.MustRun(t, "inspect", "-f", "{{.State.Status}}", name))
	}
	for _, c := range []struct {
		args  []string
		out   string
		check func() bool
	}{
		{[]string{"stop", "-t", "0", "nosuch", "k2"}, "k2\n", func() bool { return state("k2") == "exited" }},
		{[]string{"start", "nosuch", "k2"}, "k2\n", func() bool { return state("k2") == "running" }},
		{[]string{"restart", "-t", "0", "k2", "nosuch"}, "k2\n", func() bool { return state("k2") == "running" }},
		{[]string{"update", "--pids-limit", "50", "nosuch", "k3"}, "k3\n", func() bool {
			return strings.TrimSpace(testutil.MustRun(t, "inspect", "-f", "{{.Cgroup.Limits.PidsLimit}}", "k3")) == "50"
		}},
		{[]string{"kill", "k1", "nosuch", "k2"}, "k1\nk2\n", func() bool { return state("k1") == "exited" && state("k2") == "exited" }},
		{[]string{"rm", "nosuch", "k1", "k3", "k2"}, "k1\nk2\n", func() bool { return state("k3") == "running" }},
	} {
		r := testutil.Run(t, "", c.args...)
		if r.Code != 1 || r.Out != c.out || !c.check() {
			t.Errorf("%v: status %d, stdout %q; want 1, %q, and the valid names acted on", c.args, r.Code, r.Out, c.out)
		}
		if !strings.Contains(r.Err, "no such container: nosuch") || strings.Count(r.Err, "\n") != strings.Count(r.Err, "workbench:") {
			t.Errorf("%v: stderr %q; want one line for each bad name", c.args, r.Err)
		}
	}
	if r := testutil.Run(t, "", "rm", "k3"); r.Code != 1 || !strings.Contains(r.Err, "is running") {
		t.Errorf("rm of a running container alone: %+v", r)
	}
}
