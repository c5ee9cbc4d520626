package network

import (
	"context"
	"errors"
)

// eachEndpointOf calls fn for every endpoint a container has, on any network.
func (m *Manager) eachEndpointOf(containerID string, fn func(s *labState, n *Network, e Endpoint) error) error {
	s, err := m.load()
	if err != nil {
		return err
	}
	var errs []error
	for _, n := range s.Networks {
		keys, err := m.endpointKeys(n)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for ip, id := range keys {
			if id != containerID {
				continue
			}
			e, err := m.readEndpoint(n, ip, id)
			if err == nil {
				err = fn(s, n, e)
			}
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// ReleaseContainer releases every endpoint a container has on any network (with the
// ports published to it), as Release does each; the container engine calls it for a
// container it knows only by ID, the remains of a command that died.
func (m *Manager) ReleaseContainer(ctx context.Context, containerID string) error {
	return m.eachEndpointOf(containerID, func(_ *labState, _ *Network, e Endpoint) error {
		return m.Release(ctx, e.Attachment)
	})
}

// RenameContainer gives a container's endpoints its new name and rewrites the hosts
// files that name it.
func (m *Manager) RenameContainer(ctx context.Context, containerID, name string) error {
	return m.eachEndpointOf(containerID, func(s *labState, n *Network, e Endpoint) error {
		e.ContainerName = name
		if err := m.putEndpoint(n, e); err != nil {
			return err
		}
		return m.refreshHosts(s, n, e)
	})
}
