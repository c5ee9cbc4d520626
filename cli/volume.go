package cli

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"workbench/core"
)

func init() { register(newVolumeCmd) }

func newVolumeCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "volume",
		Short: "Named volumes: directories of the instance that containers mount and that outlive them",
	}
	cmd.AddCommand(newVolumeCreateCmd(), newVolumeLsCmd(), newVolumeInspectCmd(), newVolumeRmCmd(), newVolumePruneCmd())
	return cmd
}

func newVolumeCreateCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "create [NAME]",
		Short: "Make a named volume (a random name when none is given)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			e, err := openEngine(cmd)
			if err != nil {
				return err
			}
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
		},
	}
}

func newVolumeLsCmd() *cobra.Command {
	var quiet bool
	cmd := &cobra.Command{
		Use:     "ls",
		Aliases: []string{"list"},
		Short:   "List the volumes",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			e, err := openEngine(cmd)
			if err != nil {
				return err
			}
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
		},
	}
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "print the names only")
	return cmd
}

func newVolumeInspectCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "inspect NAME...",
		Short: "Show volumes as JSON: where they are and who mounts them",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			e, err := openEngine(cmd)
			if err != nil {
				return err
			}
			var out []core.Volume
			for _, name := range args {
				v, err := e.InspectVolume(cmd.Context(), name)
				if err != nil {
					return err
				}
				out = append(out, v)
			}
			return printJSON(cmd, out)
		},
	}
}

func newVolumeRmCmd() *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "rm [-f] NAME...",
		Short: "Remove volumes and their data (refused while a container mounts one)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			e, err := openEngine(cmd)
			if err != nil {
				return err
			}
			for _, name := range args {
				if err := e.RemoveVolume(cmd.Context(), name, force); err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), name)
			}
			return nil
		},
	}
	cmd.Flags().BoolVarP(&force, "force", "f", false, "remove a damaged volume too")
	return cmd
}

func newVolumePruneCmd() *cobra.Command {
	var all, force bool
	cmd := &cobra.Command{
		Use:   "prune [-a] [-f]",
		Short: "Remove the volumes no container mounts (anonymous ones, or every one with -a)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := confirmPrune(cmd, "volume prune", "WARNING! This will remove "+volumePruneWhat(all)+".", force); err != nil {
				return err
			}
			e, err := openEngine(cmd)
			if err != nil {
				return err
			}
			r, err := pruneVolumes(cmd, e, all)
			pruneSection(cmd, r)
			printReclaimed(cmd, r.freed)
			return err
		},
	}
	cmd.Flags().BoolVarP(&all, "all", "a", false, "remove every unused volume, named ones too")
	cmd.Flags().BoolVarP(&force, "force", "f", false, "do not ask for confirmation")
	return cmd
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
