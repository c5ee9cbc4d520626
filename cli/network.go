package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"workbench/core/network"
)

func init() { register(newNetworkCmd) }

func newNetworkCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "network",
		Short: "Bridge networks of the lab hosts: create, list, inspect, remove, connect containers",
	}
	cmd.AddCommand(newNetworkCreateCmd(), newNetworkLsCmd(), newNetworkInspectCmd(), newNetworkRmCmd(),
		newNetworkConnectCmd(), newNetworkDisconnectCmd())
	return cmd
}

func newNetworkCreateCmd() *cobra.Command {
	var o network.NetworkOptions
	cmd := &cobra.Command{
		Use:   "create [--host H] [--subnet CIDR] [--gateway IP] [--crosshost host-gw|vxlan|gre] NAME",
		Short: "Make a bridge network on a host, or across every lab host with --crosshost",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Name = args[0]
			m, unlock, err := labManager(cmd)
			if err != nil {
				return err
			}
			defer unlock()
			parts, err := m.CreateNetwork(cmd.Context(), o)
			if err != nil {
				return err
			}
			for _, n := range parts {
				fmt.Fprintf(cmd.OutOrStdout(), "%s\t%s\t%s\t%s\n", n.Name, n.Host, n.Bridge, n.Pool)
			}
			return nil
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&o.Host, "host", "", "lab host of the network (default host1)")
	fs.StringVar(&o.Subnet, "subnet", "", "subnet in CIDR form (default: a free 172.x.0.0/16; 10.10.0.0/16 across hosts)")
	fs.StringVar(&o.Gateway, "gateway", "", "the bridge's address (default: the subnet's first)")
	fs.StringVar(&o.Driver, "driver", "bridge", "network driver (bridge)")
	fs.StringVar(&o.CrossHost, "crosshost", "", "join every lab host: host-gw (routes), vxlan or gre (tunnels)")
	return cmd
}

func newNetworkLsCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "ls",
		Short: "List the networks of every host that are whole",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			m, err := readLab(cmd)
			if err != nil {
				return err
			}
			nets, err := m.Networks()
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(cmd, nets)
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "NETWORK\tHOST\tBRIDGE\tSUBNET\tGATEWAY\tCROSSHOST\tCONTAINERS")
			for _, n := range nets {
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%d\n", n.Name, n.Host, n.Bridge, n.Pool, n.Gateway, orDash(n.CrossHost), len(n.Endpoints))
			}
			return w.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func newNetworkInspectCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "inspect NAME",
		Short: "Show a network as JSON: each host's bridge, subnet, gateway and endpoints",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m, err := readLab(cmd)
			if err != nil {
				return err
			}
			parts, err := m.Inspect(args[0])
			if err != nil {
				return err
			}
			return printJSON(cmd, parts)
		},
	}
}

func newNetworkRmCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "rm NAME...",
		Short: "Remove networks (refused while containers are on them)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m, unlock, err := labManager(cmd)
			if err != nil {
				return err
			}
			defer unlock()
			var failed []string
			for _, name := range args {
				if err := m.RemoveNetwork(cmd.Context(), name); err != nil {
					failed = append(failed, err.Error())
					continue
				}
				fmt.Fprintln(cmd.OutOrStdout(), name)
			}
			if len(failed) > 0 {
				return fmt.Errorf("%s", strings.Join(failed, "; "))
			}
			return nil
		},
	}
}

func newNetworkConnectCmd() *cobra.Command {
	var ip string
	cmd := &cobra.Command{
		Use:   "connect [--ip IP] NETWORK CONTAINER",
		Short: "Give a running container an interface on one more network",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			e, err := openEngine(cmd)
			if err != nil {
				return err
			}
			a, err := e.Connect(cmd.Context(), args[1], args[0], ip)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s\t%s\t%s\n", a.IfName, a.IP, a.HostVeth)
			return nil
		},
	}
	cmd.Flags().StringVar(&ip, "ip", "", "static IPv4 address on the network")
	return cmd
}

func newNetworkDisconnectCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "disconnect NETWORK CONTAINER",
		Short: "Remove a container's interface on a network",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			e, err := openEngine(cmd)
			if err != nil {
				return err
			}
			return e.Disconnect(cmd.Context(), args[1], args[0])
		},
	}
}
