package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"workbench/core"
)

func init() { register(newResetCmd) }

func newResetCmd() *cobra.Command {
	var keepImages bool
	cmd := leaf{use: "reset", short: "Remove everything of this instance: containers, mounts, namespaces, cgroups, the lab, state",
		long: "Remove every container (killing its processes), mount, namespace file, cgroup, lab host,\n" +
			"network, iptables chain and state file of the instance named by $WORKBENCH_INSTANCE, and the\n" +
			"image store unless --keep-images. Nothing else on the machine is touched.",
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
