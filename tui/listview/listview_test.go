package listview

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"workbench/tui/form"
	"workbench/tui/pane"
	"workbench/tui/panetest"
)

// tables stands for the CLI: it prints the images and the networks.
func tables(_ context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	switch strings.Join(args, " ") {
	case "images":
		fmt.Fprint(stdout, "REPOSITORY   TAG      IMAGE ID       CREATED\nbusybox      latest   c6cab4958f29   6 months ago\n<none>       <none>   0123456789ab   1 hour ago\n")
	case "network ls":
		fmt.Fprint(stdout, "NETWORK   HOST    BRIDGE\nbridge    host1   wb0\nblue      host1   wb1\n")
	default:
		fmt.Fprintln(stderr, "workbench: no such command")
		return 1
	}
	return 0
}

func loaded(t *testing.T, spec Spec) *Model {
	t.Helper()
	m := New(context.Background(), spec, tables)
	m.SetSize(80, 10)
	m.Update(m.Reload()())
	return m
}

func press(m *Model, keys ...string) {
	for _, k := range keys {
		m.Update(panetest.Key(k))
	}
}

func msgOf(t *testing.T, cmd tea.Cmd) tea.Msg {
	t.Helper()
	if cmd == nil {
		t.Fatal("the key did nothing")
	}
	return cmd()
}

// TestImagesInspectAndRemoveAfterYes: enter inspects the selected image; d asks, n
// keeps it, y removes it; an untagged image is named by its ID.
func TestImagesInspectAndRemoveAfterYes(t *testing.T) {
	m := loaded(t, Images())
	if v := m.View(); !strings.Contains(v, "busybox      latest") || !strings.Contains(v, "1 of 2") {
		t.Fatalf("the list:\n%s", v)
	}
	if run, ok := msgOf(t, m.Update(panetest.Key("enter"))).(pane.RunMsg); !ok || strings.Join(run.Args, " ") != "image inspect busybox:latest" || !run.Show {
		t.Errorf("enter asked for %#v", run)
	}
	press(m, "j", "d")
	if q := m.Question(); q != "remove 0123456789ab? y/n" || !strings.Contains(m.View(), q) {
		t.Errorf("d asks %q:\n%s", q, m.View())
	}
	if cmd := m.Update(panetest.Key("n")); cmd != nil || m.Question() != "" {
		t.Error("n did not take the question back without removing")
	}
	press(m, "d")
	if run, ok := msgOf(t, m.Update(panetest.Key("y"))).(pane.RunMsg); !ok || strings.Join(run.Args, " ") != "image rm 0123456789ab" {
		t.Errorf("y asked for %#v", run)
	}
	if _, ok := msgOf(t, m.Update(panetest.Key("esc"))).(ClosedMsg); !ok {
		t.Error("esc did not close the list")
	}
}

// TestNetworksNewOpensTheForm: n opens the network form, whose fields make `network
// create`; a list that failed to read says why.
func TestNetworksNewOpensTheForm(t *testing.T) {
	m := loaded(t, Networks())
	open, ok := msgOf(t, m.Update(panetest.Key("n"))).(form.OpenMsg)
	if !ok || open.Form == nil {
		t.Fatalf("n gave %#v", open)
	}
	press(m, "G")
	if m.Selected() != "blue" {
		t.Errorf("G selected %q", m.Selected())
	}
	broken := loaded(t, Spec{Title: "Broken", List: []string{"nothing"}})
	if v := broken.View(); !strings.Contains(v, "no such command") {
		t.Errorf("a list that failed:\n%s", v)
	}
}

// TestFor: only the bare listing commands open a list.
func TestFor(t *testing.T) {
	for line, want := range map[string]string{"images": "Images", "image ls": "Images", "networks": "Networks",
		"network ls": "Networks", "images -q": "", "network ls --json": "", "ps": "", "": ""} {
		spec, ok := For(strings.Fields(line))
		if ok != (want != "") || spec.Title != want {
			t.Errorf("For(%q) = %q, %v", line, spec.Title, ok)
		}
	}
}
