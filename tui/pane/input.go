package pane

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"

	"workbench/tui/styles"
)

// NewInput returns a one-line text field in the app's theme: the `:` line, a dialog's
// fields, a pane's filter. Its cursor is a reversed cell that does not blink, so it
// needs nothing from the terminal.
func NewInput(prompt, placeholder string) textinput.Model {
	in := textinput.New()
	in.Prompt, in.Placeholder = prompt, placeholder
	st := textinput.DefaultDarkStyles()
	for _, s := range []*textinput.StyleState{&st.Focused, &st.Blurred} {
		s.Text, s.Prompt = styles.Plain, styles.Plain
		s.Placeholder, s.Suggestion = styles.Dim, styles.Dim
	}
	st.Cursor = textinput.CursorStyle{Blink: false, Color: lipgloss.NoColor{}}
	in.SetStyles(st)
	// The terminal's own paste arrives as a bracketed paste; the library's ctrl+v
	// would run a clipboard program.
	in.KeyMap.Paste = key.NewBinding(key.WithDisabled())
	return in
}
