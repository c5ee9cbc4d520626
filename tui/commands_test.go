package tui

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"workbench/testutil/golden"
	"workbench/tui/cmdline"
	"workbench/tui/pane"
)

// blockingRun stands for a command that waits (on the lab's lock, a container's end,
// a stream) until its context is cancelled; it says when it started and how it ended.
type blockingRun struct {
	started chan []string
	ended   chan error
}

func newBlockingRun() *blockingRun {
	return &blockingRun{started: make(chan []string, 4), ended: make(chan error, 4)}
}

func (b *blockingRun) run(ctx context.Context, args []string, _ io.Reader, stdout, _ io.Writer) int {
	b.started <- args
	fmt.Fprintln(stdout, "line one")
	<-ctx.Done()
	b.ended <- ctx.Err()
	return 1
}

// kinds says logs streams and exec takes the terminal, as cli's appKind does.
func kinds(args []string) cmdline.Kind {
	switch args[0] {
	case "logs":
		return cmdline.Streaming
	case "exec":
		return cmdline.Interactive
	}
	return cmdline.Plain
}

// enterLine types a : line and presses enter; it returns the work the app started.
func enterLine(m *Model, line string) tea.Cmd {
	press(m, ":")
	typeText(m, line)
	_, cmd := m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	_, cmd = m.Update(cmd()) // the line's RunMsg
	return cmd
}

// background runs the work as the program would, each part on its own goroutine, and
// sends back what the parts return (the clocks' messages left out).
func background(cmd tea.Cmd, out chan<- tea.Msg) {
	if cmd == nil {
		return
	}
	go func() {
		msg := cmd()
		if batch, ok := msg.(tea.BatchMsg); ok {
			for _, c := range batch {
				background(c, out)
			}
			return
		}
		out <- msg
	}()
}

func wait[T any](t *testing.T, c <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-c:
		return v
	case <-time.After(5 * time.Second):
		t.Fatalf("%s did not happen", what)
	}
	var zero T
	return zero
}

// TestEscCancelsAWaitingCommand: a : command that waits shows the spinner; esc cancels
// its context and the spinner goes at once; its late end changes nothing.
func TestEscCancelsAWaitingCommand(t *testing.T) {
	b := newBlockingRun()
	m := newTestModel(Options{Run: b.run, Panes: testPanes(1, 4)})
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	results := make(chan tea.Msg, 8)
	background(enterLine(m, "network create blocked"), results)
	wait(t, b.started, "the command's start")
	if m.busy != 1 || !strings.Contains(m.statusLine(), "running: network create blocked") {
		t.Fatalf("while it waits: busy %d, status %q", m.busy, m.statusLine())
	}
	press(m, "esc")
	if err := wait(t, b.ended, "the command's end"); err != context.Canceled {
		t.Errorf("the command's context ended with %v, want cancelled", err)
	}
	if m.busy != 0 || m.status != "cancelled: network create blocked" {
		t.Errorf("after esc: busy %d, status %q", m.busy, m.status)
	}
	for msg := range results {
		if _, ok := msg.(ranMsg); ok {
			m.Update(msg)
			break
		}
	}
	if m.busy != 0 || m.status != "cancelled: network create blocked" || m.statusErr {
		t.Errorf("the cancelled command's end said %q (busy %d)", m.status, m.busy)
	}
}

// TestStreamingCommandOpensAViewEscStops: `:logs -f` streams into a view; esc closes
// it and cancels the command.
func TestStreamingCommandOpensAViewEscStops(t *testing.T) {
	b := newBlockingRun()
	m := newTestModel(Options{Run: b.run, Kind: kinds, Panes: testPanes(1, 4)})
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	next := enterLine(m, "logs -f web0")
	wait(t, b.started, "the stream's start")
	_, next = m.Update(next()) // the first output
	v := golden.Plain(m.View().Content)
	if !strings.Contains(v, "$ workbench logs -f web0") || !strings.Contains(v, "line one") || !strings.Contains(v, "streaming, esc stops") {
		t.Fatalf("the stream's view:\n%s", v)
	}
	press(m, "esc")
	if err := wait(t, b.ended, "the stream's end"); err != context.Canceled {
		t.Errorf("the stream's context ended with %v, want cancelled", err)
	}
	if m.view != nil {
		t.Error("esc did not close the stream's view")
	}
	m.Update(next()) // the stream's end reaches no view
}

