package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"workbench/core"
	"workbench/core/network"
	"workbench/instance"
	"workbench/netviz/capture"
)

// placeResolver finds the network namespace of a lab host or of a container.
type placeResolver struct {
	cmd    *cobra.Command
	inst   instance.Instance
	engine *core.Engine // opened on the first container asked for
}

// host resolves a lab host ("real" = the machine's own namespace).
func (r *placeResolver) host(name string) (netns, where string, err error) {
	where = "host " + name
	if name == network.RealHost {
		where = "the machine's own network namespace"
	}
	netns, err = hostNetnsPath(r.inst, name)
	return netns, where, err
}

// container resolves a running container by name or ID prefix.
func (r *placeResolver) container(name string) (netns, where string, err error) {
	if r.engine == nil {
		if r.engine, err = core.Open(r.cmd.Context(), r.inst); err != nil {
			return "", "", err
		}
	}
	ctr, err := r.engine.Lookup(r.cmd.Context(), name)
	if err != nil {
		return "", "", err
	}
	if ctr.State != core.StateRunning || ctr.NetnsPath == "" {
		return "", "", fmt.Errorf("container %s is %s: start it before capturing its packets", ctr.Name, ctr.State)
	}
	return ctr.NetnsPath, "container " + ctr.Name, nil
}

// place resolves a name that may be a host or a container, hosts first.
func (r *placeResolver) place(name string) (netns, where string, err error) {
	if netns, where, err = r.host(name); err == nil {
		return netns, where, nil
	}
	if netns, where, err = r.container(name); err == nil {
		return netns, where, nil
	}
	return "", "", fmt.Errorf("no host or container named %q: see `workbench host ls` and `workbench ps`", name)
}

// captureConfig finds the namespaces and interfaces to capture: --host or --container
// give the default place, and -i PLACE:IFACE names an interface somewhere else.
func captureConfig(cmd *cobra.Command, f *captureFlags) (capture.Config, error) {
	inst, err := currentInstance()
	if err != nil {
		return capture.Config{}, err
	}
	res := &placeResolver{cmd: cmd, inst: inst}
	cfg := capture.Config{Interfaces: f.ifaces}
	placeName := f.container
	if placeName != "" {
		cfg.Netns, cfg.Where, err = res.container(placeName)
		if len(cfg.Interfaces) == 0 {
			cfg.Interfaces = []string{"eth0"}
		}
	} else {
		if placeName = f.host; placeName == "" {
			placeName = network.DefaultHost
		}
		cfg.Netns, cfg.Where, err = res.host(placeName)
	}
	elsewhere := false
	for _, i := range cfg.Interfaces {
		elsewhere = elsewhere || strings.Contains(i, ":")
	}
	if !elsewhere {
		return cfg, err
	}
	for _, spec := range cfg.Interfaces {
		t := capture.Target{Netns: cfg.Netns, Where: cfg.Where, Place: placeName, Iface: spec}
		if p, iface, ok := strings.Cut(spec, ":"); ok {
			t.Place, t.Iface = p, iface
			if t.Netns, t.Where, err = res.place(p); err != nil {
				return cfg, err
			}
		} else if err != nil {
			return cfg, err // the default place is needed and is not there
		}
		if t.Iface == "" {
			t.Iface = "any"
		}
		cfg.Targets = append(cfg.Targets, t)
	}
	return cfg, nil
}
