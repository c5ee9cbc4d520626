package network

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"workbench/errkind"
	"workbench/events"
)

// Cross-host modes of `network create --crosshost`.
const (
	// CrossHostGW joins hosts with plain routes via each other's LAN address ([004]).
	CrossHostGW = "host-gw"
	// CrossHostVXLAN joins the hosts' bridges into one L2 segment over VXLAN.
	CrossHostVXLAN = "vxlan"
	// CrossHostGRE joins the hosts' bridges with gretap tunnels ([002]).
	CrossHostGRE = "gre"
)

// defaultCluster is the address range of a cross-host network when none is given; each
// host gets its /24 slice of it (10.10.INDEX.0/24), as in [004].
const defaultCluster = "10.10.0.0/16"

// CreateNetwork makes a user network: a bridge on one host, or with CrossHost a bridge on
// every lab host joined by routes or tunnels. It returns each host's part.
func (m *Manager) CreateNetwork(ctx context.Context, opts NetworkOptions) ([]Network, error) {
	if err := CheckNetworkName(opts.Name); err != nil {
		return nil, err
	}
	if opts.Name == DefaultNetwork {
		return nil, fmt.Errorf("network name %q is each host's default network: pick another name", opts.Name)
	}
	if opts.Driver != "" && opts.Driver != "bridge" {
		return nil, fmt.Errorf("driver %q is not supported: use --driver bridge (hosts are joined with --crosshost)", opts.Driver)
	}
	switch opts.CrossHost {
	case "", CrossHostGW, CrossHostVXLAN, CrossHostGRE:
	default:
		return nil, fmt.Errorf("--crosshost %q is not a way to join hosts: use host-gw, vxlan or gre", opts.CrossHost)
	}
	if opts.Host != "" {
		if err := CheckHostName(opts.Host); err != nil {
			return nil, err
		}
	}
	s, err := m.load()
	if err != nil {
		return nil, err
	}
	if opts.Host != RealHost {
		err = m.ensureLab(ctx, s)
	} else {
		err = m.reconcile(s)
	}
	if err != nil {
		return nil, err
	}
	if parts := s.networksNamed(opts.Name); len(parts) > 0 {
		if parts[0].Pending {
			return nil, fmt.Errorf("network %s is left half made by a command that died and could not be removed (see the warning): `workbench network rm %s` tries again", opts.Name, opts.Name)
		}
		return nil, errkind.New(errkind.Exists, "network", opts.Name, "network %s already exists", opts.Name)
	}
	var parts []*Network
	if opts.CrossHost == "" {
		if _, err := m.ensureHost(ctx, s, opts.Host); err != nil {
			return nil, err
		}
		if opts.Host == "" {
			opts.Host = DefaultHost
		}
		n, err := planNetwork(s, opts)
		if err != nil {
			return nil, err
		}
		parts = []*Network{n}
	} else if parts, err = planCrossHost(s, opts); err != nil {
		return nil, err
	}
	if err := m.makeNetworks(s, parts); err != nil {
		return nil, err
	}
	out := make([]Network, len(parts))
	for i, n := range parts {
		out[i] = *n
	}
	m.networkEvent("create", opts.Name)
	return out, nil
}

// networkEvent records that a network was made or removed, as Docker's events show it.
func (m *Manager) networkEvent(action, name string) {
	events.Record(m.inst.EventsPath(), "network", action, name, map[string]string{"name": name, "type": "bridge"})
}

// makeNetworks records the parts of a new network as pending, makes them (bridges and
// rules, then the routes or tunnels between them) and records them whole. A failure
// removes what was made; a kill leaves the pending records for the next command to
// remove.
func (m *Manager) makeNetworks(s *labState, parts []*Network) error {
	for _, n := range parts {
		if err := m.checkBridgeFree(n); err != nil {
			return err
		}
	}
	settle(true, nil, parts)
	s.Networks = append(s.Networks, parts...)
	if err := m.save(s); err != nil {
		return err
	}
	err := func() error {
		for _, n := range parts {
			if err := m.makeNetwork(n); err != nil {
				return err
			}
		}
		for _, n := range parts {
			if n.CrossHost != "" {
				if err := m.join(s, n); err != nil {
					return err
				}
			}
		}
		return nil
	}()
	if err != nil {
		for _, n := range parts {
			if rerr := m.removeNetwork(s, n); rerr != nil {
				err = fmt.Errorf("%w (and removing what was made of it: %v)", err, rerr)
				break
			}
		}
		if serr := m.save(s); serr != nil {
			err = fmt.Errorf("%w (and %v)", err, serr)
		}
		return err
	}
	settle(false, nil, parts)
	return m.save(s)
}

