package conntrackview

import (
	"context"
	"fmt"

	"github.com/mdlayher/netlink"
	"github.com/ti-mo/conntrack"
	"github.com/vishvananda/netns"

	"workbench/core/network"
	"workbench/instance"
)

// KernelSource reads the conntrack tables of an instance's lab hosts through netlink,
// in each host's network namespace.
type KernelSource struct{ Inst instance.Instance }

// Read reads the table of every lab host (the machine's own, `real`, is left out).
func (s KernelSource) Read(ctx context.Context) ([]Table, error) {
	var out []Table
	for _, ns := range network.Namespaces(s.Inst) {
		if ns.Name == network.LANName || ns.Name == network.RealHost {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		entries, err := dump(ns.Path)
		out = append(out, Table{Host: ns.Name, Entries: entries, Err: err})
	}
	return out, nil
}

// dump lists the IPv4 connections tracked in the namespace at path.
func dump(path string) ([]Entry, error) {
	fd, err := netns.GetFromPath(path)
	if err != nil {
		return nil, fmt.Errorf("open the namespace: %w", err)
	}
	defer fd.Close()
	c, err := conntrack.Dial(&netlink.Config{NetNS: int(fd)})
	if err != nil {
		return nil, fmt.Errorf("conntrack netlink: %w", err)
	}
	defer c.Close()
	flows, err := c.Dump(nil)
	if err != nil {
		return nil, fmt.Errorf("read the conntrack table: %w", err)
	}
	out := make([]Entry, 0, len(flows))
	for _, f := range flows {
		if f.TupleOrig.IP.SourceAddress.Is4() {
			out = append(out, entryOf(f))
		}
	}
	return out, nil
}

// entryOf is a flow as the pane shows it.
func entryOf(f conntrack.Flow) Entry {
	e := Entry{
		Proto:    protoName(f.TupleOrig.Proto.Protocol),
		Original: tupleOf(f.TupleOrig),
		Reply:    tupleOf(f.TupleReply),
		SNAT:     f.Status.SrcNAT(),
		DNAT:     f.Status.DstNAT(),
		Timeout:  f.Timeout,
		Assured:  f.Status.Assured(),
	}
	if f.ProtoInfo.TCP != nil {
		e.State = tcpState(f.ProtoInfo.TCP.State)
	}
	return e
}

func tupleOf(t conntrack.Tuple) Tuple {
	return Tuple{
		Src: t.IP.SourceAddress, Dst: t.IP.DestinationAddress,
		SrcPort: t.Proto.SourcePort, DstPort: t.Proto.DestinationPort,
		ICMPID: t.Proto.ICMPID,
	}
}

func protoName(p uint8) string {
	switch p {
	case 1:
		return "icmp"
	case 6:
		return "tcp"
	case 17:
		return "udp"
	}
	return fmt.Sprint(p)
}
