package conntrackview

import (
	"fmt"
	"net/netip"
)

// Table is one lab host's connection tracking table.
type Table struct {
	// Host is the lab host.
	Host string
	// Entries are its connections, in the kernel's order.
	Entries []Entry
	// Err says why the table could not be read, nil when it was.
	Err error
}

// Entry is one tracked connection: the tuple it started with and the one its replies
// carry; where they differ, NAT changed the packets.
type Entry struct {
	// Proto is "tcp", "udp", "icmp" or the protocol number.
	Proto string
	// State is the TCP state (ESTABLISHED, TIME_WAIT...), "" for other protocols.
	State string
	// Original and Reply are the tuples of each direction.
	Original, Reply Tuple
	// SNAT and DNAT tell which translations the connection has.
	SNAT, DNAT bool
	// Timeout is the seconds left before the entry expires.
	Timeout uint32
	// Assured tells that both directions were seen, so the entry is kept under
	// pressure.
	Assured bool
}

// Tuple is one direction of a connection.
type Tuple struct {
	Src, Dst         netip.Addr
	SrcPort, DstPort uint16
	// ICMPID is the echo identifier of an ICMP connection.
	ICMPID uint16
}

// String writes the tuple as "SRC:PORT -> DST:PORT" ("SRC -> DST id N" for ICMP).
func (t Tuple) String() string {
	if t.SrcPort == 0 && t.DstPort == 0 {
		if t.ICMPID != 0 {
			return fmt.Sprintf("%s -> %s id %d", t.Src, t.Dst, t.ICMPID)
		}
		return fmt.Sprintf("%s -> %s", t.Src, t.Dst)
	}
	return fmt.Sprintf("%s:%d -> %s:%d", t.Src, t.SrcPort, t.Dst, t.DstPort)
}

// NAT names the translations: "DNAT", "SNAT", "SNAT+DNAT" or "".
func (e Entry) NAT() string {
	switch {
	case e.SNAT && e.DNAT:
		return "SNAT+DNAT"
	case e.SNAT:
		return "SNAT"
	case e.DNAT:
		return "DNAT"
	}
	return ""
}

// tcpStates are the kernel's TCP conntrack states (enum tcp_conntrack), by number.
var tcpStates = []string{"NONE", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT", "CLOSE_WAIT", "LAST_ACK", "TIME_WAIT", "CLOSE", "SYN_SENT2"}

// tcpState names a TCP conntrack state.
func tcpState(n uint8) string {
	if int(n) < len(tcpStates) {
		return tcpStates[n]
	}
	return fmt.Sprint(n)
}
