package cli

import (
	"fmt"
	"text/template"

	"github.com/spf13/cobra"

	"workbench/core"
)

func init() { register(newInspectCmd) }

func newInspectCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "inspect CONTAINER...",
		Short: "Show containers as JSON: state, namespaces next to the machine's, cgroup, layers, networks",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			e, err := openEngine(cmd)
			if err != nil {
				return err
			}
			var out []core.Inspection
			for _, name := range args {
				c, err := e.Lookup(cmd.Context(), name)
				if err != nil {
					return err
				}
				in, err := e.Inspect(cmd.Context(), c)
				if err != nil {
					return err
				}
				out = append(out, in)
			}
			if format != "" {
				return printFormat(cmd, format, out)
			}
			return printJSON(cmd, out)
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "", "print each container through a Go template instead of JSON, e.g. '{{.Pid}}'")
	return cmd
}

// printFormat prints each value through a Go template, one line each, as
// `docker inspect -f` does: scripts take a PID or a directory from it.
func printFormat[T any](cmd *cobra.Command, format string, values []T) error {
	tmpl, err := template.New("format").Parse(format)
	if err != nil {
		return fmt.Errorf("bad --format template: %w", err)
	}
	w := cmd.OutOrStdout()
	for _, v := range values {
		if err := tmpl.Execute(w, v); err != nil {
			return fmt.Errorf("--format: %w", err)
		}
		fmt.Fprintln(w)
	}
	return nil
}
