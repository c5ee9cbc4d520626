package topology

import (
	"context"
	"fmt"
	"net"
	"os"
	"sort"
	"strings"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"

	"workbench/nsutil"
)

// opened is a namespace being read, with its handles kept open until every veth peer
// is resolved.
type opened struct {
	ns    Namespace
	fd    netns.NsHandle
	h     *netlink.Handle
	links []netlink.Link
	// shared is set while the namespace is named after a container that joined it.
	shared bool
}

// join records that src reads the same namespace: a container that joined it is listed
// in Joined; a container that owns it takes the name from one that had joined it.
func (o *opened) join(src Source) {
	if o.shared && !src.Shared && src.Kind == KindContainer {
		o.ns.Joined = append(o.ns.Joined, o.ns.Name)
		o.ns.Name, o.shared = src.Name, false
		return
	}
	o.ns.Joined = append(o.ns.Joined, src.Name)
}

// Collect reads every source into a snapshot. A namespace reached by two sources (two
// containers sharing one) appears once, the second source listed in its Joined. A source that cannot be
// opened (a container that just went away) is left out and named in the error only
// when nothing could be read at all.
func Collect(ctx context.Context, sources []Source) (Snapshot, error) {
	var all []*opened
	byInode := map[uint64]*opened{}
	defer func() {
		for _, o := range all {
			o.h.Close()
			o.fd.Close()
		}
	}()
	var firstErr error
	for _, src := range sources {
		if err := ctx.Err(); err != nil {
			return Snapshot{}, err
		}
		var st unix.Stat_t
		if unix.Stat(src.Path, &st) == nil && byInode[st.Ino] != nil {
			byInode[st.Ino].join(src) // seen already: not read twice
			continue
		}
		o, err := open(src)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		if prev := byInode[o.ns.Inode]; prev != nil {
			prev.join(src)
			o.h.Close()
			o.fd.Close()
			continue
		}
		o.shared = src.Shared
		byInode[o.ns.Inode] = o
		all = append(all, o)
	}
	if len(all) == 0 && firstErr != nil {
		return Snapshot{}, firstErr
	}
	resolvePeers(all)
	if extra := adoptPeerNamespaces(all, byInode); len(extra) > 0 {
		all = append(all, extra...)
		resolvePeers(all)
	}
	s := Snapshot{Namespaces: make([]Namespace, len(all))}
	for i, o := range all {
		s.Namespaces[i] = o.ns
	}
	sort.SliceStable(s.Namespaces, func(i, j int) bool {
		a, b := s.Namespaces[i], s.Namespaces[j]
		if kindRank[a.Kind] != kindRank[b.Kind] {
			return kindRank[a.Kind] < kindRank[b.Kind]
		}
		return a.Name < b.Name
	})
	return s, nil
}

// open reads the links, addresses and routes of one namespace.
func open(src Source) (*opened, error) {
	fd, err := netns.GetFromPath(src.Path)
	if err != nil {
		return nil, fmt.Errorf("open network namespace %s (%s): %w", src.Name, src.Path, err)
	}
	var st unix.Stat_t
	if err := unix.Fstat(int(fd), &st); err != nil {
		fd.Close()
		return nil, fmt.Errorf("stat network namespace %s: %w", src.Path, err)
	}
	h, err := netlink.NewHandleAt(fd)
	if err != nil {
		fd.Close()
		return nil, fmt.Errorf("open netlink in namespace %s (%s): %w", src.Name, src.Path, err)
	}
	o := &opened{ns: Namespace{Name: src.Name, Kind: src.Kind, Path: src.Path, Inode: st.Ino}, fd: fd, h: h}
	if src.Kind == KindHost || src.Kind == KindLAN {
		o.ns.Forwarding = forwarding(src.Path)
	}
	if err := o.read(); err != nil {
		h.Close()
		fd.Close()
		return nil, fmt.Errorf("read namespace %s (%s): %w", src.Name, src.Path, err)
	}
	return o, nil
}

// forwarding reads net.ipv4.ip_forward inside the namespace at path (sysctls under
// /proc/sys/net belong to the namespace of the thread that opens them).
func forwarding(path string) bool {
	var b []byte
	_ = nsutil.Do(path, func() (err error) {
		b, err = os.ReadFile("/proc/sys/net/ipv4/ip_forward")
		return err
	})
	return strings.TrimSpace(string(b)) == "1"
}

