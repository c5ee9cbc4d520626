package tui

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"workbench/netviz/trace"
	"workbench/testutil/golden"
	"workbench/tui/captureview"
	"workbench/tui/cgroupsview"
	"workbench/tui/containers"
	"workbench/tui/fixture"
	"workbench/tui/iptablesview"
	"workbench/tui/logview"
	"workbench/tui/pane"
	"workbench/tui/panetest"
	"workbench/tui/topologyview"
	"workbench/tui/traceview"
)

// fakeRun stands for cli.Run: it records the command lines and answers "ok".
type fakeRun struct{ got []string }

func (f *fakeRun) run(_ context.Context, args []string, _ io.Reader, stdout, _ io.Writer) int {
	f.got = append(f.got, strings.Join(args, " "))
	if args[0] == "fail" {
		return 1
	}
	fmt.Fprintln(stdout, "ok: "+strings.Join(args, " "))
	return 0
}

func testPanes(n, rules int) []pane.Pane {
	return []pane.Pane{
		containers.New(fixture.ContainerSource{Snapshot: fixture.Containers(n)}),
		topologyview.New(fixture.TopologySource{Snapshot: fixture.Topology(n)}),
		iptablesview.New(fixture.NewIPTablesSource(rules)),
		cgroupsview.New(fixture.CgroupSource{Snapshot: fixture.Cgroups(n)}),
		captureview.New(fixture.CaptureSource{N: 30}),
		logview.New(fixture.LogSource{List: fixture.Log()}),
	}
}

func newApp(t testing.TB, w, h, n int) (*Model, *fakeRun) {
	run := &fakeRun{}
	m := newTestModel(Options{Run: run.run, Commands: []string{"ps", "run", "rm", "kill", "exec"}, Executable: "/bin/true", Panes: testPanes(n, 40)})
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	drain(m, m.refreshAll())
	return m, run
}

// newTestModel is the app with its clocks made instant: the refresh tick and the
// spinner's come at once, so that drain runs every command to its end.
func newTestModel(opts Options) *Model {
	opts.RefreshEvery = time.Nanosecond
	m := New(context.Background(), opts)
	m.spin = spinner.New(spinner.WithSpinner(spinner.Spinner{Frames: []string{"·"}, FPS: time.Nanosecond}))
	return m
}

// drain runs cmd to its end and feeds what it returns back to the app, the way the
// program does, until no work is left. The clocks' messages are dropped: each would
// start the next tick, for ever.
func drain(m *Model, cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	switch msg := cmd().(type) {
	case nil, tickMsg, spinner.TickMsg:
	case tea.BatchMsg:
		for _, c := range msg {
			drain(m, c)
		}
	default:
		_, next := m.Update(msg)
		drain(m, next)
	}
}

func press(m *Model, ks ...string) {
	for _, k := range ks {
		drain(m, func() tea.Msg { return panetest.Key(k) })
	}
}

func typeText(m *Model, s string) {
	for _, r := range s {
		drain(m, func() tea.Msg { return tea.KeyPressMsg{Code: r, Text: string(r)} })
	}
}

func TestFrameGolden(t *testing.T) {
	cases := map[string][]string{
		"containers": nil,
		"log":        {"6"},
		"zoom":       {"z"},
		"help":       {"?"},
		"form":       {"c"},
		"cmdline":    {":", "r", "u"},
		"topology":   {"tab"},
		"iptables":   {"3"},
		"cgroups":    {"4"},
		"capture":    {"5", "space", "s"},
	}
	for name, ks := range cases {
		for _, size := range [][2]int{{80, 24}, {160, 48}} {
			t.Run(fmt.Sprintf("%s-%dx%d", name, size[0], size[1]), func(t *testing.T) {
				m, _ := newApp(t, size[0], size[1], 5)
				press(m, ks...)
				got := m.View().Content
				if lines := strings.Count(got, "\n") + 1; lines != size[1] {
					t.Errorf("the frame has %d lines, want %d", lines, size[1])
				}
				golden.Assert(t, fmt.Sprintf("app-%s-%dx%d.golden", name, size[0], size[1]), got)
			})
		}
	}
}

