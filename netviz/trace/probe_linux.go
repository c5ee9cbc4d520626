package trace

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"net/netip"
	"time"

	"golang.org/x/sys/unix"

	"workbench/nsutil"
)

// Probe is one packet sent from a namespace of the lab to an address: an ICMP echo
// request, a TCP connection's SYN or a UDP datagram.
type Probe struct {
	// From is the namespace it is sent from.
	From Place
	// To is the address it is sent to.
	To netip.Addr
	// Proto is "icmp", "tcp" or "udp".
	Proto string
	// Port is the TCP or UDP port.
	Port uint16
	// Timeout bounds the wait for a TCP connection.
	Timeout time.Duration

	id uint16 // the echo's identifier
}

func (p *Probe) protocol() byte {
	switch p.Proto {
	case "tcp":
		return protoTCP
	case "udp":
		return protoUDP
	}
	return protoICMP
}

// matches tells whether a leg is the probe: made in From for To by the probe's socket.
func (p *Probe) matches(l []*pass) bool {
	first := l[0]
	h, ok := firstHeader(first)
	if !ok || first.in != 0 || first.events[0].hook != "OUTPUT" || h.Dst != p.To || h.Proto != p.Proto {
		return false
	}
	if p.Proto == "icmp" {
		return h.ICMPType == icmpEcho && h.ICMPID == p.id
	}
	return h.DstPort == p.Port && (p.Proto != "tcp" || h.Flags == "S")
}

// send sends the probe from its namespace, its socket carrying the priority that the
// trace marks.
func (p *Probe) send(ctx context.Context) error {
	var fd int
	typ, proto := unix.SOCK_RAW, unix.IPPROTO_ICMP
	switch p.Proto {
	case "tcp":
		typ, proto = unix.SOCK_STREAM, unix.IPPROTO_TCP
	case "udp":
		typ, proto = unix.SOCK_DGRAM, unix.IPPROTO_UDP
	}
	err := nsutil.Do(p.From.Netns, func() (err error) {
		fd, err = unix.Socket(unix.AF_INET, typ|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, proto)
		return err
	})
	if err != nil {
		return fmt.Errorf("a socket in %s: %w", p.From.Name, err)
	}
	defer unix.Close(fd)
	if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_PRIORITY, probeBaton); err != nil {
		return fmt.Errorf("mark the probe: %w", err)
	}
	to := &unix.SockaddrInet4{Addr: p.To.As4(), Port: int(p.Port)}
	switch p.Proto {
	case "icmp":
		return unix.Sendto(fd, echoRequest(p.id, 1), 0, to)
	case "udp":
		return unix.Sendto(fd, []byte("workbench trace probe\n"), 0, to)
	}
	if err := unix.Connect(fd, to); err != nil && err != unix.EINPROGRESS {
		return fmt.Errorf("connect to %s:%d: %w", p.To, p.Port, err)
	}
	deadline := time.Now().Add(p.Timeout)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLOUT}}
		if n, _ := unix.Poll(fds, 50); n > 0 {
			break
		}
	}
	return nil // refused or not: the journey tells
}

// newProbeID picks a random echo identifier.
func (p *Probe) newProbeID() {
	var b [2]byte
	_, _ = rand.Read(b[:])
	p.id = binary.BigEndian.Uint16(b[:]) | 1
}

// echoRequest is an ICMP echo request with its checksum.
func echoRequest(id, seq uint16) []byte {
	b := make([]byte, 8+32)
	b[0] = icmpEcho
	binary.BigEndian.PutUint16(b[4:], id)
	binary.BigEndian.PutUint16(b[6:], seq)
	copy(b[8:], "workbench trace probe")
	var sum uint32
	for i := 0; i < len(b); i += 2 {
		sum += uint32(binary.BigEndian.Uint16(b[i:]))
	}
	for sum > 0xffff {
		sum = sum>>16 + sum&0xffff
	}
	binary.BigEndian.PutUint16(b[2:], ^uint16(sum))
	return b
}
