// Package traceview is the app's Trace pane: it sends a probe from a lab host or
// container to an address and shows the packet's journey, and its reply's, as a
// timeline read from the kernel (netviz/trace), with a step-through that shows the
// packet's header at each step, Packet-Tracer style. The journey's path goes to the
// topology pane, and the rule of the step shown to the iptables pane.
package traceview

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"workbench/netviz/trace"
	"workbench/tui/pane"
	"workbench/tui/styles"
)

// Title is the pane's name; TraceMsg brings it into focus.
const Title = "Trace"

// detailLines is the height of the box under the timeline: where the step is, what
// it did, and the packet's header there.
const detailLines = 7

// tracedMsg carries one probe's journey back to the pane that sent it.
type tracedMsg struct {
	to       *Model
	from, at string
	journey  trace.Journey
	err      error
}

// Model is the Trace pane.
type Model struct {
	pane.Base[struct{}]
	source   Source
	keys     KeyMap
	selected string // the containers pane's selection, the form's first FROM

	form   bool
	fields [2]textinput.Model // FROM and TO
	field  int

	from, to string // the probe shown (or running)
	running  bool
	err      error
	journey  *trace.Journey
	tl       timeline
	cur      int
	lines    pane.Lines
}

// New returns the pane sending its probes with source.
func New(source Source) *Model {
	m := &Model{source: source, keys: DefaultKeyMap(), lines: pane.NewLines()}
	m.Base = pane.NewBase[struct{}](Title, m.keys, nil)
	m.OnFilter(func() { m.MarkMatches(&m.lines) })
	m.fields[0] = pane.NewInput("from ", "host or container: outside, web")
	m.fields[1] = pane.NewInput("to   ", "address or name[:port][/tcp|udp|icmp]: host1:8080/tcp")
	return m
}

// SetSize gives the pane its size; the timeline takes what the head and the step box
// leave.
func (m *Model) SetSize(width, height int) {
	m.lines.SetSize(width, max(1, height-3-detailLines)) // and a line for the filter
	m.Base.SetSize(width, height)
	m.showCurrent()
}

// Typing reports whether the probe form, the filter or a question has the keyboard.
func (m *Model) Typing() bool { return m.form || m.Base.Typing() }

// Update handles keys, the selection, the app's requests to trace and probe results.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case pane.SelectMsg:
		m.selected = msg.Container
	case pane.TraceMsg:
		if msg.To == "" {
			m.openForm(msg.From)
			return nil
		}
		return m.probe(msg.From, msg.To)
	case tracedMsg:
		if msg.to == m {
			return m.traced(msg)
		}
	case tea.PasteMsg:
		if m.form {
			m.fields[m.field], _ = m.fields[m.field].Update(msg)
			m.Invalidate()
		}
	case tea.KeyPressMsg:
		if m.form {
			return m.formKey(msg)
		}
		if took, cmd := m.Shared(msg); took {
			return cmd
		}
		if step := m.MatchStep(msg); step != 0 {
			m.lines.Jump(step)
			m.Invalidate()
			return nil
		}
		return m.handleKey(msg)
	}
	return nil
}

// openForm asks for a probe, FROM filled with from, the selected container or the last
// probe's.
func (m *Model) openForm(from string) {
	for _, f := range []string{from, m.selected, m.from} {
		if f != "" {
			m.fields[0].SetValue(f)
			break
		}
	}
	if m.fields[1].Value() == "" {
		m.fields[1].SetValue(m.to)
	}
	m.form, m.field = true, 1
	if m.fields[0].Value() == "" {
		m.field = 0
	}
	m.focusField()
}

func (m *Model) focusField() {
	for i := range m.fields {
		if i == m.field {
			m.fields[i].Focus()
		} else {
			m.fields[i].Blur()
		}
	}
	m.Invalidate()
}

func (m *Model) formKey(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Back):
		m.form = false
		m.Invalidate()
	case key.Matches(msg, m.keys.Field):
		m.field = 1 - m.field
		m.focusField()
	case key.Matches(msg, m.keys.Send):
		from, to := strings.TrimSpace(m.fields[0].Value()), strings.TrimSpace(m.fields[1].Value())
		if from == "" || to == "" {
			return pane.Status("a probe needs FROM (a host or container) and TO (e.g. host1:8080/tcp)", true)
		}
		m.form = false
		return m.probe(from, to)
	default:
		m.fields[m.field], _ = m.fields[m.field].Update(msg)
		m.Invalidate()
	}
	return nil
}

// probe sends a probe in the background; its journey comes back as a tracedMsg.
func (m *Model) probe(from, to string) tea.Cmd {
	if m.running {
		return pane.Status("a probe is on its way: wait for its journey", true)
	}
	m.from, m.to, m.running, m.err = from, to, true, nil
	m.Invalidate()
	ctx, src := m.Context(), m.source
	return tea.Batch(pane.Status("tracing a probe from "+from+" to "+to+"…", false), func() tea.Msg {
		j, err := src.Probe(ctx, from, to)
		return tracedMsg{to: m, from: from, at: to, journey: j, err: err}
	})
}

