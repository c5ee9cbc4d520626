// Package topologyview is the app's topology pane: every network namespace of the lab
// as netviz/topology draws it from the kernel (objects made by hand with `ip` too),
// scrollable, with the selected container's path to the outside highlighted, and the
// links of the journey the Trace pane shows.
package topologyview

import (
	"context"
	"os"
	"path/filepath"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"workbench/instance"
	"workbench/netviz/topology"
	"workbench/tui/keys"
	"workbench/tui/pane"
	"workbench/tui/pathprompt"
	"workbench/tui/styles"
)

// Source reads the lab's network.
type Source interface {
	Read(ctx context.Context) (topology.Snapshot, error)
}

// KernelSource reads the network namespaces of an instance through netlink.
type KernelSource struct{ Inst instance.Instance }

// Read collects every namespace of the instance's lab and containers.
func (s KernelSource) Read(ctx context.Context) (topology.Snapshot, error) {
	return topology.Collect(ctx, topology.Sources(s.Inst))
}

// KeyMap is the pane's own keys: the shared ones scroll, filter and go through the
// hosts.
type KeyMap struct {
	PrevHost, NextHost, Export key.Binding
}

// DefaultKeyMap is the pane's key map.
func DefaultKeyMap() KeyMap {
	nav := keys.DefaultNav()
	k := KeyMap{PrevHost: nav.Left, NextHost: nav.Right,
		Export: keys.Bind("e", "export mermaid/dot")}
	k.PrevHost.SetHelp("←/h", "previous host (or all)")
	k.NextHost.SetHelp("→/l", "next host (or all)")
	return k
}

// Model is the topology pane.
type Model struct {
	pane.Base[topology.Snapshot]
	keys      KeyMap
	highlight string
	journey   pane.PathMsg // the links of the journey shown in the Trace pane
	host      string       // "" = every host
}

// New returns the pane reading from source.
func New(source Source) *Model {
	k := DefaultKeyMap()
	m := &Model{Base: pane.NewText("Topology", keys.Column{k.PrevHost, k.NextHost, k.Export}, source.Read), keys: k}
	m.OnWidth(m.draw)
	return m
}

// Update handles keys, fresh snapshots and the containers pane's selection.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	if took, cmd := m.Handle(msg, m.draw); took {
		return cmd
	}
	switch msg := msg.(type) {
	case pane.SelectMsg:
		if msg.Container != m.highlight {
			m.highlight = msg.Container
			m.draw()
		}
	case pane.PathMsg:
		m.journey = msg
		m.draw()
	case tea.KeyPressMsg:
		switch {
		case m.MoveLines(msg):
		case key.Matches(msg, m.keys.NextHost):
			m.moveHost(1)
		case key.Matches(msg, m.keys.PrevHost):
			m.moveHost(-1)
		case key.Matches(msg, m.keys.Export):
			return m.export()
		}
	}
	return nil
}

// ExportFile is the file the export key proposes: Mermaid; a name ending in .dot or
// .gv is written as Graphviz DOT.
const ExportFile = "workbench-topology.mmd"

// export asks where to write the lab's network, as Mermaid or DOT by the file's name.
func (m *Model) export() tea.Cmd {
	if !m.Loaded {
		return pane.Status("the topology has not been read yet: wait a second", true)
	}
	snap := m.Data
	return func() tea.Msg {
		return pathprompt.AskMsg{What: "the topology", File: ExportFile, Write: func(path string) (string, error) {
			text, format := topology.Mermaid(snap), "the topology as Mermaid"
			if ext := strings.ToLower(filepath.Ext(path)); ext == ".dot" || ext == ".gv" {
				text, format = topology.DOT(snap), "the topology as Graphviz DOT"
			}
			return format, os.WriteFile(path, []byte(text), 0o644)
		}}
	}
}

// moveHost goes through every host alone, then all of them, forwards or backwards.
func (m *Model) moveHost(step int) {
	choices := []string{""}
	for _, n := range m.Data.Namespaces {
		if n.Kind == topology.KindHost {
			choices = append(choices, n.Name)
		}
	}
	at := 0
	for i, h := range choices {
		if h == m.host {
			at = i
		}
	}
	n := len(choices)
	m.host = choices[((at+step)%n+n)%n]
	m.draw()
	m.Lines.GotoTop()
}

// draw renders the picture once; scrolling then only picks lines.
func (m *Model) draw() {
	m.Invalidate()
	if !m.Loaded || m.Width <= 0 {
		return
	}
	snap := m.Data
	if m.host != "" {
		snap = snap.Only(m.host)
	}
	marked := make([]topology.Hop, len(m.journey.Links))
	for i, l := range m.journey.Links {
		marked[i] = topology.Hop{Namespace: l.Namespace, Link: l.Link}
	}
	m.Lines.SetContent(topology.Render(snap, topology.Options{Width: m.Width, Color: true, Highlight: m.highlight, Marked: marked}))
}

// View draws a status line (what is shown, what is highlighted) and the picture.
func (m *Model) View() string {
	return m.Draw(func() string {
		shown := "every host"
		if m.host != "" {
			shown = "host " + m.host
		}
		head := styles.Dim.Render("showing " + shown)
		if m.highlight != "" {
			head += styles.Dim.Render("  ▶ path of " + m.highlight)
		}
		if len(m.journey.Links) > 0 {
			head += styles.Key.Render("  ▶ journey " + m.journey.Label)
		}
		if notice, ok := m.Notice("reading the network…"); ok {
			return head + "\n" + notice
		}
		return head + "\n" + m.Lines.View()
	})
}
