package cli

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"workbench/cmdlog"
	"workbench/cmdlog/replay"
	"workbench/core"
	"workbench/instance"
)

// The commands of the instance as a whole: log (its command log) and reset.

func newLogCmd() *cobra.Command {
	var script bool
	var output string
	cmd := leaf{use: "log", short: "Print every kernel operation made so far as the shell command that does the same", args: cobra.NoArgs,
		run: onInstance(func(cmd *cobra.Command, inst instance.Instance, _ []string) error {
			entries, err := cmdlog.Open(inst.CommandLogPath()).Entries()
			switch {
			case err != nil:
				return err
			case output != "":
				if err := os.WriteFile(output, []byte(replay.Script(entries)), 0o755); err != nil {
					return fmt.Errorf("write script %s: %w", output, err)
				}
			case script:
				_, err = fmt.Fprint(cmd.OutOrStdout(), replay.Script(entries))
			default:
				for _, e := range entries {
					fmt.Fprintf(cmd.OutOrStdout(), "%s  %s\n", e.Time.Format("15:04:05.000"), e.Command)
				}
			}
			return err
		})}.command()
	cmd.Flags().BoolVar(&script, "script", false, "print the lab networks made so far as a shell script that makes them again (set -e, read-only commands left out)")
	cmd.Flags().StringVarP(&output, "output", "o", "", "write that script to this file")
	return cmd
}

func newResetCmd() *cobra.Command {
	var keepImages bool
	cmd := leaf{use: "reset", short: "Remove everything of this instance: containers, mounts, namespaces, cgroups, the lab, state",
		long: `Remove every container (killing its processes), mount, namespace file, cgroup, lab host,
network, iptables chain and state file of the instance named by $WORKBENCH_INSTANCE, and the
image store unless --keep-images. Nothing else on the machine is touched.`,
		args: cobra.NoArgs,
		run: onEngine(func(cmd *cobra.Command, e *core.Engine, _ []string) error {
			reset := e.Reset
			if keepImages {
				reset = e.ResetKeepImages
			}
			if err := reset(cmd.Context()); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "instance %s removed\n", e.Instance().Name)
			return nil
		})}.command()
	cmd.Flags().BoolVar(&keepImages, "keep-images", false, "keep the image store")
	return cmd
}
