package tui_test

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"workbench/testutil"
)

// click clicks the left button on cell x, y (0-based) of the screen, as a terminal
// reports it to an app that asked for the mouse (SGR encoding).
func (s screen) click(x, y int) {
	s.tmux("send-keys", "-l", fmt.Sprintf("\x1b[<0;%d;%dM\x1b[<0;%d;%dm", x+1, y+1, x+1, y+1))
	time.Sleep(80 * time.Millisecond)
}

// gone waits until the screen holds none of what.
func (s screen) gone(what ...string) string {
	s.t.Helper()
	return s.waitFor(fmt.Sprintf("no %q", what), func(text string) bool {
		for _, w := range what {
			if strings.Contains(text, w) {
				return false
			}
		}
		return true
	})
}

// row is the screen line whose first cell inside the frame starts with name and a
// space, or "".
func row(text, name string) string {
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, "│"+name+" ") {
			return l
		}
	}
	return ""
}

// rowY is the screen line of that row, or -1.
func rowY(text, name string) int {
	for i, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, "│"+name+" ") {
			return i
		}
	}
	return -1
}

// detailOf matches the first line of the containers pane's detail box: the selected
// container's name and ID.
func detailOf(name string) func(string) bool {
	re := regexp.MustCompile(`(?m)^│` + name + ` [0-9a-f]{12}\s`)
	return func(text string) bool { return re.MatchString(text) }
}

var tick = regexp.MustCompile(`out tick (\d+)`)

// lastTick is the highest tick number a logs view shows, or -1.
func lastTick(text string) int {
	n := -1
	for _, m := range tick.FindAllStringSubmatch(text, -1) {
		if v, _ := strconv.Atoi(m[1]); v > n {
			n = v
		}
	}
	return n
}

// TestAppKeysAsAPersonPressesThem drives the real app at 120x40 and at 80x24: three
// containers in natural order and sorted by the other orders, the filter with n, N and
// esc, kill asked for and refused then done, a click selecting a row, the logs view
// following a container's output with its streams apart, the same keys in every pane,
// and a packet's layer view inside the pane's border, closed with esc.
func TestAppKeysAsAPersonPressesThem(t *testing.T) {
	eachSize(t, [][2]int{{120, 40}, {80, 24}}, drive)
}

