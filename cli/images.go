package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/docker/go-units"
	"github.com/spf13/cobra"

	"workbench/images"
)

func init() { register(newImagesCmd) }

func newImagesCmd() *cobra.Command {
	var asJSON, quiet bool
	cmd := &cobra.Command{
		Use:   "images",
		Short: "List the images of the store (references, IDs, layers, sizes)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			store, unlock, err := openImageStore(cmd, false)
			if err != nil {
				return err
			}
			defer unlock()
			list, err := store.List()
			if err != nil {
				return err
			}
			if asJSON {
				if list == nil {
					list = []images.Summary{}
				}
				return printJSON(cmd, list)
			}
			if quiet {
				for _, s := range list {
					fmt.Fprintln(cmd.OutOrStdout(), shortImageID(s.ID))
				}
				return nil
			}
			printImageTable(cmd, list)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the list as JSON")
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "print only the image IDs")
	return cmd
}

func printImageTable(cmd *cobra.Command, list []images.Summary) {
	tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 3, ' ', 0)
	fmt.Fprintln(tw, "REPOSITORY\tTAG\tIMAGE ID\tCREATED\tLAYERS\tSIZE")
	now := time.Now()
	for _, s := range list {
		refs := s.Refs
		if len(refs) == 0 {
			refs = []string{"<none>:<none>"}
		}
		for _, r := range refs {
			repo, tag := splitRepoTag(r)
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", repo, tag, shortImageID(s.ID), ago(now, s.Created), s.Layers, humanBytes(s.Size))
		}
	}
	tw.Flush()
}

// splitRepoTag splits "name:tag" (or "name@digest") for the table's two columns.
func splitRepoTag(ref string) (string, string) {
	if i := strings.IndexByte(ref, '@'); i >= 0 {
		return ref[:i], "<none>"
	}
	if i := strings.LastIndexByte(ref, ':'); i >= 0 && !strings.Contains(ref[i:], "/") {
		return ref[:i], ref[i+1:]
	}
	return ref, "<none>"
}

func shortImageID(id string) string {
	h := strings.TrimPrefix(id, "sha256:")
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

// ago says how long before now t was, as docker does ("3 days ago").
func ago(now, t time.Time) string {
	if t.IsZero() {
		return "N/A"
	}
	return units.HumanDuration(now.Sub(t)) + " ago"
}