// TestInteractiveCommandTakesTheTerminal: `:exec -it` runs the binary on the terminal
// (as the x key does) instead of in the background.
func TestInteractiveCommandTakesTheTerminal(t *testing.T) {
	run := &fakeRun{}
	m := newTestModel(Options{Run: run.run, Kind: kinds, Executable: "/bin/true", Panes: testPanes(1, 4)})
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	cmd := enterLine(m, "exec -it web0 sh")
	if len(run.got) != 0 || cmd == nil || m.busy != 0 {
		t.Fatalf("exec -it ran %q in the background (busy %d)", run.got, m.busy)
	}
	if got := fmt.Sprintf("%T", cmd()); !strings.Contains(got, "exec") {
		t.Errorf("exec -it gave %s, want the terminal handed over", got)
	}
}

// TestLeadingWorkbenchWord: `:workbench ps` runs ps, as a lab script's line does.
func TestLeadingWorkbenchWord(t *testing.T) {
	m, run := newApp(t, 80, 24, 1)
	drain(m, enterLine(m, "workbench ps -a"))
	if len(run.got) != 1 || run.got[0] != "ps -a" {
		t.Errorf(":workbench ps -a ran %q", run.got)
	}
	press(m, ":")
	typeText(m, "workbench")
	press(m, "enter")
	if len(run.got) != 1 || !m.statusErr {
		t.Errorf(":workbench alone ran %q and said %q", run.got, m.status)
	}
}

// TestLongOutputScrolls: `:inspect` output longer than the screen opens at its top and
// scrolls with j, G and g; wide lines scroll sideways.
func TestLongOutputScrolls(t *testing.T) {
	run := func(_ context.Context, _ []string, _ io.Reader, stdout, _ io.Writer) int {
		for i := 1; i <= 100; i++ {
			fmt.Fprintf(stdout, "line %03d %s end%03d\n", i, strings.Repeat("-", 100), i)
		}
		return 0
	}
	m := newTestModel(Options{Run: run, Panes: testPanes(1, 4)})
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	drain(m, enterLine(m, "inspect web0"))
	v := golden.Plain(m.View().Content)
	if !strings.Contains(v, "line 001") || strings.Contains(v, "line 100") || !strings.Contains(v, "lines 1-20 of 100") {
		t.Fatalf("the output does not open at its top:\n%s", v)
	}
	press(m, "G")
	if v = golden.Plain(m.View().Content); !strings.Contains(v, "line 100") || strings.Contains(v, "line 080 ") {
		t.Errorf("G does not show the end:\n%s", v)
	}
	press(m, "l", "l", "l")
	if v = golden.Plain(m.View().Content); !strings.Contains(v, "end100") {
		t.Errorf("l does not scroll to the end of the lines:\n%s", v)
	}
	press(m, "g", "j")
	if v = golden.Plain(m.View().Content); !strings.Contains(v, "lines 2-21 of 100") {
		t.Errorf("g then j:\n%s", v)
	}
	press(m, "esc")
	if m.view != nil {
		t.Error("esc did not close the output")
	}
}

// TestFormFailureKeepsWhatWasTyped: when the create form's command fails, the form
// comes back with what was typed and the error, wrapped whole.
func TestFormFailureKeepsWhatWasTyped(t *testing.T) {
	msg := `workbench: --cpus "lots" is not a number: give one like --cpus 0.5, or leave the field empty for no limit at all`
	run := func(_ context.Context, _ []string, _ io.Reader, _, stderr io.Writer) int {
		fmt.Fprintln(stderr, msg)
		return 125
	}
	m := newTestModel(Options{Run: run, Panes: testPanes(1, 4)})
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	press(m, "c", "tab")
	typeText(m, "web")
	press(m, "tab", "tab", "tab", "tab")
	typeText(m, "lots")
	press(m, "enter")
	if m.form == nil {
		t.Fatal("the form did not come back after its command failed")
	}
	v := golden.Plain(m.View().Content)
	flat := strings.Join(strings.Fields(v), " ")
	for _, want := range []string{"web", "lots", `--cpus "lots" is not a number`, "no limit at all"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the form lacks %q:\n%s", want, v)
		}
	}
	for _, line := range strings.Split(v, "\n") {
		if strings.Contains(line, "…") {
			t.Errorf("a line is cut: %q", line)
		}
	}
}

