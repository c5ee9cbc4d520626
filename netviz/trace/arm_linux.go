package trace

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"time"

	"github.com/google/nftables"
	"github.com/mdlayher/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

// nfnlGroupTrace is NFNLGRP_NFTRACE, the multicast group of nftables trace events.
const nfnlGroupTrace = 9

// sessions counts this process's trace sessions.
var sessions atomic.Int64

// newTableName names the trace table of a new session after the process and the
// session's number, so that two traces of one process (the Trace pane and a lab's
// `expect trace`) each make and remove their own table.
func newTableName() string {
	return fmt.Sprintf("workbench_trace_%d_%d", os.Getpid(), sessions.Add(1))
}

// armed is one namespace with the trace table in it and a socket reading its events.
type armed struct {
	place  Place
	nsFd   netns.NsHandle
	nft    *nftables.Conn
	owner  *netlink.Conn // the socket that owns the table
	events *netlink.Conn // joined to the trace group
}

// arm makes the trace table in a namespace and opens the socket its events come on.
// The events socket is opened first, so that no event of the table is missed.
func arm(p Place, table string, m Marking) (a *armed, err error) {
	a = &armed{place: p}
	if a.nsFd, err = netns.GetFromPath(p.Netns); err != nil {
		return nil, fmt.Errorf("open the network namespace of %s: %w", p.Name, err)
	}
	defer func() {
		if err != nil {
			a.close()
		}
	}()
	if a.events, err = netlink.Dial(unix.NETLINK_NETFILTER, &netlink.Config{NetNS: int(a.nsFd)}); err != nil {
		return a, fmt.Errorf("netfilter netlink in %s: %w", p.Name, err)
	}
	_ = a.events.SetReadBuffer(8 << 20)
	if err = a.events.JoinGroup(nfnlGroupTrace); err != nil {
		return a, fmt.Errorf("join the nftables trace group in %s: %w", p.Name, err)
	}
	a.nft, err = nftables.New(nftables.WithNetNSFd(int(a.nsFd)), nftables.AsLasting(),
		nftables.WithSockOptions(func(c *netlink.Conn) error { a.owner = c; return nil }))
	if err != nil {
		return a, fmt.Errorf("nftables in %s: %w", p.Name, err)
	}
	if err = createOwnedTable(a.owner, table); err != nil {
		return a, fmt.Errorf("make the trace table in %s: %w", p.Name, err)
	}
	t := &nftables.Table{Family: ipFamily, Name: table}
	for _, hc := range hookChains {
		prio := nftables.ChainPriority(hc.priority)
		c := a.nft.AddChain(&nftables.Chain{Name: hc.name, Table: t, Hooknum: hc.hook, Priority: &prio, Type: nftables.ChainTypeFilter})
		if !hc.mark {
			continue
		}
		for _, exprs := range m.markRules(hc.name == "OUTPUT") {
			a.nft.AddRule(&nftables.Rule{Table: t, Chain: c, Exprs: exprs, UserData: comment(commentPrefix)})
		}
	}
	if err = a.nft.Flush(); err != nil {
		return a, fmt.Errorf("add the trace rules in %s: %w", p.Name, err)
	}
	return a, nil
}

// createOwnedTable makes an IPv4 table owned by the socket c, in a batch of its own.
func createOwnedTable(c *netlink.Conn, name string) error {
	attrs := netlink.NewAttributeEncoder()
	attrs.ByteOrder = binary.BigEndian
	attrs.String(unix.NFTA_TABLE_NAME, name)
	attrs.Uint32(unix.NFTA_TABLE_FLAGS, tableOwner)
	data, err := attrs.Encode()
	if err != nil {
		return err
	}
	batch := func(typ netlink.HeaderType) netlink.Message {
		return netlink.Message{Header: netlink.Header{Type: typ, Flags: netlink.Request}, Data: []byte{unix.AF_UNSPEC, 0, 0, unix.NFNL_SUBSYS_NFTABLES}}
	}
	msgs := []netlink.Message{
		batch(unix.NFNL_MSG_BATCH_BEGIN),
		{Header: netlink.Header{Type: netlink.HeaderType(unix.NFNL_SUBSYS_NFTABLES<<8 | unix.NFT_MSG_NEWTABLE), Flags: netlink.Request | netlink.Acknowledge | netlink.Create | netlink.Excl},
			Data: append([]byte{byte(ipFamily), 0, 0, 0}, data...)},
		batch(unix.NFNL_MSG_BATCH_END),
	}
	sent, err := c.SendMessages(msgs)
	if err != nil {
		return err
	}
	for {
		replies, err := c.Receive()
		if err != nil {
			if errors.Is(err, unix.EOPNOTSUPP) || errors.Is(err, unix.EINVAL) {
				return fmt.Errorf("%w (tracing needs nftables tables owned by a process, Linux 5.12 or later)", err)
			}
			return err
		}
		for _, r := range replies {
			if r.Header.Sequence == sent[1].Header.Sequence && r.Header.Type == netlink.Error {
				return nil // an ack; errors come back as err from Receive
			}
		}
	}
}

// close removes the table (closing the socket that owns it does) and releases the rest.
func (a *armed) close() {
	if a.nft != nil {
		_ = a.nft.CloseLasting()
	}
	if a.events != nil {
		_ = a.events.Close()
	}
	if a.nsFd.IsOpen() {
		_ = a.nsFd.Close()
	}
}

// readPause is how long the reader sleeps once it has read every event queued: the
// kernel queues the events meanwhile without waking anyone, which costs the traced
// packets far less than a wake-up for each event.
const readPause = 5 * time.Millisecond

// msgTrace is the netlink message type of an nftables trace event.
const msgTrace = unix.NFNL_SUBSYS_NFTABLES<<8 | unix.NFT_MSG_TRACE

// readEvents reads trace events until the socket is closed, calling fn with each: it
// reads what is queued without blocking, then sleeps.
func (a *armed) readEvents(fn func(Event)) error {
	rc, err := a.events.SyscallConn()
	if err != nil {
		return err
	}
	buf := make([]byte, 1<<16)
	for {
		var rerr error
		cerr := rc.Control(func(fd uintptr) {
			for {
				n, _, err := unix.Recvfrom(int(fd), buf, unix.MSG_DONTWAIT)
				if err != nil {
					if err != unix.EAGAIN && err != unix.EINTR {
						rerr = err
					}
					return
				}
				// The events keep slices of their datagram: each gets a copy.
				eachMessage(append([]byte(nil), buf[:n]...), fn)
			}
		})
		switch {
		case cerr != nil:
			return nil // closed
		case rerr == unix.ENOBUFS:
			return fmt.Errorf("the trace events of %s came faster than they were read: narrow the filter", a.place.Name)
		case rerr != nil:
			return fmt.Errorf("read the trace events of %s: %w", a.place.Name, rerr)
		}
		time.Sleep(readPause)
	}
}

// eachMessage decodes the trace events among the netlink messages of one datagram.
func eachMessage(b []byte, fn func(Event)) {
	for len(b) >= unix.NLMSG_HDRLEN {
		l := int(binary.NativeEndian.Uint32(b))
		typ := binary.NativeEndian.Uint16(b[4:])
		if l < unix.NLMSG_HDRLEN || l > len(b) {
			return
		}
		if typ == msgTrace {
			if e, err := DecodeEvent(b[unix.NLMSG_HDRLEN:l]); err == nil {
				fn(e)
			}
		}
		b = b[min((l+3)&^3, len(b)):]
	}
}
