// Package iptablesview is the app's iptables pane: for the chosen lab host, the tables
// with their chains, policies and counters, the rules whose counters moved since the
// last refresh lit up with their rate, the workbench's own rules marked, and the five
// netfilter hooks with the traffic through each. It draws with netviz/iptables.
package iptablesview

import (
	"context"
	"reflect"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"workbench/core/network"
	"workbench/netviz/iptables"
	"workbench/tui/pane"
	"workbench/tui/styles"
)

// Source reads the tables of a host and zeroes their counters.
type Source interface {
	// Hosts lists the hosts whose tables can be read.
	Hosts() []string
	// Read reads every table of host.
	Read(ctx context.Context, host string) (iptables.Snapshot, error)
	// Zero sets the counters of table ("" = all) of host back to zero.
	Zero(ctx context.Context, host, table string) error
}

// tables are the choices of the table filter, "" = every table.
var tables = []string{"", "raw", "mangle", "nat", "filter"}

type loadedMsg struct {
	host  string
	hosts []string
	snap  iptables.Snapshot
	err   error
}

type zeroedMsg struct{ err error }

// Model is the iptables pane.
type Model struct {
	source        Source
	keys          KeyMap
	hosts         []string
	host          string
	table         int
	cur, prev     *iptables.Snapshot
	err           error
	lines         []string // the rendered picture, cut into lines
	top           int
	width, height int
	cache         string
	dirty         bool
}

// New returns the pane reading from source, showing host1 first.
func New(source Source) *Model {
	return &Model{source: source, keys: DefaultKeyMap(), host: network.DefaultHost, dirty: true}
}

// Title is the pane's name.
func (m *Model) Title() string { return "iptables" }

// KeyMap lists the pane's keys.
func (m *Model) KeyMap() help.KeyMap { return m.keys }

// Typing is always false.
func (m *Model) Typing() bool { return false }

// SetSize gives the pane its size.
func (m *Model) SetSize(width, height int) {
	if width != m.width || height != m.height {
		widthChanged := width != m.width
		m.width, m.height, m.dirty = width, height, true
		if widthChanged {
			m.draw()
		}
	}
}

// Refresh reads the chosen host's tables.
func (m *Model) Refresh() tea.Cmd {
	src, host := m.source, m.host
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hosts := src.Hosts()
		snap, err := src.Read(ctx, host)
		return loadedMsg{host: host, hosts: hosts, snap: snap, err: err}
	}
}

// Update handles keys and fresh snapshots.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case loadedMsg:
		m.setData(msg)
	case zeroedMsg:
		if msg.err != nil {
			return pane.Status(msg.err.Error(), true)
		}
		return tea.Batch(pane.Status("counters zeroed on "+m.host, false), m.Refresh())
	case tea.KeyPressMsg:
		return m.handleKey(msg)
	}
	return nil
}

// setData keeps the previous snapshot to light up what moved; it redraws only when
// something changed or something was lit up last time.
func (m *Model) setData(msg loadedMsg) {
	if msg.host != m.host {
		return // an answer for a host no longer shown
	}
	if !reflect.DeepEqual(msg.hosts, m.hosts) {
		m.hosts, m.dirty = msg.hosts, true
	}
	if msg.err != nil || m.err != nil {
		if errText(msg.err) != errText(m.err) {
			m.err, m.dirty = msg.err, true
		}
		if msg.err != nil {
			return
		}
	}
	snap := msg.snap
	if m.cur != nil && reflect.DeepEqual(snap.Tables, m.cur.Tables) && (m.prev == nil || nothingMoved(*m.prev, *m.cur)) {
		return
	}
	m.prev, m.cur = m.cur, &snap
	m.draw()
}

func nothingMoved(prev, cur iptables.Snapshot) bool {
	d := iptables.Diff(prev, cur)
	return len(d.Rules) == 0 && len(d.Policies) == 0
}

// draw renders the snapshot once; scrolling then only picks lines.
func (m *Model) draw() {
	m.dirty = true
	if m.cur == nil || m.width <= 0 {
		m.lines = nil
		return
	}
	// Drawn wide, so that only the lines on screen are cut to the pane (cutting 2000
	// lines costs more than drawing them).
	text := iptables.Render(*m.cur, iptables.Options{
		Width: max(m.width, renderWidth), Table: tables[m.table], Color: true, Prev: m.prev, Hooks: true,
	})
	m.lines = strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	m.scrollTo(m.top)
}

func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
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
	case key.Matches(msg, m.keys.NextHost):
		return m.moveHost(1)
	case key.Matches(msg, m.keys.PrevHost):
		return m.moveHost(-1)
	case key.Matches(msg, m.keys.Table):
		m.table = (m.table + 1) % len(tables)
		m.top = 0
		m.draw()
	case key.Matches(msg, m.keys.Zero):
		return m.zero()
	}
	return nil
}

func (m *Model) scrollTo(top int) {
	top = min(top, len(m.lines)-(m.height-1))
	top = max(0, top)
	if top != m.top {
		m.top, m.dirty = top, true
	}
}

// moveHost shows the next or previous host and reads its tables.
func (m *Model) moveHost(step int) tea.Cmd {
	if len(m.hosts) == 0 {
		return nil
	}
	i := 0
	for j, h := range m.hosts {
		if h == m.host {
			i = j
		}
	}
	n := len(m.hosts)
	m.host = m.hosts[((i+step)%n+n)%n]
	m.cur, m.prev, m.lines, m.top, m.err, m.dirty = nil, nil, nil, 0, nil, true
	return m.Refresh()
}

func (m *Model) zero() tea.Cmd {
	src, host, table := m.source, m.host, tables[m.table]
	return func() tea.Msg {
		return zeroedMsg{err: src.Zero(context.Background(), host, table)}
	}
}

// View draws the chooser line and the visible part of the picture.
func (m *Model) View() string {
	if !m.dirty {
		return m.cache
	}
	m.dirty = false
	var b strings.Builder
	b.WriteString(m.chooser())
	switch {
	case m.err != nil:
		b.WriteString("\n" + styles.Error.Render(pane.Unavailable+": "+m.err.Error()))
	case m.cur == nil:
		b.WriteString("\n" + styles.Dim.Render("reading the tables of "+m.host+"…"))
	default:
		end := min(len(m.lines), m.top+m.height-1)
		for _, l := range m.lines[m.top:end] {
			b.WriteByte('\n')
			b.WriteString(l)
		}
	}
	m.cache = pane.Fit(b.String(), m.width, m.height)
	return m.cache
}

// chooser shows the hosts (the chosen one reversed) and the table filter.
func (m *Model) chooser() string {
	var b strings.Builder
	b.WriteString("host ")
	hosts := m.hosts
	if len(hosts) == 0 {
		hosts = []string{m.host}
	}
	for _, h := range hosts {
		if h == m.host {
			b.WriteString(styles.Selected.Render(" " + h + " "))
		} else {
			b.WriteString(" " + h + " ")
		}
	}
	t := tables[m.table]
	if t == "" {
		t = "all"
	}
	b.WriteString("  table " + styles.Key.Render(t) + styles.Dim.Render("  ◆ = the workbench's"))
	return b.String()
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
