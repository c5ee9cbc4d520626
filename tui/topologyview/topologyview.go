// Package topologyview is the app's topology pane: every network namespace of the lab
// as netviz/topology draws it from the kernel (objects made by hand with `ip` too),
// scrollable, with the selected container's path to the outside highlighted.
package topologyview

import (
	"context"
	"reflect"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"workbench/instance"
	"workbench/netviz/topology"
	"workbench/tui/pane"
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

// KeyMap is the pane's own keys.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Top, Host key.Binding
}

// DefaultKeyMap is the pane's key map.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "b"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "f", "space"), key.WithHelp("pgdn", "page down")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "top")),
		Host:     key.NewBinding(key.WithKeys("h"), key.WithHelp("h", "one host / all")),
	}
}

// ShortHelp is the one-line hint.
func (k KeyMap) ShortHelp() []key.Binding { return []key.Binding{k.Down, k.PageDown, k.Host} }

// FullHelp is every key of the pane.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top}, {k.Host}}
}

type readMsg struct {
	snap topology.Snapshot
	err  error
}

// Model is the topology pane.
type Model struct {
	source        Source
	keys          KeyMap
	snap          topology.Snapshot
	err           error
	loaded        bool
	highlight     string
	host          string // "" = every host
	lines         []string
	top           int
	width, height int
	cache         string
	dirty         bool
}

// New returns the pane reading from source.
func New(source Source) *Model { return &Model{source: source, keys: DefaultKeyMap(), dirty: true} }

// Title is the pane's name.
func (m *Model) Title() string { return "Topology" }

// KeyMap lists the pane's keys.
func (m *Model) KeyMap() help.KeyMap { return m.keys }

// Typing is always false.
func (m *Model) Typing() bool { return false }

// SetSize gives the pane its size.
func (m *Model) SetSize(width, height int) {
	if width != m.width || height != m.height {
		redraw := width != m.width
		m.width, m.height, m.dirty = width, height, true
		if redraw {
			m.draw()
		}
	}
}

// Refresh reads the network again.
func (m *Model) Refresh() tea.Cmd {
	src := m.source
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		snap, err := src.Read(ctx)
		return readMsg{snap: snap, err: err}
	}
}

// Update handles keys, fresh snapshots and the containers pane's selection.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case readMsg:
		if m.loaded && reflect.DeepEqual(msg.snap, m.snap) && errText(msg.err) == errText(m.err) {
			return nil
		}
		m.snap, m.err, m.loaded = msg.snap, msg.err, true
		m.draw()
	case pane.SelectMsg:
		if msg.Container != m.highlight {
			m.highlight = msg.Container
			m.draw()
		}
	case tea.KeyPressMsg:
		page := max(1, m.height-2)
		switch {
		case key.Matches(msg, m.keys.Up):
			m.scrollTo(m.top - 1)
		case key.Matches(msg, m.keys.Down):
			m.scrollTo(m.top + 1)
		case key.Matches(msg, m.keys.PageUp):
			m.scrollTo(m.top - page)
		case key.Matches(msg, m.keys.PageDown):
			m.scrollTo(m.top + page)
		case key.Matches(msg, m.keys.Top):
			m.scrollTo(0)
		case key.Matches(msg, m.keys.Host):
			m.nextHost()
		}
	}
	return nil
}

// nextHost cycles the view through every host alone, then all of them.
func (m *Model) nextHost() {
	var hosts []string
	for _, n := range m.snap.Namespaces {
		if n.Kind == topology.KindHost {
			hosts = append(hosts, n.Name)
		}
	}
	at := -1
	for i, h := range hosts {
		if h == m.host {
			at = i
		}
	}
	next := ""
	if at+1 < len(hosts) {
		next = hosts[at+1]
	}
	m.host, m.top = next, 0
	m.draw()
}

// draw renders the picture once; scrolling then only picks lines.
func (m *Model) draw() {
	m.dirty = true
	if !m.loaded || m.width <= 0 {
		m.lines = nil
		return
	}
	snap := m.snap
	if m.host != "" {
		snap = snap.Only(m.host)
	}
	text := topology.Render(snap, topology.Options{Width: m.width, Color: true, Highlight: m.highlight})
	m.lines = strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	m.scrollTo(m.top)
}

func (m *Model) scrollTo(top int) {
	top = max(0, min(top, len(m.lines)-(m.height-1)))
	if top != m.top {
		m.top, m.dirty = top, true
	}
}

// View draws a status line (what is shown, what is highlighted) and the picture.
func (m *Model) View() string {
	if !m.dirty {
		return m.cache
	}
	m.dirty = false
	var b strings.Builder
	shown := "every host"
	if m.host != "" {
		shown = "host " + m.host
	}
	b.WriteString(styles.Dim.Render("showing " + shown))
	if m.highlight != "" {
		b.WriteString(styles.Dim.Render("  ▶ path of " + m.highlight))
	}
	switch {
	case m.err != nil:
		b.WriteString("\n" + styles.Error.Render(pane.Unavailable+": "+m.err.Error()))
	case !m.loaded:
		b.WriteString("\n" + styles.Dim.Render("reading the network…"))
	default:
		end := min(len(m.lines), m.top+m.height-1)
		for _, l := range m.lines[m.top:end] {
			b.WriteString("\n" + l)
		}
	}
	m.cache = pane.Fit(b.String(), m.width, m.height)
	return m.cache
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
