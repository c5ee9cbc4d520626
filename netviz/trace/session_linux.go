package trace

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"workbench/netviz/capture/filter"
	"workbench/nsutil"
)

// Place is a network namespace of the lab to trace in.
type Place struct {
	// Name is the host's or container's name, "lan", or the name of a namespace made
	// by hand with `ip netns add`.
	Name string `json:"name"`
	// Kind is "host", "lan", "container" or "other" (made by hand).
	Kind string `json:"kind"`
	// Netns is the namespace file.
	Netns string `json:"netns"`
}

// Options say what to trace where.
type Options struct {
	// Places are every namespace of the lab; packets are followed across them.
	Places []Place
	// Filter is a tcpdump-style expression; "" with a Probe.
	Filter string
	// Probe, when set, is sent once the trace is armed, and followed instead of what
	// Filter matches.
	Probe *Probe
}

// Session is an armed trace: its journeys come on Journeys until Close.
type Session struct {
	armed    []*armed
	journeys chan Journey
	cancel   context.CancelFunc
	wg       sync.WaitGroup
	mu       sync.Mutex
	err      error
	probeErr chan error
	events   atomic.Uint64
}

// nsEvent is an event read in namespace ns at time at.
type nsEvent struct {
	ns int
	ev Event
	at time.Time
}

// Start arms the trace in every place and starts following packets. With a probe, the
// probe is sent once every place is armed.
func Start(ctx context.Context, o Options) (*Session, error) {
	mark, match, err := marking(o)
	if err != nil {
		return nil, err
	}
	for _, p := range o.Places {
		if legacyTables(p.Netns) {
			return nil, fmt.Errorf("tracing needs nf_tables: %s has rules in legacy iptables tables (iptables-legacy), which the nftables trace cannot see", p.Name)
		}
	}
	w, err := newKernelWorld(ctx, o.Places)
	if err != nil {
		return nil, err
	}
	table := newTableName()
	ctx, cancel := context.WithCancel(ctx)
	s := &Session{journeys: make(chan Journey, 16), cancel: cancel, probeErr: make(chan error, 1)}
	for _, p := range o.Places {
		a, err := arm(p, table, mark)
		if err != nil {
			s.Close()
			return nil, err
		}
		s.armed = append(s.armed, a)
	}
	events := make(chan nsEvent, 4096)
	for i, a := range s.armed {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			err := a.readEvents(func(e Event) {
				s.events.Add(1)
				select {
				case events <- nsEvent{i, e, time.Now()}:
				case <-ctx.Done():
				}
			})
			if err != nil && ctx.Err() == nil {
				s.fail(err)
				cancel()
			}
		}()
	}
	asm := newAssembler(w, match, table)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer close(s.journeys)
		s.assemble(ctx, asm, events)
	}()
	if o.Probe != nil {
		go func() { s.probeErr <- o.Probe.send(ctx) }()
	}
	return s, nil
}

// assemble feeds events to the assembler and gives out journeys as they complete.
func (s *Session) assemble(ctx context.Context, asm *assembler, events <-chan nsEvent) {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case e := <-events:
			asm.add(e.ns, e.ev, e.at)
		case now := <-tick.C:
			for _, j := range asm.flush(now) {
				select {
				case s.journeys <- j:
				case <-ctx.Done():
					return
				}
			}
		}
	}
}

// Journeys gives each journey as it completes; it is closed when the session ends.
func (s *Session) Journeys() <-chan Journey { return s.journeys }

// Events is the number of trace events read so far, from every namespace.
func (s *Session) Events() uint64 { return s.events.Load() }

// ProbeErr gives the probe's outcome once it was sent (nil when it went out).
func (s *Session) ProbeErr() <-chan error { return s.probeErr }

func (s *Session) fail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err == nil {
		s.err = err
	}
}

// Close disarms the trace in every namespace (the kernel removes each trace table
// with the socket that owns it) and returns what made the session fail, if anything.
func (s *Session) Close() error {
	s.cancel()
	for _, a := range s.armed {
		a.close()
	}
	s.wg.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// marking is what to trace in each namespace and how to tell the legs to follow.
func marking(o Options) (Marking, func([]*pass) bool, error) {
	if o.Probe != nil {
		p := o.Probe
		p.newProbeID()
		return Marking{Probe: true, Protocols: []byte{p.protocol()}}, p.matches, nil
	}
	alts, err := filter.CompileIPv4(o.Filter)
	if err != nil {
		return Marking{}, nil, err
	}
	if len(alts) == 0 {
		return Marking{}, nil, errors.New("the filter matches no IPv4 packet, and the lab's hooks see only IPv4: use host, net, port, tcp, udp or icmp")
	}
	m := Marking{Filter: alts, Protocols: protocols(alts)}
	return m, func(l []*pass) bool {
		for _, p := range l {
			for _, e := range p.events {
				if e.hasHdr && filter.Match(alts, append(append([]byte{}, e.ev.Network...), e.ev.Transport...)) {
					return true
				}
			}
		}
		return false
	}, nil
}

// protocols are the IP protocols the filter's alternatives name; none when one of
// them names no protocol.
func protocols(alts [][]filter.IPv4Test) []byte {
	var out []byte
	seen := map[byte]bool{}
	for _, alt := range alts {
		found := false
		for _, t := range alt {
			if !t.Transport && t.Offset == 9 && t.Size == 1 && !t.Not && !t.BitsSet && t.Order == "" && t.Mask == 0 {
				found = true
				if !seen[byte(t.Value)] {
					seen[byte(t.Value)] = true
					out = append(out, byte(t.Value))
				}
			}
		}
		if !found {
			return nil
		}
	}
	return out
}

// legacyTables tells whether a namespace has tables of the legacy iptables.
func legacyTables(path string) bool {
	found := false
	_ = nsutil.Do(path, func() error {
		b, err := os.ReadFile("/proc/net/ip_tables_names")
		found = err == nil && strings.TrimSpace(string(b)) != ""
		return nil
	})
	return found
}
