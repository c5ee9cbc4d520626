package pane

import (
	"context"
	"reflect"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"workbench/tui/styles"
)

// LoadTimeout bounds one load of a pane's source.
const LoadTimeout = 5 * time.Second

// Base is the skeleton of every pane: its title and keys, its source loaded with the
// app's context, the last data or error, its size, and a picture drawn again only when
// something changed. A pane embeds it and adds its key map, its source and its render.
type Base[T any] struct {
	title string
	keys  help.KeyMap
	load  func(ctx context.Context) (T, error)
	ctx   context.Context

	// Data is what the source gave last; Err the error of the last load; Loaded says
	// that a load has come back.
	Data   T
	Err    error
	Loaded bool
	// Width and Height are the pane's inner size.
	Width, Height int

	dirty  bool
	cache  string
	filter *textinput.Model
}

// NewBase returns the skeleton of a pane called title, with keys for the help, that
// loads its data with load.
func NewBase[T any](title string, keys help.KeyMap, load func(ctx context.Context) (T, error)) Base[T] {
	return Base[T]{title: title, keys: keys, load: load, ctx: context.Background(), dirty: true}
}

// Title is the pane's name in the tab bar and its frame.
func (b *Base[T]) Title() string { return b.title }

// KeyMap lists the pane's own keys for the help view.
func (b *Base[T]) KeyMap() help.KeyMap { return b.keys }

// SetSize gives the pane its inner size.
func (b *Base[T]) SetSize(width, height int) { b.Resize(width, height) }

// Resize gives the pane its inner size and says whether the width changed, for a
// pane whose picture depends on it.
func (b *Base[T]) Resize(width, height int) (widthChanged bool) {
	if width == b.Width && height == b.Height {
		return false
	}
	widthChanged = width != b.Width
	b.Width, b.Height, b.dirty = width, height, true
	return widthChanged
}

// SetLoad replaces what loads the pane's data, for a source that takes arguments (the
// host shown): give it a function that holds copies of them, not the pane.
func (b *Base[T]) SetLoad(load func(ctx context.Context) (T, error)) { b.load = load }

// ResizeLines gives the pane its inner size and its picture the room under a head line;
// it says whether the width changed, for a pane whose picture depends on it.
func (b *Base[T]) ResizeLines(lines *Lines, width, height int) (widthChanged bool) {
	lines.SetSize(width, height-1)
	return b.Resize(width, height)
}

// loaded carries one load's result back to the pane that asked for it.
type loaded[T any] struct {
	to   *Base[T]
	data T
	err  error
}

// Refresh returns the work that loads the pane's data under ctx, the app's context,
// for at most LoadTimeout; the result comes back through Take.
func (b *Base[T]) Refresh(ctx context.Context) tea.Cmd {
	b.ctx = ctx
	return b.Reload()
}

// Context is the app's context, as the last Refresh gave it, for work the pane starts.
func (b *Base[T]) Context() context.Context { return b.ctx }

// Reload is Refresh under the context of the last Refresh, for a load the pane starts
// itself (another host chosen, a container selected).
func (b *Base[T]) Reload() tea.Cmd {
	if b.load == nil {
		return nil
	}
	ctx, load := b.ctx, b.load
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, LoadTimeout)
		defer cancel()
		data, err := load(ctx)
		return loaded[T]{to: b, data: data, err: err}
	}
}

// Take keeps a load's result when msg is one of this pane's: ok says it was, changed
// that the data or the error differ from what the pane shows, which is then drawn
// again. A load that changed nothing costs no frame.
func (b *Base[T]) Take(msg tea.Msg) (ok, changed bool) {
	l, ok := msg.(loaded[T])
	if !ok || l.to != b {
		return false, false
	}
	if b.Loaded && errText(l.err) == errText(b.Err) && reflect.DeepEqual(l.data, b.Data) {
		return true, false
	}
	b.Data, b.Err, b.Loaded, b.dirty = l.data, l.err, true, true
	return true, true
}

// Invalidate says that the picture must be drawn again.
func (b *Base[T]) Invalidate() { b.dirty = true }

// Draw returns the picture, fitted to the pane's size: the one drawn last, unless
// something changed since.
func (b *Base[T]) Draw(render func() string) string {
	if b.dirty {
		b.cache, b.dirty = Fit(render(), b.Width, b.Height), false
	}
	return b.cache
}

// Notice is what the pane shows instead of its data, and whether it has to: the
// error of the last load, or waiting while nothing has come yet.
func (b *Base[T]) Notice(waiting string) (string, bool) {
	switch {
	case b.Err != nil:
		return styles.Error.Render(Unavailable + ": " + b.Err.Error()), true
	case !b.Loaded:
		return styles.Dim.Render(waiting), true
	}
	return "", false
}

// WithFilter gives the pane a text field for a filter, typed after the pane's filter
// key (see OpenFilter) and closed with enter or esc.
func (b *Base[T]) WithFilter(prompt, placeholder string) {
	in := NewInput(prompt, placeholder)
	b.filter = &in
}

// OpenFilter puts the keyboard in the filter.
func (b *Base[T]) OpenFilter() {
	if b.filter != nil {
		b.filter.Focus()
		b.dirty = true
	}
}

// Filter is the filter's text ("" without one).
func (b *Base[T]) Filter() string {
	if b.filter == nil {
		return ""
	}
	return b.filter.Value()
}

// FilterView draws the filter field in width cells.
func (b *Base[T]) FilterView(width int) string {
	if b.filter == nil {
		return ""
	}
	b.filter.SetWidth(max(1, width-len([]rune(b.filter.Prompt))-1))
	return b.filter.View()
}

// Typing reports whether the filter has the keyboard, so keys go to the pane first.
func (b *Base[T]) Typing() bool { return b.filter != nil && b.filter.Focused() }

// TypeFilter gives a key or a paste to the open filter: enter and esc close it. It
// says whether the pane took msg.
func (b *Base[T]) TypeFilter(msg tea.Msg) bool {
	if !b.Typing() {
		return false
	}
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if s := msg.String(); s == "enter" || s == "esc" {
			b.filter.Blur()
			b.dirty = true
			return true
		}
	case tea.PasteMsg:
	default:
		return false
	}
	*b.filter, _ = b.filter.Update(msg)
	b.dirty = true
	return true
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
