package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"workbench/images"
)

func init() { register(newPullCmd) }

func newPullCmd() *cobra.Command {
	var insecure bool
	cmd := &cobra.Command{
		Use:   "pull REF",
		Short: "Fetch an image from an OCI or Docker registry into the store",
		Long: "pull fetches an image from its registry (credentials from ~/.docker/config.json)\n" +
			"and unpacks each layer it does not have yet into a directory of its own.",
		Example: "  workbench pull alpine:3.20\n  workbench pull --insecure registry.lan:5000/team/app:v1",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			store, unlock, err := openImageStore(cmd, true)
			if err != nil {
				return err
			}
			defer unlock()
			progress := newLayerProgress(cmd.OutOrStdout())
			img, err := store.Pull(cmd.Context(), args[0], images.PullOptions{Insecure: insecure, Progress: progress.report})
			progress.finish()
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Pulled %s (%s, %d layers)\n", img.Ref, img.ID, len(img.Layers))
			return nil
		},
	}
	cmd.Flags().BoolVar(&insecure, "insecure", false, "talk plain HTTP to the registry")
	return cmd
}
