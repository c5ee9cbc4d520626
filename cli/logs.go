package cli

import (
	"errors"
	"io"
	"time"

	"github.com/spf13/cobra"

	"workbench/core"
)

func init() { register(newLogsCmd) }

func newLogsCmd() *cobra.Command {
	var follow, timestamps bool
	cmd := &cobra.Command{
		Use:   "logs [-f] CONTAINER",
		Short: "Print a container's output (standard error to standard error)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			e, c, err := lookupContainer(cmd, args[0])
			if err != nil {
				return err
			}
			lr, err := e.OpenLog(c.ID)
			if err != nil {
				return err
			}
			defer lr.Close()
			for {
				ent, err := lr.Next()
				if err == nil {
					w := cmd.OutOrStdout()
					if ent.Stream == "stderr" {
						w = cmd.ErrOrStderr()
					}
					if timestamps {
						io.WriteString(w, ent.Time.Format(time.RFC3339Nano)+" ")
					}
					io.WriteString(w, ent.Log)
					continue
				}
				if !errors.Is(err, io.EOF) {
					return err
				}
				if !follow {
					return nil
				}
				// Once it has ended, read what it wrote last, then stop.
				follow = stillRunning(cmd, e, c.ID)
				select {
				case <-cmd.Context().Done():
					return nil
				case <-time.After(50 * time.Millisecond):
				}
			}
		},
	}
	cmd.Flags().BoolVarP(&follow, "follow", "f", false, "keep printing new output until the container ends")
	cmd.Flags().BoolVarP(&timestamps, "timestamps", "t", false, "show when each line was written")
	return cmd
}

// stillRunning says whether the container still runs (its log may still grow).
func stillRunning(cmd *cobra.Command, e *core.Engine, id string) bool {
	c, err := e.Lookup(cmd.Context(), id)
	return err == nil && c.State == core.StateRunning
}
