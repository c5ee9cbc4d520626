package capture

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"workbench/netviz/capture/filter"
	"workbench/nsutil"
)

// Config says where and what to capture.
type Config struct {
	Netns       string        // path of the network namespace the interfaces live in
	Where       string        // how to name that namespace in messages, e.g. "host host1"
	Interfaces  []string      // interface names; none or "any" = every interface there
	Filter      string        // tcpdump-style filter expression; "" keeps everything
	LinkHeaders bool          // print MAC addresses in lines (tcpdump -e)
	Snaplen     int           // bytes kept of each packet; 0 = 262144
	BufferSize  int           // bytes of ring per interface; 0 = 8 MiB
	Reorder     time.Duration // how long packets wait to be merged in time order; 0 = 50 ms
	NoPromisc   bool          // leave named interfaces out of promiscuous mode (tcpdump -p)
	// Targets are interfaces in several namespaces, merged in time order into one
	// capture (a ping followed hop by hop); when set, Netns and Interfaces are unused.
	Targets []Target
}

// Target is one interface of a capture over several namespaces.
type Target struct {
	Netns string // the namespace the interface lives in
	Where string // how to name that namespace in messages, e.g. "container web"
	Place string // a short name for it that tags lines ("web" gives "web:eth0"); "" = none
	Iface string // the interface's name there; "any" = every interface
}

// Stats are the counters of a capture so far.
type Stats struct {
	Received uint64 // packets delivered
	Filtered uint64 // packets the kernel's filter passed (delivered or dropped)
	Dropped  uint64 // packets the kernel dropped because the ring was full
	Skipped  uint64 // packets of links that are not Ethernet, which cannot be decoded
}

// Capture is a running capture. Read Packets until it is closed, then Err.
type Capture struct {
	cfg     Config
	out     chan Packet
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	readers []*reader
	errMu   sync.Mutex
	err     error
}

// Start opens the capture and starts delivering packets; it stops when ctx ends, when
// Stop is called, or on an error (see Err). The caller reads Packets until it is closed.
func Start(ctx context.Context, cfg Config) (*Capture, error) {
	c, err := open(cfg)
	if err != nil {
		return nil, err
	}
	c.start(ctx)
	return c, nil
}

// open compiles the filter and opens the rings: from then on the kernel fills them.
func open(cfg Config) (*Capture, error) {
	if cfg.Netns == "" && len(cfg.Targets) == 0 {
		return nil, errors.New("capture: no network namespace given: name the path of one (a host's /run/netns file, a container's netns file)")
	}
	if cfg.Snaplen <= 0 {
		cfg.Snaplen = filter.DefaultSnaplen
	}
	if cfg.BufferSize <= 0 {
		cfg.BufferSize = 8 << 20
	}
	if cfg.Reorder <= 0 {
		cfg.Reorder = 50 * time.Millisecond
	}
	if cfg.Where == "" {
		cfg.Where = "network namespace " + cfg.Netns
	}
	prog, err := filter.Compile(cfg.Filter, uint32(cfg.Snaplen))
	if err != nil {
		return nil, err
	}
	raw, err := bpf.Assemble(prog)
	if err != nil {
		return nil, fmt.Errorf("assemble the filter: %w", err)
	}
	c := &Capture{out: make(chan Packet, 1024), cfg: cfg}
	if err := c.openRings(&c.cfg, raw); err != nil {
		return nil, err
	}
	return c, nil
}

// start starts one reader per ring, and the merge when there are several.
func (c *Capture) start(ctx context.Context) {
	ctx, c.cancel = context.WithCancel(ctx)
	if len(c.readers) == 1 {
		c.readers[0].send = sender(ctx, c.out)
	} else {
		in := make(chan Packet, 4096)
		for _, r := range c.readers {
			r.send = sender(ctx, in)
		}
		go merge(in, c.out, c.cfg.Reorder)
		defer func() { go func() { c.wg.Wait(); close(in) }() }()
	}
	for _, r := range c.readers {
		c.wg.Add(1)
		go c.run(ctx, r)
	}
	if len(c.readers) == 1 {
		go func() { c.wg.Wait(); close(c.out) }()
	}
}

