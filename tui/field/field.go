// Package field is a one-line text field: the `:` line, the form's fields and the
// capture filter. It keeps to what those need (insert, delete, move, clear) and draws
// its cursor as a reversed cell, so it needs nothing from the terminal.
package field

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"workbench/tui/styles"
)

// Model is a text field.
type Model struct {
	// Prompt is drawn before the text; Placeholder in its place while it is empty.
	Prompt, Placeholder string
	value               []rune
	pos                 int
	focused             bool
	width               int
}

// New returns an empty field.
func New(prompt, placeholder string) Model {
	return Model{Prompt: prompt, Placeholder: placeholder}
}

// Value is the text in the field.
func (m Model) Value() string { return string(m.value) }

// SetValue replaces the text and puts the cursor at its end.
func (m *Model) SetValue(s string) { m.value, m.pos = []rune(s), len([]rune(s)) }

// Focus makes the field take keys and show its cursor; Blur stops it.
func (m *Model) Focus() { m.focused = true }

// Blur stops the field from taking keys.
func (m *Model) Blur() { m.focused = false }

// Focused reports whether the field takes keys.
func (m Model) Focused() bool { return m.focused }

// SetWidth limits the drawn field to w cells (0 = no limit).
func (m *Model) SetWidth(w int) { m.width = w }

// Update edits the text with a key; other messages are ignored.
func (m *Model) Update(msg tea.Msg) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok || !m.focused {
		return
	}
	switch k.String() {
	case "left", "ctrl+b":
		m.pos = max(0, m.pos-1)
	case "right", "ctrl+f":
		m.pos = min(len(m.value), m.pos+1)
	case "home", "ctrl+a":
		m.pos = 0
	case "end", "ctrl+e":
		m.pos = len(m.value)
	case "backspace", "ctrl+h":
		if m.pos > 0 {
			m.value = append(m.value[:m.pos-1], m.value[m.pos:]...)
			m.pos--
		}
	case "delete", "ctrl+d":
		if m.pos < len(m.value) {
			m.value = append(m.value[:m.pos], m.value[m.pos+1:]...)
		}
	case "ctrl+u":
		m.value, m.pos = append([]rune(nil), m.value[m.pos:]...), 0
	case "ctrl+k":
		m.value = m.value[:m.pos]
	case "ctrl+w":
		start := m.pos
		for start > 0 && m.value[start-1] == ' ' {
			start--
		}
		for start > 0 && m.value[start-1] != ' ' {
			start--
		}
		m.value = append(m.value[:start], m.value[m.pos:]...)
		m.pos = start
	default:
		if k.Text != "" { // a printable character, shifted or not
			m.insert([]rune(k.Text))
		}
	}
}

// Paste inserts text at the cursor (from a bracketed paste).
func (m *Model) Paste(text string) {
	if m.focused {
		m.insert([]rune(strings.ReplaceAll(text, "\n", " ")))
	}
}

func (m *Model) insert(r []rune) {
	v := make([]rune, 0, len(m.value)+len(r))
	v = append(v, m.value[:m.pos]...)
	v = append(v, r...)
	v = append(v, m.value[m.pos:]...)
	m.value, m.pos = v, m.pos+len(r)
}

// View draws the prompt, the text and, when focused, the cursor.
func (m Model) View() string {
	if len(m.value) == 0 && !m.focused {
		return m.Prompt + styles.Dim.Render(m.Placeholder)
	}
	if len(m.value) == 0 {
		return m.Prompt + styles.Selected.Render(" ") + styles.Dim.Render(m.Placeholder)
	}
	before, at, after := string(m.value[:m.pos]), " ", ""
	if m.pos < len(m.value) {
		at, after = string(m.value[m.pos]), string(m.value[m.pos+1:])
	}
	if m.width > 0 {
		// Keep the cursor in sight: cut the text before it from the left.
		room := m.width - ansi.StringWidth(m.Prompt) - 1
		if w := ansi.StringWidth(before); w > room && room > 0 {
			before = ansi.TruncateLeft(before, w-room, "…")
		}
	}
	if !m.focused {
		return m.Prompt + before + strings.TrimSuffix(at, " ") + after
	}
	return m.Prompt + before + styles.Selected.Render(at) + after
}