// traced shows a probe's journey, marks its path on the topology and stands on its
// first step.
func (m *Model) traced(msg tracedMsg) tea.Cmd {
	m.running = false
	m.Invalidate()
	if msg.err != nil {
		m.err = msg.err
		return pane.Status(msg.err.Error(), true)
	}
	j := msg.journey
	m.journey, m.tl, m.cur = &j, layOut(j), 0
	m.lines.SetContent(strings.Join(m.tl.lines, "\n"))
	m.lines.GotoTop()
	status := "journey of " + msg.from + " → " + msg.at + ": " + j.Request.End.Reason
	return tea.Batch(pane.Status(status, false), send(pane.PathMsg{Label: msg.from + " → " + msg.at, Links: pathLinks(j)}), m.goTo(0))
}

func send(msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }

func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Probe):
		m.openForm("")
	case key.Matches(msg, m.keys.Again):
		if m.from != "" {
			return m.probe(m.from, m.to)
		}
		m.openForm("")
	case key.Matches(msg, m.keys.Next):
		return m.goTo(m.cur + 1)
	case key.Matches(msg, m.keys.Prev):
		return m.goTo(m.cur - 1)
	case key.Matches(msg, m.keys.Top):
		return m.goTo(0)
	case key.Matches(msg, m.keys.Bottom):
		return m.goTo(len(m.tl.stops) - 1)
	case key.Matches(msg, m.keys.Back):
		if m.journey != nil {
			m.journey, m.tl, m.cur = nil, timeline{}, 0
			m.lines.SetContent("")
			m.Invalidate()
			return send(pane.PathMsg{})
		}
	case m.lines.Scroll(msg):
		m.Invalidate()
	}
	return nil
}

// goTo stands on stop i: the timeline scrolls to it, and a rule's step is shown in the
// iptables pane.
func (m *Model) goTo(i int) tea.Cmd {
	if len(m.tl.stops) == 0 {
		return nil
	}
	m.cur = min(max(i, 0), len(m.tl.stops)-1)
	m.showCurrent()
	if r := ruleMsg(m.tl.stops[m.cur]); r != nil {
		return send(*r)
	}
	return nil
}

// showCurrent marks the current stop in the timeline and scrolls to it.
func (m *Model) showCurrent() {
	m.Invalidate()
	if len(m.tl.stops) == 0 {
		return
	}
	lines := make([]string, len(m.tl.lines))
	copy(lines, m.tl.lines)
	s := m.tl.stops[m.cur]
	lines[s.line] = styles.Selected.Render("▶" + ansi.Strip(lines[s.line])[1:])
	m.lines.SetContent(strings.Join(lines, "\n"))
	m.lines.ShowLine(s.line)
}

// View draws the head line (the probe, the form or what to do), the timeline and the
// box of the current step.
func (m *Model) View() string {
	return m.Draw(func() string {
		switch {
		case m.form:
			for i := range m.fields {
				m.fields[i].SetWidth(max(1, m.Width-len(m.fields[i].Prompt)-1))
			}
			return styles.Title.Render("probe") + styles.Dim.Render("  enter sends it, tab moves, esc cancels") + "\n" +
				m.fields[0].View() + "\n" + m.fields[1].View() + "\n" +
				styles.Dim.Render("FROM: a lab host or container; TO: an address, host or container,\nwith :PORT for tcp (or /udp, /icmp): host1:8080/tcp, 198.51.100.100, web:53/udp")
		case m.running:
			return styles.Dim.Render("tracing a probe from " + m.from + " to " + m.to + "…")
		case m.err != nil:
			return styles.Error.Render(m.err.Error()) + "\n" + styles.Dim.Render("p: another probe, r: again")
		case m.journey == nil:
			return styles.Dim.Render("no journey yet: p sends a probe (FROM a host or container, TO an address[:port][/proto]),\n" +
				"and shows its way through every namespace, hook, rule, NAT and route")
		}
		head := styles.Title.Render("journey "+m.from+" → "+m.to) + styles.Dim.Render("  ←/→ step  p probe  r again")
		return head + "\n" + pane.Fit(m.lines.View(), m.Width, max(1, m.Height-2-detailLines)) + "\n" + m.detail()
	})
}

// detail is the box under the timeline: where the current step is, the step whole
// (wrapped), and the packet's header there.
func (m *Model) detail() string {
	s := m.tl.stops[m.cur]
	out := []string{styles.Dim.Render(strings.Repeat("─", max(0, m.Width)))}
	out = append(out, styles.Title.Render(s.where(m.cur, len(m.tl.stops))))
	text := strings.TrimSpace(trace.StepText(s.step))
	if r := s.step.Rule; r != nil {
		text = r.Text // where it sits is in the line above
	}
	wrapped := strings.Split(ansi.Wrap(text, max(10, m.Width), " "), "\n")
	hdr := headerLines(s)
	room := detailLines - 1 - len(hdr)
	if len(wrapped) > room {
		wrapped = append(wrapped[:room-1], ansi.Truncate(strings.Join(wrapped[room-1:], " "), m.Width, "…"))
	}
	for len(wrapped) < room {
		wrapped = append(wrapped, "")
	}
	out = append(out, wrapped...)
	return strings.Join(append(out, hdr...), "\n")
}
