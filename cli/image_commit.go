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

func newCommitCmd() *cobra.Command {
	var message string
	var pause bool
	cmd := leaf{use: "commit CONTAINER [IMAGE]", short: "Make a new image from a container: its upper directory becomes a layer on top of its image",
		long: `commit records a container's upper directory as one more layer on top of its image. A running
container is paused (its cgroup frozen) while its layer is read and resumed after, as docker
commit does; --pause=false reads the layer while it runs. Symlinks are recorded, never followed.`,
		example: `  workbench run --name web busybox sh -c 'echo hi > /hello'
  workbench commit web hello:v1 && workbench image history hello:v1`,
		args: cobra.RangeArgs(1, 2),
		run: onEngine(func(cmd *cobra.Command, e *core.Engine, args []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
			defer stop()
			c, err := e.Lookup(ctx, args[0])
			if err != nil {
				return err
			}
			spec := core.CommitSpec{Comment: message, Pause: pause}
			if len(args) == 2 {
				spec.Ref = args[1]
			}
			img, err := e.Commit(ctx, c, spec)
			if err == nil {
				fmt.Fprintln(cmd.OutOrStdout(), img.ID)
			}
			return err
		})}.command()
	cmd.Flags().StringVarP(&message, "message", "m", "", "a note kept in the image's history")
	cmd.Flags().BoolVarP(&pause, "pause", "p", true, "pause a running container while its layer is read (--pause=false to read it while it runs)")
	return cmd
}

func newDiffCmd() *cobra.Command {
	return leaf{use: "diff CONTAINER", short: "List the files a container added (A), changed (C) and deleted (D) over its image", args: cobra.ExactArgs(1),
		run: onContainer(func(cmd *cobra.Command, _ *core.Engine, c core.Container, args []string) error {
			return onStore(false, func(cmd *cobra.Command, s *images.Store, _ []string) error {
				img, err := s.Resolve(cmd.Context(), c.ImageID)
				if err != nil {
					return err
				}
				changes, err := images.Changes(c.UpperDir, img.Layers)
				for _, ch := range changes {
					fmt.Fprintln(cmd.OutOrStdout(), ch)
				}
				return err
			})(cmd, args)
		})}.command()
}