func sender(ctx context.Context, ch chan<- Packet) func(Packet) bool {
	return func(p Packet) bool {
		select {
		case ch <- p:
			return true
		case <-ctx.Done():
			return false
		}
	}
}

// place is one network namespace of a capture and the interfaces captured there.
type place struct {
	netns, where, tag string   // tag prefixes interface names in lines ("web:")
	ifaces            []string // nil = every interface
}

// places groups the interfaces of cfg by namespace, in the order they were given.
func places(cfg *Config) []place {
	if len(cfg.Targets) == 0 {
		return []place{{netns: cfg.Netns, where: cfg.Where, ifaces: cfg.Interfaces}}
	}
	var ps []place
	at := map[string]int{}
	for _, t := range cfg.Targets {
		i, ok := at[t.Netns]
		if !ok {
			i, at[t.Netns] = len(ps), len(ps)
			tag := ""
			if t.Place != "" {
				tag = t.Place + ":"
			}
			ps = append(ps, place{netns: t.Netns, where: t.Where, tag: tag})
		}
		ps[i].ifaces = append(ps[i].ifaces, t.Iface)
	}
	return ps
}

// openRings makes, in each namespace, one ring per named interface or one for every
// interface.
func (c *Capture) openRings(cfg *Config, prog []bpf.RawInstruction) error {
	for _, pl := range places(cfg) {
		if pl.where == "" {
			pl.where = "network namespace " + pl.netns
		}
		if err := c.openPlace(cfg, pl, prog); err != nil {
			for _, r := range c.readers {
				r.ring.close()
			}
			c.readers = nil
			if errors.Is(err, unix.ENOENT) {
				return fmt.Errorf("no network namespace at %s (%s): is it still there?", pl.netns, pl.where)
			}
			return err
		}
	}
	return nil
}

func (c *Capture) openPlace(cfg *Config, pl place, prog []bpf.RawInstruction) error {
	names := pl.ifaces
	if len(names) == 0 || len(names) == 1 && names[0] == "any" {
		names = nil
	}
	return nsutil.Do(pl.netns, func() error {
		all, err := net.Interfaces()
		if err != nil {
			return fmt.Errorf("list the interfaces of %s: %w", pl.where, err)
		}
		byName := map[string]net.Interface{}
		for _, i := range all {
			byName[i.Name] = i
		}
		if names == nil {
			r, err := c.newReader(cfg, pl, 0, prog, all)
			if err != nil {
				return err
			}
			c.readers = append(c.readers, r)
			return nil
		}
		seen := map[string]bool{}
		for _, name := range names {
			if name == "any" {
				return fmt.Errorf("-i any captures every interface on its own: do not list others with it")
			}
			i, ok := byName[name]
			if !ok {
				return fmt.Errorf("no interface %q in %s: it has %s", name, pl.where, interfaceNames(all))
			}
			if seen[name] {
				continue
			}
			seen[name] = true
			r, err := c.newReader(cfg, pl, i.Index, prog, []net.Interface{i})
			if err != nil {
				return fmt.Errorf("capture on %s in %s: %w", name, pl.where, err)
			}
			c.readers = append(c.readers, r)
		}
		return nil
	})
}

func interfaceNames(all []net.Interface) string {
	var names []string
	for _, i := range all {
		names = append(names, i.Name)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

func (c *Capture) fail(err error) {
	c.errMu.Lock()
	if c.err == nil {
		c.err = err
	}
	c.errMu.Unlock()
	c.cancel()
}

// Packets delivers the packets in time order; it is closed when the capture ends.
func (c *Capture) Packets() <-chan Packet { return c.out }

// Stop ends the capture; Packets is closed once the last packet is delivered.
func (c *Capture) Stop() { c.cancel() }

// Err is the error that ended the capture, if any; call it once Packets is closed.
func (c *Capture) Err() error {
	c.errMu.Lock()
	defer c.errMu.Unlock()
	return c.err
}

// Stats returns the counters so far, summed over the capture's interfaces.
func (c *Capture) Stats() Stats {
	var s Stats
	for _, r := range c.readers {
		s.Received += r.received.Load()
		s.Filtered += r.filtered.Load()
		s.Dropped += r.dropped.Load()
		s.Skipped += r.skipped.Load()
	}
	return s
}