// planCrossHost plans a network's part on every lab host, each with its /24 slice of
// the cluster range.
func planCrossHost(s *labState, opts NetworkOptions) ([]*Network, error) {
	if opts.Gateway != "" {
		return nil, fmt.Errorf("--gateway does not apply with --crosshost: each host's bridge takes the first address of its slice")
	}
	if opts.Host != "" {
		return nil, fmt.Errorf("--host does not apply with --crosshost: the network spans every lab host (add hosts first with `workbench host add`)")
	}
	if opts.Subnet == "" {
		opts.Subnet = defaultCluster
	}
	cluster, err := ParseSubnet(opts.Subnet)
	if err != nil {
		return nil, err
	}
	if cluster.Bits() > 16 {
		return nil, fmt.Errorf("subnet %s is too small across hosts: each host takes a /24 of it, so use a /16 or larger", cluster)
	}
	for _, h := range s.Hosts {
		if other := overlapping(s, h.Name, cluster); other != nil && !h.Peer {
			return nil, fmt.Errorf("subnet %s overlaps network %s (%s) on host %s: pick another subnet", cluster, other.Name, other.Subnet, other.Host)
		}
	}
	var parts []*Network
	for _, h := range s.Hosts {
		if h.Peer || h.Name == RealHost || h.Pending {
			continue
		}
		parts = append(parts, crossHostPart(&Network{Name: opts.Name, CrossHost: opts.CrossHost, Cluster: cluster.String()}, h))
	}
	return parts, nil
}

// RemoveNetwork removes a user network from every host it spans; refused while a
// container is attached. A network left half made or half removed by a command that
// died is removed too.
func (m *Manager) RemoveNetwork(ctx context.Context, name string) error {
	s, err := m.loadAll()
	if err != nil {
		return err
	}
	parts := s.networksNamed(name)
	if len(parts) == 0 {
		return errkind.New(errkind.NotFound, "network", name, "unknown network %q", name)
	}
	if name == DefaultNetwork {
		return fmt.Errorf("network %s is each host's default network and stays: `workbench reset` removes the whole lab", name)
	}
	var users []string
	for _, n := range parts {
		for _, e := range n.Endpoints {
			users = append(users, nameOr(e))
		}
	}
	if len(users) > 0 {
		return errkind.New(errkind.InUse, "network", name, "network %s is in use by %s", name, strings.Join(users, ", "))
	}
	settle(true, nil, parts)
	if err := m.save(s); err != nil {
		return err
	}
	for _, n := range parts {
		if err := m.removeNetwork(s, n); err != nil {
			_ = m.save(s)
			return fmt.Errorf("%w (the next command tries again)", err)
		}
	}
	if err := m.save(s); err != nil {
		return err
	}
	m.networkEvent("destroy", name)
	return m.reconcile(s)
}

// Networks lists every network of every host, sorted by host and name; half-made ones
// are left out.
func (m *Manager) Networks() ([]Network, error) {
	s, err := m.loadAll()
	if err != nil {
		return nil, err
	}
	out := copies(s.Networks, func(n *Network) bool { h := s.host(n.Host); return !n.Pending && h != nil && !h.Pending })
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].Host < out[j].Host
	})
	return out, nil
}

// Inspect returns every host's part of the named network.
func (m *Manager) Inspect(name string) ([]Network, error) {
	all, err := m.Networks()
	if err != nil {
		return nil, err
	}
	var out []Network
	for _, n := range all {
		if n.Name == name {
			out = append(out, n)
		}
	}
	if len(out) == 0 {
		return nil, errkind.New(errkind.NotFound, "network", name, "unknown network %q", name)
	}
	return out, nil
}
