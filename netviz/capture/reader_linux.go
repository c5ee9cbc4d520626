package capture

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sort"
	"sync/atomic"
	"time"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"workbench/nsutil"
)

// reader owns one ring and the interfaces it sees.
type reader struct {
	place                                place
	ring                                 *ring
	names                                map[int]string // ifindex -> the tag of lines: name, or place:name
	loopback                             map[int]bool
	dec                                  *Decoder
	mem                                  arena
	send                                 func(Packet) bool
	received, filtered, dropped, skipped atomic.Uint64
}

func (c *Capture) newReader(cfg *Config, pl place, ifindex int, prog []bpf.RawInstruction, ifaces []net.Interface) (*reader, error) {
	r, err := openRing(ifindex, prog, cfg.BufferSize, !cfg.NoPromisc)
	if err != nil {
		return nil, err
	}
	rd := &reader{place: pl, ring: r, names: map[int]string{}, loopback: map[int]bool{}, dec: NewDecoder(cfg.LinkHeaders)}
	for _, i := range ifaces {
		rd.names[i.Index] = pl.tag + i.Name
		rd.loopback[i.Index] = i.Flags&net.FlagLoopback != 0
	}
	return rd, nil
}

// run reads one ring until the capture stops.
func (c *Capture) run(ctx context.Context, r *reader) {
	defer c.wg.Done()
	defer r.ring.close()
	defer r.updateStats()
	for ctx.Err() == nil {
		ready, err := r.ring.wait(100 * time.Millisecond)
		if err != nil {
			var down errDown
			if errors.As(err, &down) {
				err = fmt.Errorf("%s in %s went down or away (%v): capture it again once it is back", r.ifaceNames(), r.place.where, down)
			}
			c.fail(err)
			return
		}
		if ready {
			r.ring.drain(r.handle)
		}
		r.updateStats()
	}
}

func (r *reader) updateStats() {
	if pk, dr, err := r.ring.stats(); err == nil {
		r.filtered.Add(pk)
		r.dropped.Add(dr)
	}
}

// handle copies one packet out of the ring, decodes it and delivers it.
func (r *reader) handle(p *rawPacket) {
	if p.hatype != unix.ARPHRD_ETHER && p.hatype != unix.ARPHRD_LOOPBACK {
		r.skipped.Add(1)
		return
	}
	if p.pkttype == unix.PACKET_OUTGOING && r.loopback[p.ifindex] {
		return // the loopback shows each packet twice, as sent and as received
	}
	n := len(p.data)
	if p.vlanTag != 0 {
		n += 4
	}
	buf := r.mem.reserve(n + 256)
	if p.vlanTag != 0 && len(p.data) >= 12 {
		buf = append(buf, p.data[:12]...)
		buf = append(buf, byte(p.vlanTag>>8), byte(p.vlanTag), byte(p.vlan>>8), byte(p.vlan))
		buf = append(buf, p.data[12:]...)
	} else {
		buf = append(buf, p.data...)
	}
	data := r.mem.commit(buf)
	pkt := Packet{Time: p.time, Iface: r.name(p.ifindex), Dir: DirIn, Length: p.wireLen + n - len(p.data), Data: data}
	if p.pkttype == unix.PACKET_OUTGOING {
		pkt.Dir = DirOut
	}
	line := r.dec.AppendLine(r.mem.reserve(256), &pkt)
	pkt.Line = str(r.mem.commit(line))
	if r.send(pkt) {
		r.received.Add(1)
	}
}

// ifaceNames names the interfaces of the reader for messages.
func (r *reader) ifaceNames() string {
	var names []string
	for _, n := range r.names {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(names) == 1 {
		return "interface " + names[0]
	}
	return "an interface"
}

// name returns the name of an interface, looking again for one made since the start.
func (r *reader) name(ifindex int) string {
	if n, ok := r.names[ifindex]; ok {
		return n
	}
	name := "if" + fmt.Sprint(ifindex)
	_ = nsutil.Do(r.place.netns, func() error {
		if i, err := net.InterfaceByIndex(ifindex); err == nil {
			name = i.Name
			r.loopback[ifindex] = i.Flags&net.FlagLoopback != 0
		}
		return nil
	})
	name = r.place.tag + name
	r.names[ifindex] = name
	return name
}
