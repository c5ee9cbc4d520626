package cli

import (
	"github.com/spf13/cobra"
)

func init() { register(newTagCmd) }

func newTagCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "tag SOURCE TARGET",
		Short:   "Give an image another reference",
		Example: "  workbench tag busybox mybox:v1",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			store, unlock, err := openImageStore(cmd, true)
			if err != nil {
				return err
			}
			defer unlock()
			return store.Tag(args[0], args[1])
		},
	}
}
