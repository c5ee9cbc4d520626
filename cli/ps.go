package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"workbench/core"
)

func init() { register(newPsCmd) }

func newPsCmd() *cobra.Command {
	var all, asJSON, quiet bool
	cmd := &cobra.Command{
		Use:   "ps [-a] [--json]",
		Short: "List containers (running ones; every one with -a)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			e, err := openEngine(cmd)
			if err != nil {
				return err
			}
			cs, err := e.List(cmd.Context(), all)
			if err != nil {
				return err
			}
			if asJSON {
				if cs == nil {
					cs = []core.Container{}
				}
				return printJSON(cmd, cs)
			}
			if quiet {
				for _, c := range cs {
					fmt.Fprintln(cmd.OutOrStdout(), c.ShortID())
				}
				return nil
			}
			printContainers(cmd, cs)
			return nil
		},
	}
	cmd.Flags().BoolVarP(&all, "all", "a", false, "show every container, exited ones too")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the containers' state as JSON")
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "print only the IDs")
	return cmd
}

// printContainers writes the docker-style table of containers.
func printContainers(cmd *cobra.Command, cs []core.Container) {
	tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 3, ' ', 0)
	fmt.Fprintln(tw, "CONTAINER ID\tIMAGE\tCOMMAND\tCREATED\tSTATUS\tPORTS\tNAMES")
	now := time.Now()
	for _, c := range cs {
		command := strings.Join(c.Cmd, " ")
		if len(command) > 20 {
			command = command[:19] + "…"
		}
		var ports []string
		for _, p := range c.Ports {
			ports = append(ports, fmt.Sprintf("%s:%d->%d/%s", p.Host, p.HostPort, p.ContainerPort, p.Proto))
		}
		created := core.Container{State: core.StateExited, Finished: c.Created}.Status(now)
		created = strings.TrimPrefix(created, "Exited (0) ")
		fmt.Fprintf(tw, "%s\t%s\t%q\t%s\t%s\t%s\t%s\n", c.ShortID(), c.Image, command, created,
			c.Status(now), strings.Join(ports, ", "), c.Name)
	}
	tw.Flush()
}
