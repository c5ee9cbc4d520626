package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"workbench/core"
)

func init() { register(newPortCmd) }

func newPortCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "port CONTAINER",
		Short: "List a container's published ports (CTRPORT/PROTO -> HOSTADDR:HOSTPORT)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needRoot(cmd); err != nil {
				return err
			}
			inst, err := currentInstance()
			if err != nil {
				return err
			}
			e, err := core.Open(cmd.Context(), inst)
			if err != nil {
				return err
			}
			defer e.Close()
			c, err := e.Lookup(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(cmd, c.Ports)
			}
			m, unlock, err := labManager()
			if err != nil {
				return err
			}
			hosts, err := m.Hosts()
			unlock()
			if err != nil {
				return err
			}
			lan := map[string]string{}
			for _, h := range hosts {
				lan[h.Name] = addrOnly(h.LANAddr)
			}
			for _, p := range c.Ports {
				addr := p.HostIP
				if addr == "" {
					addr = "0.0.0.0"
					if a := lan[p.Host]; a != "" {
						addr = a
					}
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%d/%s -> %s:%d\n", p.ContainerPort, p.Proto, addr, p.HostPort)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func addrOnly(cidr string) string {
	for i := 0; i < len(cidr); i++ {
		if cidr[i] == '/' {
			return cidr[:i]
		}
	}
	return cidr
}
