// Package topology reads the network of a workbench lab from the kernel (netlink, one
// handle per network namespace) into an immutable snapshot: every lab host, the LAN
// between them, bridges and their ports, veth pairs resolved across namespaces,
// tunnels, addresses and routes; and draws a snapshot as text of a given width, with a
// container's path to the outside highlighted. It reads the kernel, not the engine's
// state, so links made by hand with `ip` appear too.
package topology

import (
	"slices"
	"strings"
)

// Kind says what a network namespace plays in the lab.
type Kind string

// The kinds of namespace.
const (
	// KindLAN is the namespace holding the simulated LAN's bridge.
	KindLAN Kind = "lan"
	// KindHost is a lab host (host1, host2, outside...).
	KindHost Kind = "host"
	// KindContainer is a container's own namespace.
	KindContainer Kind = "container"
	// KindOther is any other namespace: given by path, or found in /run/netns as the
	// other end of a lab veth (made by hand with `ip netns add`).
	KindOther Kind = "other"
)

// Snapshot is the network of a lab at one moment. Namespaces come in this order: the
// LAN, the hosts by name, the containers by name, the others.
type Snapshot struct {
	// Namespaces are every namespace read, in the order above.
	Namespaces []Namespace `json:"namespaces"`
}

// Namespace is one network namespace and what is in it.
type Namespace struct {
	// Name is the host's name, the container's name, "lan", or the file's base name.
	// Peers name the namespace by it.
	Name string `json:"name"`
	// Kind is what the namespace plays in the lab.
	Kind Kind `json:"kind"`
	// Joined are the containers that share this namespace with it (--net
	// container:NAME, or --net host for a host).
	Joined []string `json:"joined,omitempty"`
	// Path is the namespace file that was read.
	Path string `json:"path"`
	// Inode identifies the namespace (as in /proc/PID/ns/net -> net:[INODE]).
	Inode uint64 `json:"inode"`
	// Forwarding is net.ipv4.ip_forward, read for hosts and the LAN only: whether the
	// namespace routes packets between its links (containers reach out only if it does).
	Forwarding bool `json:"forwarding,omitempty"`
	// Links are every link of the namespace, lo included, by index.
	Links []Link `json:"links"`
	// Routes are the IPv4 routes of the main table.
	Routes []Route `json:"routes,omitempty"`
}

// Link is one network interface.
type Link struct {
	// Index is the link's ifindex in its namespace.
	Index int `json:"index"`
	// Name is the interface name (eth0, wb0, veth1a2b3c4...).
	Name string `json:"name"`
	// Kind is the link type as `ip -d link` says it: veth, bridge, vxlan, gretap, gre,
	// loopback, dummy, device...
	Kind string `json:"kind"`
	// MAC is the link-layer address, "" for links without one.
	MAC string `json:"mac,omitempty"`
	// MTU is the largest packet the link carries.
	MTU int `json:"mtu"`
	// Up is the administrative state (ip link set up).
	Up bool `json:"up"`
	// State is the operational state: up, down, unknown, lowerlayerdown...
	State string `json:"state"`
	// Master is the bridge this link is a port of, in the same namespace.
	Master string `json:"master,omitempty"`
	// Addrs are the IPv4 and global IPv6 addresses, as CIDR.
	Addrs []string `json:"addrs,omitempty"`
	// Peer is the other end of a veth pair.
	Peer *Peer `json:"peer,omitempty"`
	// Tunnel holds the endpoints of a vxlan, gretap or gre link.
	Tunnel *Tunnel `json:"tunnel,omitempty"`
}

// Peer names the other end of a veth pair.
type Peer struct {
	// Namespace is the Name of the namespace holding it; "" when that namespace was not
	// read (the end is elsewhere on the machine).
	Namespace string `json:"namespace,omitempty"`
	// Link is the name of the other end.
	Link string `json:"link,omitempty"`
	// Index is the other end's ifindex in its namespace.
	Index int `json:"index"`
}

// Tunnel is the configuration of an encapsulating link.
type Tunnel struct {
	// VNI is the VXLAN network identifier (0 for GRE).
	VNI int `json:"vni,omitempty"`
	// Local is the address the tunnel's packets leave from, "" when any.
	Local string `json:"local,omitempty"`
	// Remote is the far end of the tunnel, "" when not fixed.
	Remote string `json:"remote,omitempty"`
	// Remotes are the VTEPs in a vxlan's forwarding database when it has no fixed
	// Remote (one entry per peer host).
	Remotes []string `json:"remotes,omitempty"`
	// Port is the VXLAN UDP destination port.
	Port int `json:"port,omitempty"`
	// Dev is the link the tunnel's packets leave through.
	Dev string `json:"dev,omitempty"`
	// Key is the GRE key, 0 when none.
	Key uint32 `json:"key,omitempty"`
}

// Route is one route, summarised.
type Route struct {
	// Dst is the destination prefix or "default".
	Dst string `json:"dst"`
	// Gateway is the next hop, "" for a directly connected destination.
	Gateway string `json:"gateway,omitempty"`
	// Dev is the link the route leaves through.
	Dev string `json:"dev,omitempty"`
}

// Namespace returns the namespace with the given name and whether it is there.
func (s Snapshot) Namespace(name string) (Namespace, bool) {
	if i := slices.IndexFunc(s.Namespaces, func(n Namespace) bool { return n.Name == name }); i >= 0 {
		return s.Namespaces[i], true
	}
	return Namespace{}, false
}

// Link returns the link with the given name and whether it is there.
func (n Namespace) Link(name string) (Link, bool) {
	if i := slices.IndexFunc(n.Links, func(l Link) bool { return l.Name == name }); i >= 0 {
		return n.Links[i], true
	}
	return Link{}, false
}

// Uplink is the link a namespace's default route leaves through ("" when it has none).
func (n Namespace) Uplink() string {
	for _, r := range n.Routes {
		if r.Dst == "default" {
			return r.Dev
		}
	}
	return ""
}

// namespace is the peer's namespace name, "" for no peer.
func (p *Peer) namespace() string {
	if p == nil {
		return ""
	}
	return p.Namespace
}

// Label is the namespace's name followed by those of the containers that joined it:
// "web+side".
func (n Namespace) Label() string {
	if len(n.Joined) == 0 {
		return n.Name
	}
	return n.Name + "+" + strings.Join(n.Joined, "+")
}
