package tui

import (
	"context"
	"fmt"
	"io"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"workbench/script"
	"workbench/tui/pane"
	"workbench/tui/styles"
)

// demoBannerLines is the height of the lab banner above the app: the progress, the
// narration, the last step and the first lines of what it printed or saw.
const demoBannerLines = 6

// demoOutputLines is how many lines of the last step's output the banner shows.
const demoOutputLines = demoBannerLines - 3

// Demo plays a lab script over the app: a banner with the narration, one beat of the
// script per key (`.` or `>`), and the pane each beat is about brought into focus.
type Demo struct {
	name    string
	player  *script.Player
	total   int
	running bool
	// What the banner shows, copied from the player once a beat is over.
	narration, focus, last string
	output                 []string
	lastFailed             bool
	ran, passed, failed    int
	done                   bool

	// failHint is the hint of the step that failed in the last beat, "" if none.
	failHint string
}

// NewDemo prepares the play of a lab; player runs its steps against the lab.
func NewDemo(name string, player *script.Player) *Demo {
	return &Demo{name: name, player: player, total: len(player.Script().Steps), narration: player.Script().Title}
}

// demoBeatMsg carries what one beat of the lab did.
type demoBeatMsg struct{ results []script.Result }

// demoModel is the app with a lab banner above it.
type demoModel struct {
	app  *Model
	demo *Demo
}

// RunDemo shows the app with the lab's banner until the person quits.
func RunDemo(ctx context.Context, opts Options, demo *Demo, in io.Reader, out io.Writer) error {
	if len(opts.Panes) == 0 {
		return fmt.Errorf("the app has no panes to show")
	}
	p := tea.NewProgram(&demoModel{app: New(ctx, opts), demo: demo}, tea.WithContext(ctx), tea.WithInput(in), tea.WithOutput(out))
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
		msg.Height = max(0, msg.Height-demoBannerLines)
		_, cmd := d.app.Update(msg)
		return d, cmd
	case tea.MouseClickMsg:
		msg.Y -= demoBannerLines
		_, cmd := d.app.Update(msg)
		return d, cmd
	case tea.KeyPressMsg:
		if (msg.String() == "." || msg.String() == ">") && !d.app.commandOpen && d.app.form == nil && !d.app.focused().Typing() {
			return d, d.advance()
		}
	case demoBeatMsg:
		d.beat(msg.results)
		if i := d.paneIndex(d.demo.focus); i >= 0 {
			d.app.setFocus(i)
		}
		return d, d.app.refreshAll()
	}
	_, cmd := d.app.Update(msg)
	return d, cmd
}

// advance runs the next beat in the background; the keyboard never waits for it.
func (d *demoModel) advance() tea.Cmd {
	if d.demo.running || d.demo.done {
		return nil
	}
	d.demo.running = true
	p := d.demo.player
	ctx := d.app.ctx
	return func() tea.Msg { return demoBeatMsg{results: p.Advance(ctx)} }
}

// beat copies what the player did into the banner.
func (d *demoModel) beat(results []script.Result) {
	dm, p := d.demo, d.demo.player
	dm.running = false
	dm.narration, dm.focus, dm.done, dm.failHint = p.Narration, p.Focus, p.Done(), p.Hint
	dm.passed, dm.failed = p.Passed, p.Failed
	dm.ran += len(results)
	for _, r := range results {
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

// banner is the lab's name and progress, the narration and the last step's result.
func (d *demoModel) banner() string {
	dm, w := d.demo, d.app.width
	progress := fmt.Sprintf(" step %d/%d  %d passed  %d failed  ", dm.ran, dm.total, dm.passed, dm.failed)
	var hint string
	switch {
	case dm.running:
		hint = styles.Dim.Render("running...")
	case dm.done:
		hint = styles.Dim.Render("the lab is over: it stays standing (workbench reset removes it)")
	default:
		hint = styles.Key.Render(".") + styles.Dim.Render(" next step")
	}
	last := styles.Dim.Render(dm.last)
	if dm.lastFailed {
		last = styles.Error.Render(dm.last)
	}
	lines := []string{
		styles.ActiveTab.Render("lab "+dm.name) + styles.Dim.Render(progress) + hint,
		styles.Title.Render(dm.narration),
		last,
	}
	output := dm.output
	if dm.failHint != "" {
		// A failed step's hint comes before what it printed: it says where to look.
		lines = append(lines, styles.Key.Render("hint: ")+dm.failHint)
		output = output[:min(len(output), demoOutputLines-1)]
	}
	for i := 0; len(lines) < demoBannerLines; i++ {
		text := ""
		if i < len(output) {
			text = styles.Dim.Render("  │ " + output[i])
		}
		lines = append(lines, text)
	}
	for i, l := range lines {
		lines[i] = pane.Fit(ansi.Truncate(l, w, "…"), w, 1)
	}
	return strings.Join(lines, "\n")
}
