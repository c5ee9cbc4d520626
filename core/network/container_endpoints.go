package network

import (
	"context"
	"errors"
)

// ReleaseContainer releases every endpoint a container has on any network (with the
// ports published to it), as Release does each; the container engine calls it for a
// container it knows only by ID, the remains of a command that died.
func (m *Manager) ReleaseContainer(ctx context.Context, containerID string) error {
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
				err = m.Release(ctx, e.Attachment)
			}
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// RenameContainer gives a container's endpoints its new name and rewrites the hosts
// files that name it.
func (m *Manager) RenameContainer(ctx context.Context, containerID, name string) error {
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
				e.ContainerName = name
				err = m.putEndpoint(n, e)
			}
			if err == nil {
				err = m.refreshHosts(s, n, e)
			}
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
