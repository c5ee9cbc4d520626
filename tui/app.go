// Package tui is the workbench's full-screen app. The root model only lays the panes
// out, moves the focus, handles the global keys and routes messages; each pane, the `:`
// line and the dialogs are components of their own.
package tui

import (
	"context"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"workbench/tui/cmdline"
	"workbench/tui/form"
	"workbench/tui/keys"
	"workbench/tui/listview"
	"workbench/tui/pane"
	"workbench/tui/pathprompt"
	"workbench/tui/styles"
	"workbench/tui/textview"
	"workbench/tui/traceview"
)

// RefreshEvery is how often the visible panes read the kernel again, unless Options
// say otherwise.
const RefreshEvery = time.Second

// RunFunc runs one command line of the CLI with the given streams and returns its exit
// status: cli.Run.
type RunFunc = pane.RunFunc

// Options are what the app is made of.
type Options struct {
	// Run runs a CLI command line (the `:` line, the form, the pane keys).
	Run RunFunc
	// Commands are the CLI's top-level command names, for completion.
	Commands []string
	// Executable is the workbench binary, run for commands that need the terminal.
	Executable string
	// Kind says how a command line runs (see cmdline.Kind); nil runs every line Plain.
	Kind func(args []string) cmdline.Kind
	// Prepare is a command line run once at the start, quietly (PrepareLab); nil runs
	// nothing.
	Prepare []string
	// RefreshEvery is how often the visible panes read again (0 = RefreshEvery).
	RefreshEvery time.Duration
	// Panes are the panes in tab order. A pane's SelectMsg reaches every other pane,
	// and a pane with a Names method (the containers pane) gives the `:` line the
	// container names it completes.
	Panes []pane.Pane
}

// Model is the root model.
type Model struct {
	ctx           context.Context // the app's: the panes load and the commands run under it
	opts          Options
	panes         []pane.Pane
	focus         int
	zoom          bool
	mouse         bool
	showHelp      bool
	view          *textview.Model // a long output, a stream or an error, until esc
	list          *listview.Model // the images or the networks, until esc
	running       map[int]running // the commands running in the background, by number
	runs          int             // how many were started
	commandOpen   bool
	cmd           *cmdline.Model
	form          *form.Model
	ask           *pathprompt.Model // "write it where?", while a pane asks
	confirm       *pane.RunMsg      // a destructive `:` command waiting for y
	keys          keys.Global
	help          help.Model
	spin          spinner.Model
	busy          int
	status        string
	statusErr     bool
	width, height int
	frames        frameCache
	extraKeys     help.KeyMap // keys of what runs over the app (a lab), listed in the help
}

// New returns the app; its panes load and its commands run under ctx.
func New(ctx context.Context, opts Options) *Model {
	h := help.New()
	h.Styles.ShortKey, h.Styles.FullKey = styles.Key, styles.Key
	h.Styles.ShortDesc, h.Styles.FullDesc = styles.Plain, styles.Plain
	h.Styles.ShortSeparator, h.Styles.FullSeparator, h.Styles.Ellipsis = styles.Dim, styles.Dim, styles.Dim
	return &Model{
		ctx:   ctx,
		opts:  opts,
		panes: opts.Panes,
		mouse: true,
		cmd:   cmdline.New(opts.Commands),
		keys:  keys.DefaultGlobal(),
		help:  h,
		spin:  spinner.New(spinner.WithSpinner(spinner.MiniDot)),
	}
}

// tickMsg asks for the next refresh.
type tickMsg struct{}

func (m *Model) tick() tea.Cmd {
	every := m.opts.RefreshEvery
	if every <= 0 {
		every = RefreshEvery
	}
	return tea.Tick(every, func(time.Time) tea.Msg { return tickMsg{} })
}

// Init loads every pane once and starts the refresh tick.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{m.tick(), m.refreshAll()}
	if m.opts.Prepare != nil {
		cmds = append(cmds, m.run(pane.RunMsg{Args: m.opts.Prepare, Quiet: true, Label: "preparing the lab (host1, the LAN, outside)…"}, nil))
	}
	return tea.Batch(cmds...)
}

// Update routes a message: global keys here, other keys to the focused pane or the open
// dialog, data to every pane.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if m.closed(msg) {
		return m, nil
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		return m, nil
	case tickMsg:
		return m, tea.Batch(m.tick(), m.refreshVisible())
	case tea.KeyPressMsg:
		return m, m.handleKey(msg)
	case tea.PasteMsg:
		return m, m.routeInput(msg)
	case tea.MouseClickMsg:
		return m, m.handleClick(msg)
	case tea.MouseWheelMsg:
		switch {
		case m.view != nil:
			return m, m.view.Update(wheelKey(msg))
		case m.list != nil:
			return m, m.list.Update(wheelKey(msg))
		}
		return m, m.focused().Update(wheelKey(msg))
	case spinner.TickMsg:
		if m.busy == 0 {
			return m, nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	case form.OpenMsg:
		m.form = msg.Form
		return m, nil
	case form.SubmitMsg:
		f := m.form
		m.form = nil
		return m, m.run(pane.RunMsg{Args: msg.Args}, f)
	case pathprompt.AskMsg:
		m.ask = pathprompt.New(msg)
		m.ask.SetWidth(m.width)
		return m, nil
	case pane.StatusMsg:
		m.status, m.statusErr = msg.Text, msg.Err
		m.wideError("", msg.Text)
		return m, nil
	case pane.RunMsg:
		m.commandOpen, m.form = false, nil
		if msg.Show && len(msg.Args) > 0 && msg.Args[0] == "reset" {
			// Everything of the instance goes: ask first, as for the destructive keys.
			m.confirm = &msg
			m.status, m.statusErr = "reset removes every container, network and lab host of this instance: y does it, any other key does not", true
			return m, nil
		}
		return m, m.runLine(msg)
	case pane.ExecMsg:
		return m, m.exec(msg)
	case ranMsg:
		return m, m.ran(msg)
	case pane.SelectMsg:
		return m, m.broadcast(msg)
	case pane.TraceMsg:
		m.focusTitle(traceview.Title)
	}
	return m, tea.Batch(m.updateViews(msg), m.broadcast(msg))
}

