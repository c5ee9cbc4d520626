package cli

import (
	"cmp"
	"maps"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"workbench/core"
	"workbench/core/cgroup"
	"workbench/core/network"
	"workbench/images"
)

// inspectView is a container as `inspect` prints it: Docker's document, with Docker's
// key names (so `docker inspect` templates work unchanged), followed by the
// workbench's own sections, under names Docker does not use: Namespaces, Cgroup,
// Capabilities and Workbench.
type inspectView struct {
	ID              string `json:"Id"`
	Created         string
	Path            string
	Args            []string
	State           inspectState
	Image           string
	LogPath         string
	Name            string
	RestartCount    int
	Driver          string
	Platform        string
	HostConfig      inspectHostConfig
	GraphDriver     inspectGraphDriver
	Mounts          []dockerMount
	Config          inspectConfig
	NetworkSettings inspectNetworkSettings

	// Namespaces pairs each of the running container's namespaces with the machine's.
	Namespaces []core.NamespaceInfo
	// Cgroup is the running container's cgroup and the limits in force, read back.
	Cgroup *core.CgroupInfo
	// Capabilities are the bounding set of the running container's PID 1.
	Capabilities []string
	// Workbench is what Docker has no key for: the lab host, the state directory, the
	// user namespace, and each interface with the veth end on the host's bridge.
	Workbench inspectWorkbench
}

// inspectState is Docker's State: what the container's PID 1 is doing.
type inspectState struct {
	Status     string
	Running    bool
	Paused     bool
	Restarting bool
	OOMKilled  bool
	Dead       bool
	Pid        int
	ExitCode   int
	Error      string
	StartedAt  string
	FinishedAt string
}

// inspectHostConfig is the part of Docker's HostConfig the workbench has.
type inspectHostConfig struct {
	Binds          []string
	NetworkMode    string
	PortBindings   map[string][]inspectPortBinding
	RestartPolicy  inspectRestartPolicy
	AutoRemove     bool
	CapAdd         []string
	CapDrop        []string
	SecurityOpt    []string
	Init           bool
	Memory         int64
	MemorySwap     int64
	NanoCPUs       int64  `json:"NanoCpus"`
	CPUShares      int64  `json:"CpuShares"`
	CPUPeriod      int64  `json:"CpuPeriod"`
	CPUQuota       int64  `json:"CpuQuota"`
	CpusetCpus     string `json:"CpusetCpus"`
	PidsLimit      *int64
	StorageOpt     map[string]string
	Privileged     bool
	ReadonlyRootfs bool
	ShmSize        int64
	Tmpfs          map[string]string `json:",omitempty"`
	Ulimits        []inspectUlimit
	DNS            []string `json:"Dns"`
	ExtraHosts     []string
}

// inspectUlimit is one of Docker's Ulimits.
type inspectUlimit struct {
	Name       string
	Soft, Hard int64
}

// inspectRestartPolicy is Docker's RestartPolicy.
type inspectRestartPolicy struct {
	Name              string
	MaximumRetryCount int
}

// inspectPortBinding is one host address and port a container port is published on.
type inspectPortBinding struct {
	HostIP   string `json:"HostIp"`
	HostPort string
}

// inspectGraphDriver is Docker's GraphDriver: the overlay's directories.
type inspectGraphDriver struct {
	Name string
	Data map[string]string
}

// inspectConfig is Docker's Config: how the container's command was asked for.
type inspectConfig struct {
	Hostname     string
	Domainname   string
	User         string
	ExposedPorts map[string]struct{} `json:",omitempty"`
	Tty          bool
	OpenStdin    bool
	Env          []string
	Cmd          []string
	Image        string
	WorkingDir   string
	Entrypoint   []string
	Labels       map[string]string
	StopSignal   string `json:",omitempty"`
	StopTimeout  *int   `json:",omitempty"`
}

// inspectNetworkSettings is Docker's NetworkSettings. The top-level address fields
// are those of the default bridge network, as in Docker.
type inspectNetworkSettings struct {
	SandboxKey  string
	Ports       map[string][]inspectPortBinding
	Gateway     string
	IPAddress   string
	IPPrefixLen int
	MacAddress  string
	Networks    map[string]inspectEndpoint
}

// inspectEndpoint is the container's place on one network.
type inspectEndpoint struct {
	IPAMConfig  *inspectIPAM
	Aliases     []string
	MacAddress  string
	Gateway     string
	IPAddress   string
	IPPrefixLen int
}

// inspectIPAM is the address asked for with --ip.
type inspectIPAM struct {
	IPv4Address string
}

// inspectWorkbench is the workbench's own section.
type inspectWorkbench struct {
	// Host is the lab host the container's network hangs off.
	Host string
	// Dir is the container's state directory on the machine.
	Dir string
	// Userns says whether it runs in a user namespace of its own (--userns).
	Userns bool
	// Interfaces are its interfaces while it runs, with the veth end on the bridge.
	Interfaces []inspectInterface
}

