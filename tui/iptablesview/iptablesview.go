// Package iptablesview is the app's iptables pane: for the chosen lab host, the tables
// with their chains, policies and counters, the rules whose counters moved since the
// last refresh lit up with their rate, the workbench's own rules marked, and the five
// netfilter hooks with the traffic through each, and the rule a packet's journey hit
// marked. It draws with netviz/iptables.
package iptablesview

import (
	"context"
	"fmt"
	"reflect"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"workbench/core/network"
	"workbench/netviz/iptables"
	"workbench/tui/keys"
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

// KeyMap is the pane's own keys: the shared ones scroll, filter and go through the
// hosts.
type KeyMap struct {
	PrevHost, NextHost, Table, Zero key.Binding
}

// DefaultKeyMap is the pane's key map.
func DefaultKeyMap() KeyMap {
	nav := keys.DefaultNav()
	k := KeyMap{
		PrevHost: nav.Left,
		NextHost: nav.Right,
		Table:    keys.Bind("t", "table: all, raw, mangle, nat, filter"),
		Zero:     keys.Bind("Z", "zero the counters (asks)"),
	}
	k.PrevHost.SetHelp("←/h", "previous host")
	k.NextHost.SetHelp("→/l", "next host")
	return k
}

// ShortHelp is the one-line hint.
func (k KeyMap) ShortHelp() []key.Binding { return []key.Binding{k.NextHost, k.Table, k.Zero} }

// FullHelp is every key of the pane.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.PrevHost, k.NextHost, k.Table, k.Zero}}
}

// renderWidth is the width the tables are drawn at before the pane cuts what it shows:
// cutting 2000 lines costs more than drawing them, so only the lines on screen are cut.
const renderWidth = 240

// tables are the choices of the table filter, "" = every table.
var tables = []string{"", "raw", "mangle", "nat", "filter"}

// reading is one read of a host's tables, with the hosts there are now.
type reading struct {
	host  string
	hosts []string
	snap  iptables.Snapshot
}

type zeroedMsg struct{ err error }

// Model is the iptables pane.
type Model struct {
	pane.Base[reading]
	source    Source
	keys      KeyMap
	hosts     []string
	host      string
	table     int
	cur, prev *iptables.Snapshot
	hit       *pane.HighlightRuleMsg // the rule a journey hit, marked on its host
	toHit     bool                   // scroll to the mark once it is drawn
}

// New returns the pane reading from source, showing host1 first.
func New(source Source) *Model {
	m := &Model{source: source, keys: DefaultKeyMap()}
	m.Base = pane.NewText[reading]("iptables", m.keys, nil)
	m.OnWidth(m.draw)
	m.show(network.DefaultHost)
	return m
}

// show makes host the one whose tables are read.
func (m *Model) show(host string) {
	src := m.source
	m.host = host
	m.cur, m.prev, m.Err = nil, nil, nil
	m.SetLoad(func(ctx context.Context) (reading, error) {
		hosts := src.Hosts()
		snap, err := src.Read(ctx, host)
		return reading{host: host, hosts: hosts, snap: snap}, err
	})
	m.Lines.SetContent("")
	m.Invalidate()
}

// Update handles keys and fresh snapshots.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	if took, cmd := m.Handle(msg, m.setData); took {
		return cmd
	}
	switch msg := msg.(type) {
	case zeroedMsg:
		if msg.err != nil {
			return pane.Status(msg.err.Error(), true)
		}
		return tea.Batch(pane.Status("counters zeroed on "+m.host, false), m.Reload())
	case pane.HighlightRuleMsg:
		return m.highlight(msg)
	}
	if msg, ok := msg.(tea.KeyPressMsg); ok {
		return m.handleKey(msg)
	}
	return nil
}

// highlight marks the rule a journey hit and scrolls to it, showing its host and a
// table filter that keeps it.
func (m *Model) highlight(msg pane.HighlightRuleMsg) tea.Cmd {
	m.hit, m.toHit = &msg, true
	if t := tables[m.table]; t != "" && t != msg.Table {
		m.table = 0
	}
	if msg.Host != m.host {
		m.show(msg.Host)
		return m.Reload()
	}
	m.draw()
	return nil
}

// setData keeps the previous snapshot to light up what moved; it draws only when the
// tables changed or something was lit up last time.
func (m *Model) setData() {
	r := m.Data
	if r.host != m.host {
		return // an answer for a host no longer shown
	}
	if !reflect.DeepEqual(r.hosts, m.hosts) {
		m.hosts = r.hosts
		m.Invalidate()
	}
	if m.Err != nil {
		return
	}
	snap := r.snap
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
	m.Invalidate()
	if m.cur == nil || m.Width <= 0 {
		return
	}
	var mark *iptables.RuleRef
	if r := m.hit; r != nil && r.Host == m.host {
		mark = &iptables.RuleRef{Table: r.Table, Chain: r.Chain, Num: r.Num}
	}
	picture := iptables.Render(*m.cur, iptables.Options{
		Width: max(m.Width, renderWidth), Table: tables[m.table], Color: true, Prev: m.prev, Hooks: true, Mark: mark,
	})
	m.Lines.SetContent(picture)
	if m.toHit {
		if i := iptables.MarkedLine(picture); i >= 0 {
			m.Lines.ShowLine(i)
			m.toHit = false
		}
	}
}

func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case m.MoveLines(msg):
	case key.Matches(msg, m.keys.NextHost):
		return m.moveHost(1)
	case key.Matches(msg, m.keys.PrevHost):
		return m.moveHost(-1)
	case key.Matches(msg, m.keys.Table):
		m.table = (m.table + 1) % len(tables)
		m.draw()
		m.Lines.GotoTop()
	case key.Matches(msg, m.keys.Zero):
		ctx, src, host, table := m.Context(), m.source, m.host, tables[m.table]
		what := "every counter"
		if table != "" {
			what = "the counters of " + table
		}
		m.Ask("zero "+what+" on "+host+"?", func() tea.Msg { return zeroedMsg{err: src.Zero(ctx, host, table)} })
		m.Invalidate()
	}
	return nil
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
	m.show(m.hosts[((i+step)%n+n)%n])
	return m.Reload()
}

// View draws the chooser line and the visible part of the picture.
func (m *Model) View() string {
	return m.Draw(func() string {
		if notice, ok := m.Notice(""); ok && m.Err != nil {
			return m.chooser() + "\n" + notice
		}
		if m.cur == nil {
			return m.chooser() + "\n" + styles.Dim.Render("reading the tables of "+m.host+"…")
		}
		return m.chooser() + "\n" + m.Lines.View()
	})
}

// chooser shows the hosts (the chosen one reversed) and the table filter.
func (m *Model) chooser() string {
	out := "host "
	hosts := m.hosts
	if len(hosts) == 0 {
		hosts = []string{m.host}
	}
	for _, h := range hosts {
		if h == m.host {
			out += styles.Selected.Render(" " + h + " ")
		} else {
			out += " " + h + " "
		}
	}
	t := tables[m.table]
	if t == "" {
		t = "all"
	}
	out += "  table " + styles.Key.Render(t) + styles.Dim.Render("  ◆ = the workbench's")
	if r := m.hit; r != nil && r.Host == m.host {
		what := r.Table + " " + r.Chain + " policy"
		if r.Num > 0 {
			what = fmt.Sprintf("%s %s #%d", r.Table, r.Chain, r.Num)
		}
		out += styles.Key.Render("  ▶ " + what)
	}
	return out
}
