package cli

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"workbench/cmdlog"
)

func init() { register(newLogCmd) }

func newLogCmd() *cobra.Command {
	var script bool
	var output string
	cmd := leaf{use: "log", short: "Print every kernel operation made so far as the shell command that does the same", args: cobra.NoArgs,
		run: func(cmd *cobra.Command, _ []string) error {
			inst, err := currentInstance()
			if err != nil {
				return err
			}
			entries, err := cmdlog.Open(inst.CommandLogPath()).Entries()
			switch {
			case err != nil:
				return err
			case output != "":
				if err := os.WriteFile(output, []byte(cmdlog.Script(entries)), 0o755); err != nil {
					return fmt.Errorf("write script %s: %w", output, err)
				}
			case script:
				_, err = fmt.Fprint(cmd.OutOrStdout(), cmdlog.Script(entries))
			default:
				for _, e := range entries {
					fmt.Fprintf(cmd.OutOrStdout(), "%s  %s\n", e.Time.Format("15:04:05.000"), e.Command)
				}
			}
			return err
		}}.command()
	cmd.Flags().BoolVar(&script, "script", false, "print the log as a shell script")
	cmd.Flags().StringVarP(&output, "output", "o", "", "write the log as a shell script to this file")
	return cmd
}
