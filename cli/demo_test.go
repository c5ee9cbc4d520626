package cli

import (
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"workbench/testutil"
)

func TestDemoLists(t *testing.T) {
	testutil.NewInstance(t)
	out, code := runBinary(t, "demo")
	if code != 0 || !strings.Contains(out, "000-bridge-by-hand") || !strings.Contains(out, "004-kube-service") {
		t.Fatalf("demo list: %d\n%s", code, out)
	}
}

// TestDemoPlaysInTheApp plays a lab in the full-screen app inside tmux: each `.` runs
// one beat, the banner shows the narration and the verdicts, `q` quits.
func TestDemoPlaysInTheApp(t *testing.T) {
	inst := testutil.KernelTest(t)
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed (make deps installs it)")
	}
	bin := testutil.Binary(t)
	socket := "wb-" + inst.Name
	tmux := func(args ...string) string {
		out, _ := exec.Command("tmux", append([]string{"-L", socket}, args...)...).CombinedOutput()
		return string(out)
	}
	t.Cleanup(func() {
		tmux("kill-server")
		runBinary(t, "reset")
	})
	tmux("new-session", "-d", "-x", "160", "-y", "45", fmt.Sprintf("env WORKBENCH_INSTANCE=%s %s demo 001", inst.Name, bin))
	screen := func(want string) string {
		t.Helper()
		var s string
		for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
			if s = tmux("capture-pane", "-p"); strings.Contains(s, want) {
				return s
			}
		}
		t.Fatalf("the screen never showed %q:\n%s", want, s)
		return s
	}
	screen("lab 001-network-modes")
	screen("The four network modes side by side")
	tmux("send-keys", ".")
	screen("$ run -d --name mode-none")
	for i := 0; i < 3; i++ {
		tmux("send-keys", ".")
		time.Sleep(300 * time.Millisecond)
	}
	s := screen("PASS expect")
	if strings.Contains(s, "FAIL") {
		t.Errorf("a step failed in the demo:\n%s", s)
	}
	tmux("send-keys", "q")
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if !strings.Contains(tmux("capture-pane", "-p"), "lab 001") {
			return
		}
	}
	t.Error("q did not quit the demo")
}
