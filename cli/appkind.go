package cli

import "workbench/tui/cmdline"

// appKind says how the app runs a command line: a command that reads the terminal is
// handed the terminal, one that goes on until stopped streams into a view, any other
// runs in the background. It reads the line as the command would, flags and all.
func appKind(args []string) cmdline.Kind {
	cmd, rest, err := NewRoot().Find(args)
	if err != nil || !cmd.Runnable() || cmd.ParseFlags(rest) != nil {
		return cmdline.Plain
	}
	on := func(name string) bool {
		f := cmd.Flags().Lookup(name)
		return f != nil && f.Value.String() == "true"
	}
	set := func(name string) bool {
		f := cmd.Flags().Lookup(name)
		return f != nil && f.Changed
	}
	switch cmd.Name() {
	case "attach":
		return cmdline.Interactive
	case "exec":
		if on("interactive") || on("tty") {
			return cmdline.Interactive
		}
	case "run":
		if !on("detach") && (on("interactive") || on("tty")) {
			return cmdline.Interactive
		}
	case "start":
		if on("interactive") {
			return cmdline.Interactive
		}
		if on("attach") {
			return cmdline.Streaming
		}
	case "logs":
		if on("follow") {
			return cmdline.Streaming
		}
	case "stats":
		if !on("no-stream") {
			return cmdline.Streaming
		}
	case "events":
		if !set("until") {
			return cmdline.Streaming
		}
	}
	return cmdline.Plain
}
