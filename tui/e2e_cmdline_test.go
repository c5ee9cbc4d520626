package tui_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"workbench/testutil"
)

// TestCommandLineAsAPersonUsesIt runs the real binary in tmux at 80x24 and 120x40 and
// drives the : line: `:workbench ps` shows the whole table, `:inspect` scrolls, `:logs
// -f` streams until esc, esc cancels a command that waits for the lab's lock (held by
// another process), `:exec -it` hands the terminal over and comes back, and the
// topology and command log panes write their exports where the prompt says.
func TestCommandLineAsAPersonUsesIt(t *testing.T) {
	requireTools(t, "flock")
	inst := testutil.NewLab(t)
	// A short home, so that the paths the prompt reports fit an 80-column status line.
	home, err := os.MkdirTemp("/tmp", "wbh")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(home) })
	testutil.MustRun(t, "run", "-d", "--name", "web", "busybox", "sh", "-c", "while :; do echo tick-$((1+1)); sleep 1; done")

	eachSize(t, [][2]int{{80, 24}, {120, 40}}, func(t *testing.T, width, height int) {
		s := startApp(t, inst, width, height, "HOME="+home)
		s.see("1 Containers", "web ")
		s.waitFor("the lab prepared", func(text string) bool { return !strings.Contains(text, "preparing the lab") })

		// The leading word is taken; the whole table is there, sideways if need be.
		s.keys(":")
		s.typeLine("workbench ps -a")
		s.see("$ workbench ps -a", "CONTAINER ID")
		if width < 120 {
			s.see("→/l for more")
			s.keys("l", "l")
		}
		text := s.see("NAMES")
		if !strings.Contains(text, " web") {
			t.Errorf("the NAMES column is cut:\n%s", text)
		}
		s.keys("Escape")
		s.waitFor("the output closed", func(text string) bool { return !strings.Contains(text, "$ workbench ps") })

		// Long output opens at its top and scrolls.
		s.keys(":")
		s.typeLine("inspect web")
		s.see("$ workbench inspect web", "lines 1-", `"Id": `)
		s.keys("j", "j")
		s.see("lines 3-")
		s.keys("G")
		text = s.see("$ workbench inspect web")
		if strings.Contains(text, `"Id": `) || strings.Contains(text, "lines 1-") {
			t.Errorf("G did not go to the end:\n%s", text)
		}
		s.keys("g")
		s.see("lines 1-", `"Id": `)
		s.keys("Escape")

		// A stream runs until esc.
		s.keys(":")
		s.typeLine("logs -f web")
		s.see("$ workbench logs -f web", "tick-2", "streaming, esc stops")
		s.keys("Escape")
		s.waitFor("the stream closed", func(text string) bool {
			return !strings.Contains(text, "logs -f web") && strings.Contains(text, "1 Containers")
		})

		// Esc cancels a command waiting for the lab's lock another process holds.
		// flock -o keeps the lock in flock itself: killing it frees the lab.
		holder := exec.Command("flock", "-o", inst.LockPath(), "sleep", "60")
		holder.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		if err := holder.Start(); err != nil {
			t.Fatal(err)
		}
		var once sync.Once
		release := func() {
			once.Do(func() { _ = syscall.Kill(-holder.Process.Pid, syscall.SIGKILL); _ = holder.Wait() })
		}
		t.Cleanup(release)
		time.Sleep(300 * time.Millisecond)
		s.keys(":")
		s.typeLine("network create blocked")
		s.see("running: network create blocked")
		time.Sleep(time.Second) // it waits for the lock
		s.keys("Escape")
		text = s.see("cancelled: network create blocked")
		for _, line := range strings.Split(text, "\n") {
			if strings.Contains(line, "cancelled:") && !strings.HasPrefix(line, "cancelled:") {
				t.Errorf("the spinner stayed: %q", line)
			}
		}
		release()
		if out := testutil.MustRun(t, "network", "ls"); strings.Contains(out, "blocked") {
			t.Errorf("the cancelled command made its network:\n%s", out)
		}

		// An interactive command gets the terminal and gives it back.
		s.keys(":")
		s.typeLine("exec -it web sh")
		s.see("/ #")
		s.typeLine("echo marker-$((40+2))")
		s.see("marker-42")
		s.typeLine("exit")
		s.see("back from: workbench exec -it web sh", "1 Containers")

		// Exports: the prompt proposes a file at home and reports where it wrote.
		topo := filepath.Join(home, "workbench-topology.mmd")
		script := filepath.Join(home, "workbench-session.sh")
		os.Remove(topo)
		os.Remove(script)
		s.keys("2")
		s.see("■ host1")
		s.keys("e")
		s.see("write the topology to: " + topo)
		s.keys("Enter")
		s.see("wrote the topology as Mermaid to " + topo)
		if b, err := os.ReadFile(topo); err != nil || !strings.HasPrefix(string(b), "flowchart LR\n") || !strings.Contains(string(b), "web") {
			t.Errorf("the topology export: %v\n%.300s", err, b)
		}
		s.keys("8", "e")
		s.see("write the session's script to: " + script)
		s.keys("Enter")
		s.see("wrote the session's script to " + script)
		if b, err := os.ReadFile(script); err != nil || !strings.Contains(string(b), "\nset -e\n") || !strings.Contains(string(b), "ip netns add "+inst.Name+"-host1") {
			t.Errorf("the script export: %v\n%.300s", err, b)
		}

		s.keys("q")
		s.see("APP-EXIT 0")
	})
}
