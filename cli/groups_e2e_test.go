package cli

import (
	"strings"
	"testing"

	"workbench/testutil"
)

func TestCommandGroupsRunTheirCommands(t *testing.T) {
	testutil.NewLab(t)
	id := strings.TrimSpace(testutil.MustRun(t, "container", "run", "-d", "--name", "g1", "--net", "none", "busybox", "sh", "-c", "echo hi; exec sleep 1000"))
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"container", "ls", "-q", "--no-trunc"}, id + "\n"},
		{[]string{"container", "ps", "--format", "{{.Names}}"}, "g1\n"},
		{[]string{"container", "list", "-a", "--format", "{{.Names}}"}, "g1\n"},
		{[]string{"container", "inspect", "-f", "{{.Name}}", "g1"}, "/g1\n"},
		{[]string{"container", "logs", "g1"}, "hi\n"},
		{[]string{"container", "exec", "g1", "echo", "in"}, "in\n"},
		{[]string{"container", "stop", "-t", "0", "g1"}, "g1\n"},
		{[]string{"container", "start", "g1"}, "g1\n"},
		{[]string{"container", "rm", "-f", "g1"}, "g1\n"},
		{[]string{"image", "tag", "busybox", "b:2"}, ""},
		{[]string{"image", "rm", "b:2"}, "Untagged: b:2\n"},
		{[]string{"network", "rm", "blue"}, "blue\n"},
	} {
		if c.args[0] == "network" {
			testutil.MustRun(t, "network", "create", "blue")
		}
		r := testutil.Run(t, "", c.args...)
		if r.Code != 0 || r.Out != c.want {
			t.Errorf("%v: status %d, %q (%s), want %q", c.args, r.Code, r.Out, r.Err, c.want)
		}
	}
	if out := testutil.MustRun(t, "image", "ls"); !strings.HasPrefix(out, "REPOSITORY") || !strings.Contains(out, "busybox") {
		t.Errorf("image ls:\n%s", out)
	}
	if out := testutil.MustRun(t, "image", "history", "busybox"); !strings.HasPrefix(out, "LAYER") {
		t.Errorf("image history:\n%s", out)
	}
	if out := testutil.MustRun(t, "image", "inspect", "busybox"); !strings.Contains(out, "busybox:latest") {
		t.Errorf("image inspect:\n%s", out)
	}
}
