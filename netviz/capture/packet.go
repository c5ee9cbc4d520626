// Package capture captures packets on interfaces inside any network namespace of the
// lab (a host, a container, or the machine itself), with AF_PACKET sockets and a
// TPACKET_V3 ring in pure Go, filters them in the kernel with classic BPF compiled from
// tcpdump's vocabulary, decodes them with gopacket into tcpdump-style lines, merges
// several interfaces in time order, and reads and writes pcap files.
package capture

import (
	"time"
	"unsafe"
)

// Direction says whether a packet left or arrived on its interface.
type Direction uint8

// Directions, from the kernel's sll_pkttype.
const (
	DirUnknown Direction = iota // read from a file: the direction is not recorded
	DirIn                       // arrived on the interface (host, broadcast, multicast, other host)
	DirOut                      // sent by the interface (PACKET_OUTGOING)
)

// String is tcpdump's word for the direction: "In" or "Out".
func (d Direction) String() string {
	switch d {
	case DirIn:
		return "In"
	case DirOut:
		return "Out"
	}
	return ""
}

// Packet is one captured packet. Data and Line live in blocks of 1 MiB shared with the
// packets captured around it: read them, never write to them, and copy them (bytes.Clone,
// strings.Clone) to keep a few packets for long out of many.
type Packet struct {
	Time   time.Time
	Iface  string    // the interface it was seen on
	Dir    Direction // In or Out
	Length int       // its length on the wire; Data may be shorter (snaplen)
	Data   []byte    // the frame from its Ethernet header on
	Line   string    // the tcpdump-style summary, without a newline
}

// arena hands out byte slices carved from large blocks, so that copying a packet out of
// the ring costs no allocation of its own: a block is freed by the garbage collector
// once no packet of it is referenced any more.
type arena struct{ block []byte }

const arenaBlock = 1 << 20

// reserve returns the free tail of the current block with room for at least n bytes,
// to append to; commit then keeps what was appended.
func (a *arena) reserve(n int) []byte {
	if cap(a.block)-len(a.block) < n {
		a.block = make([]byte, 0, max(arenaBlock, n))
	}
	return a.block[len(a.block):len(a.block):cap(a.block)]
}

// commit keeps b, which was appended to the slice reserve returned, and returns it.
func (a *arena) commit(b []byte) []byte {
	if len(b) > 0 && cap(a.block) > len(a.block) && &b[0] == &a.block[len(a.block):cap(a.block)][0] && len(b) <= cap(a.block)-len(a.block) {
		a.block = a.block[:len(a.block)+len(b)]
		return b[:len(b):len(b)]
	}
	return b // it outgrew the block and was moved by append: it owns its memory
}

// str views arena bytes as a string; they are never written again.
func str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}
