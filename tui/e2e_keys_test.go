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
func click(s *testutil.Screen, x, y int) {
	s.Type(fmt.Sprintf("\x1b[<0;%d;%dM\x1b[<0;%d;%dm", x+1, y+1, x+1, y+1))
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
	s.See("1 Containers", "no containers yet")

	// Three containers that write to both streams, made from the : line.
	for _, name := range []string{"bulk10", "bulk2", "bulk1"} {
		s.Keys(":")
		s.TypeLine("run -d --name " + name + ` busybox sh -c 'i=0; while :; do echo tick $i; echo oops $i >&2; i=$((i+1)); sleep 0.3; done'`)
		s.WaitFor(name+" running", func(text string) bool { return strings.Contains(row(text, name), "running") })
	}

	// Natural order by name, then CPU, memory, newest first, and name again.
	text := s.See("NAME↑")
	if !(rowY(text, "bulk1") < rowY(text, "bulk2") && rowY(text, "bulk2") < rowY(text, "bulk10")) {
		t.Errorf("the rows are not in natural order:\n%s", text)
	}
	s.Keys("o")
	s.See("CPU%↓", "sorted by CPU")
	s.Keys("o")
	s.See("MEMORY↓")
	s.Keys("o")
	text = s.See("NAME (newest")
	if !(rowY(text, "bulk1") < rowY(text, "bulk2") && rowY(text, "bulk2") < rowY(text, "bulk10")) {
		t.Errorf("newest first is not bulk1, bulk2, bulk10:\n%s", text)
	}
	s.Keys("o")
	s.See("NAME↑")

	// The filter narrows the rows; n and N go between them; esc shows every row again.
	s.Keys("g", "/")
	s.TypeLine("bulk1")
	s.WaitFor("only bulk1 and bulk10", func(text string) bool {
		return strings.Contains(text, "/bulk1") && row(text, "bulk2") == "" && row(text, "bulk10") != ""
	})
	s.Keys("n")
	s.WaitFor("bulk10 selected by n", detailOf("bulk10"))
	s.Keys("N")
	s.WaitFor("bulk1 selected by N", detailOf("bulk1"))
	s.Keys("Escape")
	s.WaitFor("every row again", func(text string) bool { return row(text, "bulk2") != "" && !strings.Contains(text, "/bulk1") })

	// Kill asks: n keeps the container running, y kills it.
	s.Keys("j")
	s.WaitFor("bulk2 selected", detailOf("bulk2"))
	s.Keys("K")
	s.See("kill bulk2? y/N")
	s.Keys("n")
	s.Gone("kill bulk2?")
	time.Sleep(1500 * time.Millisecond)
	if text := s.See("NAME"); !strings.Contains(row(text, "bulk2"), "running") {
		t.Errorf("K then n did not leave bulk2 running:\n%s", text)
	}
	s.Keys("K")
	s.See("kill bulk2? y/N")
	s.Keys("y")
	s.WaitFor("bulk2 killed", func(text string) bool { return strings.Contains(row(text, "bulk2"), "Exited (137)") })
	if r := row(s.See("Exited (137)"), "bulk2"); strings.Contains(r, "bridge") {
		t.Errorf("the killed container still shows a network: %q", r)
	}

	// A click on a row selects it.
	y := rowY(s.See("bulk10 "), "bulk10")
	click(s, 3, y)
	s.WaitFor("bulk10 selected by a click", detailOf("bulk10"))

	// The logs view of bulk1 follows its output, streams apart; t shows the times.
	s.Keys("g", "l")
	text = s.See("logs of bulk1", "following", "out tick", "err oops")
	first := lastTick(text)
	s.WaitFor("the logs following new lines", func(text string) bool { return lastTick(text) >= first+3 })
	s.Keys("t")
	s.WaitFor("times", func(text string) bool {
		return regexp.MustCompile(`out \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z tick`).MatchString(text)
	})
	s.Keys("/")
	s.TypeLine("oops 2")
	s.See("/oops 2")
	s.Keys("Escape")
	s.Gone("/oops 2")
	s.See("logs of bulk1")
	s.Keys("Escape")
	s.Gone("logs of bulk1")
	s.See("NAME↑")

	// The same keys in every pane: / with n and N, esc, g, G, j, k.
	for _, p := range []string{"1", "2", "3", "4", "5", "6", "7", "8"} {
		s.Keys(p, "/")
		s.TypeLine("bulk")
		s.See("/bulk", "n/N next/previous match")
		s.Keys("n", "N", "G", "g", "j", "k", "Escape")
		s.Gone("/bulk")
		s.See("1 Con")
	}
	s.Keys("4")
	s.See("CPU%/LIM")
	s.Keys("G")
	s.See("bulk10 CPU %")
	s.Keys("g")
	s.See("bulk1 CPU %")
	s.Keys("j")
	s.See("bulk10 CPU %") // bulk2 is not running: it has no cgroup sample

	// A packet's layers inside the pane's border; esc closes them.
	s.Keys("5")
	s.See("○ host1/eth0")
	s.Keys("g", "Space", "s")
	s.See("● capturing on 1")
	s.Keys(":")
	s.TypeLine("host exec outside wget -q -T 1 -O /dev/null http://198.51.100.1:9/")
	// wget's refusal may be too wide for the status line and open in a view: close it
	// once the command is over.
	time.Sleep(1500 * time.Millisecond)
	s.Keys("Escape")
	s.See("host1/eth0 In IP 198.51.100.100.")
	s.Keys("s")
	s.See("stopped")
	s.Keys("l", "k", "Enter")
	text = s.See("--- Layer 1 ---")
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	for i, l := range lines[1 : height-2] {
		if r := []rune(l); len(r) != width || (r[width-1] != '│' && r[width-1] != '╮' && r[width-1] != '╯') {
			t.Errorf("line %d of the layer view breaks the border (%d cells): %q", i+1, len(r), l)
		}
	}
	s.Keys("Escape")
	s.Gone("--- Layer 1 ---")
	s.See("host1/eth0 In IP 198.51.100.100.")

	s.Keys("q")
	s.See("APP-EXIT 0")
}
