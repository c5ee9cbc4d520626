package cli

import (
	"encoding/json"
	"fmt"
	"text/template"
	"time"

	"github.com/spf13/cobra"

	"workbench/events"
)

func init() { register(newEventsCmd) }

func newEventsCmd() *cobra.Command {
	var since, until, format string
	var filters []string
	cmd := &cobra.Command{
		Use:   "events [--since T] [--until T] [--filter KEY=VALUE] [--format TEMPLATE]",
		Short: "Stream what happens to containers, networks and volumes, as docker events does",
		Example: "  workbench events --since 10m --filter type=container --filter event=die\n" +
			"  workbench events --format '{{json .}}'",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := events.ParseFilter(filters)
			if err != nil {
				return err
			}
			from, err := parseTimeFlag("--since", since, time.Time{})
			if err != nil {
				return err
			}
			if since == "" {
				from = time.Now()
			}
			to, err := parseTimeFlag("--until", until, time.Time{})
			if err != nil {
				return err
			}
			var tmpl *template.Template
			if format != "" {
				tmpl, err = template.New("events").Funcs(template.FuncMap{"json": func(v any) (string, error) {
					b, err := json.Marshal(v)
					return string(b), err
				}}).Parse(format)
				if err != nil {
					return fmt.Errorf("--format: %w", err)
				}
			}
			inst, err := currentInstance()
			if err != nil {
				return err
			}
			return events.Stream(cmd.Context(), inst.EventsPath(), from, to, f, func(ev events.Event) error {
				if tmpl == nil {
					_, err := fmt.Fprintln(cmd.OutOrStdout(), ev.String())
					return err
				}
				if err := tmpl.Execute(cmd.OutOrStdout(), ev); err != nil {
					return err
				}
				_, err := fmt.Fprintln(cmd.OutOrStdout())
				return err
			})
		},
	}
	cmd.Flags().StringVar(&since, "since", "", "events from this time on: RFC 3339 or a duration before now (10m)")
	cmd.Flags().StringVar(&until, "until", "", "stop at this time (RFC 3339 or a duration before now) instead of following")
	cmd.Flags().StringArrayVarP(&filters, "filter", "f", nil, "type=, event=, container=, image=, network=, volume= or label=")
	cmd.Flags().StringVar(&format, "format", "", "a Go template for each event, e.g. '{{json .}}'")
	return cmd
}

// parseTimeFlag reads a time as Docker's --since and --until take it: RFC 3339, a Unix
// time in seconds, or a duration before now.
func parseTimeFlag(flag, s string, zero time.Time) (time.Time, error) {
	if s == "" {
		return zero, nil
	}
	if d, err := time.ParseDuration(s); err == nil {
		return time.Now().Add(-d), nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	var secs int64
	if _, err := fmt.Sscanf(s, "%d", &secs); err == nil && fmt.Sprint(secs) == s {
		return time.Unix(secs, 0), nil
	}
	return zero, fmt.Errorf("%s %q is not a time: give RFC 3339 (2026-11-30T18:00:00Z), Unix seconds, or a duration like 10m", flag, s)
}
