package sources

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/docker/go-units"

	"workbench/core"
	"workbench/core/cgroup"
	"workbench/tui/containerlogs"
	"workbench/tui/containers"
)

// Containers is the containers pane's source.
func (e *Engine) Containers() ContainerSource { return ContainerSource{e} }

// ContainerSource reads the containers from the engine, their CPU and memory from the
// shared sampler, and the selected one's inside from the kernel.
type ContainerSource struct{ e *Engine }

// Load reads every container, and the detail of the one named detailOf.
func (s ContainerSource) Load(ctx context.Context, detailOf string) (containers.Snapshot, error) {
	eng, err := s.e.open(ctx)
	if err != nil {
		return containers.Snapshot{}, err
	}
	cs, err := s.e.list(ctx)
	if err != nil {
		return containers.Snapshot{}, err
	}
	samples, _ := s.e.sample(ctx)
	var snap containers.Snapshot
	for i, c := range cs {
		row := containers.Container{
			ID: c.ShortID(), Name: c.Name, Image: c.Image, State: c.State, Host: c.Host,
			Paused: c.Paused, ExitCode: c.ExitCode, Created: c.Created, CPUPercent: -1,
		}
		row.Networks = attachedNow(c)
		for _, p := range c.Ports {
			row.Ports = append(row.Ports, portText(p.HostIP, p.HostPort, p.ContainerPort, p.Proto))
		}
		if ser, ok := samples.Find(c.ID); ok && len(ser.History) > 0 {
			last := ser.Last()
			row.CPUPercent = last.CPUPercent
			row.Memory = int64(last.MemoryBytes)
			row.MemoryLimit = int64(ser.Stats.MemoryLimit)
		}
		if c.Name == detailOf || detailOf == "" && i == 0 {
			row.Detail = s.detail(ctx, eng, c)
		}
		snap.Containers = append(snap.Containers, row)
	}
	return snap, nil
}

// attachedNow is what a container is attached to now: its networks with their
// addresses, or the mode that gives it a network without one of its own (host,
// none, container:NAME); nothing while it does not run or is disconnected.
func attachedNow(c core.Container) []string {
	if c.State != core.StateRunning {
		return nil
	}
	var out []string
	for _, a := range c.Networks {
		out = append(out, a.Network+" "+a.IP)
	}
	if len(out) == 0 && (c.NetMode == "host" || c.NetMode == "none" || strings.HasPrefix(c.NetMode, "container:")) {
		out = []string{c.NetMode}
	}
	return out
}

// Logs opens the log of the container named name.
func (s ContainerSource) Logs(ctx context.Context, name string) (containerlogs.Reader, error) {
	eng, err := s.e.open(ctx)
	if err != nil {
		return nil, err
	}
	c, err := eng.Lookup(ctx, name)
	if err != nil {
		return nil, err
	}
	lr, err := eng.OpenLog(c.ID)
	if err != nil {
		return nil, err
	}
	return logReader{lr}, nil
}

// logReader reads the engine's log entries as the logs view's.
type logReader struct{ lr *core.LogReader }

// Next returns the next entry, or io.EOF while there is no more.
func (r logReader) Next() (containerlogs.Entry, error) {
	e, err := r.lr.Next()
	return containerlogs.Entry{Stream: e.Stream, Time: e.Time, Text: e.Log}, err
}

// Close closes the log file.
func (r logReader) Close() error { return r.lr.Close() }

func portText(hostIP string, hostPort, ctrPort int, proto string) string {
	host := fmt.Sprint(hostPort)
	if hostIP != "" && hostIP != "0.0.0.0" {
		host = hostIP + ":" + host
	}
	return fmt.Sprintf("%s->%d/%s", host, ctrPort, proto)
}

// detail reads the inside of one container: what the engine's Inspect says of it,
// and the processes of its cgroup.
func (s ContainerSource) detail(ctx context.Context, eng *core.Engine, c core.Container) containers.Detail {
	d := containers.Detail{Cmd: c.Cmd, ExitCode: c.ExitCode, OOMKilled: c.OOMKilled, Error: c.Error}
	d.Layers = append(d.Layers, c.Layers...)
	if c.UpperDir != "" {
		d.Layers = append(d.Layers, "upper "+c.UpperDir)
	}
	for _, a := range c.Networks {
		d.Veths = append(d.Veths, fmt.Sprintf("%s %s (%s) = %s on %s of %s", a.IfName, a.IP, a.MAC, a.HostVeth, a.Network, a.Host))
	}
	in, err := eng.Inspect(ctx, c)
	if err != nil {
		return d
	}
	if in.Cgroup != nil {
		d.CgroupPath, d.Limits = in.Cgroup.Path, limitTexts(in.Cgroup.Limits)
	}
	if len(in.Namespaces) == 0 {
		return d // not running
	}
	d.Pid = c.Pid
	for _, n := range in.Namespaces {
		ns := containers.Namespace{Kind: n.Type, Inode: n.Container, SharedWith: strings.Join(n.SharedWith, ",")}
		if n.Shared {
			ns.SharedWith = "machine"
		}
		d.Namespaces = append(d.Namespaces, ns)
	}
	if g, err := cgroup.Open(s.e.inst, c.CgroupID); err == nil {
		if pids, err := g.Pids(); err == nil {
			d.PidsInside = processes(pids)
		}
	}
	return d
}

// limitTexts writes the limits in force the way the flags that set them read.
func limitTexts(l cgroup.Limits) []string {
	var out []string
	if l.CPUQuota > 0 && l.CPUPeriod > 0 {
		out = append(out, fmt.Sprintf("cpu %.2f (quota %dus per %dus)", float64(l.CPUQuota)/float64(l.CPUPeriod), l.CPUQuota, l.CPUPeriod))
	} else if l.CPUs > 0 {
		out = append(out, fmt.Sprintf("cpu %.2f", l.CPUs))
	}
	if l.CPUShares > 0 && l.CPUShares != 1024 {
		out = append(out, fmt.Sprintf("shares %d", l.CPUShares))
	}
	if l.CpusetCpus != "" {
		out = append(out, "cpuset "+l.CpusetCpus)
	}
	if l.Memory > 0 {
		out = append(out, "memory "+units.BytesSize(float64(l.Memory)))
	}
	if l.MemorySwap > 0 {
		out = append(out, "memory+swap "+units.BytesSize(float64(l.MemorySwap)))
	}
	if l.PidsLimit > 0 {
		out = append(out, fmt.Sprintf("pids %d", l.PidsLimit))
	}
	if len(out) == 0 {
		out = []string{"none"}
	}
	return out
}

// processes describes up to 8 processes as "machine-pid:inside-pid command".
func processes(pids []int) []string {
	var out []string
	for i, pid := range pids {
		if i == 8 {
			out = append(out, fmt.Sprintf("… and %d more", len(pids)-8))
			break
		}
		comm, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
		out = append(out, fmt.Sprintf("%d:%s %s", pid, insidePid(pid), strings.TrimSpace(string(comm))))
	}
	return out
}

// insidePid is the last number of the NSpid line of /proc/PID/status: the PID the
// process has in its own PID namespace.
func insidePid(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "?"
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) > 1 && f[0] == "NSpid:" {
			return f[len(f)-1]
		}
	}
	return "?"
}
