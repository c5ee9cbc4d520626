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
	testutil.RequireTools(t, "tmux", "flock")
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
		s.See("1 Containers", "web ")
		s.WaitFor("the lab prepared", func(text string) bool { return !strings.Contains(text, "preparing the lab") })

		// The leading word is taken; the whole table is there, sideways if need be.
		s.Keys(":")
		s.TypeLine("workbench ps -a")
		s.See("$ workbench ps -a", "CONTAINER ID")
		if width < 120 {
			s.See("→/l for more")
			s.Keys("l", "l")
		}
		text := s.See("NAMES")
		if !strings.Contains(text, " web") {
			t.Errorf("the NAMES column is cut:\n%s", text)
		}
		s.Keys("Escape")
		s.WaitFor("the output closed", func(text string) bool { return !strings.Contains(text, "$ workbench ps") })

		// Long output opens at its top and scrolls.
		s.Keys(":")
		s.TypeLine("inspect web")
		s.See("$ workbench inspect web", "lines 1-", `"Id": `)
		s.Keys("j", "j")
		s.See("lines 3-")
		s.Keys("G")
		text = s.See("$ workbench inspect web")
		if strings.Contains(text, `"Id": `) || strings.Contains(text, "lines 1-") {
			t.Errorf("G did not go to the end:\n%s", text)
		}
		s.Keys("g")
		s.See("lines 1-", `"Id": `)
		s.Keys("Escape")

		// A stream runs until esc.
		s.Keys(":")
		s.TypeLine("logs -f web")
		s.See("$ workbench logs -f web", "tick-2", "streaming, esc stops")
		s.Keys("Escape")
		s.WaitFor("the stream closed", func(text string) bool {
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
		s.Keys(":")
		s.TypeLine("network create blocked")
		s.See("running: network create blocked")
		time.Sleep(time.Second) // it waits for the lock
		s.Keys("Escape")
		text = s.See("cancelled: network create blocked")
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
		s.Keys(":")
		s.TypeLine("exec -it web sh")
		s.See("/ #")
		s.TypeLine("echo marker-$((40+2))")
		s.See("marker-42")
		s.TypeLine("exit")
		s.See("back from: workbench exec -it web sh", "1 Containers")

		// Exports: the prompt proposes a file at home and reports where it wrote.
		topo := filepath.Join(home, "workbench-topology.mmd")
		script := filepath.Join(home, "workbench-session.sh")
		os.Remove(topo)
		os.Remove(script)
		s.Keys("2")
		s.See("■ host1")
		s.Keys("e")
		s.See("write the topology to: " + topo)
		s.Keys("Enter")
		s.See("wrote the topology as Mermaid to " + topo)
		if b, err := os.ReadFile(topo); err != nil || !strings.HasPrefix(string(b), "flowchart LR\n") || !strings.Contains(string(b), "web") {
			t.Errorf("the topology export: %v\n%.300s", err, b)
		}
		s.Keys("8", "e")
		s.See("write the session's script to: " + script)
		s.Keys("Enter")
		s.See("wrote the session's script to " + script)
		if b, err := os.ReadFile(script); err != nil || !strings.Contains(string(b), "\nset -e\n") || !strings.Contains(string(b), "ip netns add "+inst.Name+"-host1") {
			t.Errorf("the script export: %v\n%.300s", err, b)
		}

		s.Keys("q")
		s.See("APP-EXIT 0")
	})
}
