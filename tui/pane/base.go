package pane

import (
	"context"
	"reflect"
	"time"

	"charm.land/bubbles/v2/help"
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
	// onWidth draws the picture again for a new width.
	onWidth func()

	// Data is what the source gave last; Err the error of the last load; Loaded says
	// that a load has come back.
	Data   T
	Err    error
	Loaded bool
	// Width and Height are the pane's inner size.
	Width, Height int
	// Lines is a text pane's picture under its head line (nil for any other pane).
	Lines *Lines
	// List is a list pane's rows (nil for any other pane), which items makes of Data.
	List  *List
	items func(T) []Item

	dirty bool
	cache string
	shared
}

// NewBase returns the skeleton of a pane called title, with keys for the help, that
// loads its data with load.
func NewBase[T any](title string, keys help.KeyMap, load func(ctx context.Context) (T, error)) Base[T] {
	return Base[T]{title: title, keys: keys, load: load, ctx: context.Background(), dirty: true, shared: newShared()}
}

// NewText returns the skeleton of a text pane: NewBase's, with Lines, a picture that
// scrolls under a head line. SetSize gives Lines the room the head line and the footer
// leave, the filter marks the lines that hold it, MoveLines scrolls.
func NewText[T any](title string, keys help.KeyMap, load func(ctx context.Context) (T, error)) Base[T] {
	b := NewBase(title, keys, load)
	lines := NewLines()
	b.Lines = &lines
	return b
}

// NewList returns the skeleton of a list pane: NewBase's, with List, the rows items
// makes of the data, sorted in its order and narrowed by the filter, arranged again
// when the data, the order (NextOrder) or the filter change; MoveList moves its cursor
// with the shared keys, ClickList to the row clicked, SelectItem to an item.
func NewList[T any](title string, keys help.KeyMap, load func(ctx context.Context) (T, error), items func(T) []Item) Base[T] {
	b := NewBase(title, keys, load)
	b.List, b.items = &List{}, items
	return b
}

// Title is the pane's name in the tab bar and its frame.
func (b *Base[T]) Title() string { return b.title }

// KeyMap lists the pane's own keys for the help view.
func (b *Base[T]) KeyMap() help.KeyMap { return b.keys }

// SetSize gives the pane its inner size, and a text pane's Lines what is left of it;
// after the width changed, the function given to OnWidth runs.
func (b *Base[T]) SetSize(width, height int) {
	widthChanged := width != b.Width
	if widthChanged || height != b.Height {
		b.Width, b.Height, b.dirty = width, height, true
	}
	b.sizeLines()
	if widthChanged && b.onWidth != nil {
		b.onWidth()
	}
}

// OnWidth gives the function that draws the pane's picture again for a new width,
// for a pane whose picture depends on it.
func (b *Base[T]) OnWidth(draw func()) { b.onWidth = draw }

// SetLoad replaces what loads the pane's data, for a source that takes arguments (the
// host shown): give it a function that holds copies of them, not the pane.
func (b *Base[T]) SetLoad(load func(ctx context.Context) (T, error)) { b.load = load }

// sizeLines gives a text pane's Lines what is left under the head line and above the
// footer.
func (b *Base[T]) sizeLines() {
	if b.Lines == nil {
		return
	}
	foot := 0
	if b.footer(b.Width) != "" {
		foot = 1
	}
	b.Lines.SetSize(b.Width, b.Height-1-foot)
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
// again (a list pane's rows arranged again first). A load that changed nothing costs
// no frame.
func (b *Base[T]) Take(msg tea.Msg) (ok, changed bool) {
	l, ok := msg.(loaded[T])
	if !ok || l.to != b {
		return false, false
	}
	if b.Loaded && errText(l.err) == errText(b.Err) && reflect.DeepEqual(l.data, b.Data) {
		return true, false
	}
	b.Data, b.Err, b.Loaded, b.dirty = l.data, l.err, true, true
	b.arrange()
	return true, true
}

// Invalidate says that the picture must be drawn again.
func (b *Base[T]) Invalidate() { b.dirty = true }

// MoveLines gives a key to a text pane's Lines: n/N jump between the filter's matches,
// the shared keys scroll; it reports whether the key was taken.
func (b *Base[T]) MoveLines(msg tea.KeyPressMsg) bool {
	if step := b.MatchStep(msg); step != 0 {
		b.Lines.Jump(step)
	} else if !b.Lines.Scroll(msg) {
		return false
	}
	b.Invalidate()
	return true
}

// MarkMatches marks the lines that hold the filter (none without one). Shared marks a
// text pane's Lines so; a pane that keeps Lines of its own gives MarkMatches to
// OnFilter.
func (b *Base[T]) MarkMatches(lines *Lines) {
	if b.Filter() == "" {
		lines.Mark(nil)
	} else {
		lines.Mark(b.Match)
	}
	b.Invalidate()
}

// Draw returns the picture, fitted to the pane's size: the one drawn last, unless
// something changed since. While the filter or a question shows on the pane's last
// line, render sees a Height one line smaller.
func (b *Base[T]) Draw(render func() string) string {
	if !b.dirty {
		return b.cache
	}
	b.dirty = false
	foot := b.footer(b.Width)
	if foot == "" || b.Height < 2 {
		b.cache = Fit(render(), b.Width, b.Height)
		return b.cache
	}
	b.Height--
	body := render()
	b.Height++
	b.cache = Fit(body, b.Width, b.Height-1) + "\n" + Fit(foot, b.Width, 1)
	return b.cache
}

// Handle takes what every pane handles the same way before its own messages: a load's
// result, after which fresh (when given) runs when the data changed, and the keys
// Shared takes. It says whether it took msg, and returns the work an answer starts.
func (b *Base[T]) Handle(msg tea.Msg, fresh func()) (took bool, cmd tea.Cmd) {
	if ok, changed := b.Take(msg); ok {
		if changed && fresh != nil {
			fresh()
		}
		return true, nil
	}
	return b.Shared(msg)
}

// Shared handles the keys every pane reads the same way before its own: the answer to
// an open question, the filter being typed, / to type one and esc to clear it. It
// says whether it took msg, and returns the work an answer starts. After the filter
// changed, a text pane's Lines are marked again, a list pane's rows arranged again, and
// the function given to OnFilter runs.
func (b *Base[T]) Shared(msg tea.Msg) (took bool, cmd tea.Cmd) {
	took, cmd, changed := b.shared.handle(msg)
	if took {
		b.dirty = true
		b.sizeLines()
	}
	if changed && b.Lines != nil {
		b.MarkMatches(b.Lines)
	}
	if changed {
		b.arrange()
	}
	if changed && b.onFilter != nil {
		b.onFilter()
	}
	return took, cmd
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

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
