package captureview

import (
	"context"
	"fmt"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"workbench/netviz/capture"
	"workbench/tui/pane"
	"workbench/tui/pathprompt"
)

// Keep is how many packets the pane keeps for scrolling, the layers and the pcap file.
const Keep = 10000

// SaveFile is the file the save key proposes to write the packets to.
const SaveFile = "workbench-capture.pcap"

type startedMsg struct {
	session Session
	targets []Target
	err     error
}

type packetsMsg struct {
	session Session
	packets []capture.Packet
	closed  bool
}

// Model is the capture pane. Its data are the interfaces it can capture on.
type Model struct {
	pane.Base[[]Target]
	source   Source
	keys     KeyMap
	marked   map[string]bool
	ifCursor int
	session  Session
	running  []Target       // the targets of the running or last session
	tags     map[string]int // a target's Tag -> its index in running
	packets  []capture.Packet
	cursor   int  // selected packet; -1 follows the newest
	inList   bool // the moving keys move in the interface list, not the packets
	open     bool
	layers   pane.Lines
	bpf      textinput.Model
	stats    capture.Stats
}

// New returns the pane listing and capturing through source.
func New(source Source) *Model {
	keys := DefaultKeyMap()
	m := &Model{Base: pane.NewBase("Capture", keys, source.Targets), source: source, keys: keys, marked: map[string]bool{}, cursor: -1, inList: true}
	m.bpf = pane.NewInput("capture filter: ", "none (every packet); f to type one, e.g. tcp port 80")
	m.layers = pane.NewLines()
	m.OnFilter(func() {
		if m.cursor >= 0 && !m.Match(m.line(m.packets[m.cursor])) {
			m.cursor = -1
		}
	})
	return m
}

// Typing reports whether the capture filter, the shared filter or a question has the
// keyboard.
func (m *Model) Typing() bool { return m.bpf.Focused() || m.Base.Typing() }

// SetSize gives the pane its size and the layer view what is right of the list.
func (m *Model) SetSize(width, height int) {
	m.Base.SetSize(width, height)
	m.layers.SetSize(width-m.listWidth()-1, height-2)
}

// typeCapture gives a key or a paste to the capture filter while it is open: enter
// keeps it, esc empties it.
func (m *Model) typeCapture(msg tea.Msg) bool {
	if !m.bpf.Focused() {
		return false
	}
	k, isKey := msg.(tea.KeyPressMsg)
	if _, paste := msg.(tea.PasteMsg); !isKey && !paste {
		return false
	}
	switch {
	case isKey && k.String() == "enter":
		m.bpf.Blur()
	case isKey && k.String() == "esc":
		m.bpf.Blur()
		m.bpf.SetValue("")
	default:
		m.bpf, _ = m.bpf.Update(msg)
	}
	m.Invalidate()
	return true
}

// Refresh lists the interfaces again and reads the drop counter.
func (m *Model) Refresh(ctx context.Context) tea.Cmd {
	if m.session != nil {
		m.setStats(m.session.Stats())
	}
	return m.Base.Refresh(ctx)
}

func (m *Model) setStats(st capture.Stats) {
	if st != m.stats {
		m.stats = st
		m.Invalidate()
	}
}

// Update handles keys, the filter, the interface list, and packets as they come.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	if m.typeCapture(msg) {
		return nil
	}
	if _, changed := m.Take(msg); changed {
		m.ifCursor = min(m.ifCursor, max(0, len(m.Data)-1))
	}
	if k, ok := msg.(tea.KeyPressMsg); ok && m.open && key.Matches(k, m.Nav().Back) {
		m.open = false
		m.Invalidate()
		return nil
	}
	if took, cmd := m.Shared(msg); took {
		return cmd
	}
	switch msg := msg.(type) {
	case startedMsg:
		if msg.err != nil {
			return pane.Status(msg.err.Error(), true)
		}
		m.session, m.running = msg.session, msg.targets
		m.tags = map[string]int{}
		for i, t := range msg.targets {
			m.tags[t.Tag()] = i
		}
		m.Invalidate()
		return waitPackets(msg.session)
	case packetsMsg:
		return m.takePackets(msg)
	case pane.ClickMsg:
		m.click(msg)
	case tea.KeyPressMsg:
		m.Invalidate()
		return m.handleKey(msg)
	}
	return nil
}

// click selects the interface or the packet under the mouse.
func (m *Model) click(c pane.ClickMsg) {
	m.Invalidate()
	if c.Y < 1 {
		return
	}
	if c.X < m.listWidth() {
		m.inList = true
		start := max(0, m.ifCursor-(m.Height-1)+1)
		if i := start + c.Y - 1; i < len(m.Data) {
			m.ifCursor = i
		}
		return
	}
	m.inList = false
	if m.open {
		return
	}
	shown := m.shown()
	start, _ := m.window(shown, m.Height-1)
	if i := start + c.Y - 1; i < len(shown) {
		m.cursor = shown[i]
	}
}

func (m *Model) takePackets(msg packetsMsg) tea.Cmd {
	if msg.session != m.session {
		return nil // a stopped session's last packets
	}
	if len(msg.packets) > 0 {
		m.packets = append(m.packets, msg.packets...)
		if over := len(m.packets) - Keep; over > 0 {
			m.packets = append([]capture.Packet(nil), m.packets[over:]...)
			if m.cursor >= 0 {
				m.cursor = max(0, m.cursor-over)
			}
		}
		m.Invalidate()
	}
	m.setStats(m.session.Stats())
	if msg.closed {
		err := m.session.Err()
		m.session = nil
		m.Invalidate()
		if err != nil {
			return pane.Status("the capture ended: "+err.Error(), true)
		}
		return nil
	}
	return waitPackets(m.session)
}

