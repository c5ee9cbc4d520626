package captureview

import (
	"context"
	"fmt"
	"reflect"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"workbench/netviz/capture"
	"workbench/tui/field"
	"workbench/tui/pane"
)

// Keep is how many packets the pane keeps for scrolling, the layers and the pcap file.
const Keep = 10000

// SavePath is where the save key writes the packets.
const SavePath = "workbench-capture.pcap"

type targetsMsg struct {
	targets []Target
	err     error
}

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

type savedMsg struct {
	n   int
	err error
}

// Model is the capture pane.
type Model struct {
	source        Source
	keys          KeyMap
	targets       []Target
	marked        map[string]bool
	ifCursor      int
	filter        field.Model
	session       Session
	running       []Target       // the targets of the running or last session
	tags          map[string]int // a target's Tag -> its index in running
	packets       []capture.Packet
	cursor        int // selected packet; -1 follows the newest
	open          bool
	stats         capture.Stats
	err           error
	width, height int
	cache         string
	dirty         bool
}

// New returns the pane listing and capturing through source.
func New(source Source) *Model {
	return &Model{
		source: source, keys: DefaultKeyMap(), marked: map[string]bool{}, cursor: -1, dirty: true,
		filter: field.New("filter: ", "none (every packet); / to type one, e.g. tcp port 80"),
	}
}

// Title is the pane's name.
func (m *Model) Title() string { return "Capture" }

// KeyMap lists the pane's keys.
func (m *Model) KeyMap() help.KeyMap { return m.keys }

// Typing is true while the filter is being typed.
func (m *Model) Typing() bool { return m.filter.Focused() }

// SetSize gives the pane its size.
func (m *Model) SetSize(width, height int) {
	if width != m.width || height != m.height {
		m.width, m.height, m.dirty = width, height, true
	}
}

// Refresh lists the interfaces again and reads the drop counter.
func (m *Model) Refresh() tea.Cmd {
	if m.session != nil {
		m.setStats(m.session.Stats())
	}
	src := m.source
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		t, err := src.Targets(ctx)
		return targetsMsg{targets: t, err: err}
	}
}

func (m *Model) setStats(st capture.Stats) {
	if st != m.stats {
		m.stats, m.dirty = st, true
	}
}

// Update handles keys, the interface list, and packets as they come.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case targetsMsg:
		if !reflect.DeepEqual(msg.targets, m.targets) || errText(msg.err) != errText(m.err) {
			m.targets, m.err, m.dirty = msg.targets, msg.err, true
			m.ifCursor = min(m.ifCursor, max(0, len(m.targets)-1))
		}
	case startedMsg:
		if msg.err != nil {
			return pane.Status(msg.err.Error(), true)
		}
		m.session, m.running, m.dirty = msg.session, msg.targets, true
		m.tags = map[string]int{}
		for i, t := range msg.targets {
			m.tags[t.Tag()] = i
		}
		return waitPackets(msg.session)
	case packetsMsg:
		return m.takePackets(msg)
	case savedMsg:
		if msg.err != nil {
			return pane.Status(msg.err.Error(), true)
		}
		return pane.Status(fmt.Sprintf("saved %d packets to %s", msg.n, SavePath), false)
	case tea.PasteMsg:
		m.filter.Paste(msg.Content)
		m.dirty = true
	case tea.KeyPressMsg:
		m.dirty = true
		if m.filter.Focused() {
			switch msg.String() {
			case "enter", "esc":
				m.filter.Blur()
			default:
				m.filter.Update(msg)
			}
			return nil
		}
		return m.handleKey(msg)
	}
	return nil
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
		m.dirty = true
	}
	m.setStats(m.session.Stats())
	if msg.closed {
		err := m.session.Err()
		m.session, m.dirty = nil, true
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
	k := m.keys
	switch {
	case key.Matches(msg, k.IfUp):
		m.ifCursor = max(0, m.ifCursor-1)
	case key.Matches(msg, k.IfDown):
		m.ifCursor = min(max(0, len(m.targets)-1), m.ifCursor+1)
	case key.Matches(msg, k.Mark):
		if m.ifCursor < len(m.targets) {
			l := m.targets[m.ifCursor].Label()
			m.marked[l] = !m.marked[l]
		}
	case key.Matches(msg, k.Filter):
		m.filter.Focus()
	case key.Matches(msg, k.Start):
		return m.startStop()
	case key.Matches(msg, k.Up):
		m.moveCursor(-1)
	case key.Matches(msg, k.Down):
		m.moveCursor(1)
	case key.Matches(msg, k.Follow):
		m.cursor, m.open = -1, false
	case key.Matches(msg, k.Open):
		m.open = !m.open && len(m.packets) > 0
	case key.Matches(msg, k.Clear):
		m.packets, m.cursor, m.open = nil, -1, false
	case key.Matches(msg, k.Save):
		return m.save()
	case key.Matches(msg, k.Refresh):
		return m.Refresh()
	}
	return nil
}

func (m *Model) moveCursor(step int) {
	n := len(m.packets)
	if n == 0 {
		return
	}
	if m.cursor < 0 {
		m.cursor = n - 1
	}
	m.cursor = min(n-1, max(0, m.cursor+step))
}

// startStop stops the running capture, or starts one on the marked interfaces (the one
// under the cursor when none is marked).
func (m *Model) startStop() tea.Cmd {
	if m.session != nil {
		m.session.Stop()
		return pane.Status("capture stopped", false)
	}
	var chosen []Target
	for _, t := range m.targets {
		if m.marked[t.Label()] {
			chosen = append(chosen, t)
		}
	}
	if len(chosen) == 0 && m.ifCursor < len(m.targets) {
		chosen = []Target{m.targets[m.ifCursor]}
	}
	src, filter := m.source, m.filter.Value()
	m.packets, m.cursor, m.open, m.stats = nil, -1, false, capture.Stats{}
	return func() tea.Msg {
		s, err := src.Start(context.Background(), chosen, filter)
		return startedMsg{session: s, targets: chosen, err: err}
	}
}

func (m *Model) save() tea.Cmd {
	pkts := m.packets
	return func() tea.Msg {
		if len(pkts) == 0 {
			return savedMsg{err: fmt.Errorf("no packets to save: start a capture first (s)")}
		}
		return savedMsg{n: len(pkts), err: capture.SaveFile(SavePath, pkts)}
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
