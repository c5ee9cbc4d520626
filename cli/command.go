package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"workbench/core"
	"workbench/core/network"
	"workbench/images"
	"workbench/instance"
)

// runFunc is what a command does with its arguments.
type runFunc = func(cmd *cobra.Command, args []string) error

// leaf is a command without subcommands, written as data: its usage line, its help
// and examples, the arguments it takes and what it does.
type leaf struct {
	use, short, long, example string
	aliases                   []string
	args                      cobra.PositionalArgs
	hidden                    bool
	run                       runFunc
}

// command builds the leaf's cobra command.
func (l leaf) command() *cobra.Command {
	return &cobra.Command{Use: l.use, Aliases: l.aliases, Short: l.short, Long: l.long, Example: l.example, Args: l.args, Hidden: l.hidden, RunE: l.run}
}

// group is a command whose work is done by its subcommands.
func group(use, short string, subs ...*cobra.Command) *cobra.Command {
	cmd := &cobra.Command{Use: use, Short: short}
	cmd.AddCommand(subs...)
	return cmd
}

// opener opens what a command works on (the engine, the image store, the lab) and
// gives the function that releases it.
type opener[T any] func(cmd *cobra.Command) (T, func(), error)

// with runs a command with what open gives it, released when the command ends.
func with[T any](open opener[T], run func(cmd *cobra.Command, t T, args []string) error) runFunc {
	return func(cmd *cobra.Command, args []string) error {
		t, release, err := open(cmd)
		if err != nil {
			return err
		}
		defer release()
		return run(cmd, t, args)
	}
}

// onEngine runs a command with the engine of the current instance (see openEngine).
func onEngine(run func(cmd *cobra.Command, e *core.Engine, args []string) error) runFunc {
	return with(func(cmd *cobra.Command) (*core.Engine, func(), error) {
		e, err := openEngine(cmd)
		return e, func() {}, err
	}, run)
}

// onInstance runs a command with the current instance (see currentInstance).
func onInstance(run func(cmd *cobra.Command, inst instance.Instance, args []string) error) runFunc {
	return with(func(*cobra.Command) (instance.Instance, func(), error) {
		inst, err := currentInstance()
		return inst, func() {}, err
	}, run)
}

// onContainer runs a command with the engine and the container its first argument
// names (see lookupContainer).
func onContainer(run func(cmd *cobra.Command, e *core.Engine, c core.Container, args []string) error) runFunc {
	return func(cmd *cobra.Command, args []string) error {
		e, c, err := lookupContainer(cmd, args[0])
		if err != nil {
			return err
		}
		return run(cmd, e, c, args)
	}
}

// onEachContainer applies act to each container named in the arguments in turn (see
// eachContainer).
func onEachContainer(act func(cmd *cobra.Command, e *core.Engine, c core.Container) error) runFunc {
	return func(cmd *cobra.Command, args []string) error {
		return eachContainer(cmd, args, func(e *core.Engine, c core.Container) error { return act(cmd, e, c) })
	}
}

// onStore runs a command with the image store, holding the lock when it changes it
// (see openImageStore).
func onStore(change bool, run func(cmd *cobra.Command, s *images.Store, args []string) error) runFunc {
	return with(func(cmd *cobra.Command) (*images.Store, func(), error) { return openImageStore(cmd, change) }, run)
}

// onLab runs a command that changes the lab, holding the lock (see labManager).
func onLab(run func(cmd *cobra.Command, m *network.Manager, args []string) error) runFunc {
	return with(labManager, run)
}

// onListing runs a command that reads the lab and changes nothing (see readLab).
func onListing(run func(cmd *cobra.Command, m *network.Manager, args []string) error) runFunc {
	return with(func(cmd *cobra.Command) (*network.Manager, func(), error) {
		m, err := readLab(cmd)
		return m, func() {}, err
	}, run)
}

// printTable prints a listing as docker does: a header of tab-separated column names,
// then the rows, each a list of cells, in columns.
func printTable[T any](cmd *cobra.Command, header string, items []T, row func(T) []any) error {
	w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 3, ' ', 0)
	fmt.Fprintln(w, header)
	for _, it := range items {
		cells := row(it)
		format := strings.Repeat("%v\t", len(cells))
		fmt.Fprintf(w, format[:len(format)-1]+"\n", cells...)
	}
	return w.Flush()
}

// printJSONUnless prints v as JSON, unless err says it could not be read.
func printJSONUnless(cmd *cobra.Command, err error, v any) error {
	if err != nil {
		return err
	}
	return printJSON(cmd, v)
}