// inspectInterface is one interface of a running container.
type inspectInterface struct {
	Network, Host, IfName, IPAddress, Gateway, MacAddress, HostVeth string
}

// dockerTime writes a time as Docker's inspect does: RFC 3339 with nanoseconds, UTC.
func dockerTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// newInspectView builds the Docker-shaped document of a container from the engine's
// inspection; img is the container's image as the store has it (nil if it is gone),
// lan the LAN address of each lab host.
func newInspectView(in core.Inspection, img *images.Details, lan map[string]string) inspectView {
	c := in.Container
	running := c.State == core.StateRunning || c.State == core.StateRestarting
	paused := c.Paused && running
	v := inspectView{
		ID: c.ID, Created: dockerTime(c.Created), Args: []string{},
		State: inspectState{Status: stateName(c), Running: running, Paused: paused,
			Restarting: c.State == core.StateRestarting, OOMKilled: c.OOMKilled, ExitCode: c.ExitCode,
			Error: c.Error, StartedAt: dockerTime(c.Started), FinishedAt: dockerTime(c.Finished)},
		Image: c.ImageID, LogPath: in.LogPath, Name: "/" + c.Name, RestartCount: c.RestartCount,
		Driver: "overlay", Platform: "linux",
		HostConfig: hostConfigOf(c),
		GraphDriver: inspectGraphDriver{Name: "overlay", Data: map[string]string{
			"LowerDir": strings.Join(reversed(c.Layers), ":"), "UpperDir": c.UpperDir, "MergedDir": c.Rootfs}},
		Mounts:       append([]dockerMount{}, containerMounts(c, in.MountSources)...),
		Config:       configOf(c, img),
		Namespaces:   in.Namespaces,
		Cgroup:       in.Cgroup,
		Capabilities: in.Capabilities,
		Workbench:    inspectWorkbench{Host: c.Host, Dir: in.Dir, Userns: c.Userns, Interfaces: []inspectInterface{}},
	}
	if len(c.Cmd) > 0 {
		v.Path, v.Args = c.Cmd[0], append(v.Args, c.Cmd[1:]...)
	}
	if c.State == core.StateRunning {
		v.State.Pid = c.Pid
	}
	for _, m := range v.Mounts {
		if m.Type == "bind" {
			bind := m.Source + ":" + m.Destination
			if !m.RW {
				bind += ":ro"
			}
			v.HostConfig.Binds = append(v.HostConfig.Binds, bind)
		}
	}
	v.NetworkSettings = networkSettingsOf(c, lan)
	for _, a := range c.Networks {
		v.Workbench.Interfaces = append(v.Workbench.Interfaces, inspectInterface{Network: a.Network, Host: a.Host,
			IfName: a.IfName, IPAddress: a.IP, Gateway: a.Gateway, MacAddress: a.MAC, HostVeth: a.HostVeth})
	}
	return v
}

// hostConfigOf is the HostConfig of a container: its network mode, ports, restart
// policy, capabilities next to Docker's default set, and limits.
func hostConfigOf(c core.Container) inspectHostConfig {
	h := inspectHostConfig{
		NetworkMode:    c.NetMode,
		PortBindings:   map[string][]inspectPortBinding{},
		RestartPolicy:  inspectRestartPolicy{Name: cmp.Or(c.Restart.Name, "no"), MaximumRetryCount: c.Restart.MaximumRetryCount},
		AutoRemove:     c.AutoRemove,
		CapAdd:         without(c.Security.Caps, core.DefaultCaps),
		CapDrop:        without(core.DefaultCaps, c.Security.Caps),
		SecurityOpt:    []string{"no-new-privileges"},
		Init:           c.Init,
		StorageOpt:     map[string]string{"size": strconv.FormatInt(c.StorageSize, 10)},
		Privileged:     c.Privileged,
		ReadonlyRootfs: c.ReadOnly,
		ShmSize:        c.ShmSize,
		Ulimits:        []inspectUlimit{},
		DNS:            append([]string{}, c.DNS...),
		ExtraHosts:     append([]string{}, c.ExtraHosts...),
	}
	for _, u := range c.Ulimits {
		h.Ulimits = append(h.Ulimits, inspectUlimit{Name: u.Name, Soft: u.Soft, Hard: u.Hard})
	}
	for _, m := range c.Mounts {
		if m.Type == core.MountTmpfs {
			if h.Tmpfs == nil {
				h.Tmpfs = map[string]string{}
			}
			h.Tmpfs[m.Target] = tmpfsOptions(m)
		}
	}
	switch c.Security.Seccomp {
	case core.SeccompUnconfined:
		h.SecurityOpt = append(h.SecurityOpt, "seccomp=unconfined")
	case core.SeccompCustom:
		h.SecurityOpt = append(h.SecurityOpt, "seccomp=custom")
	}
	for _, p := range c.PortSpecs {
		key := strconv.Itoa(p.ContainerPort) + "/" + p.Proto
		hp := ""
		if p.HostPort != 0 {
			hp = strconv.Itoa(p.HostPort)
		}
		h.PortBindings[key] = append(h.PortBindings[key], inspectPortBinding{HostIP: p.HostIP, HostPort: hp})
	}
	applyLimits(&h, c.Limits)
	return h
}

