package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"workbench/images"
)

func init() { register(newLoadCmd) }

func newLoadCmd() *cobra.Command {
	var input, tag string
	cmd := &cobra.Command{
		Use:   "load -i FILE",
		Short: "Load images from a `docker save` tarball, an OCI layout directory or its tar",
		Example: "  docker save alpine:3.20 -o alpine.tar && workbench load -i alpine.tar\n" +
			"  docker save alpine:3.20 | workbench load -i -\n" +
			"  workbench load -i ./oci-layout-dir -t myapp:dev",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if input == "" {
				return errors.New("load needs the file to read: give it with -i FILE (a `docker save` tarball, an OCI layout directory or its tar)")
			}
			store, unlock, err := openImageStore(cmd, true)
			if err != nil {
				return err
			}
			defer unlock()
			progress := newLayerProgress(cmd.OutOrStdout())
			var loaded []images.Loaded
			if input == "-" {
				loaded, err = store.LoadStream(cmd.Context(), cmd.InOrStdin(), tag, progress.report)
			} else {
				loaded, err = store.Load(cmd.Context(), input, tag, progress.report)
			}
			progress.finish()
			for _, l := range loaded {
				if len(l.Refs) == 0 {
					fmt.Fprintf(cmd.OutOrStdout(), "Loaded image ID: %s\n", l.ID)
					continue
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Loaded image: %s\n", strings.Join(l.Refs, ", "))
			}
			return err
		},
	}
	cmd.Flags().StringVarP(&input, "input", "i", "", "the file or directory to load, - for standard input")
	cmd.Flags().StringVarP(&tag, "tag", "t", "", "the reference for an image the file does not name")
	return cmd
}