// closed forgets the dialog or view that msg says was closed; it says whether msg was
// such a message.
func (m *Model) closed(msg tea.Msg) bool {
	switch msg.(type) {
	case cmdline.ClosedMsg:
		m.commandOpen = false
	case form.ClosedMsg:
		m.form = nil
	case listview.ClosedMsg:
		m.list = nil
	case pathprompt.ClosedMsg:
		m.ask = nil
	case textview.ClosedMsg:
		m.view = nil
	default:
		return false
	}
	return true
}

// handleKey gives a key to whoever reads text first, then to the global keys, then to
// the focused pane.
func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	if m.commandOpen || m.form != nil || m.ask != nil || m.focused().Typing() {
		return m.routeInput(msg)
	}
	if c := m.confirm; c != nil {
		m.confirm = nil
		if msg.String() == "y" || msg.String() == "Y" {
			return m.runLine(*c)
		}
		m.status, m.statusErr = "nothing was done", false
		return nil
	}
	if m.view != nil && !key.Matches(msg, m.keys.Command) {
		return m.view.Update(msg)
	}
	if m.list != nil && !key.Matches(msg, m.keys.Command) {
		return m.list.Update(msg)
	}
	if m.cancelKey(msg) {
		return nil
	}
	if m.showHelp {
		m.showHelp = false
		return nil
	}
	g := m.keys
	switch {
	case key.Matches(msg, g.Quit):
		return tea.Quit
	case key.Matches(msg, g.Help):
		m.showHelp = true
	case key.Matches(msg, g.Next):
		m.setFocus(m.focus + 1)
	case key.Matches(msg, g.Prev):
		m.setFocus(m.focus - 1)
	case key.Matches(msg, g.Pane):
		if i := int(msg.String()[0] - '1'); i < len(m.panes) {
			m.setFocus(i)
		}
	case key.Matches(msg, g.Zoom):
		m.zoom = !m.zoom
		m.layout()
	case key.Matches(msg, g.Mouse):
		m.mouse = !m.mouse
		m.status, m.statusErr = mouseStatus(m.mouse), false
	case key.Matches(msg, g.Command):
		m.commandOpen = true
		m.cmd.SetNames(m.containerNames())
		m.cmd.Open()
	case key.Matches(msg, g.Create):
		m.form = form.NewContainer()
	case key.Matches(msg, g.Lab):
		m.form = form.NewLab()
	default:
		return m.focused().Update(msg)
	}
	return nil
}

// routeInput gives a key or a paste to the open dialog, the `:` line or a typing pane.
func (m *Model) routeInput(msg tea.Msg) tea.Cmd {
	switch {
	case m.form != nil:
		return m.form.Update(msg)
	case m.ask != nil:
		return m.ask.Update(msg)
	case m.commandOpen:
		return m.cmd.Update(msg)
	default:
		return m.focused().Update(msg)
	}
}

// broadcast gives a message to every pane; each takes only its own.
func (m *Model) broadcast(msg tea.Msg) tea.Cmd {
	cmds := make([]tea.Cmd, 0, len(m.panes))
	for _, p := range m.panes {
		cmds = append(cmds, p.Update(msg))
	}
	return tea.Batch(cmds...)
}

// refreshVisible reloads the panes on screen only: hidden panes cost nothing.
func (m *Model) refreshVisible() tea.Cmd {
	var cmds []tea.Cmd
	for _, i := range m.visible() {
		cmds = append(cmds, m.panes[i].Refresh(m.ctx))
	}
	return tea.Batch(cmds...)
}

func (m *Model) refreshAll() tea.Cmd {
	cmds := make([]tea.Cmd, 0, len(m.panes))
	for _, p := range m.panes {
		cmds = append(cmds, p.Refresh(m.ctx))
	}
	if m.list != nil {
		cmds = append(cmds, m.list.Reload())
	}
	return tea.Batch(cmds...)
}

func (m *Model) focused() pane.Pane { return m.panes[m.focus] }

// focusTitle moves the focus to the pane with that title, if there is one.
func (m *Model) focusTitle(title string) {
	for i, p := range m.panes {
		if p.Title() == title {
			m.setFocus(i)
		}
	}
}

func (m *Model) setFocus(i int) {
	n := len(m.panes)
	i = (i%n + n) % n
	if i != m.focus {
		m.focus = i
		m.layout()
		if m.busy == 0 && !m.statusErr {
			m.status = "" // what the last pane said is done with
		}
	}
}

// containerNames are the names shown by the containers pane, for completion.
func (m *Model) containerNames() []string {
	for _, p := range m.panes {
		if n, ok := p.(interface{ Names() []string }); ok {
			return n.Names()
		}
	}
	return nil
}

func mouseStatus(on bool) string {
	if on {
		return "mouse on: click a tab to move, wheel to scroll"
	}
	return "mouse off: the terminal selects text again (M turns it back on)"
}
