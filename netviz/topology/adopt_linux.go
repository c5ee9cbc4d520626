package topology

import (
	"path/filepath"

	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"

	"workbench/core/network"
)

// adoptPeerNamespaces finds, among the named namespaces of the machine (/run/netns/*)
// that were not read, those holding the other end of a veth that is still unresolved,
// as a namespace made by hand with `ip netns add` and joined to a lab bridge, and
// reads them as KindOther. Their peers are then resolved like any other.
func adoptPeerNamespaces(all []*opened, byInode map[uint64]*opened) []*opened {
	type want struct {
		o    *opened
		nsid int
	}
	var wants []want
	for _, o := range all {
		for i, l := range o.ns.Links {
			if l.Peer != nil && l.Peer.Namespace == "" && o.links[i].Attrs().NetNsID >= 0 {
				wants = append(wants, want{o, o.links[i].Attrs().NetNsID})
			}
		}
	}
	if len(wants) == 0 {
		return nil
	}
	files := network.NamedNamespaces()
	var extra []*opened
	for _, f := range files {
		fd, err := netns.GetFromPath(f)
		if err != nil {
			continue
		}
		var st unix.Stat_t
		if unix.Fstat(int(fd), &st) != nil || byInode[st.Ino] != nil {
			fd.Close()
			continue
		}
		match := false
		for _, w := range wants {
			if id, err := w.o.h.GetNetNsIdByFd(int(fd)); err == nil && id == w.nsid {
				match = true
				break
			}
		}
		fd.Close()
		if !match {
			continue
		}
		o, err := open(Source{Name: filepath.Base(f), Kind: KindOther, Path: f})
		if err != nil {
			continue
		}
		byInode[o.ns.Inode] = o
		extra = append(extra, o)
	}
	return extra
}