func TestFocusKeys(t *testing.T) {
	m, _ := newApp(t, 80, 24, 3)
	press(m, "tab")
	if m.focus != 1 {
		t.Errorf("tab moved the focus to %d, want 1", m.focus)
	}
	press(m, "6")
	if m.focus != 5 {
		t.Errorf("6 moved the focus to %d, want 5", m.focus)
	}
	press(m, "tab")
	if m.focus != 0 {
		t.Errorf("tab from the last pane moved the focus to %d, want 0", m.focus)
	}
	press(m, "z")
	if !m.zoom || len(m.visible()) != 1 {
		t.Error("z did not zoom the focused pane")
	}
	press(m, "M")
	if m.mouse || m.View().MouseMode != tea.MouseModeNone {
		t.Error("M did not turn the mouse off")
	}
	if _, cmd := m.Update(panetest.Key("q")); cmd == nil || cmd() != tea.Quit() {
		t.Error("q did not quit")
	}
}

func TestCommandLineRunsTheCLI(t *testing.T) {
	m, run := newApp(t, 80, 24, 3)
	press(m, ":")
	typeText(m, "ki")
	press(m, "tab") // completes the command name
	typeText(m, "w")
	press(m, "tab", "enter") // completes to web0 / web1 / web2: the common prefix "web"
	if len(run.got) != 1 || !strings.HasPrefix(run.got[0], "kill web") {
		t.Fatalf("the : line ran %q, want kill web...", run.got)
	}
	if !strings.Contains(m.status, "ok: kill web") || m.statusErr {
		t.Errorf("the status line says %q, want the command's output", m.status)
	}
	press(m, ":")
	typeText(m, "fail now")
	press(m, "enter")
	if !m.statusErr {
		t.Error("a failing command did not show an error in the status line")
	}
	// The history brings the last line back.
	press(m, ":")
	drain(m, func() tea.Msg { return tea.KeyPressMsg{Code: tea.KeyUp} })
	if m.cmd.Value() != "fail now" {
		t.Errorf("up in the : line gave %q, want the last command", m.cmd.Value())
	}
	press(m, "esc")
	if m.commandOpen {
		t.Error("esc did not close the : line")
	}
}

func TestCreateFormWithDefaults(t *testing.T) {
	m, run := newApp(t, 80, 24, 0)
	press(m, "c", "enter")
	want := "run -d busybox sh -c trap \"exit 0\" TERM; while :; do sleep 1; done"
	if len(run.got) != 1 || run.got[0] != want {
		t.Fatalf("the form with its defaults ran %q, want %q", run.got, want)
	}
	if m.form != nil {
		t.Error("the form stayed open after it ran")
	}
}

func TestCreateFormWithValues(t *testing.T) {
	m, run := newApp(t, 80, 24, 0)
	press(m, "c", "tab")
	typeText(m, "web")
	press(m, "tab", "tab", "tab")
	typeText(m, "8080:80")
	press(m, "tab")
	typeText(m, "0.5")
	press(m, "tab", "tab")
	typeText(m, "httpd -f -p 80")
	press(m, "enter")
	want := "run -d --name web -p 8080:80 --cpus 0.5 busybox httpd -f -p 80"
	if len(run.got) != 1 || run.got[0] != want {
		t.Fatalf("the form ran %q, want %q", run.got, want)
	}
}

func TestLabDialog(t *testing.T) {
	m, run := newApp(t, 80, 24, 0)
	press(m, "L", "enter")
	if len(run.got) != 0 || m.form == nil {
		t.Fatal("an empty lab dialog ran something or closed")
	}
	press(m, "tab", "tab", "tab")
	typeText(m, "host2")
	press(m, "enter")
	if len(run.got) != 1 || run.got[0] != "host add host2" {
		t.Fatalf("the lab dialog ran %q, want host add host2", run.got)
	}
}

