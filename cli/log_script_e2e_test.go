package cli

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"workbench/testutil"
)

// TestLogScriptReplays makes a lab with a network and a container, takes `log
// --script`, resets the instance, runs the script and finds the lab's namespaces, the
// new network's bridge, the container's address and the NAT rules made again by the
// script alone; reset then removes them.
func TestLogScriptReplays(t *testing.T) {
	inst := testutil.NewLab(t)
	testutil.MustRun(t, "network", "create", "--subnet", "172.30.0.0/16", "blue")
	testutil.MustRun(t, "run", "-d", "--name", "web", "--net", "blue", "busybox", "sleep", "1000")
	script := testutil.MustRun(t, "log", "--script")
	if !strings.HasPrefix(script, "#!/bin/sh\n") || !strings.Contains(script, "\nset -e\n") {
		t.Fatalf("log --script does not start with set -e:\n%s", script)
	}
	testutil.MustRun(t, "reset")
	host1 := inst.Name + "-host1"
	if out := testutil.Exec(t, "ip", "netns", "list"); strings.Contains(out, host1) {
		t.Fatalf("reset left %s", host1)
	}
	path := t.TempDir() + "/replay.sh"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	testutil.Exec(t, "sh", path)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"ip", "netns", "list"}, inst.Name + "-lan"},
		{[]string{"ip", "-n", host1, "-4", "addr", "show"}, "172.30.0.1/16"},
		{[]string{"ip", "netns", "exec", host1, "iptables", "-t", "nat", "-S", "WB-POSTROUTING"}, "-s 172.30.0.0/16"},
	} {
		out, _ := exec.Command(c.args[0], c.args[1:]...).CombinedOutput()
		if !strings.Contains(string(out), c.want) {
			t.Errorf("after the replay, %s lacks %q:\n%s", strings.Join(c.args, " "), c.want, out)
		}
	}
	netns := ""
	for _, l := range strings.Split(script, "\n") {
		if f := strings.Fields(l); len(f) == 3 && f[0] == "unshare" {
			netns = strings.TrimPrefix(f[1], "--net=")
		}
	}
	if out, _ := exec.Command("nsenter", "--net="+netns, "ip", "-4", "addr").CombinedOutput(); !strings.Contains(string(out), "172.30.0.2/16") {
		t.Errorf("the container's namespace %s lacks its address after the replay:\n%s", netns, out)
	}
}
