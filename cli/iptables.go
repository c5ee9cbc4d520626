package cli

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"workbench/cmdlog"
	"workbench/core/network"
	"workbench/netviz/iptables"
)

func init() { register(newIptablesCmd) }

func newIptablesCmd() *cobra.Command {
	var host, table string
	var asJSON, zero, hooks bool
	var width int
	var rate time.Duration
	cmd := &cobra.Command{
		Use:   "iptables",
		Short: "Show a lab host's iptables tables, chains and rules with their counters",
		Long: "iptables reads a host's tables (iptables-save -c in its network namespace) and shows\n" +
			"each chain with its policy and counters, each rule with packets, bytes and its comment,\n" +
			"the workbench's own chains and rules marked with ◆, and the traffic through the five\n" +
			"netfilter hooks. --zero sets the counters back to zero first (iptables -Z).",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
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
		},
	}
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
