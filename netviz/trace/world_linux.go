package trace

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"strings"
	"sync"

	"github.com/google/nftables"
	"github.com/mdlayher/netlink"
	"github.com/ti-mo/conntrack"
	"github.com/vishvananda/netns"

	"workbench/netviz/iptables"
	"workbench/netviz/topology"
	"workbench/nsutil"
)

// kernelWorld answers the assembly from a topology snapshot of the lab taken when the
// trace was armed, and from each namespace's rules and conntrack table read when asked.
type kernelWorld struct {
	ctx    context.Context
	places []Place
	topo   []topology.Namespace // by place index; Name "" when it could not be read
	byName map[string]int

	mu    sync.Mutex
	rules map[int]*ruleBook
}

// ruleBook is a namespace's iptables rules with the nftables handle of each.
type ruleBook struct {
	save    iptables.Snapshot
	handles map[string][]uint64 // "table/chain" -> handles in order
}

func newKernelWorld(ctx context.Context, places []Place) (*kernelWorld, error) {
	w := &kernelWorld{ctx: ctx, places: places, byName: map[string]int{}, rules: map[int]*ruleBook{}}
	var srcs []topology.Source
	for i, p := range places {
		w.byName[p.Name] = i
		srcs = append(srcs, topology.Source{Name: p.Name, Kind: topology.Kind(p.Kind), Path: p.Netns})
	}
	snap, err := topology.Collect(ctx, srcs)
	if err != nil {
		return nil, fmt.Errorf("read the lab's links: %w", err)
	}
	w.topo = make([]topology.Namespace, len(places))
	for _, n := range snap.Namespaces {
		if i, ok := w.byName[n.Name]; ok {
			w.topo[i] = n
		}
	}
	return w, nil
}

func (w *kernelWorld) place(ns int) Place { return w.places[ns] }

func (w *kernelWorld) link(ns int, index uint32) (topology.Link, bool) {
	for _, l := range w.topo[ns].Links {
		if l.Index == int(index) {
			return l, true
		}
	}
	return topology.Link{}, false
}

func (w *kernelWorld) linkName(ns int, index uint32) string {
	if l, ok := w.link(ns, index); ok {
		return l.Name
	}
	return fmt.Sprintf("if%d", index)
}

func (w *kernelWorld) isBridge(ns int, index uint32) bool {
	l, ok := w.link(ns, index)
	return ok && l.Kind == "bridge"
}

func (w *kernelWorld) arrivals(ns int, index uint32) []arrival {
	l, ok := w.link(ns, index)
	if !ok {
		return nil
	}
	here := w.places[ns].Name
	var out []arrival
	peerOf := func(l topology.Link, via string) {
		if l.Peer == nil || l.Peer.Namespace == "" {
			return
		}
		if i, ok := w.byName[l.Peer.Namespace]; ok {
			var bridge uint32
			if peer, ok := w.link(i, uint32(l.Peer.Index)); ok && peer.Master != "" {
				for _, m := range w.topo[i].Links {
					if m.Name == peer.Master {
						bridge = uint32(m.Index)
					}
				}
			}
			text := via + fmt.Sprintf("veth pair %s:%s ⇄ %s:%s", here, l.Name, l.Peer.Namespace, l.Peer.Link)
			if peer, ok := w.link(i, uint32(l.Peer.Index)); ok && peer.Master != "" {
				text += fmt.Sprintf(", bridge %s port %s", peer.Master, peer.Name)
			}
			out = append(out, arrival{ns: i, index: uint32(l.Peer.Index), bridge: bridge, via: text})
		}
	}
	switch l.Kind {
	case "veth":
		peerOf(l, "")
	case "bridge":
		for _, port := range w.topo[ns].Links {
			if port.Master == l.Name && port.Kind == "veth" {
				peerOf(port, fmt.Sprintf("bridge %s port %s, ", l.Name, port.Name))
			}
		}
	}
	return out
}

func (w *kernelWorld) rule(ns int, table, chain string, handle uint64) *Rule {
	r := &Rule{Table: table, Chain: chain, Text: fmt.Sprintf("(nftables rule handle %d)", handle)}
	for attempt := 0; attempt < 2; attempt++ {
		b := w.ruleBook(ns, attempt > 0)
		if b == nil {
			return r
		}
		for i, h := range b.handles[table+"/"+chain] {
			if h != handle {
				continue
			}
			t, _ := b.save.Table(table)
			for _, c := range t.Chains {
				if c.Name == chain && i < len(c.Rules) {
					ir := c.Rules[i]
					return &Rule{Table: table, Chain: chain, Num: ir.Num, Text: "-A " + chain + " " + ir.Spec, Comment: ir.Comment, Target: ir.Target}
				}
			}
		}
	}
	return r
}

