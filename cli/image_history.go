package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
)

func init() { register(newImageHistoryCmd) }

func newImageHistoryCmd() *cobra.Command {
	var noTrunc, asJSON bool
	cmd := &cobra.Command{
		Use:     "history IMAGE",
		Short:   "Show the layers of an image, newest first: size, directory and the command that made each",
		Example: "  workbench image history busybox",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			store, unlock, err := openImageStore(cmd, false)
			if err != nil {
				return err
			}
			defer unlock()
			d, err := store.Inspect(args[0])
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(cmd, d.History)
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 3, ' ', 0)
			fmt.Fprintln(tw, "LAYER\tCREATED\tCREATED BY\tSIZE\tDIRECTORY")
			now := time.Now()
			for _, h := range d.History {
				layer, size := "<missing>", "0B"
				if h.Layer.DiffID != "" {
					layer, size = shortImageID(h.Layer.DiffID), humanBytes(h.Layer.Size)
				}
				by := strings.Join(strings.Fields(h.CreatedBy), " ")
				if !noTrunc && len(by) > 45 {
					by = by[:44] + "…"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", layer, ago(now, h.Created), by, size, h.LayerDir)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&noTrunc, "no-trunc", false, "show the whole command of each step")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the history as JSON")
	return cmd
}

func newImageInspectCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "inspect IMAGE",
		Short: "Print everything the store knows of an image as JSON",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			store, unlock, err := openImageStore(cmd, false)
			if err != nil {
				return err
			}
			defer unlock()
			d, err := store.Inspect(args[0])
			if err != nil {
				return err
			}
			return printJSON(cmd, d)
		},
	}
}
