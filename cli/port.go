package cli

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"workbench/core/network"
)

func newPortCmd() *cobra.Command {
	var asJSON bool
	cmd := leaf{use: "port [CONTAINER [PORT[/PROTO]]]",
		short: "List a container's published ports (CTRPORT/PROTO -> HOSTADDR:HOSTPORT), or every host's",
		long: `port lists a container's published ports as docker port does; given a port of the container
(80, 80/tcp, 53/udp) it prints only the addresses it is reached at. Without a container it
lists the published ports of every lab host.`,
		example: `  workbench port web
  workbench port web 80
  workbench port dns 53/udp`,
		args: cobra.MaximumNArgs(2),
		run: func(cmd *cobra.Command, args []string) error {
			var want string
			if len(args) == 2 {
				var err error
				if want, err = parsePortArg(args[1]); err != nil {
					return err
				}
			}
			ports, err := publishedPorts(cmd, args)
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(cmd, ports)
			}
			lan, err := lanAddrs(cmd)
			if err != nil {
				return err
			}
			if want == "" {
				printPorts(cmd.OutOrStdout(), ports, lan, len(args) == 0)
				return nil
			}
			found := false
			for _, p := range ports {
				if strconv.Itoa(p.ContainerPort)+"/"+p.Proto == want {
					fmt.Fprintf(cmd.OutOrStdout(), "%s:%d\n", publishedAddr(p, lan), p.HostPort)
					found = true
				}
			}
			if !found {
				return fmt.Errorf("no public port %s published for %s: `workbench port %s` lists those it has", want, args[0], args[0])
			}
			return nil
		}}.command()
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// publishedPorts are the ports a container publishes, or, with no container named,
// those of every lab host.
func publishedPorts(cmd *cobra.Command, args []string) ([]network.PortBinding, error) {
	if len(args) > 0 {
		_, c, err := lookupContainer(cmd, args[0])
		if err != nil {
			return nil, err
		}
		return c.Ports, nil
	}
	m, err := readLab(cmd)
	if err != nil {
		return nil, err
	}
	return m.Ports()
}

// parsePortArg reads the PORT[/PROTO] of `port NAME PORT` as "PORT/PROTO" (tcp when
// no protocol is given).
func parsePortArg(s string) (string, error) {
	num, proto, hasProto := strings.Cut(s, "/")
	n, err := strconv.Atoi(num)
	if err != nil || n < 1 || n > 65535 || strings.HasPrefix(num, "+") {
		return "", fmt.Errorf("port %q is not a port of the container: give a number from 1 to 65535, e.g. 80 or 53/udp", s)
	}
	if !hasProto {
		proto = "tcp"
	}
	if proto != "tcp" && proto != "udp" {
		return "", fmt.Errorf("port %q: the protocol is tcp or udp, e.g. 53/udp", s)
	}
	return strconv.Itoa(n) + "/" + proto, nil
}

// printPorts writes one mapping a line, as `docker port` does: a container's sorted
// by its port; every host's mappings also name the host and the container's address.
func printPorts(w io.Writer, ports []network.PortBinding, lan map[string]string, all bool) {
	if !all {
		ports = append([]network.PortBinding(nil), ports...)
		sort.SliceStable(ports, func(i, j int) bool {
			if ports[i].ContainerPort != ports[j].ContainerPort {
				return ports[i].ContainerPort < ports[j].ContainerPort
			}
			return ports[i].Proto < ports[j].Proto
		})
	}
	for _, p := range ports {
		addr := publishedAddr(p, lan)
		if all {
			fmt.Fprintf(w, "%s\t%s:%d -> %s:%d/%s\n", p.Host, addr, p.HostPort, p.ContainerIP, p.ContainerPort, p.Proto)
			continue
		}
		fmt.Fprintf(w, "%d/%s -> %s:%d\n", p.ContainerPort, p.Proto, addr, p.HostPort)
	}
}

// addrOnly drops the prefix length of an address in CIDR form.
func addrOnly(cidr string) string {
	addr, _, _ := strings.Cut(cidr, "/")
	return addr
}
