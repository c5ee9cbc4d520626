package network

// AttachRequest asks for one endpoint: a veth pair joining a container's network
// namespace to a network's bridge.
type AttachRequest struct {
	// Host is the lab host the network lives on; "" means host1.
	Host string
	// Network is the network's name; "" means the host's default bridge network.
	Network string
	// ContainerID is the container's full ID; it names the endpoint and its veth.
	ContainerID string
	// ContainerName is the name other containers on a user network reach it by.
	ContainerName string
	// NetnsPath is the container's network namespace (a bind-mounted file).
	NetnsPath string
	// IfName is the interface name inside the container; "" means the next free ethN.
	IfName string
	// IP is a static address for the endpoint; "" means the next free one of the pool.
	IP string
	// HostsFile is the container's /etc/hosts on the machine. It is rewritten in place
	// (truncated and written, since it is bind-mounted) with the names of its peers.
	HostsFile string
	// HostsHeader starts the container's hosts file (localhost, --add-host lines);
	// "" is localhost alone.
	HostsHeader string
	// Aliases are more names of the container on the network (--network-alias).
	Aliases []string
}

// Attachment is one endpoint as made: where it is and what it got.
type Attachment struct {
	// Host is the lab host of the network.
	Host string `json:"host"`
	// Network is the network's name.
	Network string `json:"network"`
	// IfName is the interface inside the container (eth0, eth1...).
	IfName string `json:"ifname"`
	// IP is the endpoint's address with its prefix length (CIDR).
	IP string `json:"ip"`
	// Gateway is the bridge's address, the container's default gateway.
	Gateway string `json:"gateway"`
	// MAC is the endpoint's hardware address.
	MAC string `json:"mac"`
	// HostVeth is the outer end of the veth pair, a port of the bridge.
	HostVeth string `json:"hostVeth"`
}

// PortSpec is one port to publish as given by -p.
type PortSpec struct {
	// HostIP is the host address to listen on; "" means every address of the host.
	HostIP string
	// HostPort is the host's port; 0 means choose a free one.
	HostPort int
	// ContainerPort is the container's port.
	ContainerPort int
	// Proto is "tcp" or "udp".
	Proto string
}

// PortBinding is one published port as made: a DNAT from a host port to a container.
type PortBinding struct {
	// Host is the lab host whose address carries the port.
	Host string `json:"host"`
	// HostIP is the host address the port is bound to; "" or "0.0.0.0" means all.
	HostIP string `json:"hostIP"`
	// HostPort is the host's port.
	HostPort int `json:"hostPort"`
	// ContainerIP is the container's address (no prefix length).
	ContainerIP string `json:"containerIP"`
	// ContainerPort is the container's port.
	ContainerPort int `json:"containerPort"`
	// Proto is "tcp" or "udp".
	Proto string `json:"proto"`
}
