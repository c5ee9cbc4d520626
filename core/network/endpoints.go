package network

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"

	"workbench/atomicfile"
)

// Endpoints are kept one file per endpoint, named ADDRESS=CONTAINERID.json in a
// directory per network, so that handing out an address reads one directory listing
// and making an endpoint writes one small file, however many a network has.

// endpointDir is the directory of a network's endpoint files.
func (m *Manager) endpointDir(n *Network) string {
	return filepath.Join(m.stateDir(), "endpoints", n.Host, n.Name)
}

func endpointFile(e Endpoint) string {
	return addrOf(e.Attachment.IP) + "=" + e.ContainerID + ".json"
}

// endpointKeys lists a network's endpoints as address -> container ID without reading
// their files.
func (m *Manager) endpointKeys(n *Network) (map[netip.Addr]string, error) {
	entries, err := os.ReadDir(m.endpointDir(n))
	if os.IsNotExist(err) {
		return map[netip.Addr]string{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the endpoints of network %s: %w", n.Name, err)
	}
	out := make(map[netip.Addr]string, len(entries))
	for _, e := range entries {
		base, isJSON := strings.CutSuffix(e.Name(), ".json")
		ip, id, ok := strings.Cut(base, "=")
		if a, err := netip.ParseAddr(ip); isJSON && ok && err == nil {
			out[a] = id
		}
	}
	return out, nil
}

// readEndpoint reads the endpoint of a container on a network, with its address.
func (m *Manager) readEndpoint(n *Network, ip netip.Addr, id string) (Endpoint, error) {
	var e Endpoint
	b, err := os.ReadFile(filepath.Join(m.endpointDir(n), ip.String()+"="+id+".json"))
	if err != nil {
		return e, fmt.Errorf("read endpoint of %s on %s: %w", shortID(id), n.Name, err)
	}
	if err := json.Unmarshal(b, &e); err != nil {
		return e, fmt.Errorf("endpoint of %s on %s is damaged (%v): run `workbench reset` to start over", shortID(id), n.Name, err)
	}
	return e, nil
}

// fillEndpoints reads every endpoint of n into n.Endpoints.
func (m *Manager) fillEndpoints(n *Network) error {
	keys, err := m.endpointKeys(n)
	if err != nil {
		return err
	}
	n.Endpoints = n.Endpoints[:0]
	for ip, id := range keys {
		e, err := m.readEndpoint(n, ip, id)
		if err != nil {
			return err
		}
		n.Endpoints = append(n.Endpoints, e)
	}
	sortEndpoints(n.Endpoints)
	return nil
}

// loadAll reads the state with every network's endpoints.
func (m *Manager) loadAll() (*labState, error) {
	s, err := m.load()
	if err != nil {
		return nil, err
	}
	for _, n := range s.Networks {
		if err := m.fillEndpoints(n); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// putEndpoint records an endpoint, whole even when the command is killed meanwhile.
func (m *Manager) putEndpoint(n *Network, e Endpoint) error {
	if err := os.MkdirAll(m.endpointDir(n), 0o700); err != nil {
		return fmt.Errorf("record endpoint: %w", err)
	}
	b, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("record endpoint: %w", err)
	}
	if err := atomicfile.Write(filepath.Join(m.endpointDir(n), endpointFile(e)), b); err != nil {
		return fmt.Errorf("record endpoint: %w", err)
	}
	return nil
}

// dropEndpoint forgets an endpoint.
func (m *Manager) dropEndpoint(n *Network, e Endpoint) error {
	err := os.Remove(filepath.Join(m.endpointDir(n), endpointFile(e)))
	if err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("forget endpoint: %w", err)
	}
	return nil
}

// dropEndpointDir forgets a removed network's endpoint directory.
func (m *Manager) dropEndpointDir(n *Network) { os.RemoveAll(m.endpointDir(n)) }
