package cli

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"workbench/core/network"
	"workbench/netviz/topology"
	"workbench/nsutil"
)

func init() { register(newTopologyCmd) }

func newTopologyCmd() *cobra.Command {
	var host, highlight string
	var asJSON bool
	var width int
	cmd := &cobra.Command{
		Use:   "topology",
		Short: "Draw the lab's network as the kernel has it: hosts, the LAN, bridges, veth pairs, tunnels, routes",
		Long: "topology reads every network namespace of the lab through netlink (the LAN, each host,\n" +
			"each container) and draws it: bridges with their ports, veth pairs with the namespace of\n" +
			"their other end, tunnels, addresses, link state and routes. Links made by hand with `ip`\n" +
			"appear too. --highlight marks a container's path to the outside.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := needRoot(cmd); err != nil {
				return err
			}
			inst, err := currentInstance()
			if err != nil {
				return err
			}
			sources := topology.Sources(inst)
			if host != "" {
				path, err := hostNetnsPath(inst, host)
				if err != nil {
					return err
				}
				if host == network.RealHost {
					sources = append(sources, topology.Source{Name: host, Kind: topology.KindHost, Path: nsutil.MachinePath})
				} else if len(sources) == 0 {
					sources = append(sources, topology.Source{Name: host, Kind: topology.KindHost, Path: path})
				}
			}
			snap, err := topology.Collect(cmd.Context(), sources)
			if err != nil {
				return err
			}
			if host != "" {
				snap = snap.Only(host)
			}
			if highlight != "" && topology.Path(snap, highlight) == nil {
				return fmt.Errorf("no container %q with a network in this picture: list containers with `workbench ps`", highlight)
			}
			if asJSON {
				return printJSON(cmd, snap)
			}
			w, colour := viewOutput(cmd, width)
			_, err = io.WriteString(cmd.OutOrStdout(), topology.Render(snap, topology.Options{Width: w, Color: colour, Highlight: highlight}))
			return err
		},
	}
	cmd.Flags().StringVar(&host, "host", "", "draw only this lab host and its containers (\"real\" = the machine's own network)")
	cmd.Flags().StringVar(&highlight, "highlight", "", "mark this container's path: eth0, veth, bridge, uplink, LAN")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the snapshot as JSON")
	cmd.Flags().IntVar(&width, "width", 0, "columns to draw in (default: the terminal's width, or 80)")
	setExamples(cmd.Flags(), map[string]string{"width": "120"})
	return cmd
}
