package tui_test

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"workbench/instance"
	"workbench/testutil"
)

// screen drives the real app in a tmux session of its own, as a person at a terminal.
type screen struct {
	t      *testing.T
	socket string
}

// requireTools skips a test that drives the real app unless tmux and the other tools
// named are installed.
func requireTools(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range append([]string{"tmux"}, tools...) {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (make deps installs it)", tool)
		}
	}
}

// startApp runs the app of inst in a tmux session of its own, width×height cells, in a
// directory of the test's own (the app writes its exports there), with env (NAME=value)
// added to its environment; the screen shows "APP-EXIT" and the app's exit status
// after it quits. The session ends with the test, showing its screen if the test
// failed.
func startApp(t *testing.T, inst instance.Instance, width, height int, env ...string) screen {
	t.Helper()
	dir := t.TempDir()
	s := screen{t: t, socket: fmt.Sprintf("wb-%s-%dx%d", inst.Name, width, height)}
	t.Cleanup(func() { s.tmux("kill-server") })
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the screen when the test failed:\n%s", s.tmux("capture-pane", "-p"))
		}
	})
	env = append(env, "WORKBENCH_INSTANCE="+inst.Name)
	s.tmux("new-session", "-d", "-x", strconv.Itoa(width), "-y", strconv.Itoa(height), "-c", dir,
		fmt.Sprintf("env %s %s; echo APP-EXIT $?; sleep 60", strings.Join(env, " "), testutil.Binary(t)))
	return s
}

// eachSize runs test as a subtest at each terminal size, named WxH; without tmux it
// skips them all.
func eachSize(t *testing.T, sizes [][2]int, test func(t *testing.T, width, height int)) {
	requireTools(t)
	for _, size := range sizes {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) { test(t, size[0], size[1]) })
	}
}

func (s screen) tmux(args ...string) string {
	out, _ := exec.Command("tmux", append([]string{"-L", s.socket}, args...)...).CombinedOutput()
	return string(out)
}

// keys presses keys (tmux key names, or literal text with -l).
func (s screen) keys(keys ...string) {
	for _, k := range keys {
		s.tmux("send-keys", k)
		time.Sleep(80 * time.Millisecond)
	}
}

// typeLine types text literally, then Enter.
func (s screen) typeLine(text string) {
	s.tmux("send-keys", "-l", text)
	time.Sleep(80 * time.Millisecond)
	s.tmux("send-keys", "Enter")
}

// waitFor waits until the screen satisfies ok, and returns it.
func (s screen) waitFor(what string, ok func(string) bool) string {
	s.t.Helper()
	var text string
	testutil.Eventually(s.t, "the screen to show "+what, func() bool {
		text = s.tmux("capture-pane", "-p")
		return ok(text)
	})
	return text
}

// see waits until the screen holds every one of want.
func (s screen) see(want ...string) string {
	s.t.Helper()
	return s.waitFor(fmt.Sprintf("%q", want), func(text string) bool {
		for _, w := range want {
			if !strings.Contains(text, w) {
				return false
			}
		}
		return true
	})
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
	requireTools(t)
	inst := testutil.NewLab(t)
	before := testutil.Leftovers()
	s := startApp(t, inst, 160, 48)

	// It opens on the default lab.
	s.see("1 Containers", "no containers yet")
	s.keys("2")
	s.see("■ host1", "■ outside")

	// A container from the form: only its name is typed.
	s.keys("1", "c", "Tab")
	s.typeLine("box")
	s.see("box ", "running")
	s.keys("2")
	s.see("box:eth0")

	// Its CPU limit, set and lowered live from the cgroups pane.
	s.keys("4")
	s.see("box CPU %", "no CPU limit")
	s.keys("-")
	s.see("limit 1.00 CPU")
	s.keys("-")
	s.see("limit 0.90 CPU")

	// A shell in it runs hostname and comes back.
	s.keys("1", "x")
	s.see("/ #")
	s.typeLine("hostname; echo marker-$((40+2))")
	s.see("marker-42")
	s.typeLine("exit")
	s.see("back from: workbench exec -it box sh")

	// A published port from the : line; outside connects; the DNAT counter moves.
	s.keys(":")
	s.typeLine("run -d --name web -p 8080:80 busybox httpd -f -p 80")
	s.see("web ", "8080->80/tcp")
	s.keys("3")
	first := dnatPackets(s.see("--dport 8080 -j DNAT"))
	if first < 0 {
		t.Fatalf("no DNAT rule counter on the screen")
	}
	s.keys(":")
	s.typeLine("host exec outside wget -q -T 2 -O /dev/null http://198.51.100.1:8080/")
	s.waitFor("the DNAT counter moving", func(text string) bool { return dnatPackets(text) > first })

	// A capture on host1's uplink sees the connection.
	s.keys("5")
	s.see("○ host1/eth0")
	s.keys("Space", "s")
	s.see("● capturing on 1")
	s.keys(":")
	s.typeLine("host exec outside wget -q -T 2 -O /dev/null http://198.51.100.1:8080/")
	s.see("host1/eth0 In IP 198.51.100.100.")
	s.keys("s")
	s.see("stopped")

	// Kill and remove both containers from the containers pane.
	s.keys("1", "G", "K", "y") // web, the last by name
	s.see("Exited (137)")
	s.keys("d", "y")
	s.waitFor("web removed", func(text string) bool { return !strings.Contains(text, "web ") })
	s.keys("d", "y")
	s.see("no containers yet")

	// q quits; reset then leaves nothing of the instance on the machine.
	s.keys("q")
	s.see("APP-EXIT 0")
	testutil.MustRun(t, "reset")
	if left := testutil.InstanceLeftovers(before); left != "" {
		t.Errorf("after reset the instance left:\n%s", left)
	}
	if _, err := os.Stat(inst.RunDir); err == nil {
		t.Errorf("after reset %s is still there", inst.RunDir)
	}
}
