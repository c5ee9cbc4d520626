package cli

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/docker/go-units"
	"github.com/spf13/cobra"

	"workbench/core"
	"workbench/images"
)

func newImagesCmd() *cobra.Command {
	var asJSON, quiet bool
	cmd := leaf{use: "images", short: "List the images of the store (references, IDs, layers, sizes)", args: cobra.NoArgs,
		run: onStore(false, func(cmd *cobra.Command, s *images.Store, _ []string) error {
			list, err := s.List()
			switch {
			case err != nil:
				return err
			case asJSON:
				return printJSON(cmd, append([]images.Summary{}, list...))
			case quiet:
				for _, s := range list {
					fmt.Fprintln(cmd.OutOrStdout(), shortImageID(s.ID))
				}
				return nil
			}
			return printTable(cmd, "REPOSITORY\tTAG\tIMAGE ID\tCREATED\tLAYERS\tSIZE", imageRows(list), func(r []any) []any { return r })
		})}.command()
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the list as JSON")
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "print only the image IDs")
	return cmd
}

// imageRows are the rows of the images table: one per reference of each image.
func imageRows(list []images.Summary) [][]any {
	now := time.Now()
	var rows [][]any
	for _, s := range list {
		refs := s.Refs
		if len(refs) == 0 {
			refs = []string{"<none>:<none>"}
		}
		for _, r := range refs {
			repo, tag := splitRepoTag(r)
			rows = append(rows, []any{repo, tag, shortImageID(s.ID), ago(now, s.Created), s.Layers, humanBytes(s.Size)})
		}
	}
	return rows
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

func newImageHistoryCmd() *cobra.Command {
	var noTrunc, asJSON bool
	cmd := leaf{use: "history IMAGE", short: "Show the layers of an image, newest first: size, directory and the command that made each",
		example: "  workbench image history busybox", args: cobra.ExactArgs(1),
		run: onStore(false, func(cmd *cobra.Command, s *images.Store, args []string) error {
			d, err := s.Inspect(args[0])
			switch {
			case err != nil:
				return err
			case asJSON:
				return printJSON(cmd, d.History)
			}
			now := time.Now()
			return printTable(cmd, "LAYER\tCREATED\tCREATED BY\tSIZE\tDIRECTORY", d.History, func(h images.HistoryLine) []any {
				layer, size := "<missing>", "0B"
				if h.Layer.DiffID != "" {
					layer, size = shortImageID(h.Layer.DiffID), humanBytes(h.Layer.Size)
				}
				by := strings.Join(strings.Fields(h.CreatedBy), " ")
				if !noTrunc && len(by) > 45 {
					by = by[:44] + "…"
				}
				return []any{layer, ago(now, h.Created), by, size, h.LayerDir}
			})
		})}.command()
	cmd.Flags().BoolVar(&noTrunc, "no-trunc", false, "show the whole command of each step")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the history as JSON")
	return cmd
}

func newImageInspectCmd() *cobra.Command {
	return leaf{use: "inspect IMAGE", short: "Print everything the store knows of an image as JSON", args: cobra.ExactArgs(1),
		run: onStore(false, func(cmd *cobra.Command, s *images.Store, args []string) error {
			d, err := s.Inspect(args[0])
			if err != nil {
				return err
			}
			return printJSON(cmd, d)
		})}.command()
}

func newTagCmd() *cobra.Command {
	return leaf{use: "tag SOURCE TARGET", short: "Give an image another reference", example: "  workbench tag busybox mybox:v1", args: cobra.ExactArgs(2),
		run: onStore(true, func(_ *cobra.Command, s *images.Store, args []string) error { return s.Tag(args[0], args[1]) })}.command()
}

func newPullCmd() *cobra.Command {
	var insecure bool
	cmd := leaf{use: "pull REF", short: "Fetch an image from an OCI or Docker registry into the store",
		long: `pull fetches an image from its registry (credentials from ~/.docker/config.json)
and unpacks each layer it does not have yet into a directory of its own.`,
		example: `  workbench pull alpine:3.20
  workbench pull --insecure registry.lan:5000/team/app:v1`,
		args: cobra.ExactArgs(1),
		run: onStore(true, func(cmd *cobra.Command, s *images.Store, args []string) error {
			progress := newLayerProgress(cmd.OutOrStdout())
			img, err := s.Pull(cmd.Context(), args[0], images.PullOptions{Insecure: insecure, Progress: progress.report})
			progress.finish()
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Pulled %s (%s, %d layers)\n", img.Ref, img.ID, len(img.Layers))
			return nil
		})}.command()
	cmd.Flags().BoolVar(&insecure, "insecure", false, "talk plain HTTP to the registry")
	return cmd
}

func newLoadCmd() *cobra.Command {
	var input, tag string
	cmd := leaf{use: "load -i FILE", short: "Load images from a `docker save` tarball, an OCI layout directory or its tar",
		example: `  docker save alpine:3.20 -o alpine.tar && workbench load -i alpine.tar
  docker save alpine:3.20 | workbench load -i -
  workbench load -i ./oci-layout-dir -t myapp:dev`,
		args: cobra.NoArgs,
		run: func(cmd *cobra.Command, args []string) error {
			if input == "" {
				return errors.New("load needs the file to read: give it with -i FILE (a `docker save` tarball, an OCI layout directory or its tar)")
			}
			return onStore(true, func(cmd *cobra.Command, s *images.Store, _ []string) error {
				progress := newLayerProgress(cmd.OutOrStdout())
				var loaded []images.Loaded
				var err error
				if input == "-" {
					loaded, err = s.LoadStream(cmd.Context(), cmd.InOrStdin(), tag, progress.report)
				} else {
					loaded, err = s.Load(cmd.Context(), input, tag, progress.report)
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
			})(cmd, args)
		}}.command()
	cmd.Flags().StringVarP(&input, "input", "i", "", "the file or directory to load, - for standard input")
	cmd.Flags().StringVarP(&tag, "tag", "t", "", "the reference for an image the file does not name")
	return cmd
}

func newRmiCmd() *cobra.Command {
	var force bool
	cmd := leaf{use: "rmi [-f] IMAGE...", short: "Remove images (refused while a container uses one); layers no other image has go too",
		long: `rmi removes a reference; the image goes with its last reference, and with it every
layer no other image has. -f removes every reference of the image at once. The built-in
busybox can be removed too: it is made again when something asks for it.`,
		args: cobra.MinimumNArgs(1),
		run: onEngine(func(cmd *cobra.Command, e *core.Engine, args []string) error {
			return onStore(true, func(cmd *cobra.Command, s *images.Store, args []string) error {
				// Listed under the lock: no container can be made meanwhile.
				containers, err := e.List(cmd.Context(), true)
				if err != nil {
					return err
				}
				return removeImages(cmd, s, args, force, containers)
			})(cmd, args)
		})}.command()
	cmd.Flags().BoolVarP(&force, "force", "f", false, "remove every reference to the image")
	return cmd
}

// removeImages removes each reference in turn, printing what went; an image a
// container uses stays.
func removeImages(cmd *cobra.Command, s *images.Store, refs []string, force bool, containers []core.Container) error {
	inUse := func(id string) error {
		for _, c := range containers {
			if c.ImageID == id {
				return fmt.Errorf("image %s is used by container %s (%s): remove the container first with `workbench rm -f %s`", shortImageID(id), c.Name, c.State, c.Name)
			}
		}
		return nil
	}
	failed := false
	for _, ref := range refs {
		lines, err := s.Remove(ref, force, inUse)
		for _, l := range lines {
			fmt.Fprintln(cmd.OutOrStdout(), l)
		}
		if err != nil {
			fmt.Fprintln(cmd.ErrOrStderr(), "workbench: "+oneLine(err.Error()))
			failed = true
		}
	}
	if failed {
		return ExitStatus{Code: 1}
	}
	return nil
}
