// Package captureview is the app's capture pane: choose interfaces of any lab host or
// container, type a filter, start and stop; lines scroll as packets come, coloured per
// interface; one packet opens into its layers; the packets save to a pcap file; the
// kernel's drop counter is always in sight. It captures with netviz/capture.
package captureview

import (
	"context"
	"errors"

	"workbench/netviz/capture"
)

// Target is one interface that can be captured on.
type Target struct {
	// Where names the namespace for a person: a host's or a container's name.
	Where string
	// Netns is the network namespace file the interface lives in.
	Netns string
	// Iface is the interface's name in that namespace.
	Iface string
}

// Label is how a packet's line names its interface: "host1/eth0".
func (t Target) Label() string { return t.Where + "/" + t.Iface }

// Tag is how a session's packets name their target in Packet.Iface: "host1:eth0".
func (t Target) Tag() string { return t.Where + ":" + t.Iface }

// Session is a running capture on some targets.
type Session interface {
	// Packets delivers packets in time order until the session ends; each names its
	// target's Tag in Iface.
	Packets() <-chan capture.Packet
	// Stats sums the counters of every interface.
	Stats() capture.Stats
	// Stop ends the session; Packets is then closed.
	Stop()
	// Err is why the session ended, once Packets is closed.
	Err() error
}

// Source lists the targets and starts sessions.
type Source interface {
	Targets(ctx context.Context) ([]Target, error)
	Start(ctx context.Context, targets []Target, filter string) (Session, error)
}

// StartKernel captures on targets with the kernel: one capture across their
// namespaces, its packets merged in time order.
func StartKernel(ctx context.Context, targets []Target, filter string) (Session, error) {
	if len(targets) == 0 {
		return nil, errors.New("no interface chosen: mark one or more with space, then start")
	}
	cfg := capture.Config{Filter: filter}
	for _, t := range targets {
		cfg.Targets = append(cfg.Targets, capture.Target{Netns: t.Netns, Where: t.Where, Place: t.Where, Iface: t.Iface})
	}
	c, err := capture.Start(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return c, nil
}
