package tui

import (
	"context"
	"fmt"
	"io"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"workbench/script"
	"workbench/tui/keys"
	"workbench/tui/pane"
	"workbench/tui/styles"
)

// demoBannerLines is the least height of the lab banner above the app: the progress,
// the narration, the last step and the first lines of what it printed or saw. A long
// narration or result makes it taller, up to half the screen.
const demoBannerLines = 6

// demoOutputLines is how many lines of the last step's output the banner shows.
const demoOutputLines = 3

// DemoKeys are the keys of a lab played in the app.
type DemoKeys struct {
	Next, Back, Restart key.Binding
}

// ShortHelp is the one-line hint.
func (k DemoKeys) ShortHelp() []key.Binding { return []key.Binding{k.Next, k.Back, k.Restart} }

// FullHelp is every key of the lab, in one line: the help under it may be cut.
func (k DemoKeys) FullHelp() [][]key.Binding { return [][]key.Binding{{k.Next}, {k.Back}, {k.Restart}} }

// DefaultDemoKeys are the keys of a lab.
func DefaultDemoKeys() DemoKeys {
	return DemoKeys{
		Next:    keys.Bind(".", "next step", ">"),
		Back:    keys.Bind(",", "step back", "<"),
		Restart: keys.Bind("R", "restart the lab"),
	}
}

// Demo plays a lab script over the app: a banner with the narration, one step of the
// script per key (`.`), a step back (`,`) or to the start (`R`), and the pane each step
// is about brought into focus.
type Demo struct {
	name    string
	player  *script.Player
	keys    DemoKeys
	running string // what runs now ("" = nothing): the next step, going back
	// What the banner shows, copied from the player once a step is over.
	narration, focus, last string
	output                 []string
	lastFailed             bool
	progress               script.Progress
	passed, failed         int
	done                   bool

	// failHint is the hint of the step that failed in the last beat, "" if none.
	failHint string
}

// NewDemo prepares the play of a lab; player runs its steps against the lab.
func NewDemo(name string, player *script.Player) *Demo {
	return &Demo{name: name, player: player, keys: DefaultDemoKeys(), narration: player.Script().Title, progress: player.Progress()}
}

// demoBeatMsg carries what one beat of the lab did; rewound says it went back (to
// the start with restart), err why it could not.
type demoBeatMsg struct {
	results []script.Result
	rewound bool
	err     error
}

// demoModel is the app with a lab banner above it.
type demoModel struct {
	app           *Model
	demo          *Demo
	width, height int // the screen's
	bannerHeight  int // the banner's, as the app was last sized under it
}

// RunDemo shows the app with the lab's banner until the person quits.
func RunDemo(ctx context.Context, opts Options, demo *Demo, in io.Reader, out io.Writer) error {
	if len(opts.Panes) == 0 {
		return fmt.Errorf("the app has no panes to show")
	}
	app := New(ctx, opts)
	app.extraKeys = demo.keys
	p := tea.NewProgram(&demoModel{app: app, demo: demo}, tea.WithContext(ctx), tea.WithInput(in), tea.WithOutput(out))
	if _, err := p.Run(); err != nil {
		return fmt.Errorf("run the lab %s: %w", demo.name, err)
	}
	return nil
}

// Init starts the app.
func (d *demoModel) Init() tea.Cmd { return d.app.Init() }

// Update takes the lab's keys and beats; everything else goes to the app, below the banner.
func (d *demoModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		d.width, d.height, d.bannerHeight = msg.Width, msg.Height, -1
		return d, d.fit()
	case tea.MouseClickMsg:
		msg.Y -= d.bannerHeight
		_, cmd := d.app.Update(msg)
		return d, cmd
	case tea.KeyPressMsg:
		if !d.app.commandOpen && d.app.form == nil && !d.app.focused().Typing() {
			k := d.demo.keys
			switch {
			case key.Matches(msg, k.Next):
				return d, d.advance()
			case key.Matches(msg, k.Back):
				return d, d.rewind("going back one step…", func(ctx context.Context, p *script.Player) ([]script.Result, error) { return p.Back(ctx) })
			case key.Matches(msg, k.Restart):
				return d, d.rewind("restarting the lab…", func(ctx context.Context, p *script.Player) ([]script.Result, error) { return p.Restart(ctx, 1) })
			}
		}
	case demoBeatMsg:
		d.beat(msg)
		if i := d.paneIndex(d.demo.focus); i >= 0 {
			d.app.setFocus(i)
		}
		return d, tea.Batch(d.fit(), d.app.refreshAll())
	}
	_, cmd := d.app.Update(msg)
	return d, cmd
}

// fit sizes the app under the banner when the banner's height changed.
func (d *demoModel) fit() tea.Cmd {
	h := len(d.bannerLines())
	if h == d.bannerHeight || d.width == 0 {
		return nil
	}
	d.bannerHeight = h
	_, cmd := d.app.Update(tea.WindowSizeMsg{Width: d.width, Height: max(0, d.height-h)})
	return cmd
}

// advance runs the next step in the background; the keyboard never waits for it.
func (d *demoModel) advance() tea.Cmd {
	if d.demo.running != "" || d.demo.done {
		return nil
	}
	d.demo.running = "running…"
	p := d.demo.player
	ctx := d.app.ctx
	return func() tea.Msg { return demoBeatMsg{results: p.Advance(ctx)} }
}