// ruleBook reads (or, with fresh, reads again) a namespace's rules.
func (w *kernelWorld) ruleBook(ns int, fresh bool) *ruleBook {
	w.mu.Lock()
	defer w.mu.Unlock()
	if b := w.rules[ns]; b != nil && !fresh {
		return b
	}
	p := w.places[ns]
	save, err := iptables.Read(w.ctx, p.Netns, p.Name)
	if err != nil {
		return nil
	}
	b := &ruleBook{save: save, handles: map[string][]uint64{}}
	fd, err := netns.GetFromPath(p.Netns)
	if err != nil {
		return nil
	}
	defer fd.Close()
	c, err := nftables.New(nftables.WithNetNSFd(int(fd)))
	if err != nil {
		return nil
	}
	for _, t := range save.Tables {
		tab := &nftables.Table{Family: nftables.TableFamilyIPv4, Name: t.Name}
		for _, ch := range t.Chains {
			rules, err := c.GetRules(tab, &nftables.Chain{Name: ch.Name, Table: tab})
			if err != nil {
				continue
			}
			for _, r := range rules {
				b.handles[t.Name+"/"+ch.Name] = append(b.handles[t.Name+"/"+ch.Name], r.Handle)
			}
		}
	}
	w.rules[ns] = b
	return b
}

func (w *kernelWorld) route(ns int, h Header, in, out string) *Route {
	n := w.topo[ns]
	for _, l := range n.Links {
		for _, a := range l.Addrs {
			if pfx, err := netip.ParsePrefix(a); err == nil && pfx.Addr() == h.Dst {
				return &Route{Route: "local " + h.Dst.String() + " dev " + l.Name, Local: true}
			}
		}
	}
	best, bits := topology.Route{}, -1
	for _, r := range n.Routes {
		dst := r.Dst
		if dst == "default" {
			dst = "0.0.0.0/0"
		}
		pfx, err := netip.ParsePrefix(dst)
		if err == nil && pfx.Contains(h.Dst) && pfx.Bits() > bits && (out == "" || r.Dev == out) {
			best, bits = r, pfx.Bits()
		}
	}
	rt := &Route{}
	if bits >= 0 {
		rt.Route, rt.Dev, rt.Gateway = best.Dst, best.Dev, best.Gateway
		if best.Gateway != "" {
			rt.Route += " via " + best.Gateway
		}
		if best.Dev != "" {
			rt.Route += " dev " + best.Dev
		}
	}
	if out != "" || in == "" {
		return rt
	}
	switch {
	case !forwarding(w.places[ns].Netns):
		rt.Refused = "not forwarded: net.ipv4.ip_forward is 0"
	case bits < 0:
		rt.Refused = "no route to " + h.Dst.String()
	}
	return rt
}

// forwarding reads net.ipv4.ip_forward in a namespace.
func forwarding(path string) bool {
	on := true
	_ = nsutil.Do(path, func() error {
		b, err := os.ReadFile("/proc/sys/net/ipv4/ip_forward")
		on = err != nil || strings.TrimSpace(string(b)) != "0"
		return nil
	})
	return on
}

func (w *kernelWorld) conntrack(ns int, h Header) *Conntrack {
	fd, err := netns.GetFromPath(w.places[ns].Netns)
	if err != nil {
		return nil
	}
	defer fd.Close()
	c, err := conntrack.Dial(&netlink.Config{NetNS: int(fd)})
	if err != nil {
		return nil
	}
	defer c.Close()
	var f conntrack.Flow
	f.TupleOrig.IP.SourceAddress, f.TupleOrig.IP.DestinationAddress = h.Src, h.Dst
	switch h.Proto {
	case "tcp":
		f.TupleOrig.Proto.Protocol = protoTCP
	case "udp":
		f.TupleOrig.Proto.Protocol = protoUDP
	case "icmp":
		f.TupleOrig.Proto = conntrack.ProtoTuple{Protocol: protoICMP, ICMPv4: true, ICMPID: h.ICMPID, ICMPType: h.ICMPType, ICMPCode: h.ICMPCode}
	default:
		return nil
	}
	f.TupleOrig.Proto.SourcePort, f.TupleOrig.Proto.DestinationPort = h.SrcPort, h.DstPort
	got, err := c.Get(f)
	if err != nil {
		return nil
	}
	return &Conntrack{Original: tupleText(got.TupleOrig), Reply: tupleText(got.TupleReply)}
}

func tupleText(t conntrack.Tuple) string {
	if t.Proto.ICMPv4 {
		return fmt.Sprintf("%s -> %s icmp id %d", t.IP.SourceAddress, t.IP.DestinationAddress, t.Proto.ICMPID)
	}
	return fmt.Sprintf("%s:%d -> %s:%d", t.IP.SourceAddress, t.Proto.SourcePort, t.IP.DestinationAddress, t.Proto.DestinationPort)
}
