// Package pane defines what every pane of the app is, the skeleton every pane is built
// on (Base: loading, errors, caching; Lines: scrolling; List: sorted rows and their
// selection; a filter), and the messages panes send to the app. A pane owns its data,
// its keys and its drawing; the app only lays panes out, moves the focus and routes
// messages.
package pane

import (
	"context"
	"io"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
)

// Pane is one component of the app.
type Pane interface {
	// Title is the pane's name in the tab bar and its frame.
	Title() string
	// Update handles a message and returns the work it starts.
	Update(msg tea.Msg) tea.Cmd
	// View draws the pane into exactly the size given to SetSize.
	View() string
	// SetSize gives the pane its inner size in cells.
	SetSize(width, height int)
	// KeyMap lists the pane's own keys for the help view.
	KeyMap() help.KeyMap
	// Refresh returns the work that loads fresh data under ctx, the app's context (nil
	// when there is none); the result comes back to Update as a message.
	Refresh(ctx context.Context) tea.Cmd
	// Typing reports whether the pane is reading text, so keys go to it first.
	Typing() bool
}

// SelectMsg says which container is selected in the containers pane, so the other
// panes can follow it ("" = none).
type SelectMsg struct{ Container string }

// RunMsg asks the app to run one command line of the CLI, as the `:` line does.
type RunMsg struct {
	// Args is the command line, without the program name.
	Args []string
	// Quiet keeps the output out of the status line unless the command fails.
	Quiet bool
	// Show puts the whole output on screen when it is longer than one line (the `:`
	// line does: `:ps`, `:inspect web`).
	Show bool
	// Label says what the command does in the status line while it runs ("" = the
	// command line itself).
	Label string
}

// RunFunc runs one command line of the CLI (without the program name) with the given
// streams and returns its exit status: cli.Run.
type RunFunc func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int

// ExecMsg asks the app to give the terminal to a command (a shell in a container) and
// to come back when it exits.
type ExecMsg struct{ Args []string }

// StatusMsg is a line for the status bar.
type StatusMsg struct {
	Text string
	Err  bool
}

// TraceMsg asks the app to show the trace pane and send a probe from a container or
// lab host (From), to To when it is given, or to ask where to ("" = ask).
type TraceMsg struct{ From, To string }

// HighlightRuleMsg asks the iptables pane to show one rule of one lab host (the one a
// packet's journey hit): Table and Chain name it, Num is its position in the chain,
// as `iptables -L --line-numbers` counts (0 = the chain's policy).
type HighlightRuleMsg struct {
	Host, Table, Chain string
	Num                int
}

// Status returns a command that puts text in the status bar.
func Status(text string, isErr bool) tea.Cmd {
	return func() tea.Msg { return StatusMsg{Text: text, Err: isErr} }
}

// Unavailable is what a pane shows while its data cannot be read.
const Unavailable = "not available"

// ClickMsg is a mouse click inside a pane, at cell X, Y of its inner area.
type ClickMsg struct{ X, Y int }

// PathMsg asks the topology pane to mark the links a packet's journey crossed; no
// Links clears the marks.
type PathMsg struct {
	// Label says whose path it is ("outside → host1:8080/tcp").
	Label string
	// Links are the links crossed.
	Links []PathLink
}

// PathLink is one link of a namespace: Namespace is a lab host, "lan" or a container.
type PathLink struct{ Namespace, Link string }
