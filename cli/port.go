package cli

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"workbench/core"
	"workbench/core/network"
)

func init() { register(newPortCmd) }

func newPortCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "port [CONTAINER]",
		Short: "List a container's published ports (CTRPORT/PROTO -> HOSTADDR:HOSTPORT), or every host's",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needRoot(cmd); err != nil {
				return err
			}
			var ports []network.PortBinding
			if len(args) == 1 {
				inst, err := currentInstance()
				if err != nil {
					return err
				}
				e, err := core.Open(cmd.Context(), inst)
				if err != nil {
					return err
				}
				c, err := e.Lookup(cmd.Context(), args[0])
				if err != nil {
					return err
				}
				ports = c.Ports
			}
			m, unlock, err := labManager(cmd)
			if err != nil {
				return err
			}
			hosts, err := m.Hosts()
			if err == nil && len(args) == 0 {
				ports, err = m.Ports()
			}
			unlock()
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(cmd, ports)
			}
			lan := map[string]string{}
			for _, h := range hosts {
				lan[h.Name] = addrOnly(h.LANAddr)
			}
			printPorts(cmd.OutOrStdout(), ports, lan, len(args) == 0)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// printPorts writes one mapping a line, as `docker port` does; every host's mappings
// also name the host and the container's address.
func printPorts(w io.Writer, ports []network.PortBinding, lan map[string]string, all bool) {
	for _, p := range ports {
		addr := p.HostIP
		if addr == "" {
			addr = "0.0.0.0"
			if a := lan[p.Host]; a != "" {
				addr = a
			}
		}
		if all {
			fmt.Fprintf(w, "%s\t%s:%d -> %s:%d/%s\n", p.Host, addr, p.HostPort, p.ContainerIP, p.ContainerPort, p.Proto)
			continue
		}
		fmt.Fprintf(w, "%d/%s -> %s:%d\n", p.ContainerPort, p.Proto, addr, p.HostPort)
	}
}

func addrOnly(cidr string) string {
	for i := 0; i < len(cidr); i++ {
		if cidr[i] == '/' {
			return cidr[:i]
		}
	}
	return cidr
}
