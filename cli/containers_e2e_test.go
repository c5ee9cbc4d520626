package cli

import (
	"strings"
	"testing"
)

func TestCommandsActOnEveryValidName(t *testing.T) {
	dockerLab(t)
	for _, n := range []string{"k1", "k2", "k3"} {
		mustWB(t, "run", "-d", "--name", n, "--net", "none", "busybox", "sleep", "1000")
	}
	state := func(name string) string {
		return strings.TrimSpace(mustWB(t, "inspect", "-f", "{{.State.Status}}", name))
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
			return strings.TrimSpace(mustWB(t, "inspect", "-f", "{{.Cgroup.Limits.PidsLimit}}", "k3")) == "50"
		}},
		{[]string{"kill", "k1", "nosuch", "k2"}, "k1\nk2\n", func() bool { return state("k1") == "exited" && state("k2") == "exited" }},
		{[]string{"rm", "nosuch", "k1", "k3", "k2"}, "k1\nk2\n", func() bool { return state("k3") == "running" }},
	} {
		r := wb(t, "", c.args...)
		if r.code != 1 || r.out != c.out || !c.check() {
			t.Errorf("%v: status %d, stdout %q; want 1, %q, and the valid names acted on", c.args, r.code, r.out, c.out)
		}
		if !strings.Contains(r.err, "no such container: nosuch") || strings.Count(r.err, "\n") != strings.Count(r.err, "workbench:") {
			t.Errorf("%v: stderr %q; want one line for each bad name", c.args, r.err)
		}
	}
	if r := wb(t, "", "rm", "k3"); r.code != 1 || !strings.Contains(r.err, "is running") {
		t.Errorf("rm of a running container alone: %+v", r)
	}
}
