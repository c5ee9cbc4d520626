package cli

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/spf13/pflag"

	"workbench/core"
	"workbench/core/network"
)

// netFlags holds the raw values of the network flags of `run`.
type netFlags struct {
	mode, host, ip               string
	publish, aliases, dns, hosts []string
	publishAll                   bool
}

// addNetFlags adds --net (and Docker's --network), --host, --ip, -p/--publish, -P,
// --network-alias, --dns and --add-host to a command's flags.
func addNetFlags(fs *pflag.FlagSet) *netFlags {
	f := &netFlags{}
	fs.StringVar(&f.mode, "net", "bridge", "network mode: bridge, none, host, container:NAME or a network name")
	fs.StringVar(&f.mode, "network", "bridge", "the same as --net, Docker's spelling")
	fs.StringArrayVar(&f.aliases, "network-alias", nil, "another name of the container on a user network")
	fs.BoolVarP(&f.publishAll, "publish-all", "P", false, "publish every port the image exposes on a free host port")
	fs.StringArrayVar(&f.dns, "dns", nil, "a name server for the container's /etc/resolv.conf")
	fs.StringArrayVar(&f.hosts, "add-host", nil, "a line for the container's /etc/hosts: NAME:ADDRESS")
	fs.StringVar(&f.host, "host", network.DefaultHost, "lab host the container's network hangs off (\"real\" = the machine's own network)")
	fs.StringVar(&f.ip, "ip", "", "static IPv4 address on the container's network (as pipework does)")
	fs.StringArrayVarP(&f.publish, "publish", "p", nil, "publish a port or a range: [IP:]HOSTPORT:CTRPORT[/tcp|udp], CTRPORT, 8080-8081:80-81")
	return f
}

// request checks the flags and returns what they ask for.
func (f *netFlags) request() (core.NetSpec, error) {
	r := core.NetSpec{Mode: f.mode, Host: f.host, IP: f.ip, PublishAll: f.publishAll,
		Aliases: f.aliases, DNS: f.dns, ExtraHosts: f.hosts}
	if r.Mode == "" {
		r.Mode = "bridge"
	}
	if r.Host == "" {
		r.Host = network.DefaultHost
	}
	if err := network.CheckHostName(r.Host); err != nil {
		return core.NetSpec{}, err
	}
	if strings.HasPrefix(r.Mode, "container:") && strings.TrimPrefix(r.Mode, "container:") == "" {
		return core.NetSpec{}, fmt.Errorf("--net container: needs a container name, e.g. --net container:web")
	}
	if r.IP != "" {
		a, err := netip.ParseAddr(r.IP)
		if err != nil || !a.Is4() {
			return core.NetSpec{}, fmt.Errorf("--ip %q is not an IPv4 address: use e.g. --ip 172.18.0.10", r.IP)
		}
		if r.Mode == "none" || r.Mode == "host" || strings.HasPrefix(r.Mode, "container:") {
			return core.NetSpec{}, fmt.Errorf("--ip needs a bridge network, not --net %s: drop --ip or use --net bridge or a network name", r.Mode)
		}
	}
	for _, s := range f.publish {
		ps, err := network.ParsePorts(s)
		if err != nil {
			return core.NetSpec{}, err
		}
		r.Ports = append(r.Ports, ps...)
	}
	if len(r.Ports) > 0 && (r.Mode == "none" || r.Mode == "host" || strings.HasPrefix(r.Mode, "container:")) {
		return core.NetSpec{}, fmt.Errorf("-p needs a bridge network, not --net %s: drop -p or use --net bridge or a network name", r.Mode)
	}
	return r, nil
}