func (o *opened) read() error {
	links, err := o.h.LinkList()
	if err != nil {
		return fmt.Errorf("list links: %w", err)
	}
	o.links = links
	names := make(map[int]string, len(links))
	for _, l := range links {
		names[l.Attrs().Index] = l.Attrs().Name
	}
	addrs, err := o.h.AddrList(nil, netlink.FAMILY_ALL)
	if err != nil {
		return fmt.Errorf("list addresses: %w", err)
	}
	byLink := map[int][]string{}
	for _, a := range addrs {
		if a.IP.IsLinkLocalUnicast() || a.IPNet == nil {
			continue
		}
		byLink[a.LinkIndex] = append(byLink[a.LinkIndex], a.IPNet.String())
	}
	for _, l := range links {
		link := linkOf(l, names, byLink)
		if link.Kind == "vxlan" && link.Tunnel.Remote == "" {
			link.Tunnel.Remotes = o.vxlanRemotes(link.Index)
		}
		o.ns.Links = append(o.ns.Links, link)
	}
	routes, err := o.h.RouteList(nil, netlink.FAMILY_V4)
	if err != nil {
		return fmt.Errorf("list routes: %w", err)
	}
	for _, r := range routes {
		o.ns.Routes = append(o.ns.Routes, routeOf(r, names))
	}
	return nil
}

// linkOf turns a netlink link into the snapshot's Link (the peer is resolved later).
func linkOf(l netlink.Link, names map[int]string, addrs map[int][]string) Link {
	a := l.Attrs()
	out := Link{
		Index: a.Index, Name: a.Name, Kind: l.Type(), MTU: a.MTU,
		Up: a.Flags&net.FlagUp != 0, State: a.OperState.String(),
		Master: names[a.MasterIndex], Addrs: addrs[a.Index],
	}
	if len(a.HardwareAddr) > 0 {
		out.MAC = a.HardwareAddr.String()
	}
	if a.Flags&net.FlagLoopback != 0 {
		out.Kind = "loopback"
	}
	switch t := l.(type) {
	case *netlink.Veth:
		out.Peer = &Peer{Index: a.ParentIndex}
	case *netlink.Vxlan:
		out.Tunnel = &Tunnel{VNI: t.VxlanId, Local: ipString(t.SrcAddr), Remote: ipString(t.Group), Port: t.Port, Dev: names[t.VtepDevIndex]}
	case *netlink.Gretap:
		out.Tunnel = &Tunnel{Local: ipString(t.Local), Remote: ipString(t.Remote), Dev: names[int(t.Link)], Key: t.IKey}
	case *netlink.Gretun:
		out.Tunnel = &Tunnel{Local: ipString(t.Local), Remote: ipString(t.Remote), Dev: names[int(t.Link)], Key: t.IKey}
	}
	return out
}

// vxlanRemotes lists the VTEPs a vxlan without a fixed remote sends to: the
// destinations in its forwarding database (`bridge fdb show dev VXLAN`).
func (o *opened) vxlanRemotes(index int) []string {
	fdb, err := o.h.NeighList(index, unix.AF_BRIDGE)
	if err != nil {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for _, n := range fdb {
		if ip := ipString(n.IP); ip != "" && !seen[ip] {
			seen[ip] = true
			out = append(out, ip)
		}
	}
	sort.Strings(out)
	return out
}

func ipString(ip net.IP) string {
	if len(ip) == 0 || ip.IsUnspecified() {
		return ""
	}
	return ip.String()
}

func routeOf(r netlink.Route, names map[int]string) Route {
	out := Route{Dst: "default", Dev: names[r.LinkIndex], Gateway: ipString(r.Gw)}
	if r.Dst != nil {
		if ones, _ := r.Dst.Mask.Size(); ones > 0 || !r.Dst.IP.IsUnspecified() {
			out.Dst = r.Dst.String()
		}
	}
	return out
}

// resolvePeers names the other end of every veth. A peer in the same namespace is found
// by index; one in another namespace is the veth there whose index is our peer index and
// whose peer index is ours, and when several namespaces have such a link, the one
// whose netnsid (as our namespace numbers it) is the one the kernel gave for our link.
func resolvePeers(all []*opened) {
	for _, o := range all {
		for i, l := range o.links {
			p := o.ns.Links[i].Peer
			if p == nil {
				continue
			}
			a := l.Attrs()
			if a.NetNsID < 0 {
				if peer, ok := o.ns.linkByIndex(p.Index); ok {
					p.Namespace, p.Link = o.ns.Name, peer.Name
				}
				continue
			}
			var cands []*opened
			var candLinks []string
			for _, other := range all {
				if other == o {
					continue
				}
				for _, ol := range other.ns.Links {
					if ol.Index == p.Index && ol.Peer != nil && ol.Peer.Index == a.Index {
						cands = append(cands, other)
						candLinks = append(candLinks, ol.Name)
					}
				}
			}
			for k, c := range cands {
				if len(cands) > 1 {
					if id, err := o.h.GetNetNsIdByFd(int(c.fd)); err != nil || id != a.NetNsID {
						continue
					}
				}
				p.Namespace, p.Link = c.ns.Name, candLinks[k]
				break
			}
		}
	}
}

func (n Namespace) linkByIndex(i int) (Link, bool) {
	for _, l := range n.Links {
		if l.Index == i {
			return l, true
		}
	}
	return Link{}, false
}
