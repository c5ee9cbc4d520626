package tui

import (
	"context"
	"fmt"
	"io"

	tea "charm.land/bubbletea/v2"
)

// Run shows the app on the terminal behind in and out until the person quits.
func Run(ctx context.Context, opts Options, in io.Reader, out io.Writer) error {
	if len(opts.Panes) == 0 {
		return fmt.Errorf("the app has no panes to show")
	}
	p := tea.NewProgram(New(ctx, opts), tea.WithContext(ctx), tea.WithInput(in), tea.WithOutput(out))
	if _, err := p.Run(); err != nil {
		return fmt.Errorf("run the app: %w", err)
	}
	return nil
}
