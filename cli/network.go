package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"workbench/core"
	"workbench/core/network"
)

func newNetworkCmd() *cobra.Command {
	return group("network", "Bridge networks of the lab hosts: create, list, inspect, remove, connect containers, prune",
		newNetworkCreateCmd(), newNetworkLsCmd(), newNetworkInspectCmd(), newNetworkRmCmd(), newNetworkConnectCmd(),
		newNetworkDisconnectCmd(), newNetworkPruneCmd())
}

func newNetworkCreateCmd() *cobra.Command {
	var o network.NetworkOptions
	cmd := leaf{use: "create [--host H] [--subnet CIDR] [--gateway IP] [--crosshost host-gw|vxlan|gre] NAME",
		short: "Make a bridge network on a host, or across every lab host with --crosshost", args: cobra.ExactArgs(1),
		run: onLab(func(cmd *cobra.Command, m *network.Manager, args []string) error {
			o.Name = args[0]
			parts, err := m.CreateNetwork(cmd.Context(), o)
			if err != nil {
				return err
			}
			for _, n := range parts {
				fmt.Fprintf(cmd.OutOrStdout(), "%s\t%s\t%s\t%s\n", n.Name, n.Host, n.Bridge, n.Pool)
			}
			return nil
		})}.command()
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
	cmd := leaf{use: "ls", aliases: []string{"list"}, short: "List the networks of every host that are whole", args: cobra.NoArgs,
		run: onListing(func(cmd *cobra.Command, m *network.Manager, _ []string) error {
			nets, err := m.Networks()
			if err != nil || asJSON {
				return printJSONUnless(cmd, err, nets)
			}
			return printTable(cmd, "NETWORK\tHOST\tBRIDGE\tSUBNET\tGATEWAY\tCROSSHOST\tCONTAINERS", nets, func(n network.Network) []any {
				return []any{n.Name, n.Host, n.Bridge, n.Pool, n.Gateway, orDash(n.CrossHost), len(n.Endpoints)}
			})
		})}.command()
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func newNetworkInspectCmd() *cobra.Command {
	return leaf{use: "inspect NAME", short: "Show a network as JSON: each host's bridge, subnet, gateway and endpoints", args: cobra.ExactArgs(1),
		run: onListing(func(cmd *cobra.Command, m *network.Manager, args []string) error {
			parts, err := m.Inspect(args[0])
			return printJSONUnless(cmd, err, parts)
		})}.command()
}

func newNetworkRmCmd() *cobra.Command {
	return leaf{use: "rm NAME...", aliases: []string{"remove"}, short: "Remove networks (refused while containers are on them)", args: cobra.MinimumNArgs(1),
		run: onLab(func(cmd *cobra.Command, m *network.Manager, args []string) error {
			var failed []string
			for _, name := range args {
				if err := m.RemoveNetwork(cmd.Context(), name); err != nil {
					failed = append(failed, err.Error())
					continue
				}
				fmt.Fprintln(cmd.OutOrStdout(), name)
			}
			if len(failed) > 0 {
				return errors.New(strings.Join(failed, "; "))
			}
			return nil
		})}.command()
}

func newNetworkConnectCmd() *cobra.Command {
	var ip string
	cmd := leaf{use: "connect [--ip IP] NETWORK CONTAINER", short: "Give a running container an interface on one more network", args: cobra.ExactArgs(2),
		run: onEngine(func(cmd *cobra.Command, e *core.Engine, args []string) error {
			a, err := e.Connect(cmd.Context(), args[1], args[0], ip)
			if err == nil {
				fmt.Fprintf(cmd.OutOrStdout(), "%s\t%s\t%s\n", a.IfName, a.IP, a.HostVeth)
			}
			return err
		})}.command()
	cmd.Flags().StringVar(&ip, "ip", "", "static IPv4 address on the network")
	return cmd
}

func newNetworkDisconnectCmd() *cobra.Command {
	return leaf{use: "disconnect NETWORK CONTAINER", short: "Remove a container's interface on a network", args: cobra.ExactArgs(2),
		run: onEngine(func(cmd *cobra.Command, e *core.Engine, args []string) error {
			return e.Disconnect(cmd.Context(), args[1], args[0])
		})}.command()
}
