package containers_test

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"workbench/testutil"
	"workbench/testutil/golden"
	"workbench/tui/containerlogs"
	"workbench/tui/containers"
	"workbench/tui/fixture"
	"workbench/tui/panetest"
)

// oneLog serves the fixture's containers and one log that the test writes to.
type oneLog struct {
	fixture.ContainerSource
	log *fixture.LogReader
}

func (s oneLog) Logs(context.Context, string) (containerlogs.Reader, error) { return s.log, nil }

// step runs cmd and gives its message back to the pane once; the follow loop's next
// read is returned, not run, since it would go on for ever.
func step(m *containers.Model, cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return m.Update(cmd())
}

func TestLogsViewFollowsAndTellsTheStreamsApart(t *testing.T) {
	log := &fixture.LogReader{List: fixture.ContainerLog("web0")}
	m := containers.New(oneLog{ContainerSource: fixture.ContainerSource{Snapshot: fixture.Containers(3)}, log: log})
	panetest.Load(m, 80, 24)
	next := step(m, step(m, m.Update(panetest.Key("l")))) // open, first read
	if m.LogsOf() != "web0" {
		t.Fatalf("l opened the logs of %q, want web0", m.LogsOf())
	}
	hint := func() string {
		var b strings.Builder
		for _, k := range m.KeyMap().ShortHelp() {
			b.WriteString(k.Help().Desc + ";")
		}
		return b.String()
	}
	if h := hint(); !strings.Contains(h, "logs: times;") || strings.Contains(h, "shell in container") {
		t.Errorf("with the logs view open the hint offers %s", h)
	}
	v := golden.Plain(m.View())
	testutil.Contains(t, "the logs view", v, "logs of web0", "following", "out web0 starting", "err warning: no index.html", "out GET / 404")
	// The container writes more: the next read shows it at the bottom.
	log.Append(containerlogs.Entry{Stream: "stderr", Time: time.Date(2026, 11, 22, 3, 31, 0, 0, time.UTC), Text: "GET /x 500\n"})
	step(m, next)
	lines := strings.Split(strings.TrimRight(golden.Plain(m.View()), " \n"), "\n")
	if last := strings.TrimSpace(lines[len(lines)-1]); last != "err GET /x 500" {
		t.Errorf("the newest line is %q, want the one just written:\n%s", last, golden.Plain(m.View()))
	}
	m.Update(panetest.Key("t"))
	if v := golden.Plain(m.View()); !strings.Contains(v, "err 2026-11-22T03:31:00.000Z GET /x 500") {
		t.Errorf("t did not show the times:\n%s", v)
	}
	m.Update(panetest.Key("t"))
	// / marks the lines that match; esc clears the filter, then closes the view.
	m.Update(panetest.Key("/"))
	panetest.Type(m, "404")
	m.Update(panetest.Key("enter"))
	if v := golden.Plain(m.View()); !strings.Contains(v, "/404") || !strings.Contains(v, "GET / 404") {
		t.Errorf("the filter 404 shows:\n%s", v)
	}
	m.Update(panetest.Key("esc"))
	if m.LogsOf() == "" || m.Filter() != "" {
		t.Error("the first esc closed the view instead of clearing its filter")
	}
	m.Update(panetest.Key("esc"))
	if v := golden.Plain(m.View()); m.LogsOf() != "" || !strings.Contains(v, "NAME") {
		t.Errorf("esc did not close the logs view:\n%s", v)
	}
	if h := hint(); !strings.Contains(h, "shell in container") {
		t.Errorf("with the logs view closed the hint offers %s", h)
	}
}

func TestEnterOpensTheLogsToo(t *testing.T) {
	m := loaded(&fixture.ContainerSource{Snapshot: fixture.Containers(3)}, 80, 24)
	m.Update(panetest.Key("j"))
	step(m, step(m, m.Update(panetest.Key("enter"))))
	if m.LogsOf() != "web1" || !strings.Contains(golden.Plain(m.View()), "out web1 starting") {
		t.Errorf("enter opened the logs of %q:\n%s", m.LogsOf(), golden.Plain(m.View()))
	}
}
