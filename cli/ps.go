package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"workbench/core"
)

// psOptions are the flags of ps.
type psOptions struct {
	all, asJSON, quiet, noTrunc, latest bool
	last                                int
	filters                             []string
	format                              string
}

func newPsCmd() *cobra.Command {
	var o psOptions
	cmd := leaf{use: "ps [-a] [--filter KEY=VALUE]... [--format TEMPLATE] [--no-trunc] [-q]",
		short: "List containers (running ones; every one with -a)",
		long: `List containers as docker ps does. --filter takes name=, id=, status=, label=, network=,
volume= and exited= (several of one key: any of them; of different keys: all of them); --format takes a Go
template of Docker's fields ({{.ID}} {{.Image}} {{.Command}} {{.CreatedAt}} {{.RunningFor}}
{{.Ports}} {{.State}} {{.Status}} {{.Names}} {{.Labels}} {{.Label "KEY"}} {{.Mounts}}
{{.Networks}}), 'table TEMPLATE' for columns with a header, or json.`,
		example: `  workbench ps --filter status=exited --format '{{.Names}}: {{.Status}}'
  workbench ps -a --format 'table {{.Names}}\t{{.Networks}}\t{{.Ports}}'`,
		args: cobra.NoArgs,
		run:  func(cmd *cobra.Command, _ []string) error { return runPs(cmd, o) }}.command()
	fs := cmd.Flags()
	fs.BoolVarP(&o.all, "all", "a", false, "show every container, exited ones too")
	fs.BoolVar(&o.asJSON, "json", false, "print the containers' state as JSON")
	fs.BoolVarP(&o.quiet, "quiet", "q", false, "print only the IDs")
	fs.BoolVar(&o.noTrunc, "no-trunc", false, "print whole IDs and commands")
	fs.StringArrayVarP(&o.filters, "filter", "f", nil, "show only containers that match: name=, id=, status=, label=, network=, volume=, exited=")
	fs.StringVar(&o.format, "format", "", "print each container through a Go template, 'table TEMPLATE' or json")
	fs.IntVarP(&o.last, "last", "n", 0, "show the N containers made last, in any state")
	fs.BoolVarP(&o.latest, "latest", "l", false, "show the container made last, in any state")
	setExamples(fs, map[string]string{"last": "3"})
	return cmd
}

func runPs(cmd *cobra.Command, o psOptions) error {
	filter, err := parsePsFilters(o.filters)
	if err != nil {
		return err
	}
	if o.last < 0 {
		return fmt.Errorf("-n %d is negative: give how many of the last made containers to show, e.g. -n 3", o.last)
	}
	if o.latest {
		o.last = 1
	}
	var format *listFormat
	switch {
	case o.quiet:
		format, err = parseListFormat("{{.ID}}")
	case o.format != "":
		format, err = parseListFormat(o.format)
	case !o.asJSON:
		format, err = parseListFormat(psDefaultFormat)
	}
	if err != nil {
		return err
	}
	e, err := openEngine(cmd)
	if err != nil {
		return err
	}
	cs, err := e.List(cmd.Context(), o.all || o.last > 0 || filter.showsAll())
	if err != nil {
		return err
	}
	if o.last > 0 && len(cs) > o.last {
		cs = cs[:o.last]
	}
	lan, err := portsLAN(cmd, cs)
	if err != nil {
		return err
	}
	now := time.Now()
	var shown []core.Container
	var rows []any
	for _, c := range cs {
		r := newPsRow(c, lan, !o.noTrunc, now)
		if filter.match(r) {
			shown = append(shown, c)
			rows = append(rows, r)
		}
	}
	if format == nil {
		if shown == nil {
			shown = []core.Container{}
		}
		return printJSON(cmd, shown)
	}
	return format.write(cmd.OutOrStdout(), psHeader, rows)
}
