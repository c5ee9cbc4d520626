// Package conntrackview is the app's conntrack pane: each lab host's connection
// tracking table read from the kernel, the NAT translations first (the original tuple
// beside the reply's, with what changed), refreshed like the other panes.
package conntrackview

import (
	"context"
	"fmt"
	"net/netip"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"workbench/tui/keys"
	"workbench/tui/pane"
	"workbench/tui/styles"
)

// Source reads the conntrack tables of the lab.
type Source interface {
	Read(ctx context.Context) ([]Table, error)
}

// KeyMap is the pane's own keys.
type KeyMap struct {
	All key.Binding
}

// DefaultKeyMap is the pane's key map.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		All: keys.Bind("a", "NAT only / every connection"),
	}
}

// Model is the conntrack pane.
type Model struct {
	pane.Base[[]Table]
	keys KeyMap
	all  bool // every connection, not only the translated ones
}

// New returns the pane reading from source.
func New(source Source) *Model {
	k := DefaultKeyMap()
	return &Model{Base: pane.NewText("conntrack", keys.Column{k.All}, source.Read), keys: k}
}

// Update handles keys and fresh tables.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	if took, cmd := m.Handle(msg, m.draw); took {
		return cmd
	}
	if msg, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case m.MoveLines(msg):
		case key.Matches(msg, m.keys.All):
			m.all = !m.all
			m.draw()
			m.Lines.GotoTop()
		}
	}
	return nil
}

func (m *Model) draw() {
	m.Invalidate()
	if m.Loaded {
		m.Lines.SetContent(Render(m.Data, m.all))
	}
}

// View draws what is shown and the tables.
func (m *Model) View() string {
	return m.Draw(func() string {
		shown := "NAT translations (a: every connection)"
		if m.all {
			shown = "every connection (a: NAT translations only)"
		}
		head := styles.Dim.Render(shown)
		if notice, ok := m.Notice("reading the conntrack tables…"); ok {
			return head + "\n" + notice
		}
		return head + "\n" + m.Lines.View()
	})
}

// Render draws each host's table: a line per connection with its protocol, TCP state,
// NAT, the original tuple and the reply tuple; all = every connection, not only those
// NAT changed.
func Render(tables []Table, all bool) string {
	if len(tables) == 0 {
		return "no lab hosts yet: `workbench host up` makes host1"
	}
	var b strings.Builder
	for i, t := range tables {
		if i > 0 {
			b.WriteByte('\n')
		}
		var shown []Entry
		for _, e := range t.Entries {
			if all || e.NAT() != "" {
				shown = append(shown, e)
			}
		}
		fmt.Fprintf(&b, "%s  %s\n", styles.Title.Render("■ "+t.Host), styles.Dim.Render(fmt.Sprintf("connections: %d, shown: %d", len(t.Entries), len(shown))))
		if t.Err != nil {
			b.WriteString(styles.Error.Render("  "+pane.Unavailable+": "+t.Err.Error()) + "\n")
			continue
		}
		if len(shown) == 0 {
			b.WriteString(styles.Dim.Render("  no translated connection") + "\n")
			continue
		}
		for _, e := range shown {
			head := fmt.Sprintf("  %-4s %-11s ", e.Proto, e.State)
			if nat := e.NAT(); nat != "" {
				head += styles.Key.Render(nat) + "  " + translation(e)
			} else {
				head += styles.Dim.Render("no NAT")
			}
			b.WriteString(head + styles.Dim.Render(fmt.Sprintf("  %ds left", e.Timeout)) + "\n")
			fmt.Fprintf(&b, "       original %s\n       reply    %s\n", e.Original, e.Reply)
		}
	}
	return b.String()
}

// translation says what NAT changed, read from the two tuples: a reply comes from the
// address the packets were sent to after DNAT, and goes to the one they came from
// after SNAT.
func translation(e Entry) string {
	var parts []string
	if e.DNAT {
		parts = append(parts, "destination "+endpoint(e.Original.Dst, e.Original.DstPort)+" → "+endpoint(e.Reply.Src, e.Reply.SrcPort))
	}
	if e.SNAT {
		parts = append(parts, "source "+endpoint(e.Original.Src, e.Original.SrcPort)+" → "+endpoint(e.Reply.Dst, e.Reply.DstPort))
	}
	return strings.Join(parts, ", ")
}

func endpoint(a netip.Addr, port uint16) string {
	if port == 0 {
		return a.String()
	}
	return fmt.Sprintf("%s:%d", a, port)
}
