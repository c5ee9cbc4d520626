package network

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"workbench/nsutil"
)

// Reset removes every host, link, rule and namespace of the instance's lab, and what
// it made in the machine's own namespace when `--host real` was used.
func (m *Manager) Reset(ctx context.Context) error {
	var errs []error
	s, err := m.load()
	if err != nil {
		errs = append(errs, err)
		s = &labState{}
	}
	// A damaged endpoint file of a lab host's network goes with the namespaces and the
	// state directory; only the machine's own networks need their endpoints' links.
	for _, n := range s.Networks {
		if err := m.fillEndpoints(n); err != nil && n.Host == RealHost {
			errs = append(errs, err)
		}
	}
	if s.host(RealHost) != nil {
		errs = append(errs, m.resetReal(s))
	}
	names, _ := filepath.Glob(filepath.Join(netnsDir, m.inst.Name+"-*"))
	for _, path := range names {
		errs = append(errs, m.removeNetns(filepath.Base(path)))
	}
	if err := os.RemoveAll(m.stateDir()); err != nil {
		errs = append(errs, fmt.Errorf("remove network state: %w", err))
	}
	return errors.Join(errs...)
}

// resetReal removes the workbench's rules, chains and links from the machine's own
// namespace, those of them that are there.
func (m *Manager) resetReal(s *labState) error {
	path := nsutil.MachinePath
	var marks, links []string
	for _, b := range s.host(RealHost).Ports {
		marks = append(marks, savedComment(portComment(b))+`"`)
	}
	for _, n := range s.networksOn(RealHost) {
		marks = append(marks, savedComment(networkComment(n.Name)))
		links = append(links, n.Bridge)
		for _, e := range n.Endpoints {
			links = append(links, e.Attachment.HostVeth)
		}
	}
	err := m.deleteSaved(path, marks...)
	if err == nil {
		err = m.deleteHostChains(path)
	}
	for _, l := range links {
		m.deleteLink(path, l)
	}
	if err != nil {
		return fmt.Errorf("remove the workbench's rules from the machine: %w", err)
	}
	return nil
}
