package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"workbench/cmdlog"
	"workbench/core"
	"workbench/core/network"
	"workbench/instance"
	"workbench/netviz/trace"
)

// traceFlags are the flags of `trace`.
type traceFlags struct {
	count           int
	timeout         time.Duration
	host, container string
	probe, json     bool
}

func newTraceCmd() *cobra.Command {
	var f traceFlags
	cmd := leaf{use: "trace [--count N] [--timeout D] [--host H | --container C] FILTER | --probe FROM TO[:PORT][/tcp|udp|icmp]",
		short: "Follow packets through every namespace, hook, rule, NAT and route of the lab",
		long: `Arm an nftables trace in every network namespace of the lab (hosts, the LAN,
containers) for the packets a tcpdump-style filter matches, and print each packet's
journey hop by hop, with its reply's: the interface it came in on, each netfilter hook
it crossed with every rule it matched (as iptables -S prints it) and the verdict, the
routing decision, NAT with conntrack's tuples, the veth pair or bridge port into the
next namespace, and the end: delivered, sent out of the lab, or dropped and by what.

It stops after --count journeys or after --timeout. --host or --container keeps the
journeys that cross that place. --probe sends one packet (a ping, a TCP connection's
SYN, a UDP datagram) from a host or container to a name or address and follows it.
The trace's rules live in a table of their own in each namespace, owned by this
process: the kernel removes them when it ends, even when it is killed.
Tracing needs iptables on nf_tables (iptables-nft), as the lab uses.`,
		example: `  workbench trace --probe outside host1:8080/tcp     # in through the published port
  workbench trace --probe web 198.51.100.100         # out through MASQUERADE
  workbench trace -c 3 icmp and host 203.0.113.1
  workbench trace --json --probe web 172.18.0.3:9/udp`,
		run: func(cmd *cobra.Command, args []string) error { return runTrace(cmd, &f, args) }}.command()
	fs := cmd.Flags()
	fs.IntVarP(&f.count, "count", "c", 1, "stop after this many journeys")
	fs.DurationVar(&f.timeout, "timeout", 10*time.Second, "stop after this long")
	fs.StringVar(&f.host, "host", "", "keep the journeys that cross this lab host")
	fs.StringVar(&f.container, "container", "", "keep the journeys that cross this container")
	fs.BoolVar(&f.probe, "probe", false, "send one probe FROM TO[:PORT][/tcp|udp|icmp] and follow it")
	fs.BoolVar(&f.json, "json", false, "print each journey as a JSON object, one a line")
	setExamples(fs, map[string]string{"count": "3", "timeout": "5s"})
	return cmd
}

func runTrace(cmd *cobra.Command, f *traceFlags, args []string) error {
	if err := needRoot(cmd); err != nil {
		return err
	}
	if f.count < 1 || f.timeout <= 0 {
		return fmt.Errorf("--count must be 1 or more and --timeout positive, e.g. --count 3 --timeout 5s")
	}
	if f.host != "" && f.container != "" {
		return fmt.Errorf("--host and --container both name where to look: give one of them")
	}
	places, err := tracePlaces(cmd)
	if err != nil {
		return err
	}
	opts := trace.Options{Places: places}
	if f.probe {
		if len(args) != 2 {
			return fmt.Errorf("--probe takes FROM and TO[:PORT][/tcp|udp|icmp], e.g. --probe outside host1:8080/tcp")
		}
		if opts.Probe, err = parseProbe(places, args[0], args[1], f.timeout); err != nil {
			return err
		}
	} else {
		if opts.Filter = strings.Join(args, " "); opts.Filter == "" {
			return fmt.Errorf("trace needs a filter (e.g. icmp, tcp port 8080) or --probe FROM TO")
		}
	}
	keep := f.host + f.container
	if keep != "" && placeIndex(places, keep) < 0 {
		return fmt.Errorf("no lab host or running container named %q: see `workbench host ls` and `workbench ps`", keep)
	}
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	s, err := trace.Start(ctx, opts)
	if err != nil {
		return err
	}
	n := 0
	for j := range s.Journeys() {
		if keep != "" && !crosses(j, keep) {
			continue
		}
		n++
		if f.json {
			b, _ := json.Marshal(j)
			fmt.Fprintln(cmd.OutOrStdout(), string(b))
		} else {
			trace.Render(cmd.OutOrStdout(), n, j)
		}
		if n == f.count {
			break
		}
	}
	cancel()
	if err := s.Close(); err != nil {
		return err
	}
	if n > 0 {
		if !f.json {
			fmt.Fprintf(cmd.OutOrStdout(), "%d journeys from %d trace events in %d namespaces\n", n, s.Events(), len(places))
		}
		return nil
	}
	if opts.Probe != nil {
		select {
		case err := <-s.ProbeErr():
			if err != nil {
				return fmt.Errorf("the probe could not be sent: %w", err)
			}
		default:
		}
		return fmt.Errorf("the probe was not seen within %s", f.timeout)
	}
	return fmt.Errorf("no packet matched %q within %s: send one while the trace runs, or raise --timeout", opts.Filter, f.timeout)
}