// TestWideErrorShownWhole: an error wider than the status line opens whole, wrapped.
func TestWideErrorShownWhole(t *testing.T) {
	long := "workbench: " + strings.Repeat("this error goes on ", 10) + "and ends here"
	run := func(_ context.Context, _ []string, _ io.Reader, _, stderr io.Writer) int {
		fmt.Fprintln(stderr, long)
		return 1
	}
	m := newTestModel(Options{Run: run, Panes: testPanes(1, 4)})
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	drain(m, enterLine(m, "rm web0"))
	v := golden.Plain(m.View().Content)
	if !strings.Contains(v, "and ends here") || !strings.Contains(v, "failed") {
		t.Errorf("the whole error is not on screen:\n%s", v)
	}
	press(m, "esc")
	m.Update(pane.StatusMsg{Text: "a pane's " + long, Err: true})
	if v := golden.Plain(m.View().Content); !strings.Contains(v, "and ends here") {
		t.Errorf("a pane's whole error is not on screen:\n%s", v)
	}
}

// TestNetworksListFromTheLine: `:networks` opens the list; d, y removes the selected
// network with the CLI and the list is read again; esc closes it.
func TestNetworksListFromTheLine(t *testing.T) {
	var got []string
	run := func(_ context.Context, args []string, _ io.Reader, stdout, _ io.Writer) int {
		got = append(got, strings.Join(args, " "))
		if args[0] == "network" && args[1] == "ls" {
			fmt.Fprint(stdout, "NETWORK   HOST\nbridge    host1\nblue      host1\n")
		}
		return 0
	}
	m := newTestModel(Options{Run: run, Panes: testPanes(1, 4)})
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	drain(m, enterLine(m, "networks"))
	if v := golden.Plain(m.View().Content); !strings.Contains(v, "Networks") || !strings.Contains(v, "blue      host1") {
		t.Fatalf("the networks list:\n%s", v)
	}
	got = nil
	press(m, "j", "d", "y")
	if len(got) < 2 || got[0] != "network rm blue" || got[1] != "network ls" {
		t.Errorf("d y ran %q, want network rm blue, then the list read again", got)
	}
	press(m, "esc")
	if m.list != nil {
		t.Error("esc did not close the list")
	}
}

// TestStatusGoesWithThePane: what a pane said leaves the status line when another pane
// gets the focus; an error stays.
func TestStatusGoesWithThePane(t *testing.T) {
	m, _ := newApp(t, 80, 24, 1)
	m.Update(pane.StatusMsg{Text: "capture stopped"})
	press(m, "2")
	if m.status != "" {
		t.Errorf("the status line still says %q on another pane", m.status)
	}
	m.Update(pane.StatusMsg{Text: "no such container", Err: true})
	press(m, "1")
	if m.status != "no such container" {
		t.Errorf("an error left the status line: %q", m.status)
	}
}

// TestResetAsksFirst: `:reset` and `:workbench reset` wait for y; any other key
// leaves everything as it was.
func TestResetAsksFirst(t *testing.T) {
	m, run := newApp(t, 80, 24, 1)
	drain(m, enterLine(m, "workbench reset"))
	if len(run.got) != 0 || !strings.Contains(m.status, "y does it") {
		t.Fatalf(":reset ran %q at once; status %q", run.got, m.status)
	}
	press(m, "n")
	if len(run.got) != 0 {
		t.Fatalf("n after :reset ran %q", run.got)
	}
	drain(m, enterLine(m, "reset --keep-images"))
	press(m, "y")
	if len(run.got) != 1 || run.got[0] != "reset --keep-images" {
		t.Errorf("y after :reset ran %q", run.got)
	}
}
