package tui_test

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"workbench/instance"
	"workbench/testutil"
)

// startApp runs the app of inst in a tmux session of its own, width×height cells, in a
// directory of the test's own (the app writes its exports there), with env (NAME=value)
// added to its environment; the screen shows "APP-EXIT" and the app's exit status
// after it quits.
func startApp(t *testing.T, inst instance.Instance, width, height int, env ...string) *testutil.Screen {
	t.Helper()
	term := testutil.Terminal{Width: width, Height: height, Dir: t.TempDir(), Env: append(env, "WORKBENCH_INSTANCE="+inst.Name)}
	return testutil.StartScreen(t, term, testutil.Binary(t)+"; echo APP-EXIT $?; sleep 60")
}

// eachSize runs test as a subtest at each terminal size, named WxH; without tmux it
// skips them all.
func eachSize(t *testing.T, sizes [][2]int, test func(t *testing.T, width, height int)) {
	testutil.RequireTools(t, "tmux")
	for _, size := range sizes {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) { test(t, size[0], size[1]) })
	}
}

// dnatCounter matches the rule line "◆   1      3    180  +1 1.0/s  -p tcp ... --dport
// 8080 -j DNAT": number, packets, bytes, what moved, rule.
var dnatCounter = regexp.MustCompile(`\s\d+\s+(\d+)\s+\S+\s+(?:\+\S+\s+\S+\s+)?-p tcp -m tcp --dport 8080 -j DNAT`)

// dnatPackets reads the packet counter of the DNAT rule of port 8080 from the screen.
func dnatPackets(text string) int {
	m := dnatCounter.FindStringSubmatch(text)
	if m == nil {
		return -1
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// TestAppAsAPersonUsesIt runs the real binary in tmux: the app opens on the default
// lab, a container is made with the form and shows in the containers pane and the
// topology, its CPU limit is set and lowered from the cgroups pane, a shell runs `hostname` and comes back, the : line publishes a port and the
// DNAT rule's counter moves when `outside` connects, a capture sees the packets, the
// containers are killed and removed, q quits, and reset leaves nothing behind.
func TestAppAsAPersonUsesIt(t *testing.T) {
	testutil.RequireTools(t, "tmux")
	inst := testutil.NewLab(t)
	before := testutil.Leftovers()
	s := startApp(t, inst, 160, 48)

	// It opens on the default lab.
	s.See("1 Containers", "no containers yet")
	s.Keys("2")
	s.See("■ host1", "■ outside")

	// A container from the form: only its name is typed.
	s.Keys("1", "c", "Tab")
	s.TypeLine("box")
	s.See("box ", "running")
	s.Keys("2")
	s.See("box:eth0")

	// Its CPU limit, set and lowered live from the cgroups pane.
	s.Keys("4")
	s.See("box CPU %", "no CPU limit")
	s.Keys("-")
	s.See("limit 1.00 CPU")
	s.Keys("-")
	s.See("limit 0.90 CPU")

	// A shell in it runs hostname and comes back.
	s.Keys("1", "x")
	s.See("/ #")
	s.TypeLine("hostname; echo marker-$((40+2))")
	s.See("marker-42")
	s.TypeLine("exit")
	s.See("back from: workbench exec -it box sh")

	// A published port from the : line; outside connects; the DNAT counter moves.
	s.Keys(":")
	s.TypeLine("run -d --name web -p 8080:80 busybox httpd -f -p 80")
	s.See("web ", "8080->80/tcp")
	s.Keys("3")
	first := dnatPackets(s.See("--dport 8080 -j DNAT"))
	if first < 0 {
		t.Fatalf("no DNAT rule counter on the screen")
	}
	s.Keys(":")
	s.TypeLine("host exec outside wget -q -T 2 -O /dev/null http://198.51.100.1:8080/")
	s.WaitFor("the DNAT counter moving", func(text string) bool { return dnatPackets(text) > first })

	// A capture on host1's uplink sees the connection.
	s.Keys("5")
	s.See("○ host1/eth0")
	s.Keys("Space", "s")
	s.See("● capturing on 1")
	s.Keys(":")
	s.TypeLine("host exec outside wget -q -T 2 -O /dev/null http://198.51.100.1:8080/")
	s.See("host1/eth0 In IP 198.51.100.100.")
	s.Keys("s")
	s.See("stopped")

	// Kill and remove both containers from the containers pane.
	s.Keys("1", "G", "K", "y") // web, the last by name
	s.See("Exited (137)")
	s.Keys("d", "y")
	s.WaitFor("web removed", func(text string) bool { return !strings.Contains(text, "web ") })
	s.Keys("d", "y")
	s.See("no containers yet")

	// q quits; reset then leaves nothing of the instance on the machine.
	s.Keys("q")
	s.See("APP-EXIT 0")
	testutil.MustRun(t, "reset")
	if left := testutil.InstanceLeftovers(before); left != "" {
		t.Errorf("after reset the instance left:\n%s", left)
	}
	if _, err := os.Stat(inst.RunDir); err == nil {
		t.Errorf("after reset %s is still there", inst.RunDir)
	}
}
