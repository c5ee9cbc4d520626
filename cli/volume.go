package cli

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"workbench/core"
)

func newVolumeCmd() *cobra.Command {
	return group("volume", "Named volumes: directories of the instance that containers mount and that outlive them",
		newVolumeCreateCmd(), newVolumeLsCmd(), newVolumeInspectCmd(), newVolumeRmCmd(), newVolumePruneCmd())
}

func newVolumeCreateCmd() *cobra.Command {
	return leaf{use: "create [NAME]", short: "Make a named volume (a random name when none is given)", args: cobra.MaximumNArgs(1),
		run: onEngine(func(cmd *cobra.Command, e *core.Engine, args []string) error {
			name := core.NewID()
			if len(args) == 1 {
				name = args[0]
			}
			v, err := e.CreateVolume(cmd.Context(), name)
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), v.Name)
			return nil
		})}.command()
}

func newVolumeLsCmd() *cobra.Command {
	var quiet bool
	cmd := leaf{use: "ls", aliases: []string{"list"}, short: "List the volumes", args: cobra.NoArgs,
		run: onEngine(func(cmd *cobra.Command, e *core.Engine, _ []string) error {
			vs, err := e.Volumes(cmd.Context())
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 3, ' ', 0)
			if !quiet {
				fmt.Fprintln(w, "DRIVER\tVOLUME NAME")
			}
			for _, v := range vs {
				if quiet {
					fmt.Fprintln(w, v.Name)
				} else {
					fmt.Fprintf(w, "local\t%s\n", v.Name)
				}
			}
			return w.Flush()
		})}.command()
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "print the names only")
	return cmd
}

func newVolumeInspectCmd() *cobra.Command {
	return leaf{use: "inspect NAME...", short: "Show volumes as JSON: where they are and who mounts them", args: cobra.MinimumNArgs(1),
		run: onEngine(func(cmd *cobra.Command, e *core.Engine, args []string) error {
			var out []core.Volume
			for _, name := range args {
				v, err := e.InspectVolume(cmd.Context(), name)
				if err != nil {
					return err
				}
				out = append(out, v)
			}
			return printJSON(cmd, out)
		})}.command()
}

func newVolumeRmCmd() *cobra.Command {
	var force bool
	cmd := leaf{use: "rm [-f] NAME...", short: "Remove volumes and their data (refused while a container mounts one)", args: cobra.MinimumNArgs(1),
		run: onEngine(func(cmd *cobra.Command, e *core.Engine, args []string) error {
			for _, name := range args {
				if err := e.RemoveVolume(cmd.Context(), name, force); err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), name)
			}
			return nil
		})}.command()
	cmd.Flags().BoolVarP(&force, "force", "f", false, "remove a damaged volume too")
	return cmd
}

func newVolumePruneCmd() *cobra.Command {
	var all bool
	return addPruneAll(pruneCmd("prune [-a] [-f]", "Remove the volumes no container mounts (anonymous ones, or every one with -a)", "volume prune",
		func() string { return "WARNING! This will remove " + volumePruneWhat(all) + "." }, true,
		func(cmd *cobra.Command, e *core.Engine) (pruneReport, error) { return pruneVolumes(cmd, e, all) }),
		&all, "remove every unused volume, named ones too")
}

// volumePruneWhat is what a volume prune removes, in Docker's words.
func volumePruneWhat(all bool) string {
	if all {
		return "all local volumes not used by at least one container"
	}
	return "anonymous local volumes not used by at least one container"
}

// pruneVolumes removes the volumes no container mounts, the anonymous ones or, with
// all, every one.
func pruneVolumes(cmd *cobra.Command, e *core.Engine, all bool) (pruneReport, error) {
	names, freed, err := e.PruneVolumes(cmd.Context(), all)
	return pruneReport{title: "Deleted Volumes", lines: names, freed: freed}, err
}
