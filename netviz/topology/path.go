package topology

import "slices"

// Hop is one link on a container's path to the outside.
type Hop struct {
	// Namespace and Link name the link: the Name of its namespace and its own name.
	Namespace, Link string
}

// Path returns the links a packet from the container (a namespace Name, the name of a
// container that joined a namespace, or a namespace file path) crosses on its way out: its
// interface, the veth end on the host, the bridge, the host's uplink (the link of its
// default route) and, on the LAN, the uplink's peer and the LAN bridge. It is empty
// when no namespace has that name.
func Path(s Snapshot, container string) []Hop {
	c, ok := s.find(container)
	if !ok {
		return nil
	}
	var hops []Hop
	seen := map[Hop]bool{}
	add := func(h Hop) {
		if h.Link != "" && !seen[h] {
			seen[h] = true
			hops = append(hops, h)
		}
	}
	for _, l := range c.Links {
		if l.Peer == nil || l.Peer.Namespace == "" || l.Peer.Namespace == c.Name {
			continue
		}
		add(Hop{c.Name, l.Name})
		host, _ := s.Namespace(l.Peer.Namespace)
		add(Hop{host.Name, l.Peer.Link})
		veth, _ := host.Link(l.Peer.Link)
		add(Hop{host.Name, veth.Master})
		up := host.Uplink()
		if up == "" || up == veth.Master {
			continue
		}
		add(Hop{host.Name, up})
		uplink, _ := host.Link(up)
		if uplink.Peer == nil || uplink.Peer.Namespace == "" {
			continue
		}
		lan, _ := s.Namespace(uplink.Peer.Namespace)
		add(Hop{lan.Name, uplink.Peer.Link})
		port, _ := lan.Link(uplink.Peer.Link)
		add(Hop{lan.Name, port.Master})
	}
	return hops
}

// find returns the namespace with the given name, joined by a container of that name,
// or whose file path it is.
func (s Snapshot) find(name string) (Namespace, bool) {
	for _, n := range s.Namespaces {
		if n.Name == name || n.Path == name || slices.Contains(n.Joined, name) {
			return n, true
		}
	}
	return Namespace{}, false
}

// Only keeps the namespace named host and the containers (and other namespaces)
// hanging off it: a veth of theirs has its peer there.
func (s Snapshot) Only(host string) Snapshot {
	var out Snapshot
	for _, n := range s.Namespaces {
		keep := n.Name == host
		for _, l := range n.Links {
			if (n.Kind == KindContainer || n.Kind == KindOther) && l.Peer.namespace() == host {
				keep = true
			}
		}
		if keep {
			out.Namespaces = append(out.Namespaces, n)
		}
	}
	return out
}
