package cli

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"workbench/core"
)

func newTopCmd() *cobra.Command {
	return leaf{use: "top CONTAINER", short: "List the processes of a container, as the machine sees them", args: cobra.ExactArgs(1),
		run: onContainer(func(cmd *cobra.Command, e *core.Engine, c core.Container, _ []string) error {
			procs, err := e.Top(cmd.Context(), c)
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 4, ' ', 0)
			fmt.Fprintln(w, "UID\tPID\tPPID\tC\tSTIME\tTTY\tTIME\tCMD")
			for _, p := range procs {
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p.UID, p.PID, p.PPID, p.C, p.STIME, p.TTY, p.TIME, p.CMD)
			}
			return w.Flush()
		})}.command()
}
