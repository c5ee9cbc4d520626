package network

import (
	"fmt"
	"os"
	"path/filepath"
)

// Every command may be killed at any instant, so every change of the lab is written
// down before it is made. A host or network to make is saved as pending before its
// namespace, bridge, rules, routes or tunnels exist, and saved whole once all of them
// are there; one to remove is saved as pending before anything of it goes, and
// forgotten once all of it is gone. A pending record is therefore what a dead command
// left half made or half removed, and the next command that opens the lab removes it:
// a half-made host or network is rolled back, a half-removed one finished. Removing
// looks at the kernel and removes what is there, so a removal that is itself killed
// is simply done again by the command after.

// reconcile removes what pending records say dead commands left. A removal that fails
// keeps its record pending, for the next command to try again, and becomes a warning;
// only a failure to save the state is an error.
func (m *Manager) reconcile(s *labState) error {
	changed := false
	for _, h := range append([]*Host(nil), s.Hosts...) {
		if !h.Pending {
			continue
		}
		changed = true
		if err := m.removeHost(s, h); err != nil {
			m.warnf("removing host %s, left unfinished by a command that died: %v (the next command tries again; `workbench reset` starts over)", h.Name, err)
		}
	}
	for _, n := range append([]*Network(nil), s.Networks...) {
		if h := s.host(n.Host); !n.Pending || h == nil || h.Pending {
			continue
		}
		changed = true
		if err := m.removeNetwork(s, n); err != nil {
			m.warnf("removing network %s on %s, left unfinished by a command that died: %v (the next command tries again; `workbench reset` starts over)", n.Name, n.Host, err)
		}
	}
	if !changed {
		return nil
	}
	return m.save(s)
}

// removeHost removes a host and its networks, whatever of them is there, and forgets
// them: the other hosts' routes and tunnels to its cross-host parts, then its uplink
// and its namespace with everything in it (for the machine's own namespace, the
// workbench's bridges, rules and chains in it).
func (m *Manager) removeHost(s *labState, h *Host) error {
	for _, n := range s.networksOn(h.Name) {
		if h.Name == RealHost {
			if err := m.removeNetwork(s, n); err != nil {
				return err
			}
			continue
		}
		m.unjoin(s, n)
	}
	if h.Name == RealHost {
		if err := m.deleteHostChains(NetnsPath(m.inst, RealHost)); err != nil {
			return fmt.Errorf("remove the workbench's chains from the machine: %w", err)
		}
	} else {
		// The uplink goes first and at once: a removed namespace's links go in the
		// background, and a host made again at once would find its uplink taken.
		m.deleteLink(m.lanPath(), h.Name)
		if err := m.removeNetns(m.inst.HostNetnsName(h.Name)); err != nil {
			return err
		}
	}
	for _, n := range s.networksOn(h.Name) {
		s.forget(n)
	}
	var hosts []*Host
	for _, x := range s.Hosts {
		if x != h {
			hosts = append(hosts, x)
		}
	}
	s.Hosts = hosts
	os.RemoveAll(filepath.Join(m.stateDir(), "endpoints", h.Name))
	return nil
}

// warnf keeps a problem that did not stop the command, for Warnings.
func (m *Manager) warnf(format string, args ...any) {
	m.warnings = append(m.warnings, fmt.Sprintf(format, args...))
}

// Warnings returns, once, the problems the manager met since it was last asked that did
// not stop what it was asked to do, one line each: leftovers of commands that died
// which it could not remove.
func (m *Manager) Warnings() []string {
	w := m.warnings
	m.warnings = nil
	return w
}
