// Package captureview is the app's capture pane: choose interfaces of any lab host or
// container, type a filter, start and stop; lines scroll as packets come, coloured per
// interface; one packet opens into its layers; the packets save to a pcap file; the
// kernel's drop counter is always in sight. It captures with netviz/capture.
package captureview

import (
	"context"
	"errors"
	"sync"

	"workbench/netviz/capture"
)

// Target is one interface that can be captured on.
type Target struct {
	// Where names the namespace for a person: a host's or a container's name.
	Where string
	// Netns is the network namespace file the interface lives in.
	Netns string
	// Iface is the interface's name in that namespace.
	Iface string
}

// Label is how a packet's line names its interface: "host1/eth0".
func (t Target) Label() string { return t.Where + "/" + t.Iface }

// Packet is one captured packet and the target it was seen on.
type Packet struct {
	capture.Packet
	// Target indexes the session's targets.
	Target int
}

// Session is a running capture on some targets.
type Session interface {
	// Packets delivers packets until the session ends.
	Packets() <-chan Packet
	// Stats sums the counters of every interface.
	Stats() capture.Stats
	// Stop ends the session; Packets is then closed.
	Stop()
	// Err is why the session ended, once Packets is closed.
	Err() error
}

// Source lists the targets and starts sessions.
type Source interface {
	Targets(ctx context.Context) ([]Target, error)
	Start(ctx context.Context, targets []Target, filter string) (Session, error)
}

// kernelSession runs one netviz capture per network namespace and merges them.
type kernelSession struct {
	caps []*capture.Capture
	out  chan Packet
	done chan struct{}
	once sync.Once
	err  error
}

// StartKernel captures on targets with the kernel, one capture per namespace.
func StartKernel(ctx context.Context, targets []Target, filter string) (Session, error) {
	if len(targets) == 0 {
		return nil, errors.New("no interface chosen: mark one or more with space, then start")
	}
	type group struct {
		netns, where string
		ifaces       []string
		index        map[string]int
	}
	var groups []*group
	byNetns := map[string]*group{}
	for i, t := range targets {
		g := byNetns[t.Netns]
		if g == nil {
			g = &group{netns: t.Netns, where: t.Where, index: map[string]int{}}
			byNetns[t.Netns] = g
			groups = append(groups, g)
		}
		g.ifaces = append(g.ifaces, t.Iface)
		g.index[t.Iface] = i
	}
	s := &kernelSession{out: make(chan Packet, 1024), done: make(chan struct{})}
	for _, g := range groups {
		c, err := capture.Start(ctx, capture.Config{Netns: g.netns, Where: g.where, Interfaces: g.ifaces, Filter: filter})
		if err != nil {
			s.Stop()
			return nil, err
		}
		s.caps = append(s.caps, c)
	}
	var wg sync.WaitGroup
	for i, c := range s.caps {
		wg.Add(1)
		go func(c *capture.Capture, index map[string]int) {
			defer wg.Done()
			for p := range c.Packets() {
				select {
				case s.out <- Packet{Packet: p, Target: index[p.Iface]}:
				case <-s.done:
				}
			}
		}(c, groups[i].index)
	}
	go func() {
		wg.Wait()
		for _, c := range s.caps {
			if err := c.Err(); err != nil && s.err == nil {
				s.err = err
			}
		}
		close(s.out)
	}()
	return s, nil
}

func (s *kernelSession) Packets() <-chan Packet { return s.out }

func (s *kernelSession) Stats() capture.Stats {
	var sum capture.Stats
	for _, c := range s.caps {
		st := c.Stats()
		sum.Received += st.Received
		sum.Filtered += st.Filtered
		sum.Dropped += st.Dropped
		sum.Skipped += st.Skipped
	}
	return sum
}

func (s *kernelSession) Stop() {
	s.once.Do(func() {
		close(s.done)
		for _, c := range s.caps {
			c.Stop()
		}
	})
}

func (s *kernelSession) Err() error { return s.err }