func drive(t *testing.T, width, height int) {
	s := startApp(t, testutil.NewLab(t), width, height)
	s.see("1 Containers", "no containers yet")

	// Three containers that write to both streams, made from the : line.
	for _, name := range []string{"bulk10", "bulk2", "bulk1"} {
		s.keys(":")
		s.typeLine("run -d --name " + name + ` busybox sh -c 'i=0; while :; do echo tick $i; echo oops $i >&2; i=$((i+1)); sleep 0.3; done'`)
		s.waitFor(name+" running", func(text string) bool { return strings.Contains(row(text, name), "running") })
	}

	// Natural order by name, then CPU, memory, newest first, and name again.
	text := s.see("NAME↑")
	if !(rowY(text, "bulk1") < rowY(text, "bulk2") && rowY(text, "bulk2") < rowY(text, "bulk10")) {
		t.Errorf("the rows are not in natural order:\n%s", text)
	}
	s.keys("o")
	s.see("CPU%↓", "sorted by CPU")
	s.keys("o")
	s.see("MEMORY↓")
	s.keys("o")
	text = s.see("NAME (newest")
	if !(rowY(text, "bulk1") < rowY(text, "bulk2") && rowY(text, "bulk2") < rowY(text, "bulk10")) {
		t.Errorf("newest first is not bulk1, bulk2, bulk10:\n%s", text)
	}
	s.keys("o")
	s.see("NAME↑")

	// The filter narrows the rows; n and N go between them; esc shows every row again.
	s.keys("g", "/")
	s.typeLine("bulk1")
	s.waitFor("only bulk1 and bulk10", func(text string) bool {
		return strings.Contains(text, "/bulk1") && row(text, "bulk2") == "" && row(text, "bulk10") != ""
	})
	s.keys("n")
	s.waitFor("bulk10 selected by n", detailOf("bulk10"))
	s.keys("N")
	s.waitFor("bulk1 selected by N", detailOf("bulk1"))
	s.keys("Escape")
	s.waitFor("every row again", func(text string) bool { return row(text, "bulk2") != "" && !strings.Contains(text, "/bulk1") })

	// Kill asks: n keeps the container running, y kills it.
	s.keys("j")
	s.waitFor("bulk2 selected", detailOf("bulk2"))
	s.keys("K")
	s.see("kill bulk2? y/N")
	s.keys("n")
	s.gone("kill bulk2?")
	time.Sleep(1500 * time.Millisecond)
	if text := s.see("NAME"); !strings.Contains(row(text, "bulk2"), "running") {
		t.Errorf("K then n did not leave bulk2 running:\n%s", text)
	}
	s.keys("K")
	s.see("kill bulk2? y/N")
	s.keys("y")
	s.waitFor("bulk2 killed", func(text string) bool { return strings.Contains(row(text, "bulk2"), "Exited (137)") })
	if r := row(s.see("Exited (137)"), "bulk2"); strings.Contains(r, "bridge") {
		t.Errorf("the killed container still shows a network: %q", r)
	}

	// A click on a row selects it.
	y := rowY(s.see("bulk10 "), "bulk10")
	s.click(3, y)
	s.waitFor("bulk10 selected by a click", detailOf("bulk10"))

	// The logs view of bulk1 follows its output, streams apart; t shows the times.
	s.keys("g", "l")
	text = s.see("logs of bulk1", "following", "out tick", "err oops")
	first := lastTick(text)
	s.waitFor("the logs following new lines", func(text string) bool { return lastTick(text) >= first+3 })
	s.keys("t")
	s.waitFor("times", func(text string) bool {
		return regexp.MustCompile(`out \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z tick`).MatchString(text)
	})
	s.keys("/")
	s.typeLine("oops 2")
	s.see("/oops 2")
	s.keys("Escape")
	s.gone("/oops 2")
	s.see("logs of bulk1")
	s.keys("Escape")
	s.gone("logs of bulk1")
	s.see("NAME↑")

	// The same keys in every pane: / with n and N, esc, g, G, j, k.
	for _, p := range []string{"1", "2", "3", "4", "5", "6", "7", "8"} {
		s.keys(p, "/")
		s.typeLine("bulk")
		s.see("/bulk", "n/N next/previous match")
		s.keys("n", "N", "G", "g", "j", "k", "Escape")
		s.gone("/bulk")
		s.see("1 Con")
	}
	s.keys("4")
	s.see("CPU%/LIM")
	s.keys("G")
	s.see("bulk10 CPU %")
	s.keys("g")
	s.see("bulk1 CPU %")
	s.keys("j")
	s.see("bulk10 CPU %") // bulk2 is not running: it has no cgroup sample

	// A packet's layers inside the pane's border; esc closes them.
	s.keys("5")
	s.see("○ host1/eth0")
	s.keys("g", "Space", "s")
	s.see("● capturing on 1")
	s.keys(":")
	s.typeLine("host exec outside wget -q -T 1 -O /dev/null http://198.51.100.1:9/")
	// wget's refusal may be too wide for the status line and open in a view: close it
	// once the command is over.
	time.Sleep(1500 * time.Millisecond)
	s.keys("Escape")
	s.see("host1/eth0 In IP 198.51.100.100.")
	s.keys("s")
	s.see("stopped")
	s.keys("l", "k", "Enter")
	text = s.see("--- Layer 1 ---")
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	for i, l := range lines[1 : height-2] {
		if r := []rune(l); len(r) != width || (r[width-1] != '│' && r[width-1] != '╮' && r[width-1] != '╯') {
			t.Errorf("line %d of the layer view breaks the border (%d cells): %q", i+1, len(r), l)
		}
	}
	s.keys("Escape")
	s.gone("--- Layer 1 ---")
	s.see("host1/eth0 In IP 198.51.100.100.")

	s.keys("q")
	s.see("APP-EXIT 0")
}
