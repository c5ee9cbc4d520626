package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"workbench/events"
)

func newEventsCmd() *cobra.Command {
	var since, until, format string
	var filters []string
	cmd := leaf{use: "events [--since T] [--until T] [--filter KEY=VALUE] [--format TEMPLATE]",
		short: "Stream what happens to containers, networks and volumes, as docker events does",
		example: `  workbench events --since 10m --filter type=container --filter event=die
  workbench events --format '{{json .}}'`,
		args: cobra.NoArgs,
		run: func(cmd *cobra.Command, args []string) error {
			f, err := events.ParseFilter(filters)
			if err != nil {
				return err
			}
			now := time.Now()
			from, to, err := parseTimeFlags(since, until, now)
			if err != nil {
				return err
			}
			if since == "" {
				from = now
			}
			var lf *listFormat
			if format != "" {
				if lf, err = parseListFormat(format); err != nil {
					return err
				}
				if lf.table {
					return fmt.Errorf("--format %q: events stream one line each and have no table; give a template such as '{{json .}}'", format)
				}
			}
			inst, err := currentInstance()
			if err != nil {
				return err
			}
			return events.Stream(cmd.Context(), inst.EventsPath(), from, to, f, func(ev events.Event) error {
				if lf == nil {
					_, err := fmt.Fprintln(cmd.OutOrStdout(), ev.String())
					return err
				}
				return lf.write(cmd.OutOrStdout(), nil, []any{ev})
			})
		}}.command()
	cmd.Flags().StringVar(&since, "since", "", "events from this time on: RFC 3339 or a duration before now (10m)")
	cmd.Flags().StringVar(&until, "until", "", "stop at this time (RFC 3339 or a duration before now) instead of following")
	cmd.Flags().StringArrayVarP(&filters, "filter", "f", nil, "type=, event=, container=, image=, network=, volume= or label=")
	cmd.Flags().StringVar(&format, "format", "", "a Go template for each event, e.g. '{{json .}}'")
	return cmd
}