// waitPackets waits for the next packets and gathers what comes in the next 50 ms, so
// a flood of packets costs one frame per 50 ms, not one per packet.
func waitPackets(s Session) tea.Cmd {
	return func() tea.Msg {
		ch := s.Packets()
		p, ok := <-ch
		if !ok {
			return packetsMsg{session: s, closed: true}
		}
		batch := []capture.Packet{p}
		deadline := time.After(50 * time.Millisecond)
		for len(batch) < 1024 {
			select {
			case p, ok := <-ch:
				if !ok {
					return packetsMsg{session: s, packets: batch, closed: true}
				}
				batch = append(batch, p)
			case <-deadline:
				return packetsMsg{session: s, packets: batch}
			}
		}
		return packetsMsg{session: s, packets: batch}
	}
}

func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k, nav := m.keys, m.Nav()
	if m.open && m.layers.Scroll(msg) {
		return nil
	}
	if step := m.MatchStep(msg); step != 0 {
		m.inList = false
		m.moveCursor(step)
		return nil
	}
	switch {
	case key.Matches(msg, nav.Left):
		m.inList = true
	case key.Matches(msg, nav.Right):
		m.inList = false
	case key.Matches(msg, nav.Up):
		m.move(-1)
	case key.Matches(msg, nav.Down):
		m.move(1)
	case key.Matches(msg, nav.PageUp):
		m.move(-max(1, m.Height/2))
	case key.Matches(msg, nav.PageDown):
		m.move(max(1, m.Height/2))
	case key.Matches(msg, nav.Top):
		m.move(-len(m.packets) - len(m.Data))
	case key.Matches(msg, nav.Bottom) && m.inList:
		m.move(len(m.Data))
	case key.Matches(msg, nav.Bottom):
		m.cursor, m.open = -1, false
	case key.Matches(msg, k.Mark):
		if m.ifCursor < len(m.Data) {
			l := m.Data[m.ifCursor].Label()
			m.marked[l] = !m.marked[l]
		}
	case key.Matches(msg, k.CaptureFilter):
		m.bpf.Focus()
	case key.Matches(msg, k.Start):
		return m.startStop()
	case key.Matches(msg, nav.Open):
		m.openLayers()
	case key.Matches(msg, k.Clear):
		m.packets, m.cursor, m.open = nil, -1, false
	case key.Matches(msg, k.Save):
		return m.save()
	case key.Matches(msg, k.Refresh):
		return m.Refresh(m.Context())
	}
	return nil
}

// move moves the cursor of the interface list or of the packets by step.
func (m *Model) move(step int) {
	if m.inList {
		m.ifCursor = min(max(0, len(m.Data)-1), max(0, m.ifCursor+step))
		return
	}
	m.moveCursor(step)
}

// shown are the indexes of the packets the filter lets through.
func (m *Model) shown() []int {
	out := make([]int, 0, len(m.packets))
	for i, p := range m.packets {
		if m.Filter() == "" || m.Match(m.line(p)) {
			out = append(out, i)
		}
	}
	return out
}

// moveCursor moves the packet cursor by step among the packets shown.
func (m *Model) moveCursor(step int) {
	shown := m.shown()
	if len(shown) == 0 {
		return
	}
	at := len(shown) - 1
	for r, i := range shown {
		if i == m.cursor {
			at = r
		}
	}
	if m.cursor < 0 && step > 0 {
		at = len(shown) // following: the next packet is the newest
	}
	m.cursor = shown[min(len(shown)-1, max(0, at+step))]
}

// openLayers shows the layers of the selected packet (the newest when following).
func (m *Model) openLayers() {
	shown := m.shown()
	if len(shown) == 0 {
		return
	}
	if m.cursor < 0 {
		m.cursor = shown[len(shown)-1]
	}
	m.open, m.inList = true, false
	p := m.packets[m.cursor]
	m.layers.SetContent(layerText(p.Data, m.Width-m.listWidth()-1))
	m.layers.GotoTop()
}

// startStop stops the running capture, or starts one on the marked interfaces (the one
// under the cursor when none is marked).
func (m *Model) startStop() tea.Cmd {
	if m.session != nil {
		m.session.Stop()
		return pane.Status("capture stopped", false)
	}
	var chosen []Target
	for _, t := range m.Data {
		if m.marked[t.Label()] {
			chosen = append(chosen, t)
		}
	}
	if len(chosen) == 0 && m.ifCursor < len(m.Data) {
		chosen = []Target{m.Data[m.ifCursor]}
	}
	ctx, src, filter := m.Context(), m.source, m.bpf.Value()
	m.packets, m.cursor, m.open, m.stats = nil, -1, false, capture.Stats{}
	return func() tea.Msg {
		s, err := src.Start(ctx, chosen, filter)
		return startedMsg{session: s, targets: chosen, err: err}
	}
}

// save asks where to write the packets captured so far, as a pcap file.
func (m *Model) save() tea.Cmd {
	pkts := m.packets
	if len(pkts) == 0 {
		return pane.Status("no packets to save: start a capture first (s)", true)
	}
	return func() tea.Msg {
		return pathprompt.AskMsg{What: "the capture", File: SaveFile, Write: func(path string) (string, error) {
			return fmt.Sprintf("%d packets", len(pkts)), capture.SaveFile(path, pkts)
		}}
	}
}
