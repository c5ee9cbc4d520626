package cli

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"workbench/core"
	"workbench/images"
)

func init() {
	register(newCommitCmd)
	register(newDiffCmd)
}

func newCommitCmd() *cobra.Command {
	var message string
	var pause bool
	cmd := &cobra.Command{
		Use:   "commit CONTAINER [IMAGE]",
		Short: "Make a new image from a container: its upper directory becomes a layer on top of its image",
		Long: "commit records a container's upper directory as one more layer on top of its image. A running\n" +
			"container is paused (its cgroup frozen) while its layer is read and resumed after, as docker\n" +
			"commit does; --pause=false reads the layer while it runs. Symlinks are recorded, never followed.",
		Example: "  workbench run --name web busybox sh -c 'echo hi > /hello'\n" +
			"  workbench commit web hello:v1 && workbench image history hello:v1",
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
			defer stop()
			e, c, err := lookupContainer(cmd, args[0])
			if err != nil {
				return err
			}
			spec := core.CommitSpec{Comment: message, Pause: pause}
			if len(args) == 2 {
				spec.Ref = args[1]
			}
			img, err := e.Commit(ctx, c, spec)
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), img.ID)
			return nil
		},
	}
	cmd.Flags().StringVarP(&message, "message", "m", "", "a note kept in the image's history")
	cmd.Flags().BoolVarP(&pause, "pause", "p", true, "pause a running container while its layer is read (--pause=false to read it while it runs)")
	return cmd
}

func newDiffCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "diff CONTAINER",
		Short: "List the files a container added (A), changed (C) and deleted (D) over its image",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			_, c, err := lookupContainer(cmd, args[0])
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
