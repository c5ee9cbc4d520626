package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

func init() { register(newResetCmd) }

func newResetCmd() *cobra.Command {
	var keepImages bool
	cmd := &cobra.Command{
		Use:   "reset",
		Short: "Remove everything of this instance: containers, mounts, namespaces, cgroups, the lab, state",
		Long: "Remove every container (killing its processes), mount, namespace file, cgroup, lab host,\n" +
			"network, iptables chain and state file of the instance named by $WORKBENCH_INSTANCE, and the\n" +
			"image store unless --keep-images. Nothing else on the machine is touched.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			e, err := openEngine(cmd)
			if err != nil {
				return err
			}
			reset := e.Reset
			if keepImages {
				reset = e.ResetKeepImages
			}
			if err := reset(cmd.Context()); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "instance %s removed\n", e.Instance().Name)
			return nil
		},
	}
	cmd.Flags().BoolVar(&keepImages, "keep-images", false, "keep the image store")
	return cmd
}
