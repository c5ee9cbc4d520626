package cli

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"workbench/cmdlog"
	"workbench/core/network"
	"workbench/instance"
	"workbench/netviz/iptables"
	"workbench/netviz/topology"
	"workbench/nsutil"
)

// The network views: topology and iptables, drawn from the kernel.

// hostNetnsPath resolves a lab host's name ("" = host1, "real" = the machine) to its
// network namespace file, failing with what to do when the host does not exist.
func hostNetnsPath(inst instance.Instance, host string) (string, error) {
	path, err := network.New(inst, cmdlog.Open(inst.CommandLogPath())).HostNetnsPath(host)
	if err != nil && (host == "" || host == network.DefaultHost) {
		if _, statErr := os.Stat(inst.HostNetnsPath(network.DefaultHost)); statErr != nil {
			return "", fmt.Errorf("the lab is not made yet (host1 has no network namespace): the first `workbench run` or `workbench host add NAME` makes it")
		}
	}
	return path, err
}

// viewOutput tells how wide the command's output is and whether it may be coloured:
// a terminal gets its width and colour (unless $NO_COLOR is set); anything else gets
// $COLUMNS or 80 columns and plain text. width > 0 overrides the width.
func viewOutput(cmd *cobra.Command, width int) (int, bool) {
	w, colour := 80, false
	if n, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && n > 0 {
		w = n
	}
	if f, ok := cmd.OutOrStdout().(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		colour = os.Getenv("NO_COLOR") == ""
		if tw, _, err := term.GetSize(int(f.Fd())); err == nil && tw > 0 {
			w = tw
		}
	}
	if width > 0 {
		w = width
	}
	return w, colour
}

func newTopologyCmd() *cobra.Command {
	var host, highlight, format string
	var asJSON bool
	var width int
	cmd := leaf{use: "topology [--format text|mermaid|dot]",
		short: "Draw the lab's network as the kernel has it: hosts, the LAN, bridges, veth pairs, tunnels, routes",
		long: `topology reads every network namespace of the lab through netlink (the LAN, each host,
each container) and draws it: bridges with their ports, veth pairs with the namespace of
their other end, tunnels, addresses, link state and routes. Links made by hand with ` + "`ip`" + `
appear too. --highlight marks a container's path to the outside. --format mermaid and
--format dot write the same network as a Mermaid flowchart or a Graphviz graph.`,
		example: `  workbench topology --highlight web
  workbench topology --format dot | dot -Tsvg > lab.svg`,
		args: cobra.NoArgs,
		run: func(cmd *cobra.Command, _ []string) error {
			export, err := topologyExporter(format)
			if err != nil {
				return err
			}
			inst, err := rootInstance(cmd)
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
			switch {
			case asJSON:
				return printJSON(cmd, snap)
			case export != nil:
				_, err = io.WriteString(cmd.OutOrStdout(), export(snap))
				return err
			}
			w, colour := viewOutput(cmd, width)
			_, err = io.WriteString(cmd.OutOrStdout(), topology.Render(snap, topology.Options{Width: w, Color: colour, Highlight: highlight}))
			return err
		}}.command()
	cmd.Flags().StringVar(&host, "host", "", "draw only this lab host and its containers (\"real\" = the machine's own network)")
	cmd.Flags().StringVar(&highlight, "highlight", "", "mark this container's path: eth0, veth, bridge, uplink, LAN")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the snapshot as JSON")
	cmd.Flags().IntVar(&width, "width", 0, "columns to draw in (default: the terminal's width, or 80)")
	cmd.Flags().StringVar(&format, "format", "text", "text (the picture), mermaid or dot")
	setExamples(cmd.Flags(), map[string]string{"width": "120"})
	return cmd
}

// topologyExporter is what writes the topology in a --format: nil for the picture.
func topologyExporter(format string) (func(topology.Snapshot) string, error) {
	switch strings.ToLower(format) {
	case "text", "":
		return nil, nil
	case "mermaid", "mmd":
		return topology.Mermaid, nil
	case "dot", "graphviz":
		return topology.DOT, nil
	}
	return nil, fmt.Errorf("--format %q: give text, mermaid or dot", format)
}

func newIptablesCmd() *cobra.Command {
	var host, table string
	var asJSON, zero, hooks bool
	var width int
	var rate time.Duration
	cmd := leaf{use: "iptables",
		short: "Show a lab host's iptables tables, chains and rules with their counters",
		long: `iptables reads a host's tables (iptables-save -c in its network namespace) and shows
each chain with its policy and counters, each rule with packets, bytes and its comment,
the workbench's own chains and rules marked with ◆, and the traffic through the five
netfilter hooks. --zero sets the counters back to zero first (iptables -Z).`,
		args: cobra.NoArgs,
		run: func(cmd *cobra.Command, _ []string) error {
			if err := needRoot(cmd); err != nil {
				return err
			}
			if err := iptables.CheckTable(table); err != nil {
				return err
			}
			if rate < 0 || rate > time.Minute {
				return fmt.Errorf("--rate %s is out of range: give a duration from 1ms to 1m, e.g. --rate 2s", rate)
			}
			inst, err := currentInstance()
			if err != nil {
				return err
			}
			path, err := hostNetnsPath(inst, host)
			if err != nil {
				return err
			}
			if zero {
				unlock, err := inst.Lock(cmd.Context())
				if err != nil {
					return err
				}
				err = iptables.Zero(cmd.Context(), path, table, cmdlog.Open(inst.CommandLogPath()))
				unlock()
				if err != nil {
					return err
				}
			}
			name := host
			if name == "" {
				name = network.DefaultHost
			}
			snap, err := iptables.Read(cmd.Context(), path, name)
			if err != nil {
				return err
			}
			var prev *iptables.Snapshot
			if rate > 0 {
				select {
				case <-time.After(rate):
				case <-cmd.Context().Done():
					return cmd.Context().Err()
				}
				first := snap
				if snap, err = iptables.Read(cmd.Context(), path, name); err != nil {
					return err
				}
				prev = &first
			}
			if asJSON {
				if table != "" {
					t, ok := snap.Table(table)
					snap.Tables = nil
					if ok {
						snap.Tables = []iptables.Table{t}
					}
				}
				return printJSON(cmd, snap)
			}
			w, colour := viewOutput(cmd, width)
			_, err = io.WriteString(cmd.OutOrStdout(), iptables.Render(snap, iptables.Options{Width: w, Table: table, Color: colour, Hooks: hooks, Prev: prev}))
			return err
		}}.command()
	cmd.Flags().StringVar(&host, "host", "", "the lab host to read (default host1; \"real\" = the machine's own tables)")
	cmd.Flags().StringVarP(&table, "table", "t", "", "show only this table: raw, mangle, nat, filter or security")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the snapshot as JSON")
	cmd.Flags().BoolVar(&zero, "zero", false, "zero the counters (of the table given with -t, else of every table) first")
	cmd.Flags().BoolVar(&hooks, "hooks", true, "draw the five netfilter hooks with the traffic through each")
	cmd.Flags().DurationVar(&rate, "rate", 0, "read twice, this long apart (e.g. 2s), and show the rules that moved with their rate")
	cmd.Flags().IntVar(&width, "width", 0, "columns to draw in (default: the terminal's width, or 80)")
	setExamples(cmd.Flags(), map[string]string{"rate": "2s", "width": "120"})
	return cmd
}