func TestHelpShowsPaneAndGlobalKeys(t *testing.T) {
	m, _ := newApp(t, 160, 48, 1)
	press(m, "?")
	v := golden.Plain(m.View().Content)
	for _, want := range []string{"Containers keys", "shell in container", "Global keys", "zoom pane", "mouse on/off"} {
		if !strings.Contains(v, want) {
			t.Errorf("the help does not mention %q", want)
		}
	}
	press(m, "x")
	if m.showHelp {
		t.Error("a key did not close the help")
	}
}

func TestMouseClickOnATabAndWheel(t *testing.T) {
	m, _ := newApp(t, 160, 48, 3)
	// "workbench " then " 1 Containers " " 2 Topology " " 3 iptables ": x=40 is in tab 3.
	drain(m, func() tea.Msg { return tea.MouseClickMsg{X: 40, Y: 0, Button: tea.MouseLeft} })
	if m.focus != 2 {
		t.Errorf("a click on the iptables tab focused pane %d", m.focus)
	}
	drain(m, func() tea.Msg { return tea.MouseClickMsg{X: 150, Y: 10, Button: tea.MouseLeft} })
	if m.focus != 5 {
		t.Errorf("a click in the command log beside focused pane %d", m.focus)
	}
	m.Update(panetest.Key("1"))
	drain(m, func() tea.Msg { return tea.MouseWheelMsg{X: 10, Y: 10, Button: tea.MouseWheelDown} })
	if sel := m.panes[0].(*containers.Model).Selected(); sel != "web1" {
		t.Errorf("the wheel moved the selection to %q, want web1", sel)
	}
}

func TestCommandOutputIsShownUntilEsc(t *testing.T) {
	run := func(_ context.Context, args []string, _ io.Reader, stdout, _ io.Writer) int {
		fmt.Fprintln(stdout, "NAME   STATE")
		fmt.Fprintln(stdout, "web0   running")
		return 0
	}
	m := newTestModel(Options{Run: run, Panes: testPanes(1, 4)})
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	press(m, ":")
	typeText(m, "ps")
	press(m, "enter")
	v := golden.Plain(m.View().Content)
	if !strings.Contains(v, "$ workbench ps") || !strings.Contains(v, "web0   running") {
		t.Fatalf("the output of :ps is not on screen:\n%s", v)
	}
	press(m, "j")
	if !strings.Contains(golden.Plain(m.View().Content), "$ workbench ps") {
		t.Error("a scroll key closed the output")
	}
	press(m, "esc")
	if strings.Contains(golden.Plain(m.View().Content), "$ workbench ps") {
		t.Error("esc did not close the output")
	}
}

// noProbe is a trace source that is never asked.
type noProbe struct{ t *testing.T }

func (n noProbe) Probe(context.Context, string, string) (trace.Journey, error) {
	n.t.Error("a probe was sent")
	return trace.Journey{}, nil
}

// TestTraceMsgFocusesTheTracePane: a request to trace from a container brings the
// Trace pane into focus with its form open; a pane number past the last does nothing.
func TestTraceMsgFocusesTheTracePane(t *testing.T) {
	m := newTestModel(Options{Panes: append(testPanes(3, 40), traceview.New(noProbe{t}))})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	press(m, "9")
	if m.focus != 0 {
		t.Errorf("9 with 7 panes moved the focus to %d", m.focus)
	}
	drain(m, func() tea.Msg { return pane.TraceMsg{From: "web1"} })
	if m.focused().Title() != traceview.Title || !m.focused().Typing() {
		t.Fatalf("after a TraceMsg the focus is on %q (typing %v)", m.focused().Title(), m.focused().Typing())
	}
	if v := ansi.Strip(m.View().Content); !strings.Contains(v, "from web1") {
		t.Errorf("the probe form does not start from web1:\n%s", v)
	}
}