// applyLimits writes the limits asked for in Docker's HostConfig fields.
func applyLimits(h *inspectHostConfig, l cgroup.Limits) {
	h.Memory, h.MemorySwap = l.Memory, l.MemorySwap
	h.NanoCPUs = int64(l.CPUs * 1e9)
	h.CPUShares, h.CPUPeriod, h.CPUQuota = int64(l.CPUShares), int64(l.CPUPeriod), l.CPUQuota
	h.CpusetCpus = l.CpusetCpus
	if l.PidsLimit != 0 {
		n := l.PidsLimit
		h.PidsLimit = &n
	}
}

// configOf is the Config of a container. Its command line is split into the image's
// entrypoint and the rest when it starts with that entrypoint.
func configOf(c core.Container, img *images.Details) inspectConfig {
	cfg := inspectConfig{Hostname: c.Hostname, User: c.User, Tty: c.Tty, OpenStdin: c.Interactive,
		Env: c.Env, Cmd: c.Cmd, Image: c.Image, WorkingDir: c.WorkingDir, Labels: map[string]string{}}
	if c.StopSignal != 0 {
		cfg.StopSignal = core.SignalName(unix.Signal(c.StopSignal))
	}
	if c.StopTimeout != 0 {
		t := c.StopTimeout
		cfg.StopTimeout = &t
	}
	maps.Copy(cfg.Labels, c.Labels)
	exposed := map[string]struct{}{}
	if img != nil {
		if ep := img.Config.Entrypoint; len(ep) > 0 && len(c.Cmd) >= len(ep) && slices.Equal(c.Cmd[:len(ep)], ep) {
			cfg.Entrypoint, cfg.Cmd = ep, c.Cmd[len(ep):]
		}
		for _, p := range img.Config.ExposedPorts {
			exposed[p] = struct{}{}
		}
	}
	for _, p := range c.PortSpecs {
		exposed[strconv.Itoa(p.ContainerPort)+"/"+p.Proto] = struct{}{}
	}
	if len(exposed) > 0 {
		cfg.ExposedPorts = exposed
	}
	return cfg
}

// networkSettingsOf is the NetworkSettings of a container: each network it is on,
// with its address while it runs, and its published ports.
func networkSettingsOf(c core.Container, lan map[string]string) inspectNetworkSettings {
	ns := inspectNetworkSettings{SandboxKey: c.NetnsPath, Ports: map[string][]inspectPortBinding{},
		Networks: map[string]inspectEndpoint{}}
	aliases := func(name string) []string {
		if name == network.DefaultNetwork || len(c.Aliases) == 0 {
			return nil
		}
		return append([]string{}, c.Aliases...)
	}
	for _, name := range containerNetworks(c) {
		ns.Networks[name] = inspectEndpoint{Aliases: aliases(name)}
	}
	for _, a := range c.Networks {
		ep := inspectEndpoint{MacAddress: a.MAC, Gateway: a.Gateway, Aliases: aliases(a.Network)}
		if ip, ipnet, err := net.ParseCIDR(a.IP); err == nil {
			ep.IPAddress = ip.String()
			ep.IPPrefixLen, _ = ipnet.Mask.Size()
		}
		if a.Network == c.NetMode && c.StaticIP != "" {
			ep.IPAMConfig = &inspectIPAM{IPv4Address: c.StaticIP}
		}
		ns.Networks[a.Network] = ep
		if a.Network == network.DefaultNetwork {
			ns.IPAddress, ns.IPPrefixLen, ns.Gateway, ns.MacAddress = ep.IPAddress, ep.IPPrefixLen, ep.Gateway, ep.MacAddress
		}
	}
	for _, p := range c.Ports {
		key := strconv.Itoa(p.ContainerPort) + "/" + p.Proto
		ns.Ports[key] = append(ns.Ports[key], inspectPortBinding{HostIP: publishedAddr(p, lan), HostPort: strconv.Itoa(p.HostPort)})
	}
	return ns
}

// tmpfsOptions writes a tmpfs mount's options as --tmpfs takes them: size=BYTES,mode=OCTAL.
func tmpfsOptions(m core.Mount) string {
	var opts []string
	if m.ReadOnly {
		opts = append(opts, "ro")
	}
	if m.Size > 0 {
		opts = append(opts, "size="+strconv.FormatInt(m.Size, 10))
	}
	if m.Mode != 0 {
		opts = append(opts, "mode="+strconv.FormatUint(uint64(m.Mode.Perm()|m.Mode&os.ModeSticky), 8))
	}
	return strings.Join(opts, ",")
}

// without is what a has that b lacks, in a's order.
func without(a, b []string) []string {
	var out []string
	for _, s := range a {
		if !slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}

// reversed is a copy of s, last first.
func reversed(s []string) []string {
	out := slices.Clone(s)
	slices.Reverse(out)
	return out
}
