package cmdline

// Kind is how the app runs a command line.
type Kind int

const (
	// Plain runs in the background with a spinner; esc cancels it; its output is shown
	// when it ends.
	Plain Kind = iota
	// Interactive needs the terminal (`exec -it`, `run -it`, `attach`): the app hands
	// the terminal over and comes back when it ends.
	Interactive
	// Streaming writes until it is stopped (`logs -f`, `stats`, `events`): its output
	// streams into a view that esc closes, which stops it.
	Streaming
)

// Program is the word a command line may start with, as in a shell or a lab script;
// the line takes it and runs the rest.
const Program = "workbench"

// TrimProgram drops a leading "workbench" from a command line.
func TrimProgram(args []string) []string {
	if len(args) > 0 && args[0] == Program {
		return args[1:]
	}
	return args
}
