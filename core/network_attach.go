package core

import (
	"context"
	"fmt"
	"strings"

	"workbench/core/network"
)

// Connect attaches a running container to one more network (as its next ethN), with a
// static address when ip is not empty, and records the endpoint in its state.
func (e *Engine) Connect(ctx context.Context, nameOrID, netName, ip string) (network.Attachment, error) {
	c, unlock, err := e.locked(ctx, nameOrID)
	if err != nil {
		return network.Attachment{}, err
	}
	defer unlock()
	if c.State != StateRunning {
		return network.Attachment{}, fmt.Errorf("container %s is %s: connect a running container", c.Name, c.State)
	}
	if c.NetMode == "host" || strings.HasPrefix(c.NetMode, "container:") {
		return network.Attachment{}, fmt.Errorf("container %s uses --net %s and has no network namespace of its own to connect", c.Name, c.NetMode)
	}
	a, err := e.attach(ctx, &c, netName, ip)
	if err != nil {
		return network.Attachment{}, err
	}
	c.ExtraNetworks = append(c.ExtraNetworks, netName)
	e.networkEvent("connect", netName, c)
	if err := e.save(c); err != nil {
		_ = e.net.Detach(ctx, a)
		return network.Attachment{}, err
	}
	return a, nil
}

// Disconnect removes a container's endpoint on a network (and the ports published to
// it) and records that in its state.
func (e *Engine) Disconnect(ctx context.Context, nameOrID, netName string) error {
	c, unlock, err := e.locked(ctx, nameOrID)
	if err != nil {
		return err
	}
	defer unlock()
	for i, a := range c.Networks {
		if a.Network != netName && !(netName == network.DefaultNetwork && a.Network == "") {
			continue
		}
		if err := e.net.Detach(ctx, a); err != nil {
			return err
		}
		ip := strings.Split(a.IP, "/")[0]
		var ports []network.PortBinding
		for _, p := range c.Ports {
			if p.ContainerIP != ip {
				ports = append(ports, p)
			}
		}
		c.Ports = ports
		c.Networks = append(c.Networks[:i], c.Networks[i+1:]...)
		kept := c.ExtraNetworks[:0]
		for _, n := range c.ExtraNetworks {
			if n != netName {
				kept = append(kept, n)
			}
		}
		c.ExtraNetworks = kept
		e.networkEvent("disconnect", netName, c)
		return e.save(c)
	}
	return fmt.Errorf("container %s is not on network %s: see `workbench inspect %s`", c.Name, netName, c.Name)
}