// rewind takes the lab back with the player (a step, or to the start) in the
// background: the lab is removed and the steps before are played again.
func (d *demoModel) rewind(what string, back func(context.Context, *script.Player) ([]script.Result, error)) tea.Cmd {
	if d.demo.running != "" {
		return nil
	}
	d.demo.running = what
	p := d.demo.player
	ctx := d.app.ctx
	return func() tea.Msg {
		res, err := back(ctx, p)
		return demoBeatMsg{results: res, rewound: true, err: err}
	}
}

// beat copies what the player did into the banner.
func (d *demoModel) beat(msg demoBeatMsg) {
	dm, p := d.demo, d.demo.player
	dm.running = ""
	dm.narration, dm.focus, dm.done, dm.failHint = p.Narration, p.Focus, p.Done(), p.Hint
	if dm.narration == "" {
		dm.narration = p.Script().Title
	}
	dm.passed, dm.failed, dm.progress = p.Passed, p.Failed, p.Progress()
	if msg.rewound {
		dm.last, dm.lastFailed, dm.output = fmt.Sprintf("back at step %d of %d: . runs it", dm.progress.Step+1, dm.progress.Steps), false, nil
		if msg.err != nil {
			dm.last, dm.lastFailed = msg.err.Error(), true
		}
		return
	}
	for _, r := range msg.results {
		switch r.Step.Kind {
		case script.Command, script.Expect:
			dm.last, dm.lastFailed = resultLine(r), r.Failed
			dm.output = firstLines(r.Output, demoOutputLines)
		}
	}
}

// resultLine is one line about a step: the command and what came of it.
func resultLine(r script.Result) string {
	switch {
	case r.Verdict != nil && r.Failed:
		return "FAIL " + r.Step.Source + ": " + r.Verdict.Detail
	case r.Verdict != nil:
		return "PASS " + r.Step.Source + ": " + r.Verdict.Detail
	case r.Failed:
		return fmt.Sprintf("$ %s: exit status %d: %s", r.Step.Source, r.Code, lastLine(r.Output))
	}
	return "$ " + r.Step.Source
}

// firstLines returns up to n non-blank lines of text.
func firstLines(text string, n int) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.TrimSpace(l) != "" && len(out) < n {
			out = append(out, l)
		}
	}
	return out
}

// paneIndex finds the pane a `focus` line names: a word of its title ("log" is the
// command log).
func (d *demoModel) paneIndex(name string) int {
	if name == "" {
		return -1
	}
	for i, p := range d.app.panes {
		for _, word := range strings.Fields(strings.ToLower(p.Title())) {
			if word == name {
				return i
			}
		}
	}
	return -1
}

// View draws the banner above the app.
func (d *demoModel) View() tea.View {
	v := d.app.View()
	v.Content = d.banner() + "\n" + d.app.render()
	return v
}

// banner is the banner's lines, as tall as the app was sized under.
func (d *demoModel) banner() string {
	lines := d.bannerLines()
	for len(lines) < d.bannerHeight {
		lines = append(lines, "")
	}
	for i, l := range lines {
		lines[i] = pane.Fit(l, d.app.width, 1)
	}
	return strings.Join(lines[:max(0, d.bannerHeight)], "\n")
}

// bannerLines are the lab's name and progress with its keys, the narration and the
// last step's result, whole and wrapped, the hint of a failed step and the first
// lines of what the step printed; at least demoBannerLines, at most half the screen.
func (d *demoModel) bannerLines() []string {
	dm, w := d.demo, max(d.width, 20)
	progress := fmt.Sprintf(" step %d of %d  %d passed  %d failed  ", dm.progress.Step, dm.progress.Steps, dm.passed, dm.failed)
	var hint string
	switch {
	case dm.running != "":
		hint = styles.Dim.Render(dm.running)
	case dm.done:
		hint = styles.Dim.Render("the lab is over: it stays standing (workbench reset removes it)  ") + keyHint(dm.keys.Back) + keyHint(dm.keys.Restart)
	default:
		hint = keyHint(dm.keys.Next) + keyHint(dm.keys.Back) + keyHint(dm.keys.Restart)
	}
	lines := []string{ansi.Truncate(styles.ActiveTab.Render("lab "+dm.name)+styles.Dim.Render(progress)+hint, w, "…")}
	lines = append(lines, wrap(styles.Title, dm.narration, w)...)
	last := styles.Dim
	if dm.lastFailed {
		last = styles.Error
	}
	lines = append(lines, wrap(last, dm.last, w)...)
	output := dm.output
	if dm.failHint != "" {
		// A failed step's hint comes before what it printed: it says where to look.
		lines = append(lines, wrap(styles.Plain, styles.Key.Render("hint: ")+dm.failHint, w)...)
		output = output[:min(len(output), demoOutputLines-1)]
	}
	for _, o := range output {
		lines = append(lines, ansi.Truncate(styles.Dim.Render("  │ "+o), w, "…"))
	}
	for len(lines) < demoBannerLines {
		lines = append(lines, "")
	}
	if most := max(demoBannerLines, d.height/2); len(lines) > most {
		lines = lines[:most]
	}
	return lines
}

// keyHint is a key and what it does, for the banner's first line.
func keyHint(k key.Binding) string {
	return styles.Key.Render(k.Help().Key) + styles.Dim.Render(" "+k.Help().Desc+"  ")
}

// wrap breaks text into lines of width cells, each styled with st; "" gives no line.
func wrap(st lipgloss.Style, text string, width int) []string {
	if text == "" {
		return nil
	}
	var out []string
	for _, l := range strings.Split(ansi.Wrap(text, width, " -/"), "\n") {
		out = append(out, st.Render(l))
	}
	return out
}