// crosses tells whether a journey passes through a namespace.
func crosses(j trace.Journey, name string) bool {
	legs := []trace.Leg{j.Request}
	if j.Reply != nil {
		legs = append(legs, *j.Reply)
	}
	for _, l := range legs {
		for _, h := range l.Hops {
			if h.Namespace == name {
				return true
			}
		}
	}
	return false
}

// tracePlaces lists every namespace of the lab: the LAN, each lab host, each running
// container with a namespace of its own, and each namespace made by hand in the lab.
func tracePlaces(cmd *cobra.Command) ([]trace.Place, error) {
	inst, err := currentInstance()
	if err != nil {
		return nil, err
	}
	e, err := openEngine(cmd)
	if err != nil {
		return nil, err
	}
	m := network.New(inst, cmdlog.Open(inst.CommandLogPath()))
	lan := m.LANNetnsPath()
	if lan == "" {
		return nil, fmt.Errorf("the lab is not made yet: the first `workbench run` or `workbench host add NAME` makes it")
	}
	places := []trace.Place{{Name: "lan", Kind: "lan", Netns: lan}}
	seen := map[string]bool{lan: true}
	hosts, err := m.Hosts()
	if err != nil {
		return nil, err
	}
	for _, h := range hosts {
		if h.Name == network.RealHost {
			continue // the machine's own namespace is not traced
		}
		path, err := m.HostNetnsPath(h.Name)
		if err != nil {
			continue
		}
		seen[path] = true
		places = append(places, trace.Place{Name: h.Name, Kind: "host", Netns: path})
	}
	cs, err := e.List(cmd.Context(), false)
	if err != nil {
		return nil, err
	}
	// A namespace is named by the container that made it, not one that joined it
	// (--net container:NAME).
	sort.SliceStable(cs, func(i, j int) bool { return !joined(cs[i]) && joined(cs[j]) })
	for _, c := range cs {
		if c.NetnsPath == "" || seen[c.NetnsPath] || c.Host == network.RealHost {
			continue
		}
		seen[c.NetnsPath] = true
		places = append(places, trace.Place{Name: c.Name, Kind: "container", Netns: c.NetnsPath})
	}
	return append(places, handMadePlaces(inst, places, seen)...), nil
}

// handMadePlaces are the namespaces made by hand with `ip netns add` under the
// instance's prefix (as the labs name theirs), named without it: `docker0` for
// wb-docker0. A name a host or container has already is left out.
func handMadePlaces(inst instance.Instance, places []trace.Place, seen map[string]bool) []trace.Place {
	prefix := inst.HostNetnsPath("")
	paths, _ := filepath.Glob(prefix + "*")
	var out []trace.Place
	for _, path := range paths {
		name := strings.TrimPrefix(path, prefix)
		if seen[path] || placeIndex(places, name) >= 0 {
			continue
		}
		out = append(out, trace.Place{Name: name, Kind: "other", Netns: path})
	}
	return out
}

// joined tells whether a container joined another's network namespace.
func joined(c core.Container) bool { return strings.HasPrefix(c.NetMode, "container:") }

func placeIndex(places []trace.Place, name string) int {
	for i, p := range places {
		if p.Name == name {
			return i
		}
	}
	return -1
}

// parseProbe reads FROM and TO[:PORT][/PROTO]: FROM a host or container, TO a host, a
// container or an address.
func parseProbe(places []trace.Place, from, to string, timeout time.Duration) (*trace.Probe, error) {
	p := &trace.Probe{Proto: "icmp", Timeout: timeout}
	i := placeIndex(places, from)
	if i < 0 {
		if a, err := netip.ParseAddr(from); err == nil {
			i = trace.PlaceOf(places, a)
		}
	}
	if i < 0 {
		return nil, fmt.Errorf("probe from %q: no lab host, running container or lab address of that name (see `workbench host ls` and `workbench ps`)", from)
	}
	p.From = places[i]
	if rest, proto, ok := strings.Cut(to, "/"); ok {
		if proto != "tcp" && proto != "udp" && proto != "icmp" {
			return nil, fmt.Errorf("probe to %q: the protocol is tcp, udp or icmp, not %q", to, proto)
		}
		p.Proto, to = proto, rest
	}
	if host, port, ok := strings.Cut(to, ":"); ok {
		n, err := strconv.ParseUint(port, 10, 16)
		if err != nil || n == 0 {
			return nil, fmt.Errorf("probe to %q: the port is a number from 1 to 65535", to)
		}
		p.Port, to = uint16(n), host
		if p.Proto == "icmp" {
			p.Proto = "tcp"
		}
	} else if p.Proto != "icmp" {
		return nil, fmt.Errorf("probe to %q: a %s probe needs a port, e.g. %s:80/%s", to, p.Proto, to, p.Proto)
	}
	a, err := netip.ParseAddr(to)
	if err != nil {
		j := placeIndex(places, to)
		if j < 0 {
			return nil, fmt.Errorf("probe to %q: not an IPv4 address, lab host or running container", to)
		}
		if a, err = trace.AddrOf(places[j]); err != nil {
			return nil, err
		}
	}
	if !a.Is4() {
		return nil, fmt.Errorf("probe to %q: the lab is IPv4: give an IPv4 address", to)
	}
	p.To = a
	return p, nil
}
