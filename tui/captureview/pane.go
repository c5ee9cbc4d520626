package captureview

import (
	"context"
	"fmt"
	"time"

	"charm.land/bubbles/v2/key"
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
	cursor   int // selected packet; -1 follows the newest
	open     bool
	stats    capture.Stats
}

// New returns the pane listing and capturing through source.
func New(source Source) *Model {
	keys := DefaultKeyMap()
	m := &Model{Base: pane.NewBase("Capture", keys, source.Targets), source: source, keys: keys, marked: map[string]bool{}, cursor: -1}
	m.WithFilter("filter: ", "none (every packet); / to type one, e.g. tcp port 80")
	return m
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
	if m.TypeFilter(msg) {
		return nil
	}
	if _, changed := m.Take(msg); changed {
		m.ifCursor = min(m.ifCursor, max(0, len(m.Data)-1))
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
	case tea.KeyPressMsg:
		m.Invalidate()
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
	k := m.keys
	switch {
	case key.Matches(msg, k.IfUp):
		m.ifCursor = max(0, m.ifCursor-1)
	case key.Matches(msg, k.IfDown):
		m.ifCursor = min(max(0, len(m.Data)-1), m.ifCursor+1)
	case key.Matches(msg, k.Mark):
		if m.ifCursor < len(m.Data) {
			l := m.Data[m.ifCursor].Label()
			m.marked[l] = !m.marked[l]
		}
	case key.Matches(msg, k.Filter):
		m.OpenFilter()
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
		return m.Refresh(m.Context())
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
	for _, t := range m.Data {
		if m.marked[t.Label()] {
			chosen = append(chosen, t)
		}
	}
	if len(chosen) == 0 && m.ifCursor < len(m.Data) {
		chosen = []Target{m.Data[m.ifCursor]}
	}
	ctx, src, filter := m.Context(), m.source, m.Filter()
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
