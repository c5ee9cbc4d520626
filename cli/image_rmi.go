package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

func init() { register(newRmiCmd) }

func newRmiCmd() *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "rmi [-f] IMAGE...",
		Short: "Remove images (refused while a container uses one); layers no other image has go too",
		Long: "rmi removes a reference; the image goes with its last reference, and with it every\n" +
			"layer no other image has. -f removes every reference of the image at once.",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			engine, err := openEngine(cmd)
			if err != nil {
				return err
			}
			store, unlock, err := openImageStore(cmd, true)
			if err != nil {
				return err
			}
			defer unlock()
			containers, err := engine.List(cmd.Context(), true)
			if err != nil {
				return err
			}
			inUse := func(id string) error {
				for _, c := range containers {
					if c.ImageID == id {
						return fmt.Errorf("image %s is used by container %s (%s): remove the container first with `workbench rm -f %s`", shortImageID(id), c.Name, c.State, c.Name)
					}
				}
				return nil
			}
			for _, ref := range args {
				lines, err := store.Remove(ref, force, inUse)
				for _, l := range lines {
					fmt.Fprintln(cmd.OutOrStdout(), l)
				}
				if err != nil {
					return err
				}
			}
			return nil
		},
	}
	cmd.Flags().BoolVarP(&force, "force", "f", false, "remove every reference to the image")
	return cmd
}
