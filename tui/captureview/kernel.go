package captureview

import (
	"context"
	"sort"

	"github.com/vishvananda/netlink"

	"workbench/core/network"
	"workbench/instance"
	"workbench/nsutil"
)

// Netns is a network namespace to list interfaces in: a container's.
type Netns struct {
	// Where names it for a person: the container's name.
	Where string
	// Path is its namespace file.
	Path string
}

// KernelSource lists the interfaces of an instance's lab hosts and containers from the
// kernel and captures on them.
type KernelSource struct {
	Inst instance.Instance
	// Containers lists the containers' network namespaces; nil lists none.
	Containers func(ctx context.Context) ([]Netns, error)
}

// Targets lists every interface of every lab host, then of every container.
func (s KernelSource) Targets(ctx context.Context) ([]Target, error) {
	var spaces []Netns
	for _, h := range network.Namespaces(s.Inst) {
		if h.Name != network.LANName {
			spaces = append(spaces, Netns{Where: h.Name, Path: h.Path})
		}
	}
	if s.Containers != nil {
		cs, err := s.Containers(ctx)
		if err != nil {
			return nil, err
		}
		spaces = append(spaces, cs...)
	}
	var out []Target
	for _, ns := range spaces {
		names, err := linkNames(ns.Path)
		if err != nil {
			continue // the namespace went away while we looked
		}
		for _, n := range names {
			out = append(out, Target{Where: ns.Where, Netns: ns.Path, Iface: n})
		}
	}
	return out, nil
}

// Start captures on targets.
func (s KernelSource) Start(ctx context.Context, targets []Target, filter string) (Session, error) {
	return StartKernel(ctx, targets, filter)
}

// linkNames lists the interfaces in a namespace except lo, by name.
func linkNames(path string) ([]string, error) {
	var names []string
	err := nsutil.Do(path, func() error {
		links, err := netlink.LinkList()
		if err != nil {
			return err
		}
		for _, l := range links {
			if a := l.Attrs(); a.Name != "lo" {
				names = append(names, a.Name)
			}
		}
		return nil
	})
	sort.Strings(names)
	return names, err
}
