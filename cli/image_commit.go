package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"workbench/core"
	"workbench/images"
)

func init() {
	register(newCommitCmd)
	register(newDiffCmd)
}

// containerOf finds a container through the engine.
func containerOf(cmd *cobra.Command, nameOrID string) (core.Container, error) {
	engine, err := openEngine(cmd)
	if err != nil {
		return core.Container{}, err
	}
	defer engine.Close()
	return engine.Lookup(cmd.Context(), nameOrID)
}

func newCommitCmd() *cobra.Command {
	var message string
	cmd := &cobra.Command{
		Use:   "commit CONTAINER [IMAGE]",
		Short: "Make a new image from a container: its upper directory becomes a layer on top of its image",
		Example: "  workbench run --name web busybox sh -c 'echo hi > /hello'\n" +
			"  workbench commit web hello:v1 && workbench image history hello:v1",
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := containerOf(cmd, args[0])
			if err != nil {
				return err
			}
			store, unlock, err := openImageStore(cmd, true)
			if err != nil {
				return err
			}
			defer unlock()
			ref := ""
			if len(args) == 2 {
				ref = args[1]
			}
			img, err := store.Commit(cmd.Context(), c.UpperDir, c.ImageID, ref, images.CommitOptions{
				Comment:   message,
				CreatedBy: "workbench commit " + c.Name,
			})
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), img.ID)
			return nil
		},
	}
	cmd.Flags().StringVarP(&message, "message", "m", "", "a note kept in the image's history")
	return cmd
}

func newDiffCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "diff CONTAINER",
		Short: "List the files a container added (A), changed (C) and deleted (D) over its image",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := containerOf(cmd, args[0])
			if err != nil {
				return err
			}
			store, unlock, err := openImageStore(cmd, false)
			if err != nil {
				return err
			}
			defer unlock()
			img, err := store.Resolve(cmd.Context(), c.ImageID)
			if err != nil {
				return err
			}
			changes, err := images.Changes(c.UpperDir, img.Layers)
			if err != nil {
				return err
			}
			for _, ch := range changes {
				fmt.Fprintln(cmd.OutOrStdout(), ch)
			}
			return nil
		},
	}
}
