package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// dockerGroup is one of Docker's management commands (docker container, docker image,
// docker system): the workbench's top-level commands under the names Docker gives
// them there, and subcommands of its own.
type dockerGroup struct {
	name, short string
	// names maps a top-level command to its name in the group, then its aliases.
	names map[string][]string
	// own makes the group's subcommands that are not top-level commands.
	own func() []*cobra.Command
}

// dockerGroups are the management commands, as Docker has them.
var dockerGroups = []dockerGroup{
	{
		name:  "container",
		short: "Manage containers under Docker's names: ls, inspect, logs, stop, rm, prune...",
		names: map[string][]string{
			"ps": {"ls", "ps", "list"}, "rm": {"rm", "remove"}, "attach": {"attach"}, "commit": {"commit"},
			"cp": {"cp"}, "create": {"create"}, "diff": {"diff"}, "exec": {"exec"}, "inspect": {"inspect"},
			"kill": {"kill"}, "logs": {"logs"}, "pause": {"pause"}, "port": {"port"}, "rename": {"rename"},
			"restart": {"restart"}, "run": {"run"}, "start": {"start"}, "stats": {"stats"}, "stop": {"stop"},
			"top": {"top"}, "unpause": {"unpause"}, "update": {"update"}, "wait": {"wait"},
		},
		own: func() []*cobra.Command { return []*cobra.Command{newContainerPruneCmd()} },
	},
	{
		name:  "image",
		short: "Manage images under Docker's names: ls, history, inspect, rm, pull, load, tag, prune",
		names: map[string][]string{
			"images": {"ls", "list"}, "rmi": {"rm", "remove", "rmi"}, "history": {"history"},
			"pull": {"pull"}, "load": {"load"}, "tag": {"tag"},
		},
		own: func() []*cobra.Command { return []*cobra.Command{newImageInspectCmd(), newImagePruneCmd()} },
	},
	{
		name:  "system",
		short: "Remove what is not used: system prune",
		names: map[string][]string{"events": {"events"}},
		own:   func() []*cobra.Command { return []*cobra.Command{newSystemPruneCmd()} },
	},
}

// addDockerGroups adds the management commands to the root command; each subcommand
// is a command of its own, made by the constructor of the top-level command it is
// (byName holds them by command name).
func addDockerGroups(root *cobra.Command, byName map[string]func() *cobra.Command) {
	for _, g := range dockerGroups {
		parent := group(g.name, g.short, g.own()...)
		for top, names := range g.names {
			newCmd, ok := byName[top]
			if !ok {
				continue
			}
			c := newCmd()
			_, rest, _ := strings.Cut(c.Use, " ")
			c.Use, c.Aliases = strings.TrimSpace(names[0]+" "+rest), names[1:]
			parent.AddCommand(c)
		}
		root.AddCommand(parent)
	}
}

// refuseUnknownCommands makes every command that only groups others (network, host,
// image...) print its help when given no subcommand, and fail in one line when given
// one it does not have; the root command does the same for an unknown command.
func refuseUnknownCommands(root *cobra.Command) {
	root.Args = func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return nil
		}
		return unknownCommand(cmd, args[0])
	}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if sub.HasSubCommands() && !sub.Runnable() {
				sub.Args = cobra.ArbitraryArgs
				sub.RunE = func(cmd *cobra.Command, args []string) error {
					if len(args) == 0 {
						return cmd.Help()
					}
					return unknownCommand(cmd, args[0])
				}
			}
			walk(sub)
		}
	}
	walk(root)
}

// unknownCommand says that a command has no subcommand of that name: why, when it is
// one of Docker's the workbench leaves out, else where the list is (and the nearest
// name).
func unknownCommand(cmd *cobra.Command, name string) error {
	path := strings.TrimPrefix(cmd.CommandPath()+" "+name, cmd.Root().Name()+" ")
	if why, ok := refusedCommands[path]; ok {
		return fmt.Errorf("%s is Docker's, not the workbench's: %s", path, why)
	}
	msg := fmt.Sprintf("unknown command %q for %q: `%s --help` lists its commands", name, cmd.CommandPath(), cmd.CommandPath())
	if cmd.SuggestionsMinimumDistance <= 0 {
		cmd.SuggestionsMinimumDistance = 2
	}
	if near := cmd.SuggestionsFor(name); len(near) > 0 {
		msg += " (did you mean " + strings.Join(near, " or ") + "?)"
	}
	return fmt.Errorf("%s", msg)
}
